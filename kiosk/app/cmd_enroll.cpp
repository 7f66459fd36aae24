// `jobfair-kiosk enroll` and `jobfair-kiosk sync`: enrol this terminal with a hub and run or
// inspect synchronisation from the command line (the admin screen offers the same).
#include "kiosk/app/commands.hpp"
#include "platform/log/private_files.hpp"

#include "sync/engine/engine.hpp"
#include "kiosk/i18n/i18n.hpp"

#include <cstdio>
#include <filesystem>

namespace jf::app {
namespace {

Translations load_tr(const Args& args) {
    Translations tr;
    tr.load(assets_dir() + "/i18n");
    tr.set_lang(option(args, "--lang", "zh") == "en" ? Lang::EnUS : Lang::ZhCN);
    return tr;
}

std::unique_ptr<Store> open_store(const Args& args, const char* cmd) {
    auto dir = option(args, "--data-dir");
    if (dir.empty()) {
        std::fprintf(stderr, "jobfair-kiosk %s: needs --data-dir DIR\n", cmd);
        return nullptr;
    }
    std::string err;
    files::private_dir(dir, &err);
    files::tighten_tree(dir);
    auto store = Store::open((std::filesystem::path(dir) / "kiosk.db").string(), &err);
    if (!store) std::fprintf(stderr, "jobfair-kiosk %s: %s\n", cmd, message_text(err).c_str());
    return store;
}

int run_enroll(const Args& args) {
    auto tr = load_tr(args);
    std::string hub = option(args, "--hub"), code = option(args, "--code");
    sync::EnrollOptions o;
    o.ca_file = option(args, "--ca");
    o.pin = option(args, "--pin");
    o.replace = has_flag(args, "--replace");
    // The enrolment QR (as a hand scanner types it) carries code, hub address and pin.
    if (auto qr = option(args, "--qr-text"); !qr.empty()) {
        auto parsed = sync::parse_enrol_qr(qr);
        if (!parsed) {
            std::fprintf(stderr, "%s\n", tr.tr("sync.err.code_unknown").c_str());
            return 2;
        }
        code = parsed->code;
        if (hub.empty()) hub = parsed->hub_url;
        if (o.pin.empty()) o.pin = parsed->pin;
    }
    if (hub.empty() || code.empty()) {
        std::fprintf(stderr,
                     "jobfair-kiosk enroll: needs --hub URL and --code CODE (or --qr-text)\n");
        return 2;
    }
    auto store = open_store(args, "enroll");
    if (!store) return 1;
    auto r = sync::enroll(*store, hub, code, o);
    if (!r.ok) {
        std::fprintf(stderr, "%s%s%s\n", tr.tr(r.error).c_str(), r.detail.empty() ? "" : " — ",
                     r.detail.c_str());
        return 1;
    }
    std::printf("%s\n", tr.format("sync.enrolled", {r.terminal_id, r.fair_id, r.mode}).c_str());
    return 0;
}

void print_status(const Translations& tr, const sync::SyncStatus& s, bool json) {
    if (json) {
        std::printf(
            "{\"enrolled\":%s,\"online\":%s,\"revoked\":%s,\"last_success\":%lld,"
            "\"events_waiting\":%lld,\"last_error\":\"%s\",\"clock_known\":%s,"
            "\"clock_offset_ms\":%lld,\"clock_off\":%s,\"uploaded\":%lld,\"downloaded\":%lld,"
            "\"refused\":%lld,\"restored_copy\":%s}\n",
            s.enrolled ? "true" : "false", s.online ? "true" : "false",
            s.revoked ? "true" : "false", static_cast<long long>(s.last_success),
            static_cast<long long>(s.events_waiting), s.last_error.c_str(),
            s.clock_known ? "true" : "false", static_cast<long long>(s.clock_offset_ms),
            s.clock_off ? "true" : "false", static_cast<long long>(s.uploaded),
            static_cast<long long>(s.downloaded), static_cast<long long>(s.refused),
            s.restored_copy ? "true" : "false");
        return;
    }
    std::printf("%s\n", tr.tr(s.online ? "sync.status.online" : "sync.status.offline").c_str());
    std::printf("%s\n",
                s.last_success
                    ? tr.format("sync.status.last_success", {cst_iso(s.last_success)}).c_str()
                    : tr.tr("sync.status.never").c_str());
    if (s.events_waiting)
        std::printf("%s\n",
                    tr.format("sync.status.waiting", {std::to_string(s.events_waiting)}).c_str());
    else if (!s.refused)
        std::printf("%s\n", tr.tr("sync.status.all_sent").c_str());
    if (s.refused)
        std::printf("%s\n", tr.format("sync.status.refused", {std::to_string(s.refused)}).c_str());
    if (s.restored_copy) std::printf("%s\n", tr.tr("sync.status.restored_copy").c_str());
    if (s.clock_off)
        std::printf(
            "%s\n",
            tr.format("sync.status.clock_off", {std::to_string(s.clock_offset_ms / 1000)}).c_str());
    if (!s.last_error.empty())
        std::printf("%s%s%s\n", tr.tr(s.last_error).c_str(),
                    s.last_error_detail.empty() ? "" : " — ", s.last_error_detail.c_str());
    if (s.uploaded || s.downloaded)
        std::printf("uploaded %lld, downloaded %lld\n", static_cast<long long>(s.uploaded),
                    static_cast<long long>(s.downloaded));
}

int run_sync(const Args& args) {
    auto tr = load_tr(args);
    auto store = open_store(args, "sync");
    if (!store) return 1;
    sync::SyncStatus s;
    bool json = has_flag(args, "--json");
    if (has_flag(args, "--status")) {
        // Local facts only, no network: what waits and when the last sync succeeded.
        print_status(tr, sync::local_status(*store), json);
        return 0;
    }
    sync::SyncOptions opt;
    bool ok = sync::sync_once(*store, opt, s);
    print_status(tr, s, json);
    return ok ? 0 : 1;
}

RegisterCommand enroll_cmd(
    {"enroll", "enrol this terminal with a hub (one-time code from `jobfair-hub enroll`)",
     "usage: jobfair-kiosk enroll --data-dir DIR --hub https://HOST:PORT --code CODE\n"
     "                            [--ca hub-cert.pem] [--pin sha256//...]\n"
     "                            [--qr-text 'JFENROL1|...'] [--replace] [--lang zh|en]\n"
     "  --ca trusts a self-signed trial certificate; the hub's key is pinned from\n"
     "  then on. The terminal's private key never leaves it.",
     run_enroll});
RegisterCommand sync_cmd(
    {"sync", "sync with the hub now, or show what waits",
     "usage: jobfair-kiosk sync --data-dir DIR [--once | --status] [--json] [--lang zh|en]\n"
     "  --once (default) uploads every waiting record, downloads every change\n"
     "  and prints the outcome; --status only reads this terminal's own state.\n"
     "  Exit status 1 when the hub could not be reached or refused.",
     run_sync});

} // namespace
} // namespace jf::app
