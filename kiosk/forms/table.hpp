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
};

// The format from the file's first bytes (ZIP → XLSX, OLE2 → XLS, otherwise CSV).
TableFormat sniff_format(std::string_view head);

TableResult read_table(const std::string& path, const RowSink& sink,
                       TableFormat format = TableFormat::Auto);
// The same from bytes in memory (XLS goes through an anonymous memory file for freexl).
TableResult read_table_bytes(std::string_view bytes, const RowSink& sink,
                             TableFormat format = TableFormat::Auto);

// CSV alone, already decoded to UTF-8; `delimiter` 0 means detect (comma or tab).
void parse_csv(std::string_view utf8, const RowSink& sink, char delimiter = 0);
// UTF-8 text of a CSV file's bytes: BOM, UTF-8 validity, then GB18030. Empty `encoding` on failure.
std::string decode_text(std::string_view bytes, std::string* encoding);
bool valid_utf8(std::string_view s);

} // namespace jf::forms
