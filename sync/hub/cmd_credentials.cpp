// Staff commands for the signed QR credentials (sync/PROTOCOL.md "Credentials"):
//   keygen  an issuer key pair (private key file readable by its owner only)
//   issue   one credential: prints its text and writes its QR code as PNG
//   badges  a printable sheet of attendee badges (A4 PNG pages, 300 dpi) from a CSV of attendees
//
// Index
// - Key files        hex text, private file created 0600 and never overwritten
// - Options          kind, holder, scope and validity shared by issue and badges
// - Badge sheet      A4 pages of 2 x 5 cut-out badges: name, id, QR (FreeType for the CJK name)
// - Commands         registrations
#include "commands.hpp"
#include "domain/clock.hpp"

#include "crypto/crypto.hpp"
#include "i18n/i18n.hpp"
#include "protocol/credential.hpp"
#include "scan/image.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace jf::hub {
namespace {

// -----------------------------------------------------------------------------
// Key files
// -----------------------------------------------------------------------------

bool write_new_file(const std::string& path, const std::string& text, mode_t mode,
                    std::string* error) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        *error = errno == EEXIST ? path + " already exists (a key is never overwritten)"
                                 : "cannot create " + path;
        return false;
    }
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
              ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok) *error = "cannot write " + path;
    return ok;
}

std::optional<SigningKey> read_issuer_key(const std::string& path, std::string* error) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line)) {
        *error = "cannot read issuer key " + path;
        return std::nullopt;
    }
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.pop_back();
    auto secret = from_hex(line);
    auto key = secret ? SigningKey::from_secret(*secret) : std::nullopt;
    if (!key)
        *error =
            path + " is not an issuer private key (64 bytes as hex, from `jobfair-hub keygen`)";
    return key;
}

int cmd_keygen(const Args& args) {
    std::string out = option(args, "--out", "issuer.key");
    if (!crypto_init()) return 1;
    SigningKey k = SigningKey::generate();
    std::string error;
    if (!write_new_file(out, hex(k.secret_key) + "\n", 0600, &error) ||
        !write_new_file(out + ".pub", hex(k.public_key) + "\n", 0644, &error)) {
        std::fprintf(stderr, "keygen: %s\n", error.c_str());
        return 1;
    }
    std::printf("key id %s\nprivate key %s (mode 0600: keep it on the hub only)\npublic key %s.pub "
                "(give it to every terminal)\n",
                k.key_id().c_str(), out.c_str(), out.c_str());
    return 0;
}

// -----------------------------------------------------------------------------
// Options
// -----------------------------------------------------------------------------

Date today_cst() {
    return cst_date(now_ms());
}

// Kind, scope and validity from the command line; `holder_id` is filled by the caller.
std::optional<Credential> credential_options(const Args& args, const char* cmd) {
    Credential c;
    auto kind = parse_credential_kind(option(args, "--kind", "attendee"));
    if (!kind) {
        std::fprintf(stderr, "%s: --kind is attendee, employer or staff\n", cmd);
        return std::nullopt;
    }
    c.kind = *kind;
    std::string fair = option(args, "--fair"), campaign = option(args, "--campaign");
    if (fair.empty() == campaign.empty()) {
        std::fprintf(stderr, "%s: give exactly one of --fair ID or --campaign ID\n", cmd);
        return std::nullopt;
    }
    c.scope = fair.empty() ? CredentialScope::Campaign : CredentialScope::Fair;
    c.scope_id = fair.empty() ? campaign : fair;
    std::string from = option(args, "--from"), until = option(args, "--until");
    auto f = from.empty() ? std::optional<Date>(today_cst()) : Date::parse(from);
    if (!f) {
        std::fprintf(stderr, "%s: --from must be a date (YYYYMMDD)\n", cmd);
        return std::nullopt;
    }
    auto u = until.empty() ? std::optional<Date>(Date::from_days(f->days_since_epoch() + 365))
                           : Date::parse(until);
    if (!u || *u < *f) {
        std::fprintf(stderr, "%s: --until must be a date (YYYYMMDD) not before --from\n", cmd);
        return std::nullopt;
    }
    c.valid_from = *f;
    c.valid_until = *u;
    return c;
}

int cmd_issue(const Args& args) {
    if (!crypto_init()) return 1;
    std::string error;
    auto key = read_issuer_key(option(args, "--key", "issuer.key"), &error);
    if (!key) {
        std::fprintf(stderr, "issue: %s\n", error.c_str());
        return 1;
    }
    auto c = credential_options(args, "issue");
    if (!c) return 2;
    c->holder_id = option(args, "--id");
    auto sc = issue(*c, *key);
    if (!sc) {
        std::fprintf(
            stderr,
            "issue: --id and the scope id must be 1 to %zu bytes, dates between 1970 and 2149\n",
            kMaxCredentialIdBytes);
        return 2;
    }
    std::string text = encode(*sc);
    std::string png = option(args, "--png");
    auto module_px = number_option(args, "--module-px", 8, 1, 64, &error);
    if (!module_px) {
        std::fprintf(stderr, "issue: %s\n", error.c_str());
        return 2;
    }
    if (!png.empty() &&
        !scan::write_png(png, scan::render_qr(text, static_cast<int>(*module_px)), &error)) {
        std::fprintf(stderr, "issue: %s\n", error.c_str());
        return 1;
    }
    std::printf("%s\n", text.c_str());
    std::fprintf(stderr, "credential id %s, %s %s, %s %s, valid %s..%s, key %s%s%s\n",
                 sc->credential_id().c_str(), code(c->kind), c->holder_id.c_str(),
                 c->scope == CredentialScope::Fair ? "fair" : "campaign", c->scope_id.c_str(),
                 c->valid_from.to_string().c_str(), c->valid_until.to_string().c_str(),
                 key->key_id().c_str(), png.empty() ? "" : ", QR ", png.c_str());
    return 0;
}

// -----------------------------------------------------------------------------
// Badge sheet
// -----------------------------------------------------------------------------

// Renders UTF-8 text with a CJK-capable font; without a font the badge still carries its QR code.
class TextPainter {
  public:
    TextPainter() {
        if (FT_Init_FreeType(&lib_)) return;
        std::vector<std::string> fonts{assets_dir() + "/fonts/NotoSansCJK-Regular.ttc",
                                       "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                                       "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
                                       "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"};
        for (auto& path : fonts) {
            if (!std::filesystem::exists(path)) continue;
            // A collection holds JP, KR, SC, TC faces: pick Simplified Chinese glyph shapes.
            for (FT_Long i = 0; i < 10; ++i) {
                FT_Face f = nullptr;
                if (FT_New_Face(lib_, path.c_str(), i, &f)) break;
                std::string family = f->family_name ? f->family_name : "";
                if (!face_ || family.find(" SC") != std::string::npos) {
                    if (face_) FT_Done_Face(face_);
                    face_ = f;
                    if (family.find(" SC") != std::string::npos) return;
                } else {
                    FT_Done_Face(f);
                }
            }
            if (face_) return;
        }
    }
    ~TextPainter() {
        if (face_) FT_Done_Face(face_);
        if (lib_) FT_Done_FreeType(lib_);
    }
    bool ok() const { return face_ != nullptr; }

    // Width in pixels of `text` at `px` pixels high.
    int measure(const std::string& text, int px) { return draw(nullptr, text, 0, 0, px); }
    // Draws with the baseline at y; returns the advance width.
    int draw(scan::GrayImage* img, const std::string& text, int x, int y, int px) {
        if (!face_) return 0;
        FT_Set_Pixel_Sizes(face_, 0, static_cast<FT_UInt>(px));
        int pen = x;
        for (char32_t cp : utf8_codepoints(text)) {
            if (FT_Load_Char(face_, cp, FT_LOAD_RENDER)) continue;
            FT_GlyphSlot g = face_->glyph;
            if (img) {
                for (unsigned r = 0; r < g->bitmap.rows; ++r)
                    for (unsigned c = 0; c < g->bitmap.width; ++c) {
                        int tx = pen + g->bitmap_left + static_cast<int>(c),
                            ty = y - g->bitmap_top + static_cast<int>(r);
                        if (tx < 0 || ty < 0 || tx >= img->width || ty >= img->height) continue;
                        uint8_t cover =
                            g->bitmap.buffer[r * static_cast<unsigned>(g->bitmap.pitch) + c];
                        uint8_t& p = img->at(tx, ty);
                        p = static_cast<uint8_t>(p * (255 - cover) / 255);
                    }
            }
            pen += static_cast<int>(g->advance.x >> 6);
        }
        return pen - x;
    }

  private:
    static std::u32string utf8_codepoints(const std::string& s) {
        std::u32string out;
        for (size_t i = 0; i < s.size();) {
            unsigned char c = static_cast<unsigned char>(s[i]);
            int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
            if (n == 0 || i + static_cast<size_t>(n) > s.size()) {
                ++i;
                continue;
            }
            char32_t cp = n == 1 ? c : c & (0x7f >> n);
            for (int k = 1; k < n; ++k)
                cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3f);
            out.push_back(cp);
            i += static_cast<size_t>(n);
        }
        return out;
    }
    FT_Library lib_ = nullptr;
    FT_Face face_ = nullptr;
};

// One CSV record (RFC 4180 quoting); false at end of input.
bool read_csv_row(std::istream& in, std::vector<std::string>& row) {
    row.clear();
    std::string field, line;
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

struct BadgeRow {
    std::string id, name, text;
};

int cmd_badges(const Args& args) {
    if (!crypto_init()) return 1;
    std::string error;
    auto key = read_issuer_key(option(args, "--key", "issuer.key"), &error);
    if (!key) {
        std::fprintf(stderr, "badges: %s\n", error.c_str());
        return 1;
    }
    auto base = credential_options(args, "badges");
    if (!base) return 2;
    std::string csv = option(args, "--csv"), out = option(args, "--out", "badges.png");
    std::ifstream in(csv, std::ios::binary);
    if (csv.empty() || !in) {
        std::fprintf(stderr, "badges: cannot read --csv %s\n", csv.c_str());
        return 1;
    }
    std::vector<std::string> header, row;
    if (!read_csv_row(in, header)) {
        std::fprintf(stderr, "badges: %s is empty\n", csv.c_str());
        return 1;
    }
    if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0)
        header[0].erase(0, 3); // Excel's BOM
    int id_col = -1, name_col = -1;
    for (size_t i = 0; i < header.size(); ++i) {
        std::string h = trim(header[i]);
        if (h == "id" || h == "attendee_id" || h == "编号") id_col = static_cast<int>(i);
        if (h == "name" || h == "姓名") name_col = static_cast<int>(i);
    }
    if (id_col < 0) {
        std::fprintf(stderr, "badges: the first row of %s needs an 'id' column (and 'name')\n",
                     csv.c_str());
        return 2;
    }
    std::vector<BadgeRow> badges;
    int line = 1, bad = 0;
    while (read_csv_row(in, row)) {
        ++line;
        if (row.size() == 1 && trim(row[0]).empty()) continue;
        BadgeRow b;
        b.id = id_col < static_cast<int>(row.size()) ? trim(row[size_t(id_col)]) : "";
        b.name = name_col >= 0 && name_col < static_cast<int>(row.size())
                     ? trim(row[size_t(name_col)])
                     : "";
        Credential c = *base;
        c.holder_id = b.id;
        auto sc = b.id.empty() ? std::nullopt : issue(c, *key);
        if (!sc) {
            std::fprintf(stderr, "badges: row %d: id is empty or longer than %zu bytes; skipped\n",
                         line, kMaxCredentialIdBytes);
            ++bad;
            continue;
        }
        b.text = encode(*sc);
        badges.push_back(std::move(b));
    }
    if (badges.empty()) {
        std::fprintf(stderr, "badges: no attendee rows in %s\n", csv.c_str());
        return 1;
    }

    // A4 at 300 dpi, 2 x 5 badges of 99 x 57 mm with cut lines.
    constexpr int kPageW = 2480, kPageH = 3508, kCols = 2, kRows = 5, kMargin = 70;
    const int cell_w = (kPageW - 2 * kMargin) / kCols, cell_h = (kPageH - 2 * kMargin) / kRows;
    TextPainter text;
    if (!text.ok())
        std::fprintf(stderr,
                     "badges: no CJK font found (fonts-noto-cjk); badges carry the QR code only\n");
    std::string stem = out, ext = ".png";
    if (stem.size() > 4 && stem.compare(stem.size() - 4, 4, ".png") == 0)
        stem.resize(stem.size() - 4);
    std::string validity = base->valid_from.to_iso() + " ~ " + base->valid_until.to_iso();
    int pages = 0;
    for (size_t first = 0; first < badges.size(); first += kCols * kRows) {
        scan::GrayImage page(kPageW, kPageH, 255);
        for (size_t i = first; i < badges.size() && i < first + kCols * kRows; ++i) {
            int slot = static_cast<int>(i - first);
            int x0 = kMargin + (slot % kCols) * cell_w, y0 = kMargin + (slot / kCols) * cell_h;
            for (int x = x0; x <= x0 + cell_w && x < kPageW; x += 2) {
                page.at(x, y0) = 170;
                if (y0 + cell_h < kPageH) page.at(x, y0 + cell_h) = 170;
            }
            for (int y = y0; y <= y0 + cell_h && y < kPageH; y += 2) {
                page.at(x0, y) = 170;
                if (x0 + cell_w < kPageW) page.at(x0 + cell_w, y) = 170;
            }
            // The QR fills the badge's height; the largest whole module size that fits.
            const BadgeRow& b = badges[i];
            scan::GrayImage qr = scan::render_qr(b.text, 1, 4);
            int module = std::max(1, (cell_h - 60) / std::max(1, qr.width));
            qr = scan::render_qr(b.text, module, 4);
            scan::blit(page, qr, x0 + 30, y0 + (cell_h - qr.height) / 2);
            int tx = x0 + 30 + qr.width + 20, avail = x0 + cell_w - 30 - tx;
            int name_px = 130;
            while (name_px > 40 && text.measure(b.name, name_px) > avail)
                name_px -= 10;
            text.draw(&page, b.name, tx, y0 + 60 + name_px, name_px);
            text.draw(&page, b.id, tx, y0 + cell_h / 2 + 70, 48);
            text.draw(&page, base->scope_id, tx, y0 + cell_h - 110, 36);
            text.draw(&page, validity, tx, y0 + cell_h - 60, 36);
        }
        std::string path = stem + "-" + std::to_string(++pages) + ext;
        if (!scan::write_png(path, page, &error)) {
            std::fprintf(stderr, "badges: %s\n", error.c_str());
            return 1;
        }
        std::printf("%s\n", path.c_str());
    }
    std::fprintf(stderr, "badges: %zu badges on %d page(s), %d row(s) skipped\n", badges.size(),
                 pages, bad);
    return bad ? 1 : 0;
}

// -----------------------------------------------------------------------------
// Commands
// -----------------------------------------------------------------------------

const char* kScopeUsage =
    "  --kind attendee|employer|staff   (default attendee)\n"
    "  --fair ID | --campaign ID        where the credential is good (exactly one)\n"
    "  --from YYYYMMDD                  first valid day (default today, CST)\n"
    "  --until YYYYMMDD                 last valid day (default one year after --from)\n";

RegisterCommand
    keygen_cmd({"keygen", "make an issuer key pair for signing QR credentials",
                "usage: jobfair-hub keygen [--out issuer.key]\n\n"
                "Writes the private key to FILE (mode 0600, never overwritten) and the public\n"
                "key to FILE.pub; prints the key id terminals use to find it.",
                cmd_keygen});
RegisterCommand issue_cmd(
    {"issue", "issue one signed QR credential (prints its text, writes a PNG)",
     std::string("usage: jobfair-hub issue --key issuer.key --id ID (--fair ID | --campaign ID)\n"
                 "                         [options] [--png FILE] [--module-px 8]\n\n") +
         kScopeUsage +
         "  --png FILE                       also write the QR code as a PNG image\n"
         "Prints the credential text on stdout; its credential id (for revocation) on stderr.",
     cmd_issue});
RegisterCommand badges_cmd(
    {"badges", "print a sheet of attendee badges (A4 PNG pages) from a CSV",
     std::string(
         "usage: jobfair-hub badges --key issuer.key --csv attendees.csv\n"
         "                          (--fair ID | --campaign ID) [options] [--out badges.png]\n\n") +
         kScopeUsage +
         "  --csv FILE                       UTF-8 CSV with a header row: id (or 编号), name (or "
         "姓名)\n"
         "  --out FILE.png                   pages are written as FILE-1.png, FILE-2.png, ...\n"
         "Each page holds 10 badges (name, id, QR code) to print at 300 dpi and cut out.\n"
         "Rows without an id are reported and skipped (exit status 1).",
     cmd_badges});

} // namespace
} // namespace jf::hub
