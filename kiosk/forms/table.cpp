// Spreadsheet reading for imports: CSV with encoding detection, XLSX through libzip and expat,
// XLS through freexl (formula results read from the workbook stream directly).
//
// Index
// - Text       UTF-8 validation, GB18030/UTF-16 decoding (iconv), CSV parsing
// - XLSX       workbook → first sheet, shared strings, styles (which numbers are dates), rows
// - XLS        freexl in a child process, over a file (or an anonymous memory file for bytes);
//              formula results from the workbook stream, which freexl does not give
// - Entry      sniffing and dispatch
#include "kiosk/forms/table.hpp"

#include <expat.h>
#include <freexl.h>
#include <iconv.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <new>
#include <unordered_map>

// Present only in sanitizer and fuzzer builds.
extern "C" void __sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));

namespace jf::forms {

const char* format_name(TableFormat f) {
    switch (f) {
    case TableFormat::Csv:
        return "csv";
    case TableFormat::Xlsx:
        return "xlsx";
    case TableFormat::Xls:
        return "xls";
    case TableFormat::Auto:
        break;
    }
    return "auto";
}

static bool row_has_content(const std::vector<std::string>& cells) {
    for (auto& c : cells)
        if (!c.empty()) return true;
    return false;
}

// -----------------------------------------------------------------------------
// Text
// -----------------------------------------------------------------------------

bool valid_utf8(std::string_view s) {
    auto p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    auto cont = [](unsigned char d) { return (d & 0xc0) == 0x80; };
    while (p < end) {
        // Eight ASCII bytes at a time: most of a listing file's digits, dates and addresses.
        if (end - p >= 8) {
            uint64_t w;
            std::memcpy(&w, p, 8);
            if ((w & 0x8080808080808080ull) == 0) {
                p += 8;
                continue;
            }
        }
        unsigned char c = *p;
        if (c < 0x80) {
            ++p;
        } else if (c >= 0xe0 && c <= 0xef) { // three bytes: every Chinese character
            if (end - p < 3 || !cont(p[1]) || !cont(p[2])) return false;
            if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0))
                return false; // overlong, or a UTF-16 surrogate
            p += 3;
        } else if (c >= 0xc2 && c <= 0xdf) { // two bytes (0xc0, 0xc1 would be overlong)
            if (end - p < 2 || !cont(p[1])) return false;
            p += 2;
        } else if (c >= 0xf0 && c <= 0xf4) { // four bytes, up to U+10FFFF
            if (end - p < 4 || !cont(p[1]) || !cont(p[2]) || !cont(p[3])) return false;
            if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90)) return false;
            p += 4;
        } else {
            return false;
        }
    }
    return true;
}

static bool iconv_to_utf8(std::string_view in, const char* from, std::string& out) {
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == reinterpret_cast<iconv_t>(-1)) return false;
    out.assign(in.size() * 2 + 16, '\0');
    char* src = const_cast<char*>(in.data());
    size_t src_left = in.size();
    char* dst = out.data();
    size_t dst_left = out.size();
    bool ok = true;
    while (src_left > 0) {
        size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
        if (r != static_cast<size_t>(-1)) continue;
        if (errno == E2BIG) {
            size_t used = out.size() - dst_left;
            out.resize(out.size() * 2);
            dst = out.data() + used;
            dst_left = out.size() - used;
            continue;
        }
        ok = false; // EILSEQ or EINVAL: not this encoding
        break;
    }
    iconv_close(cd);
    out.resize(out.size() - dst_left);
    return ok;
}

// Valid UTF-8 multi-byte sequences and stray bytes (not part of a valid sequence).
static void utf8_census(std::string_view s, size_t& multibyte, size_t& stray) {
    multibyte = stray = 0;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len && valid_utf8(s.substr(i, len)) && i + len <= s.size()) {
            ++multibyte;
            i += len;
        } else {
            ++stray;
            ++i;
        }
    }
}

// UTF-8 with every stray byte replaced by U+FFFD.
static std::string repair_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len && i + len <= s.size() && valid_utf8(s.substr(i, len))) {
            out.append(s.substr(i, len));
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

std::string decode_text(std::string_view bytes, std::string* encoding, bool* repaired) {
    auto set = [&](const char* e) {
        if (encoding) *encoding = e;
    };
    if (repaired) *repaired = false;
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF")
        bytes.remove_prefix(3);
    else if (bytes.substr(0, 2) == "\xFF\xFE") {
        std::string out;
        if (iconv_to_utf8(bytes.substr(2), "UTF-16LE", out)) {
            set("UTF-16LE");
            return out;
        }
        set("");
        return {};
    }
    if (valid_utf8(bytes)) {
        set("UTF-8");
        return std::string(bytes);
    }
    // Text never holds NUL bytes (UTF-16 starts with its BOM): a picture, a PDF, an archive.
    if (bytes.find('\0') != std::string_view::npos) {
        set("");
        return {};
    }
    // UTF-8 but for a few stray bytes (an editor's slip): keep it, and name the rows later.
    size_t multibyte = 0, stray = 0;
    utf8_census(bytes, multibyte, stray);
    bool mostly_utf8 = multibyte > 0 && stray * 20 <= multibyte;
    std::string out;
    // GB18030 is a superset of GBK and GB2312, which Excel on Chinese Windows writes.
    if (!mostly_utf8 && iconv_to_utf8(bytes, "GB18030", out) && valid_utf8(out)) {
        set("GB18030");
        return out;
    }
    if (multibyte > 0 && stray <= multibyte) {
        set("UTF-8");
        if (repaired) *repaired = true;
        return repair_utf8(bytes);
    }
    set("");
    return {};
}

static char detect_delimiter(std::string_view s) {
    size_t commas = 0, tabs = 0, semis = 0;
    bool quoted = false;
    size_t lines = 0;
    for (size_t i = 0; i < s.size() && lines < 50; ++i) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == ',')
            ++commas;
        else if (c == '\t')
            ++tabs;
        else if (c == ';')
            ++semis;
        else if (c == '\n')
            ++lines;
    }
    if (tabs > 0 && tabs >= commas) return '\t';
    if (commas == 0 && semis > 0) return ';';
    return ',';
}

// As parse_csv; false with `*refused_row` set when a field exceeds kMaxCellBytes (an unclosed
// quote swallowing the file) or the rows exceed kMaxRows.
static bool parse_csv_limited(std::string_view s, const RowSink& sink, char delimiter,
                              int64_t* refused_row, std::string* why) {
    if (!delimiter) delimiter = detect_delimiter(s);
    // Cell strings are reused from row to row (cleared, not freed): no allocation per cell once
    // the first rows have been read. Ordinary text is copied in runs, not character by character.
    std::vector<std::string> cells;
    std::string overflow; // cells beyond kMaxColumns are read and dropped
    size_t used = 0;
    int64_t row = 1;
    size_t i = 0, n = s.size();
    auto refuse = [&](int64_t at, const char* key) {
        *refused_row = at;
        *why = key;
        return false;
    };
    auto next_field = [&]() -> std::string& {
        if (used >= kMaxColumns) {
            overflow.clear();
            return overflow;
        }
        if (used == cells.size()) cells.emplace_back();
        std::string& f = cells[used];
        f.clear();
        return f;
    };
    auto end_row = [&]() -> bool {
        cells.resize(used);
        bool go = true;
        if (row_has_content(cells)) go = sink(row, cells);
        used = 0;
        ++row;
        return go;
    };
    while (i < n) {
        if (row > kMaxRows) return refuse(row, "err.import.too_many_rows");
        std::string& f = next_field();
        if (s[i] == '"') { // a quoted field: delimiters and line breaks inside are text
            ++i;
            for (;;) {
                size_t q = s.find('"', i);
                size_t stop = q == std::string_view::npos ? n : q;
                if (f.size() + (stop - i) > kMaxCellBytes)
                    return refuse(row, "err.import.cell_too_long");
                f.append(s.data() + i, stop - i);
                if (q == std::string_view::npos) {
                    i = n; // unclosed: the rest of the file
                    break;
                }
                if (q + 1 < n && s[q + 1] == '"') {
                    f += '"';
                    i = q + 2;
                    continue;
                }
                i = q + 1;
                break;
            }
        }
        // Unquoted text (or what follows a closing quote) up to the delimiter or the line end.
        size_t j = i;
        while (j < n && s[j] != delimiter && s[j] != '\n' && s[j] != '\r')
            ++j;
        if (f.size() + (j - i) > kMaxCellBytes) return refuse(row, "err.import.cell_too_long");
        f.append(s.data() + i, j - i);
        i = j;
        if (used < kMaxColumns) ++used;
        if (i >= n) {
            end_row();
            return true;
        }
        if (s[i] == delimiter) {
            ++i;
            if (i >= n) { // "a,b," ends with an empty last field
                next_field();
                if (used < kMaxColumns) ++used;
                end_row();
                return true;
            }
            continue;
        }
        if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') ++i;
        ++i;
        if (!end_row()) return true;
    }
    return true;
}

void parse_csv(std::string_view s, const RowSink& sink, char delimiter) {
    int64_t row = 0;
    std::string why;
    parse_csv_limited(s, sink, delimiter, &row, &why);
}

// -----------------------------------------------------------------------------
// XLSX
// -----------------------------------------------------------------------------

namespace {

struct ZipArchive {
    zip_t* z = nullptr;
    ~ZipArchive() {
        if (z) zip_discard(z);
    }
};

// Unpacked bytes left for one file's entries together: a small file that unpacks to gigabytes
// (a zip bomb) is refused once kMaxUnpackedBytes have been read.
struct Budget {
    uint64_t left = kMaxUnpackedBytes;
    bool exceeded = false;
};

// Streams one archive entry through `fn(chunk)`; false when missing, unreadable or too large.
template <class Fn> bool read_entry(zip_t* z, const std::string& name, Budget& budget, Fn&& fn) {
    zip_int64_t idx = zip_name_locate(z, name.c_str(), 0);
    if (idx < 0) return false;
    zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(idx), 0);
    if (!f) return false;
    std::vector<char> buf(1 << 16);
    uint64_t total = 0;
    bool ok = true;
    for (;;) {
        zip_int64_t got = zip_fread(f, buf.data(), buf.size());
        if (got < 0) {
            ok = false;
            break;
        }
        if (got == 0) break;
        total += static_cast<uint64_t>(got);
        if (static_cast<uint64_t>(got) > budget.left) {
            budget.exceeded = true;
            ok = false;
            break;
        }
        budget.left -= static_cast<uint64_t>(got);
        if (!fn(std::string_view(buf.data(), static_cast<size_t>(got)))) break;
    }
    zip_fclose(f);
    return ok;
}

std::string_view local_name(const XML_Char* name) {
    std::string_view n(name);
    auto p = n.rfind(':');
    return p == std::string_view::npos ? n : n.substr(p + 1);
}

const XML_Char* attr(const XML_Char** atts, std::string_view key) {
    for (int i = 0; atts[i]; i += 2)
        if (local_name(atts[i]) == key) return atts[i + 1];
    return nullptr;
}

// A small expat driver: subclasses override start/end/text.
struct XmlReader {
    XML_Parser p = XML_ParserCreate("UTF-8");
    bool stopped = false;
    XmlReader() {
        XML_SetUserData(p, this);
        XML_SetElementHandler(
            p,
            [](void* u, const XML_Char* n, const XML_Char** a) {
                static_cast<XmlReader*>(u)->start(local_name(n), a);
            },
            [](void* u, const XML_Char* n) { static_cast<XmlReader*>(u)->end(local_name(n)); });
        XML_SetCharacterDataHandler(p, [](void* u, const XML_Char* s, int len) {
            static_cast<XmlReader*>(u)->text(std::string_view(s, static_cast<size_t>(len)));
        });
    }
    virtual ~XmlReader() { XML_ParserFree(p); }
    virtual void start(std::string_view, const XML_Char**) {}
    virtual void end(std::string_view) {}
    virtual void text(std::string_view) {}
    bool feed(std::string_view chunk, bool last) {
        if (stopped) return false;
        if (XML_Parse(p, chunk.data(), static_cast<int>(chunk.size()), last) == XML_STATUS_ERROR)
            return false;
        return !stopped;
    }
    void stop() {
        stopped = true;
        XML_StopParser(p, XML_FALSE);
    }
    bool parse_entry(zip_t* z, const std::string& name, Budget& budget) {
        bool fed_ok = true;
        bool read = read_entry(z, name, budget, [&](std::string_view chunk) {
            fed_ok = feed(chunk, false);
            return fed_ok;
        });
        if (!read) return false;
        if (stopped) return true;
        return fed_ok && feed({}, true);
    }
};

struct WorkbookReader : XmlReader {
    std::string first_sheet_rid;
    bool date1904 = false;
    void start(std::string_view n, const XML_Char** a) override {
        if (n == "sheet" && first_sheet_rid.empty()) {
            if (auto id = attr(a, "id")) first_sheet_rid = id;
        } else if (n == "workbookPr") {
            if (auto d = attr(a, "date1904"))
                date1904 = !std::strcmp(d, "1") || !std::strcmp(d, "true");
        }
    }
};

struct RelsReader : XmlReader {
    std::map<std::string, std::string> targets;
    void start(std::string_view n, const XML_Char** a) override {
        if (n != "Relationship") return;
        auto id = attr(a, "Id"), t = attr(a, "Target");
        if (id && t) targets[id] = t;
    }
};

struct SharedStringsReader : XmlReader {
    std::vector<std::string> strings;
    bool in_si = false, in_t = false;
    int phonetic = 0; // <rPh> runs carry pronunciation hints, not cell text
    bool too_long = false;
    void start(std::string_view n, const XML_Char**) override {
        if (n == "si") {
            in_si = true;
            strings.emplace_back();
        } else if (n == "rPh") {
            ++phonetic;
        } else if (n == "t" && in_si && !phonetic) {
            in_t = true;
        }
    }
    void end(std::string_view n) override {
        if (n == "si")
            in_si = false;
        else if (n == "rPh")
            --phonetic;
        else if (n == "t")
            in_t = false;
    }
    void text(std::string_view s) override {
        if (!in_t || strings.empty()) return;
        if (strings.back().size() + s.size() > kMaxCellBytes) {
            too_long = true;
            return stop();
        }
        strings.back() += s;
    }
};

bool is_date_format_code(std::string_view code) {
    std::string plain;
    bool quoted = false, bracket = false;
    for (size_t i = 0; i < code.size(); ++i) {
        char c = code[i];
        if (quoted) {
            if (c == '"') quoted = false;
            continue;
        }
        if (bracket) {
            if (c == ']') bracket = false;
            continue;
        }
        if (c == '"')
            quoted = true;
        else if (c == '[')
            bracket = true;
        else if (c == '\\' || c == '_' || c == '*')
            ++i;
        else if (c == ';')
            break; // the first section decides
        else
            plain += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (plain.find("general") != std::string::npos) return false;
    bool y = plain.find('y') != std::string::npos, d = plain.find('d') != std::string::npos;
    bool m = plain.find('m') != std::string::npos, h = plain.find('h') != std::string::npos;
    return y || d || (m && !h && plain.find('s') == std::string::npos);
}

bool is_builtin_date(int id) {
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

struct StylesReader : XmlReader {
    std::map<int, std::string> custom;
    std::vector<int> xf_formats;
    bool in_cell_xfs = false;
    void start(std::string_view n, const XML_Char** a) override {
        if (n == "numFmt") {
            auto id = attr(a, "numFmtId"), code = attr(a, "formatCode");
            if (id && code) custom[std::atoi(id)] = code;
        } else if (n == "cellXfs") {
            in_cell_xfs = true;
        } else if (n == "xf" && in_cell_xfs) {
            auto id = attr(a, "numFmtId");
            xf_formats.push_back(id ? std::atoi(id) : 0);
        }
    }
    void end(std::string_view n) override {
        if (n == "cellXfs") in_cell_xfs = false;
    }
    std::vector<bool> date_styles() const {
        std::vector<bool> out;
        for (int id : xf_formats) {
            auto it = custom.find(id);
            out.push_back(it != custom.end() ? is_date_format_code(it->second)
                                             : is_builtin_date(id));
        }
        return out;
    }
};

std::string format_number(double v) {
    if (!std::isfinite(v)) return {};
    char b[64];
    if (std::fabs(v) < 1e15 && v == std::floor(v)) {
        std::snprintf(b, sizeof b, "%lld", static_cast<long long>(v));
        return b;
    }
    std::snprintf(b, sizeof b, "%.15g", v);
    return b;
}

std::string serial_to_iso(double serial, bool date1904) {
    if (!std::isfinite(serial) || serial < 1 || serial > 2958465) return format_number(serial);
    // Days since 1899-12-30 (the 1900 system's effective epoch) or 1904-01-01.
    static const int64_t epoch1900 = -25569, epoch1904 = -24107;
    int64_t days = static_cast<int64_t>(std::floor(serial)) + (date1904 ? epoch1904 : epoch1900);
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = static_cast<unsigned>(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = static_cast<int64_t>(yoe) + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    char b[32];
    std::snprintf(b, sizeof b, "%04lld-%02u-%02u", static_cast<long long>(y + (m <= 2)), m, d);
    return b;
}

// "BC12" → column 54 (0-based), or -1.
int column_of(const char* ref) {
    int col = 0, letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ++ref, ++letters) {
        col = col * 26 + (*ref - 'A' + 1);
        if (col > 16384) return -1;
    }
    return letters ? col - 1 : -1;
}

struct SheetReader : XmlReader {
    const std::vector<std::string>* shared = nullptr;
    const std::vector<bool>* date_styles = nullptr;
    const RowSink* sink = nullptr;
    bool date1904 = false;
    std::vector<std::string> cells;
    int64_t row = 0, last_row = 0;
    int col = -1, next_col = 0;
    std::string type;
    int style = 0;
    bool in_value = false, in_inline_t = false, in_is = false;
    std::string refusal; // "err.import.cell_too_long" or "err.import.too_many_rows", at `row`
    int phonetic = 0;
    std::string value;

    void start(std::string_view n, const XML_Char** a) override {
        if (n == "row") {
            auto r = attr(a, "r");
            int64_t rr = r ? std::atoll(r) : 0;
            row = rr > last_row ? rr : last_row + 1;
            if (row > kMaxRows) {
                refusal = "err.import.too_many_rows";
                return stop();
            }
            cells.clear();
            next_col = 0;
        } else if (n == "c") {
            auto r = attr(a, "r");
            col = r ? column_of(r) : next_col;
            if (col < 0) col = next_col;
            next_col = col + 1;
            auto t = attr(a, "t");
            type = t ? t : "n";
            auto s = attr(a, "s");
            style = s ? std::atoi(s) : 0;
            value.clear();
        } else if (n == "v") {
            in_value = true;
        } else if (n == "is") {
            in_is = true;
        } else if (n == "rPh") {
            ++phonetic;
        } else if (n == "t" && in_is && !phonetic) {
            in_inline_t = true;
        }
    }
    void text(std::string_view s) override {
        if (!in_value && !in_inline_t) return;
        if (value.size() + s.size() > kMaxCellBytes) {
            refusal = "err.import.cell_too_long";
            return stop();
        }
        value += s;
    }
    void end(std::string_view n) override {
        if (n == "v")
            in_value = false;
        else if (n == "t")
            in_inline_t = false;
        else if (n == "is")
            in_is = false;
        else if (n == "rPh")
            --phonetic;
        else if (n == "c")
            finish_cell();
        else if (n == "row") {
            last_row = row;
            if (row_has_content(cells) && !(*sink)(row, cells)) stop();
        }
    }
    void finish_cell() {
        if (col < 0 || static_cast<size_t>(col) >= kMaxColumns) return;
        std::string out;
        if (type == "s") {
            char* end = nullptr;
            long i = std::strtol(value.c_str(), &end, 10);
            if (end != value.c_str() && i >= 0 && static_cast<size_t>(i) < shared->size())
                out = (*shared)[static_cast<size_t>(i)];
        } else if (type == "inlineStr" || type == "str" || type == "e") {
            out = value;
        } else if (type == "b") {
            out = value == "1" ? "TRUE" : "FALSE";
        } else if (type == "d") {
            out = value.substr(0, 10);
        } else if (!value.empty()) {
            char* end = nullptr;
            double v = std::strtod(value.c_str(), &end);
            if (end == value.c_str())
                out = value;
            else if (style >= 0 && static_cast<size_t>(style) < date_styles->size() &&
                     (*date_styles)[static_cast<size_t>(style)])
                out = serial_to_iso(v, date1904);
            else
                out = format_number(v);
        }
        if (cells.size() <= static_cast<size_t>(col)) cells.resize(static_cast<size_t>(col) + 1);
        cells[static_cast<size_t>(col)] = std::move(out);
    }
};

std::string resolve_target(const std::string& target) {
    if (!target.empty() && target[0] == '/') return target.substr(1);
    if (target.rfind("xl/", 0) == 0) return target;
    return "xl/" + target;
}

TableResult read_xlsx(std::string_view bytes, const RowSink& sink) {
    TableResult r;
    r.format = TableFormat::Xlsx;
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    ZipArchive za;
    if (src) {
        za.z = zip_open_from_source(src, ZIP_RDONLY, &err);
        if (!za.z) zip_source_free(src);
    }
    zip_error_fini(&err);
    if (!za.z) {
        r.error_key = "err.import.unreadable";
        r.detail = "not a readable XLSX (zip) file";
        return r;
    }
    Budget budget;
    auto too_large = [&] {
        r.error_key = "err.import.too_large";
        r.detail = "unpacks to more than " + std::to_string(kMaxUnpackedBytes >> 20) + " MB";
        return r;
    };
    WorkbookReader wb;
    RelsReader rels;
    std::string sheet = "xl/worksheets/sheet1.xml";
    if (wb.parse_entry(za.z, "xl/workbook.xml", budget) &&
        rels.parse_entry(za.z, "xl/_rels/workbook.xml.rels", budget))
        if (auto it = rels.targets.find(wb.first_sheet_rid); it != rels.targets.end())
            sheet = resolve_target(it->second);
    SharedStringsReader ss;
    ss.parse_entry(za.z, "xl/sharedStrings.xml", budget); // absent when every string is inline
    if (ss.too_long) {
        r.error_key = "err.import.cell_too_long";
        r.detail = "a shared string is longer than Excel allows";
        return r;
    }
    StylesReader st;
    st.parse_entry(za.z, "xl/styles.xml", budget);
    if (budget.exceeded) return too_large();
    std::vector<bool> dates = st.date_styles();
    SheetReader sr;
    sr.shared = &ss.strings;
    sr.date_styles = &dates;
    sr.sink = &sink;
    sr.date1904 = wb.date1904;
    bool parsed = sr.parse_entry(za.z, sheet, budget);
    if (budget.exceeded) return too_large();
    if (!sr.refusal.empty()) {
        r.error_key = sr.refusal;
        r.row = sr.row;
        r.detail = "row " + std::to_string(sr.row);
        return r;
    }
    if (!parsed) {
        r.error_key = "err.import.unreadable";
        r.detail = "the first worksheet (" + sheet + ") is missing or not well-formed XML";
        return r;
    }
    r.ok = true;
    return r;
}

// -----------------------------------------------------------------------------
// XLS
// -----------------------------------------------------------------------------

// freexl (1.0.6) gives nothing for a formula cell, not even the result the spreadsheet program
// stored with it: a 招聘人数 of `=2+3` would read as blank. The cached results are read here from
// the workbook stream itself (compound file → "Workbook" stream → the first sheet's BIFF8 FORMULA
// records and the STRING records after them). Every offset, length and sector chain is checked
// against the file, chains are cut at the file's sector count, so a hostile file yields fewer
// results, never a read out of bounds or a loop.
struct XlsFormulas {
    std::unordered_map<uint64_t, std::string> cells; // (row << 16 | column) → result as text
    static uint64_t key(uint32_t row, uint32_t col) { return (uint64_t{row} << 16) | col; }
};

uint32_t le32(std::string_view s, size_t at) {
    uint32_t v = 0;
    if (at <= s.size() && s.size() - at >= 4) std::memcpy(&v, s.data() + at, 4);
    return v;
}
uint16_t le16(std::string_view s, size_t at) {
    uint16_t v = 0;
    if (at <= s.size() && s.size() - at >= 2) std::memcpy(&v, s.data() + at, 2);
    return v;
}

// One stream of a compound file: the sectors of `start`'s chain in `fat`, read through `sector`
// (which returns an empty view for a sector outside the file), cut to `size` bytes.
template <class SectorFn>
std::string cfb_chain(const std::vector<uint32_t>& fat, uint32_t start, uint64_t size,
                      size_t sector_size, SectorFn sector) {
    std::string out;
    uint32_t s = start;
    for (size_t hops = 0; s < fat.size() && hops < fat.size() && out.size() < size; ++hops) {
        std::string_view b = sector(s);
        if (b.size() != sector_size) break;
        out.append(b);
        s = fat[s];
    }
    if (out.size() > size) out.resize(size);
    return out;
}

std::string cfb_workbook(std::string_view f) {
    if (f.size() < 512 || f.substr(0, 8) != std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return {};
    uint16_t shift = le16(f, 0x1E), mini_shift = le16(f, 0x20);
    if ((shift != 9 && shift != 12) || mini_shift != 6) return {};
    const size_t ssz = size_t{1} << shift;
    const size_t nsect = f.size() / ssz; // sectors present after the header (upper bound)
    auto sector = [&](uint32_t n) -> std::string_view {
        uint64_t off = (uint64_t{n} + 1) * ssz;
        if (off > f.size() || f.size() - off < ssz) return {};
        return f.substr(off, ssz);
    };
    // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
    std::vector<uint32_t> fat_sectors;
    for (size_t i = 0; i < 109; ++i) {
        uint32_t s = le32(f, 0x4C + 4 * i);
        if (s < nsect) fat_sectors.push_back(s);
    }
    uint32_t difat = le32(f, 0x44);
    for (size_t hops = 0; difat < nsect && hops < nsect; ++hops) {
        std::string_view b = sector(difat);
        if (b.empty()) break;
        for (size_t i = 0; i + 1 < ssz / 4; ++i) {
            uint32_t s = le32(b, 4 * i);
            if (s < nsect) fat_sectors.push_back(s);
        }
        difat = le32(b, ssz - 4);
    }
    if (fat_sectors.size() > nsect) return {};
    std::vector<uint32_t> fat;
    fat.reserve(std::min(fat_sectors.size() * (ssz / 4), nsect + 1));
    for (uint32_t s : fat_sectors) {
        std::string_view b = sector(s);
        for (size_t i = 0; i < b.size() / 4 && fat.size() < nsect + 1; ++i)
            fat.push_back(le32(b, 4 * i));
    }
    std::string dir = cfb_chain(fat, le32(f, 0x30), f.size(), ssz, sector);
    // Directory entries of 128 bytes: entry 0 is the root (it holds the mini stream).
    if (dir.size() < 128) return {};
    std::string_view d = dir;
    uint32_t root_start = le32(d, 0x74);
    uint64_t root_size = le32(d, 0x78);
    for (size_t e = 0; e + 128 <= d.size(); e += 128) {
        std::string_view ent = d.substr(e, 128);
        uint16_t name_len = le16(ent, 0x40);
        if (ent[0x42] != 2 || name_len > 64) continue; // streams only
        std::u16string name;
        for (size_t i = 0; i + 2 < name_len; i += 2)
            name.push_back(static_cast<char16_t>(le16(ent, i)));
        if (name != u"Workbook" && name != u"Book") continue;
        uint32_t start = le32(ent, 0x74);
        uint64_t size = std::min<uint64_t>(le32(ent, 0x78), f.size());
        if (size >= le32(f, 0x38)) return cfb_chain(fat, start, size, ssz, sector);
        // A small stream lives in the mini stream, in 64-byte sectors chained by the mini FAT.
        std::string mini_fat_bytes =
            cfb_chain(fat, le32(f, 0x3C), uint64_t{le32(f, 0x40)} * ssz, ssz, sector);
        std::vector<uint32_t> mini_fat(mini_fat_bytes.size() / 4);
        for (size_t i = 0; i < mini_fat.size(); ++i)
            mini_fat[i] = le32(mini_fat_bytes, 4 * i);
        std::string mini =
            cfb_chain(fat, root_start, std::min<uint64_t>(root_size, f.size()), ssz, sector);
        std::string_view m = mini;
        return cfb_chain(mini_fat, start, size, 64, [&](uint32_t n) -> std::string_view {
            uint64_t off = uint64_t{n} * 64;
            if (off > m.size() || m.size() - off < 64) return {};
            return m.substr(off, 64);
        });
    }
    return {};
}

// A BIFF8 unicode string's characters (8-bit or UTF-16LE by its flag byte), continued across
// CONTINUE records, as UTF-8.
std::string biff_string(std::string_view first, size_t at, size_t chars,
                        const std::vector<std::string_view>& continues) {
    std::string utf16;
    std::string_view part = first;
    size_t ci = 0;
    bool first_part = true;
    while (chars > 0) {
        if (!first_part) {
            if (ci >= continues.size()) break;
            part = continues[ci++];
            at = 0;
        }
        first_part = false;
        if (at >= part.size()) continue;
        bool wide = (static_cast<unsigned char>(part[at]) & 1) != 0;
        ++at;
        while (chars > 0 && at + (wide ? 2 : 1) <= part.size()) {
            utf16 += part[at];
            utf16 += wide ? part[at + 1] : '\0';
            at += wide ? 2 : 1;
            --chars;
        }
    }
    std::string out;
    if (!utf16.empty() && !iconv_to_utf8(utf16, "UTF-16LE", out)) out.clear();
    return out;
}

XlsFormulas xls_formula_results(const char* path) {
    XlsFormulas r;
    std::string file;
    {
        std::ifstream in(path, std::ios::binary);
        if (!in) return r;
        file.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    const std::string wb = cfb_workbook(file);
    file.clear();
    file.shrink_to_fit();
    std::string_view s = wb;
    struct Rec {
        uint16_t type;
        std::string_view data;
    };
    auto rec_at = [&](size_t at, Rec& out) {
        if (at > s.size() || s.size() - at < 4) return false;
        uint16_t len = le16(s, at + 2);
        if (s.size() - at - 4 < len) return false;
        out = {le16(s, at), s.substr(at + 4, len)};
        return true;
    };
    // Globals: BIFF8 only (BOF version 0x0600); the first BOUNDSHEET is the sheet freexl reads.
    Rec rec;
    if (!rec_at(0, rec) || rec.type != 0x0809 || le16(rec.data, 0) != 0x0600) return r;
    size_t at = 0, sheet = 0;
    bool found = false;
    while (rec_at(at, rec) && rec.type != 0x000A) {
        if (rec.type == 0x0085 && rec.data.size() >= 6 && !found) {
            sheet = le32(rec.data, 0);
            found = true;
        }
        at += 4 + rec.data.size();
    }
    if (!found || !rec_at(sheet, rec) || rec.type != 0x0809) return r;
    static const std::map<uint8_t, const char*> errors = {
        {0x00, "#NULL!"}, {0x07, "#DIV/0!"}, {0x0F, "#VALUE!"}, {0x17, "#REF!"},
        {0x1D, "#NAME?"}, {0x24, "#NUM!"},   {0x2A, "#N/A"}};
    bool pending = false; // a string result: its text is in the next STRING record
    uint64_t pending_key = 0;
    at = sheet + 4 + rec.data.size();
    while (rec_at(at, rec) && rec.type != 0x000A) {
        size_t next = at + 4 + rec.data.size();
        std::string_view v = rec.data;
        if (rec.type == 0x0006 && v.size() >= 20) {
            pending = false;
            uint64_t k = XlsFormulas::key(le16(v, 0), le16(v, 2));
            if (le16(v, 12) != 0xFFFF) {
                double d;
                std::memcpy(&d, v.data() + 6, 8);
                r.cells[k] = format_number(d);
            } else if (v[6] == 0) {
                pending = true;
                pending_key = k;
            } else if (v[6] == 1) {
                r.cells[k] = v[8] ? "TRUE" : "FALSE";
            } else if (v[6] == 2) {
                auto e = errors.find(static_cast<uint8_t>(v[8]));
                r.cells[k] = e != errors.end() ? e->second : "#VALUE!";
            }
        } else if (rec.type == 0x0207 && pending && v.size() >= 3) {
            pending = false;
            std::vector<std::string_view> continues;
            Rec c;
            while (rec_at(next, c) && c.type == 0x003C) {
                continues.push_back(c.data);
                next += 4 + c.data.size();
            }
            size_t chars = std::min<size_t>(le16(v, 0), 32767);
            r.cells[pending_key] = biff_string(v, 2, chars, continues);
        }
        at = next;
    }
    return r;
}

TableResult read_xls_direct(const char* path, const RowSink& sink) {
    TableResult r;
    r.format = TableFormat::Xls;
    const void* h = nullptr;
    if (freexl_open(path, &h) != FREEXL_OK) {
        if (h) freexl_close(h);
        r.error_key = "err.import.unreadable";
        r.detail = "not a readable XLS file";
        return r;
    }
    std::unique_ptr<const void, int (*)(const void*)> guard(h, freexl_close);
    unsigned int info = 0;
    if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
        info == FREEXL_BIFF_OBFUSCATED) {
        r.error_key = "err.import.password";
        r.detail = "the XLS file is password-protected";
        return r;
    }
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (freexl_select_active_worksheet(h, 0) != FREEXL_OK ||
        freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
        r.error_key = "err.import.unreadable";
        r.detail = "the XLS file has no readable worksheet";
        return r;
    }
    unsigned short ncols = static_cast<unsigned short>(std::min<size_t>(cols, kMaxColumns));
    const XlsFormulas formulas = xls_formula_results(path);
    std::vector<std::string> cells;
    for (unsigned int row = 0; row < rows; ++row) {
        cells.assign(ncols, std::string());
        for (unsigned short c = 0; c < ncols; ++c) {
            FreeXL_CellValue v;
            if (freexl_get_cell_value(h, row, c, &v) != FREEXL_OK) v.type = FREEXL_CELL_NULL;
            switch (v.type) {
            case FREEXL_CELL_INT:
                cells[c] = std::to_string(v.value.int_value);
                break;
            case FREEXL_CELL_DOUBLE:
                cells[c] = format_number(v.value.double_value);
                break;
            case FREEXL_CELL_TEXT:
            case FREEXL_CELL_SST_TEXT:
            case FREEXL_CELL_TIME:
                if (v.value.text_value) cells[c] = v.value.text_value;
                break;
            case FREEXL_CELL_DATE:
            case FREEXL_CELL_DATETIME:
                if (v.value.text_value) cells[c] = std::string(v.value.text_value).substr(0, 10);
                break;
            default:
                break;
            }
            if (cells[c].empty() && !formulas.cells.empty()) {
                auto f = formulas.cells.find(XlsFormulas::key(row, c));
                if (f != formulas.cells.end()) cells[c] = f->second;
            }
        }
        if (row_has_content(cells) && !sink(static_cast<int64_t>(row) + 1, cells)) break;
    }
    r.ok = true;
    return r;
}

// freexl (Debian's 1.0.6) misreads some malformed files past its own buffers, which fuzzing
// found. A listing file must never take the terminal down, so freexl runs in a child process
// that sends the rows back through a pipe; a crash or a hang there is an unreadable file here.
void put_u32(std::string& b, uint32_t v) {
    b.append(reinterpret_cast<const char*>(&v), 4);
}
void put_str(std::string& b, std::string_view s) {
    put_u32(b, static_cast<uint32_t>(s.size()));
    b.append(s);
}
bool write_all(int fd, const std::string& b) {
    size_t off = 0;
    while (off < b.size()) {
        ssize_t w = ::write(fd, b.data() + off, b.size() - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        off += static_cast<size_t>(w);
    }
    return true;
}

[[noreturn]] void xls_child(const char* path, int fd) {
    // A crash here is expected for some malformed files: quiet, and (under a fuzzer) not reported
    // as the fuzz target's own crash.
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(nullptr);
    int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) ::dup2(null, 2);
    std::string buf;
    RowSink ship = [&](int64_t row, std::vector<std::string>& cells) {
        buf += 'R';
        buf.append(reinterpret_cast<const char*>(&row), 8);
        put_u32(buf, static_cast<uint32_t>(cells.size()));
        for (auto& c : cells)
            put_str(buf, c);
        if (buf.size() > (1u << 16)) {
            if (!write_all(fd, buf)) _exit(3);
            buf.clear();
        }
        return true;
    };
    TableResult r = read_xls_direct(path, ship);
    buf += 'Z';
    buf += r.ok ? '\1' : '\0';
    put_str(buf, r.error_key);
    put_str(buf, r.detail);
    _exit(write_all(fd, buf) ? 0 : 3);
}

struct Reader {
    std::string_view s;
    size_t pos = 0;
    bool u32(uint32_t& v) {
        if (s.size() - pos < 4) return false;
        std::memcpy(&v, s.data() + pos, 4);
        pos += 4;
        return true;
    }
    bool str(std::string& out) {
        uint32_t n;
        if (!u32(n) || s.size() - pos < n) return false;
        out.assign(s.data() + pos, n);
        pos += n;
        return true;
    }
};

TableResult read_xls_file(const char* path, const RowSink& sink) {
    TableResult r;
    r.format = TableFormat::Xls;
    r.error_key = "err.import.unreadable";
    r.detail = "not a readable XLS file";
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return r;
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return r;
    }
    if (pid == 0) {
        ::close(fds[0]);
        xls_child(path, fds[1]);
    }
    ::close(fds[1]);
    std::string data;
    char chunk[1 << 16];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool timed_out = false;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        int n = ::poll(&p, 1, static_cast<int>(left));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            timed_out = n == 0;
            break;
        }
        ssize_t got = ::read(fds[0], chunk, sizeof chunk);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        data.append(chunk, static_cast<size_t>(got));
    }
    ::close(fds[0]);
    if (timed_out) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return r;
    Reader rd{data};
    std::vector<std::string> cells;
    while (rd.pos < data.size()) {
        char tag = data[rd.pos++];
        if (tag == 'R') {
            int64_t row;
            uint32_t n;
            if (data.size() - rd.pos < 8) return r;
            std::memcpy(&row, data.data() + rd.pos, 8);
            rd.pos += 8;
            if (!rd.u32(n) || n > kMaxColumns) return r;
            cells.assign(n, std::string());
            for (auto& c : cells)
                if (!rd.str(c)) return r;
            if (!sink(row, cells)) {
                r.ok = true;
                r.error_key.clear();
                r.detail.clear();
                return r;
            }
        } else if (tag == 'Z') {
            if (rd.pos >= data.size()) return r;
            r.ok = data[rd.pos++] == 1;
            if (!rd.str(r.error_key) || !rd.str(r.detail)) return r;
            return r;
        } else {
            return r;
        }
    }
    return r;
}

} // namespace

// -----------------------------------------------------------------------------
// Entry
// -----------------------------------------------------------------------------

TableFormat sniff_format(std::string_view head) {
    if (head.substr(0, 4) == std::string_view("PK\x03\x04", 4)) return TableFormat::Xlsx;
    if (head.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return TableFormat::Xls;
    return TableFormat::Csv;
}

static TableResult read_csv(std::string_view bytes, const RowSink& sink) {
    TableResult r;
    r.format = TableFormat::Csv;
    // A picture or a PDF renamed .xlsx or .csv is not a table at all; an empty file is empty.
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        r.error_key = "err.import.empty";
        r.detail = "the file is empty";
        return r;
    }
    bool utf16 = bytes.substr(0, 2) == "\xFF\xFE";
    if (!utf16 && bytes.substr(0, 4096).find('\0') != std::string_view::npos) {
        r.error_key = "err.import.unreadable";
        r.detail = "binary data, not a spreadsheet or text";
        return r;
    }
    std::string decoded;
    std::string_view text = bytes;
    if (!utf16 && valid_utf8(bytes)) {
        r.encoding = "UTF-8"; // the usual case: parsed in place, no copy
    } else {
        decoded = decode_text(bytes, &r.encoding, &r.repaired);
        text = decoded;
    }
    if (r.encoding.empty()) {
        r.error_key = "err.import.encoding";
        r.detail = "the text is neither UTF-8 nor GBK/GB18030";
        return r;
    }
    std::string why;
    if (!parse_csv_limited(text, sink, 0, &r.row, &why)) {
        r.error_key = why;
        r.detail = "row " + std::to_string(r.row);
        return r;
    }
    r.ok = true;
    return r;
}

TableResult read_table_bytes(std::string_view bytes, const RowSink& sink, TableFormat format) {
    if (format == TableFormat::Auto) format = sniff_format(bytes);
    if (format == TableFormat::Xlsx) return read_xlsx(bytes, sink);
    if (format == TableFormat::Csv) return read_csv(bytes, sink);
    // freexl reads only from a path: give it an anonymous in-memory file.
    int fd = memfd_create("jf-xls", 0);
    TableResult r;
    r.format = TableFormat::Xls;
    if (fd < 0) {
        r.error_key = "err.import.unreadable";
        r.detail = "cannot create a memory file";
        return r;
    }
    size_t off = 0;
    while (off < bytes.size()) {
        ssize_t w = ::write(fd, bytes.data() + off, bytes.size() - off);
        if (w <= 0) break;
        off += static_cast<size_t>(w);
    }
    std::string path = "/proc/self/fd/" + std::to_string(fd);
    r = read_xls_file(path.c_str(), sink);
    ::close(fd);
    return r;
}

// Reads the file at `path` once and parses it with each sink in turn, stopping at the first
// result that is not ok.
static TableResult read_table_passes(const std::string& path,
                                     std::initializer_list<const RowSink*> sinks,
                                     TableFormat format) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        TableResult r;
        r.error_key = "err.import.open";
        r.detail = "cannot open " + path;
        return r;
    }
    char head[8] = {};
    in.read(head, sizeof head);
    std::string_view h(head, static_cast<size_t>(in.gcount()));
    if (format == TableFormat::Auto) format = sniff_format(h);
    TableResult r;
    if (format == TableFormat::Xls) {
        for (auto* sink : sinks)
            if (!(r = read_xls_file(path.c_str(), *sink)).ok) break;
        return r;
    }
    in.close();
    // Read with read(2) into an uninitialised buffer (not mapped: a USB stick pulled out while a
    // mapped file is read would kill the program with SIGBUS).
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
        if (fd >= 0) ::close(fd);
        r.error_key = "err.import.open";
        r.detail = "cannot open " + path;
        return r;
    }
    size_t size = static_cast<size_t>(std::max<off_t>(st.st_size, 0)), got = 0;
    std::unique_ptr<char[]> buf(new (std::nothrow) char[size + 1]);
    if (!buf) {
        ::close(fd);
        r.error_key = "err.import.too_large";
        r.detail = "not enough memory for " + std::to_string(size) + " bytes";
        return r;
    }
    while (got < size) {
        ssize_t k = ::read(fd, buf.get() + got, size - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        got += static_cast<size_t>(k);
    }
    ::close(fd);
    for (auto* sink : sinks)
        if (!(r = read_table_bytes(std::string_view(buf.get(), got), *sink, format)).ok) break;
    return r;
}

TableResult read_table(const std::string& path, const RowSink& sink, TableFormat format) {
    return read_table_passes(path, {&sink}, format);
}

TableResult read_table_twice(const std::string& path, const RowSink& first, const RowSink& second,
                             TableFormat format) {
    return read_table_passes(path, {&first, &second}, format);
}

} // namespace jf::forms
