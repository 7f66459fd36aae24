// Staff commands for the signed QR credentials (sync/PROTOCOL.md "Credentials"):
//   keygen  an issuer key pair (private key file readable by its owner only)
//   issue   one credential: prints its text and writes its QR code as PNG
//   badges  a printable sheet of attendee badges (an A4 PDF, hub_badges.hpp) from an attendee list
//
// Index
// - Key files        hex text, private file created 0600 and never overwritten
// - Options          kind, holder, scope and validity shared by issue and badges
// - Badge sheet      the attendee list read and laid out by hub_badges.hpp (cairo and Pango)
// - Commands         registrations
#include "sync/hub/commands.hpp"
#include "kiosk/domain/clock.hpp"

#include "kiosk/crypto/crypto.hpp"
#include "sync/hub/hub_badges.hpp"
#include "kiosk/i18n/i18n.hpp"
#include "sync/protocol/credential.hpp"
#include "platform/scan/image.hpp"

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
    std::string csv = option(args, "--csv"), out = option(args, "--out", "badges.pdf");
    std::ifstream in(csv, std::ios::binary);
    if (csv.empty() || !in) {
        std::fprintf(stderr, "badges: cannot read --csv %s\n", csv.c_str());
        return 1;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto list = read_badge_list(text);
    if (!list.header_ok) {
        std::fprintf(stderr, "badges: the first row of %s needs an 'id' (or 编号) column\n",
                     csv.c_str());
        return 2;
    }
    for (int line : list.skipped)
        std::fprintf(stderr, "badges: row %d: id is empty or longer than %zu bytes; skipped\n",
                     line, kMaxCredentialIdBytes);
    if (list.rows.empty()) {
        std::fprintf(stderr, "badges: no attendee rows in %s\n", csv.c_str());
        return 1;
    }
    int pages = 0;
    std::string pdf = badges_pdf(list.rows, *base, *key, &pages, &error);
    // Names and codes of people: the file is its owner's only.
    int fd = pdf.empty() ? -1 : ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && ::fchmod(fd, 0600) == 0 &&
              ::write(fd, pdf.data(), pdf.size()) == static_cast<ssize_t>(pdf.size());
    if (fd >= 0) ok = ::close(fd) == 0 && ok;
    if (!ok) {
        std::fprintf(stderr, "badges: %s\n",
                     pdf.empty() ? error.c_str() : ("cannot write " + out).c_str());
        return 1;
    }
    std::printf("%s\n", out.c_str());
    std::fprintf(stderr, "badges: %zu badges on %d page(s), %zu row(s) skipped\n", list.rows.size(),
                 pages, list.skipped.size());
    return list.skipped.empty() ? 0 : 1;
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
    {"badges", "print a sheet of attendee badges (an A4 PDF) from an attendee list",
     std::string(
         "usage: jobfair-hub badges --key issuer.key --csv attendees.csv\n"
         "                          (--fair ID | --campaign ID) [options] [--out badges.pdf]\n\n") +
         kScopeUsage +
         "  --csv FILE                       the attendee list (import-attendees' UTF-8 CSV): a\n"
         "                                   header row naming 编号 (or id) and 姓名 (or name)\n"
         "  --out FILE.pdf                   the sheet (mode 0600: it names people)\n"
         "Each A4 page holds 10 badges (name, id, QR code) to print and cut out.\n"
         "Rows without an id are reported and skipped (exit status 1).",
     cmd_badges});

} // namespace
} // namespace jf::hub
