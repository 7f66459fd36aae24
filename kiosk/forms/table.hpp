// Reading the first sheet of a spreadsheet file row by row: XLSX (libzip + expat), XLS (freexl)
// and CSV (UTF-8, UTF-16 or GBK/GB18030, comma or tab separated, quoted fields).
//
// Cells come out as UTF-8 text the way a person sees them: numbers without a trailing ".0",
// date-formatted cells as YYYY-MM-DD. Row numbers are the spreadsheet's own (1-based), so a
// problem can point at the row a person sees in Excel.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace jf::forms {

enum class TableFormat { Auto, Csv, Xlsx, Xls };
const char* format_name(TableFormat f); // "csv", "xlsx", "xls"

// Called for every non-empty row in order; return false to stop reading.
using RowSink = std::function<bool(int64_t row_number, std::vector<std::string>& cells)>;

struct TableResult {
    bool ok = false;
    TableFormat format = TableFormat::Auto;
    std::string encoding;  // CSV: "UTF-8", "GB18030", "UTF-16LE"
    std::string error_key; // "err.import.unreadable", "err.import.encoding", …
    std::string detail;    // for logs and the command line (never personal data)
    int64_t row = 0;       // the row a refusal concerns (0: the file as a whole)
    bool repaired = false; // CSV: bytes that were not text became U+FFFD (see decode_text)
};

// Limits that keep a hostile or broken file from exhausting memory or the screen; each refusal
// has its own message key. Far beyond any real listing file.
constexpr uint64_t kMaxUnpackedBytes = 256ull << 20; // XLSX: all entries read, uncompressed
constexpr size_t kMaxCellBytes = 32767 * 4;          // Excel's 32,767 characters, in UTF-8
constexpr int64_t kMaxRows = 1048576;                // Excel's row limit
constexpr size_t kMaxColumns = 1024;

// The format from the file's first bytes (ZIP → XLSX, OLE2 → XLS, otherwise CSV).
TableFormat sniff_format(std::string_view head);

TableResult read_table(const std::string& path, const RowSink& sink,
                       TableFormat format = TableFormat::Auto);
// The file read from disk once and parsed twice: by `first` and then, when that succeeded, by
// `second` (an import checks the whole file before it hands any row over). The second result.
TableResult read_table_twice(const std::string& path, const RowSink& first, const RowSink& second,
                             TableFormat format = TableFormat::Auto);
// The same from bytes in memory (XLS goes through an anonymous memory file for freexl).
TableResult read_table_bytes(std::string_view bytes, const RowSink& sink,
                             TableFormat format = TableFormat::Auto);

// CSV alone, already decoded to UTF-8; `delimiter` 0 means detect (comma or tab).
void parse_csv(std::string_view utf8, const RowSink& sink, char delimiter = 0);
// UTF-8 text of a CSV file's bytes: BOM, UTF-8 validity, then GB18030. Text that is UTF-8 but
// for a few stray bytes keeps its UTF-8 with each stray byte as U+FFFD and `repaired` set, so
// the rows holding them can be named. Empty `encoding` on failure (also for binary files).
std::string decode_text(std::string_view bytes, std::string* encoding, bool* repaired = nullptr);
bool valid_utf8(std::string_view s);

} // namespace jf::forms
