// Rendering a FormSheet: XLSX through libxlsxwriter, CSV as UTF-8 with BOM.
#include "kiosk/forms/sheet.hpp"

#include "kiosk/domain/validate.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

namespace jf::forms {

// -----------------------------------------------------------------------------
// Grid
// -----------------------------------------------------------------------------

std::string FormCell::display() const {
    char b[48];
    switch (kind) {
    case Empty:
        return {};
    case Text:
        return text;
    case Integer:
        std::snprintf(b, sizeof b, "%lld", static_cast<long long>(std::llround(number)));
        return b;
    case Percent: // half away from zero, as spreadsheets round for display
        std::snprintf(b, sizeof b, "%.1f%%", std::round(number * 1000.0) / 10.0);
        return b;
    }
    return {};
}

int FormSheet::add(RowStyle style, std::vector<FormCell> cells) {
    cells.resize(static_cast<size_t>(std::max(columns, static_cast<int>(cells.size()))));
    columns = std::max(columns, static_cast<int>(cells.size()));
    rows.push_back({style, std::move(cells)});
    return static_cast<int>(rows.size()) - 1;
}

int FormSheet::add_spanning(RowStyle style, std::string text) {
    int r = add(style, {FormCell::str(std::move(text))});
    if (columns > 1) merge(r, 0, r, columns - 1);
    return r;
}

double text_width(const std::string& s) {
    double w = 0, line = 0;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '\n') {
            w = std::max(w, line);
            line = 0;
            ++i;
            continue;
        }
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        line += n >= 3 ? 2.0 : 1.1; // CJK (3-4 byte) characters are two columns wide
        i += n;
    }
    return std::max(w, line);
}

static const Merge* merge_at(const FormSheet& s, int r, int c) {
    for (auto& m : s.merges)
        if (r >= m.first_row && r <= m.last_row && c >= m.first_col && c <= m.last_col) return &m;
    return nullptr;
}

void FormSheet::fit_widths() {
    widths.assign(static_cast<size_t>(columns), 4.0);
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
        RowStyle st = rows[r].style;
        if (st != RowStyle::Header && st != RowStyle::Data && st != RowStyle::Total) continue;
        for (int c = 0; c < columns; ++c) {
            auto m = merge_at(*this, r, c);
            if (m && m->first_col != m->last_col) continue; // spans columns: fits by their sum
            double w = text_width(rows[r].cells[static_cast<size_t>(c)].display());
            // Header cells wrap onto up to three lines; data should fit on one.
            if (st == RowStyle::Header) w = std::ceil(w / 3.0) + 1;
            widths[static_cast<size_t>(c)] = std::max(widths[static_cast<size_t>(c)], w + 2);
        }
    }
    for (auto& w : widths)
        w = std::min(w, 44.0);
}

std::vector<std::vector<std::string>> FormSheet::grid() const {
    std::vector<std::vector<std::string>> g;
    for (auto& row : rows) {
        std::vector<std::string> line(static_cast<size_t>(columns));
        for (size_t c = 0; c < row.cells.size() && c < line.size(); ++c)
            line[c] = row.cells[c].display();
        g.push_back(std::move(line));
    }
    return g;
}

// -----------------------------------------------------------------------------
// CSV
// -----------------------------------------------------------------------------

// Digits (an ID number may end in X) that a spreadsheet would turn into a number and lose:
// ID, phone and code columns, dates written 20240410, anything with a leading zero.
static bool numeric_text(std::string_view v) {
    if (v.empty()) return false;
    for (size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        bool last_x = i + 1 == v.size() && i > 0 && (c == 'X' || c == 'x');
        if ((c < '0' || c > '9') && !last_x) return false;
    }
    return true;
}

std::string csv_cell(std::string_view v, bool text) {
    std::string cell;
    if (text && !v.empty() &&
        std::string_view("=+-@\t\r").find(v.front()) != std::string_view::npos)
        cell = "'"; // OWASP: a leading quote makes a would-be formula plain text
    else if (text && numeric_text(v))
        cell = "\t"; // spreadsheets keep a tab-led cell as text, with every digit
    cell += v;
    if (cell.find_first_of(",\"\r\n\t") == std::string::npos) return cell;
    std::string q = "\"";
    for (char ch : cell) {
        if (ch == '"') q += '"';
        q += ch;
    }
    return q + '"';
}

std::string to_csv(const FormSheet& sheet) {
    std::string out = "\xEF\xBB\xBF";
    for (auto& row : sheet.rows) {
        for (int c = 0; c < sheet.columns; ++c) {
            if (c) out += ',';
            if (c >= static_cast<int>(row.cells.size())) continue;
            const FormCell& cell = row.cells[static_cast<size_t>(c)];
            out += csv_cell(cell.display(), cell.kind == FormCell::Text);
        }
        out += "\r\n";
    }
    return out;
}

static bool write_file_atomically(const std::string& path, const std::string& bytes,
                                  std::string* error) {
    std::string tmp = path + ".part";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        f.flush();
        if (!f) {
            if (error) *error = "cannot write " + tmp;
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        if (error) *error = "cannot write " + path + ": " + ec.message();
        return false;
    }
    return true;
}

bool write_csv(const FormSheet& sheet, const std::string& path, std::string* error) {
    return write_file_atomically(path, to_csv(sheet), error);
}

// -----------------------------------------------------------------------------
// XLSX
// -----------------------------------------------------------------------------

namespace {

struct Formats {
    lxw_format* by_style[7][2] = {}; // [RowStyle][numeric]
    lxw_format* percent[2] = {};     // data, total

    explicit Formats(lxw_workbook* wb) {
        for (int s = 0; s < 7; ++s)
            for (int numeric = 0; numeric < 2; ++numeric) {
                lxw_format* f = workbook_add_format(wb);
                format_set_font_name(f, "宋体");
                format_set_font_size(f, 11);
                format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
                switch (static_cast<RowStyle>(s)) {
                case RowStyle::Title:
                    format_set_bold(f);
                    format_set_font_size(f, 16);
                    format_set_align(f, LXW_ALIGN_CENTER);
                    break;
                case RowStyle::Subtitle:
                    format_set_align(f, LXW_ALIGN_CENTER);
                    break;
                case RowStyle::Info:
                    format_set_align(f, LXW_ALIGN_LEFT);
                    break;
                case RowStyle::Header:
                    format_set_bold(f);
                    format_set_align(f, LXW_ALIGN_CENTER);
                    format_set_text_wrap(f);
                    format_set_border(f, LXW_BORDER_THIN);
                    format_set_bg_color(f, 0xF2F2F2);
                    break;
                case RowStyle::Data:
                case RowStyle::Total:
                    format_set_border(f, LXW_BORDER_THIN);
                    format_set_align(f, numeric ? LXW_ALIGN_RIGHT : LXW_ALIGN_CENTER);
                    if (numeric) format_set_num_format(f, "0");
                    if (static_cast<RowStyle>(s) == RowStyle::Total) format_set_bold(f);
                    break;
                case RowStyle::Note:
                    format_set_text_wrap(f);
                    format_set_align(f, LXW_ALIGN_LEFT);
                    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
                    break;
                }
                by_style[s][numeric] = f;
            }
        for (int t = 0; t < 2; ++t) {
            lxw_format* f = workbook_add_format(wb);
            format_set_font_name(f, "宋体");
            format_set_border(f, LXW_BORDER_THIN);
            format_set_align(f, LXW_ALIGN_RIGHT);
            format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
            format_set_num_format(f, "0.0%");
            if (t) format_set_bold(f);
            percent[t] = f;
        }
    }
    lxw_format* of(RowStyle st, const FormCell& c) const {
        if (c.kind == FormCell::Percent) return percent[st == RowStyle::Total ? 1 : 0];
        return by_style[static_cast<int>(st)][c.kind == FormCell::Integer ? 1 : 0];
    }
};

// Excel forbids []:*?/\ in sheet names and allows 31 characters.
std::string safe_sheet_name(const std::string& name) {
    std::string out;
    int n = 0;
    for (auto& c : utf8_chars(name)) {
        if (c.size() == 1 && std::string("[]:*?/\\").find(c[0]) != std::string::npos) continue;
        if (++n > 31) break;
        out += c;
    }
    return out.empty() ? "Sheet1" : out;
}

} // namespace

bool write_xlsx(const FormSheet& in, const std::string& path, std::string* error) {
    // A copy only when widths must still be fitted (the forms fit theirs): a year's 附件6 is
    // 100,000 rows.
    std::optional<FormSheet> fitted;
    if (in.widths.size() != static_cast<size_t>(in.columns)) {
        fitted = in;
        fitted->fit_widths();
    }
    const FormSheet& sheet = fitted ? *fitted : in;
    std::string tmp = path + ".part.xlsx";
    lxw_workbook_options options = {};
    options.constant_memory = LXW_FALSE;
    lxw_workbook* wb = workbook_new_opt(tmp.c_str(), &options);
    if (!wb) {
        if (error) *error = "cannot create " + tmp;
        return false;
    }
    lxw_worksheet* ws = workbook_add_worksheet(wb, safe_sheet_name(sheet.sheet_name).c_str());
    Formats fmt(wb);
    worksheet_set_paper(ws, 9); // A4
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    for (int c = 0; c < sheet.columns; ++c) {
        worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                             sheet.widths[static_cast<size_t>(c)], nullptr);
    }
    if (sheet.header_rows_end > 0)
        worksheet_freeze_panes(ws, static_cast<lxw_row_t>(sheet.header_rows_end), 0);

    for (int r = 0; r < static_cast<int>(sheet.rows.size()); ++r) {
        const FormRow& row = sheet.rows[static_cast<size_t>(r)];
        // Heights for text that wraps: titles, headers, notes.
        double lines = 1;
        for (int c = 0; c < sheet.columns; ++c) {
            const FormCell& cell = row.cells[static_cast<size_t>(c)];
            if (cell.kind != FormCell::Text) continue;
            double width = sheet.widths[static_cast<size_t>(c)];
            if (auto m = merge_at(sheet, r, c)) {
                if (m->first_row != r || m->first_col != c) continue;
                width = 0;
                for (int k = m->first_col; k <= m->last_col; ++k)
                    width += sheet.widths[static_cast<size_t>(k)];
                if (m->last_row > m->first_row) continue; // spans rows: has room already
            }
            double need = 0;
            size_t start = 0;
            for (;;) {
                size_t nl = cell.text.find('\n', start);
                std::string part =
                    cell.text.substr(start, nl == std::string::npos ? nl : nl - start);
                need += std::max(1.0, std::ceil(text_width(part) / std::max(1.0, width - 1)));
                if (nl == std::string::npos) break;
                start = nl + 1;
            }
            if (row.style == RowStyle::Header || row.style == RowStyle::Note ||
                row.style == RowStyle::Title)
                lines = std::max(lines, need);
        }
        double base = row.style == RowStyle::Title ? 30 : 16;
        if (lines > 1 || row.style == RowStyle::Title)
            worksheet_set_row(ws, static_cast<lxw_row_t>(r), base * lines + 4, nullptr);
        for (int c = 0; c < sheet.columns; ++c) {
            const FormCell& cell = row.cells[static_cast<size_t>(c)];
            lxw_format* f = fmt.of(row.style, cell);
            if (auto m = merge_at(sheet, r, c)) {
                if (m->first_row == r && m->first_col == c)
                    worksheet_merge_range(
                        ws, static_cast<lxw_row_t>(m->first_row),
                        static_cast<lxw_col_t>(m->first_col), static_cast<lxw_row_t>(m->last_row),
                        static_cast<lxw_col_t>(m->last_col), cell.display().c_str(), f);
                continue;
            }
            auto rr = static_cast<lxw_row_t>(r);
            auto cc = static_cast<lxw_col_t>(c);
            switch (cell.kind) {
            case FormCell::Empty:
                worksheet_write_blank(ws, rr, cc, f);
                break;
            case FormCell::Text:
                worksheet_write_string(ws, rr, cc, cell.text.c_str(), f);
                break;
            case FormCell::Integer:
            case FormCell::Percent:
                worksheet_write_number(ws, rr, cc, cell.number, f);
                break;
            }
        }
    }
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        if (error) *error = std::string("cannot write ") + path + ": " + lxw_strerror(e);
        std::filesystem::remove(tmp);
        return false;
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        if (error) *error = "cannot write " + path + ": " + ec.message();
        return false;
    }
    return true;
}

} // namespace jf::forms
