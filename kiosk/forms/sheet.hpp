// A form as a grid: title, 单位 and date lines, header rows with merged cells, data, totals and
// notes. Layouts (layouts.hpp) build one from a report; writers render it as XLSX
// (libxlsxwriter) or CSV (UTF-8 with BOM, so Excel on Chinese Windows opens it correctly).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jf::forms {

struct FormCell {
    enum Kind { Empty, Text, Integer, Percent } kind = Empty;
    std::string text;
    double number = 0; // Integer: the count; Percent: the fraction (0.5 = 50.0%)
    static FormCell str(std::string s) { return {s.empty() ? Empty : Text, std::move(s), 0}; }
    static FormCell integer(long long v) { return {Integer, {}, static_cast<double>(v)}; }
    static FormCell integer(const std::optional<long long>& v) {
        return v ? integer(*v) : FormCell{};
    }
    static FormCell percent(const std::optional<double>& pct) {
        return pct ? FormCell{Percent, {}, *pct / 100.0} : FormCell{};
    }
    std::string display() const; // as a spreadsheet shows it: "3", "50.0%", the text
};

enum class RowStyle { Title, Subtitle, Info, Header, Data, Total, Note };

struct FormRow {
    RowStyle style = RowStyle::Data;
    std::vector<FormCell> cells;
};

struct Merge {
    int first_row, first_col, last_row, last_col;
};

struct FormSheet {
    std::string sheet_name; // the Excel tab (at most 31 characters)
    int columns = 0;
    std::vector<FormRow> rows;
    std::vector<Merge> merges;
    std::vector<double> widths; // per column, in Excel character units; computed when empty
    int header_rows_end = 0;    // rows before this stay visible when scrolling

    int add(RowStyle style, std::vector<FormCell> cells);
    // A row with one text spanning every column (titles, notes).
    int add_spanning(RowStyle style, std::string text);
    void merge(int r0, int c0, int r1, int c1) { merges.push_back({r0, c0, r1, c1}); }
    // Widths that fit the text: a CJK character is two units wide.
    void fit_widths();
    // The grid as strings, as a spreadsheet program shows it (what CSV carries).
    std::vector<std::vector<std::string>> grid() const;
};

// Display width of UTF-8 text in Excel character units (CJK = 2).
double text_width(const std::string& s);

bool write_xlsx(const FormSheet& sheet, const std::string& path, std::string* error);
bool write_csv(const FormSheet& sheet, const std::string& path, std::string* error);
std::string to_csv(const FormSheet& sheet); // with BOM and CRLF, as written to files
// One CSV field, safe to open in a spreadsheet: a cell starting with = + - @, a tab or a carriage
// return gets a leading ' (OWASP's CSV-injection rule: never a live formula); a `text` cell of
// digits (ID, phone, code, a YYYYMMDD date) gets a leading tab so spreadsheets keep it as text
// with every digit; quoted as RFC 4180 when needed. Machines reading the CSV trim the tab.
std::string csv_cell(std::string_view value, bool text);

} // namespace jf::forms
