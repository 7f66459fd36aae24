// A4 badge sheets as PDF with cairo and Pango (hub_badges.hpp).
#include "sync/hub/hub_badges.hpp"

#include "platform/scan/image.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <sstream>

namespace jf::hub {
namespace {

// One CSV record (RFC 4180 quoting); false at end of input.
bool read_csv_row(std::istream& in, std::vector<std::string>& row) {
    row.clear();
    std::string field;
    bool quoted = false, any = false;
    char ch;
    while (in.get(ch)) {
        any = true;
        if (quoted) {
            if (ch == '"') {
                if (in.peek() == '"')
                    field += static_cast<char>(in.get());
                else
                    quoted = false;
            } else {
                field += ch;
            }
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            row.push_back(std::move(field));
            field.clear();
        } else if (ch == '\n') {
            break;
        } else if (ch != '\r') {
            field += ch;
        }
    }
    if (!any) return false;
    row.push_back(std::move(field));
    return true;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.pop_back();
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
        ++i;
    return s.substr(i);
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// `text` in `family` at (x, y), at `points` or smaller until it fits `width`: a name is never
// cut short.
void show(cairo_t* cr, const std::string& text, const char* family, double points, double x,
          double y, double width) {
    PangoLayout* layout = pango_cairo_create_layout(cr);
    PangoFontDescription* fd = pango_font_description_from_string(family);
    pango_layout_set_text(layout, text.c_str(), -1);
    for (;; points -= 0.5) {
        pango_font_description_set_size(fd, static_cast<int>(points * PANGO_SCALE));
        pango_layout_set_font_description(layout, fd);
        int w = 0, h = 0;
        pango_layout_get_pixel_size(layout, &w, &h);
        if (w <= width || points <= 4) break;
    }
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
    pango_font_description_free(fd);
    g_object_unref(layout);
}

} // namespace

BadgeList read_badge_list(std::string_view csv) {
    BadgeList out;
    std::istringstream in{std::string(csv)};
    std::vector<std::string> header, row;
    if (!read_csv_row(in, header)) return out;
    if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0].erase(0, 3);
    int id_col = -1, name_col = -1;
    for (size_t i = 0; i < header.size(); ++i) {
        std::string h = trim(header[i]);
        if (h == "id" || h == "attendee_id" || h == "编号") id_col = static_cast<int>(i);
        if (h == "name" || h == "姓名") name_col = static_cast<int>(i);
    }
    if (id_col < 0) return out;
    out.header_ok = true;
    int line = 1;
    while (read_csv_row(in, row)) {
        ++line;
        if (row.size() == 1 && trim(row[0]).empty()) continue;
        BadgeRow b;
        if (id_col < static_cast<int>(row.size())) b.id = trim(row[size_t(id_col)]);
        if (name_col >= 0 && name_col < static_cast<int>(row.size()))
            b.name = trim(row[size_t(name_col)]);
        if (b.id.empty() || b.id.size() > kMaxCredentialIdBytes) {
            out.skipped.push_back(line);
            continue;
        }
        out.rows.push_back(std::move(b));
    }
    return out;
}

std::string badges_pdf(const std::vector<BadgeRow>& rows, const Credential& base,
                       const SigningKey& key, int* pages, std::string* error) {
    // A4 in points; the grid is the one the PNG sheets had at 300 dpi (70 px margins).
    constexpr double kPageW = 595.2756, kPageH = 841.8898, kMargin = 16.8;
    constexpr int kCols = 2, kRows = 5;
    const double cell_w = (kPageW - 2 * kMargin) / kCols, cell_h = (kPageH - 2 * kMargin) / kRows;
    std::string out;
    cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append, &out, kPageW, kPageH);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "badges");
    cairo_t* cr = cairo_create(surface);
    std::string validity = base.valid_from.to_iso() + " ~ " + base.valid_until.to_iso();
    int n = 0;
    for (size_t first = 0; first < rows.size(); first += kCols * kRows) {
        for (size_t i = first; i < rows.size() && i < first + kCols * kRows; ++i) {
            int slot = static_cast<int>(i - first);
            double x0 = kMargin + (slot % kCols) * cell_w, y0 = kMargin + (slot / kCols) * cell_h;
            // Cut lines, dashed and grey.
            cairo_set_source_rgb(cr, 0.67, 0.67, 0.67);
            cairo_set_line_width(cr, 0.5);
            double dash = 2;
            cairo_set_dash(cr, &dash, 1, 0);
            cairo_rectangle(cr, x0, y0, cell_w, cell_h);
            cairo_stroke(cr);
            cairo_set_dash(cr, nullptr, 0, 0);
            Credential c = base;
            c.holder_id = rows[i].id;
            auto signed_code = issue(c, key);
            if (!signed_code) continue; // read_badge_list leaves out ids a code cannot hold
            // The QR fills the badge's height, drawn module by module (sharp at any size).
            scan::GrayImage qr = scan::render_qr(encode(*signed_code), 1, 4);
            double module = (cell_h - 14) / std::max(1, qr.width);
            double qx = x0 + 7, qy = y0 + (cell_h - module * qr.height) / 2;
            cairo_set_source_rgb(cr, 0, 0, 0);
            for (int y = 0; y < qr.height; ++y)
                for (int x = 0; x < qr.width; ++x)
                    if (qr.at(x, y) < 128)
                        cairo_rectangle(cr, qx + x * module, qy + y * module, module, module);
            cairo_fill(cr);
            double tx = qx + module * qr.width + 5, avail = x0 + cell_w - 7 - tx;
            show(cr, rows[i].name, "Noto Sans CJK SC Bold", 22, tx, y0 + 14, avail);
            show(cr, rows[i].id, "Noto Sans CJK SC", 11, tx, y0 + cell_h / 2 + 4, avail);
            show(cr, base.scope_id, "Noto Sans CJK SC", 8, tx, y0 + cell_h - 34, avail);
            show(cr, validity, "Noto Sans CJK SC", 8, tx, y0 + cell_h - 20, avail);
        }
        cairo_show_page(cr);
        ++n;
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (st != CAIRO_STATUS_SUCCESS) {
        if (error) *error = cairo_status_to_string(st);
        return {};
    }
    if (pages) *pages = n;
    return out;
}

} // namespace jf::hub
