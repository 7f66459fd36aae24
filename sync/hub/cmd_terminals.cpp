// Staff commands for terminals and their data: enroll, revoke-terminal, terminals, quarantine,
// add-fair (import-listings lives in cmd_forms.cpp).
#include "sync/hub/commands.hpp"
#include "sync/hub/hub_cli.hpp"
#include "sync/hub/hub_service.hpp"
#include "sync/hub/hub_tls.hpp"
#include "platform/log/log.hpp"
#include "platform/scan/image.hpp"

#include "kiosk/domain/validate.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace jf::hub {
namespace {

int run_enroll(const Args& args) {
    crypto_init();
    auto fair = option(args, "--fair"), mode = option(args, "--mode");
    if (fair.empty() || (mode != "entrance" && mode != "employer" && mode != "station")) {
        std::fprintf(stderr,
                     "jobfair-hub enroll: needs --fair ID and --mode entrance|employer|station\n");
        return 2;
    }
    std::string why;
    // A code is for setting up terminals before a fair: at most 30 days, never already expired.
    auto hours = number_option(args, "--valid-hours", 24, 1, 720, &why);
    if (!hours) {
        std::fprintf(stderr, "jobfair-hub enroll: %s\n", why.c_str());
        return 2;
    }
    auto store = open_store_from_args(args);
    if (!store) return 1;
    if (!store->fair(fair))
        std::fprintf(stderr,
                     "jobfair-hub enroll: note: fair '%s' is not on the hub yet (add-fair)\n",
                     fair.c_str());
    auto code = new_enrol_code();
    TimeMs expires = now_ms() + *hours * 3600LL * 1000;
    if (!store->add_enrol_code(code_hash(code), fair, mode, expires)) {
        std::fprintf(stderr, "jobfair-hub enroll: %s\n", store->last_error().c_str());
        return 1;
    }
    std::printf("enrolment code %s\nfair %s, mode %s, works once, expires %s (CST)\n", code.c_str(),
                fair.c_str(), mode.c_str(), format_time(expires).c_str());
    ServeConfig cfg;
    std::string err;
    config_from_args(args, cfg, &err);
    if (!cfg.cert.empty())
        std::printf("hub certificate pin %s\n", public_key_pin(cfg.cert).c_str());
    auto url = option(args, "--hub-url");
    // The QR carries what the terminal needs in one scan: code, hub address and certificate pin.
    auto qr_path = option(args, "--qr", "enrol-code.png");
    std::string pin = cfg.cert.empty() ? std::string() : public_key_pin(cfg.cert);
    auto qr = scan::render_qr(enrol_qr_text(code, url, pin), 8);
    if (!qr.empty() && scan::write_png(qr_path, qr, &err))
        std::printf("QR code for the terminal's camera: %s\n", qr_path.c_str());
    else
        std::fprintf(stderr, "jobfair-hub enroll: could not write the QR code %s: %s\n",
                     qr_path.c_str(), err.c_str());
    if (!url.empty())
        std::printf("on the terminal: jobfair-kiosk enroll --hub %s --code %s%s\n", url.c_str(),
                    code.c_str(), cfg.cert.empty() ? "" : (" --ca " + cfg.cert).c_str());
    return 0;
}

int run_revoke(const Args& args) {
    auto id = option(args, "--terminal");
    if (id.empty()) {
        std::fprintf(stderr, "jobfair-hub revoke-terminal: needs --terminal ID\n");
        return 2;
    }
    auto store = open_store_from_args(args);
    if (!store) return 1;
    bool logged = open_staff_log(args);
    if (!store->revoke_terminal(id, now_ms())) {
        auto t = store->terminal(id);
        std::fprintf(stderr, "jobfair-hub revoke-terminal: %s\n",
                     t ? "already revoked" : "no such terminal");
        return 1;
    }
    if (logged) log::info("hub", "terminal_revoked", {{"terminal", id}});
    std::printf("terminal %s revoked: it is refused from its next contact on, and the codes it\n"
                "issued at walk-up registration stop verifying at other terminals after their\n"
                "next sync (the people stay registered: find them by phone, or issue a new code\n"
                "with jobfair-hub issue)\n",
                id.c_str());
    return 0;
}

// A terminal whose quarantine reached the quota: the hub refuses its batches until released.
bool quarantine_full(const TerminalRow& t, const QuarantineQuota& q) {
    return t.quota_hit_at != 0 || t.quota_events >= q.max_events || t.quota_bytes >= q.max_bytes;
}

int run_terminals(const Args& args) {
    auto store = open_store_from_args(args);
    if (!store) return 1;
    auto all = store->terminals();
    auto quota = store->quarantine_quota();
    std::printf("%-12s %-14s %-9s %-19s %8s %7s %6s %10s  %s\n", "terminal", "fair", "mode",
                "last contact (CST)", "events", "quar.", "acked", "clock", "state");
    std::vector<std::string> advice;
    for (auto& t : all) {
        std::string clock = std::to_string(t.clock_offset_ms / 1000) + "s";
        bool full = !t.revoked() && quarantine_full(t, quota);
        bool copy = !t.revoked() && t.seq_reused > 0;
        std::printf("%-12s %-14s %-9s %-19s %8lld %7lld %6lld %10s  %s%s%s%s\n", t.id.c_str(),
                    t.fair_id.c_str(), t.mode.c_str(), format_time(t.last_contact).c_str(),
                    static_cast<long long>(t.events), static_cast<long long>(t.quarantined),
                    static_cast<long long>(t.acked_seq), clock.c_str(),
                    t.revoked() ? "revoked" : "active", t.clock_off() ? ", CLOCK OFF" : "",
                    full ? ", QUARANTINE FULL" : "", copy ? ", RESTORED FROM A COPY" : "");
        if (full)
            advice.push_back(
                t.id + ": QUARANTINE FULL: " + std::to_string(t.quota_events) +
                " refused events, " + std::to_string(t.quota_bytes) + " bytes (quota " +
                std::to_string(quota.max_events) + " events, " + std::to_string(quota.max_bytes) +
                " bytes)" +
                (t.quota_hit_at ? ", uploads refused since " + format_time(t.quota_hit_at) : "") +
                ".\n    Look at them: jobfair-hub quarantine --terminal " + t.id +
                ". Junk or a stolen token: jobfair-hub revoke-terminal --terminal " + t.id +
                ".\n    Understood and fixed: jobfair-hub quarantine --release " + t.id +
                " (the terminal sends again at its next sync).");
        if (copy)
            advice.push_back(
                t.id + ": RESTORED FROM A COPY: " + std::to_string(t.seq_reused) +
                " new events reused sequence numbers the hub already holds, so this terminal runs "
                "from a copy of an earlier disk (restored from a backup, or cloned).\n    Stop "
                "using it, revoke it (jobfair-hub revoke-terminal --terminal " +
                t.id +
                ") and enrol it again (jobfair-kiosk enroll --replace). Its refused records stay "
                "in the quarantine (jobfair-hub quarantine --terminal " +
                t.id + ").");
        if (!t.revoked() && t.clock_off())
            advice.push_back(t.id + ": CLOCK OFF: its clock is " +
                             std::to_string(t.clock_offset_ms / 1000) +
                             " s off the hub's; set the terminal's time (reports use the hub's "
                             "receive time for its events meanwhile).");
    }
    if (all.empty()) std::printf("(no terminals enrolled yet: jobfair-hub enroll)\n");
    if (!advice.empty()) std::printf("\nWarnings:\n");
    for (auto& a : advice)
        std::printf("  %s\n", a.c_str());
    return 0;
}

int run_quarantine(const Args& args) {
    std::string why;
    QuarantineQuota defaults;
    auto max_events = number_option(args, "--max-events", -1, 1, 10'000'000, &why);
    auto max_bytes =
        max_events ? number_option(args, "--max-bytes", -1, 1 << 20, 64LL << 30, &why) : max_events;
    if (!max_events || !max_bytes) {
        std::fprintf(stderr, "jobfair-hub quarantine: %s\n", why.c_str());
        return 2;
    }
    bool set_quota = *max_events > 0 || *max_bytes > 0; // -1: not given
    auto store = open_store_from_args(args);
    if (!store) return 1;
    bool logged = open_staff_log(args);
    if (set_quota) {
        auto q = store->quarantine_quota();
        if (*max_events > 0) q.max_events = *max_events;
        if (*max_bytes > 0) q.max_bytes = *max_bytes;
        if (!store->set_quarantine_quota(q)) {
            std::fprintf(stderr, "jobfair-hub quarantine: %s\n", store->last_error().c_str());
            return 1;
        }
        if (logged)
            log::info("hub", "quarantine_quota",
                      {{"max_events", std::to_string(q.max_events)},
                       {"max_bytes", std::to_string(q.max_bytes)}});
        std::printf("quarantine quota per terminal: %lld events, %lld bytes (default %lld, %lld)\n",
                    static_cast<long long>(q.max_events), static_cast<long long>(q.max_bytes),
                    static_cast<long long>(defaults.max_events),
                    static_cast<long long>(defaults.max_bytes));
        return 0;
    }
    if (auto id = option(args, "--release"); !id.empty()) {
        if (!store->release_quarantine_quota(id)) {
            std::fprintf(stderr, "jobfair-hub quarantine: no such terminal %s\n", id.c_str());
            return 1;
        }
        if (logged) log::info("hub", "quarantine_released", {{"terminal", id}});
        std::printf("terminal %s: its quota counts from now on (the quarantined events stay); the "
                    "hub takes its uploads again\n",
                    id.c_str());
        return 0;
    }
    auto only = option(args, "--terminal");
    auto rows = store->quarantine();
    if (!only.empty())
        rows.erase(std::remove_if(rows.begin(), rows.end(),
                                  [&](const QuarantineRow& q) { return q.terminal_id != only; }),
                   rows.end());
    for (auto& q : rows) {
        std::printf("#%lld %s seq %lld %s %s received %s: %s\n", static_cast<long long>(q.id),
                    q.terminal_id.c_str(), static_cast<long long>(q.seq), q.kind.c_str(),
                    q.uuid.c_str(), format_time(q.received_at).c_str(), q.reason.c_str());
        if (has_flag(args, "--bytes"))
            std::printf("    body %s\n    signature %s\n", base64(q.body).c_str(),
                        base64(q.signature).c_str());
    }
    std::printf("%zu event(s) in quarantine\n", rows.size());
    return 0;
}

int run_add_fair(const Args& args) {
    Fair f;
    f.id = option(args, "--id");
    f.name = option(args, "--name");
    f.union_unit = option(args, "--unit");
    f.venue = option(args, "--venue");
    f.campaign_id = option(args, "--campaign");
    f.online = has_flag(args, "--online");
    f.special = has_flag(args, "--special");
    auto date = Date::parse(option(args, "--date"));
    if (f.id.empty() || f.name.empty() || !date) {
        std::fprintf(stderr, "jobfair-hub add-fair: needs --id, --name and --date YYYYMMDD\n");
        return 2;
    }
    f.date = *date;
    auto store = open_store_from_args(args);
    if (!store) return 1;
    if (!store->upsert_fair(f)) {
        std::fprintf(stderr, "jobfair-hub add-fair: %s\n", store->last_error().c_str());
        return 1;
    }
    std::printf("fair %s saved; terminals receive it at their next sync\n", f.id.c_str());
    return 0;
}

int run_import_attendees(const Args& args) {
    crypto_init();
    if (args.empty() || args[0].rfind("--", 0) == 0) {
        std::fprintf(stderr, "jobfair-hub import-attendees: needs a CSV file\n");
        return 2;
    }
    auto store = open_store_from_args(args);
    if (!store) return 1;
    auto keys = store->keys();
    auto imp = read_attendees_csv(args[0], keys.seal.public_key);
    for (auto& p : imp.problems)
        std::printf("%s\n", p.c_str());
    for (auto& a : imp.attendees)
        if (!store->upsert_attendee(a))
            return std::fprintf(stderr, "%s\n", store->last_error().c_str()), 1;
    std::printf("imported %zu attendee(s); %zu problem(s); terminals receive them masked at their "
                "next sync\n",
                imp.attendees.size(), imp.problems.size());
    return imp.problems.empty() ? 0 : 3;
}

int run_new_epoch(const Args& args) {
    auto store = open_store_from_args(args);
    if (!store) return 1;
    if (!store->new_epoch()) {
        std::fprintf(stderr, "jobfair-hub new-epoch: %s\n", store->last_error().c_str());
        return 1;
    }
    std::printf("new dataset epoch %s: every terminal replaces its downloaded data with a fresh "
                "snapshot at its next sync\n",
                store->keys().epoch.c_str());
    return 0;
}

int run_trust_issuer(const Args& args) {
    crypto_init();
    if (args.empty() || args[0].rfind("--", 0) == 0) {
        std::fprintf(stderr,
                     "jobfair-hub trust-issuer: needs the issuer's .pub file (from keygen)\n");
        return 2;
    }
    std::ifstream in(args[0]);
    std::string line;
    std::getline(in, line);
    auto pk = from_hex(trim(line));
    if (!pk || pk->size() != kPublicKeyBytes) {
        std::fprintf(stderr,
                     "jobfair-hub trust-issuer: %s is not an issuer public key (32 bytes as hex)\n",
                     args[0].c_str());
        return 1;
    }
    auto store = open_store_from_args(args);
    if (!store) return 1;
    auto id = key_id_of(*pk);
    if (!store->upsert_issuer_key(id, *pk)) {
        std::fprintf(stderr, "jobfair-hub trust-issuer: %s\n", store->last_error().c_str());
        return 1;
    }
    std::printf("issuer key %s trusted; terminals receive it at enrolment and their next sync\n",
                id.c_str());
    return 0;
}

int run_revoke_credential(const Args& args) {
    auto id = option(args, "--id"), reason = option(args, "--reason", "revoked");
    if (id.empty()) {
        std::fprintf(
            stderr, "jobfair-hub revoke-credential: needs --id CREDENTIAL_ID (printed by issue)\n");
        return 2;
    }
    auto store = open_store_from_args(args);
    if (!store) return 1;
    if (!store->add_revocation(id, reason)) {
        std::fprintf(stderr, "jobfair-hub revoke-credential: %s\n", store->last_error().c_str());
        return 1;
    }
    std::printf("credential %s revoked; terminals refuse it after their next sync\n", id.c_str());
    return 0;
}

const char* kStoreFlags = "  [--data-dir DIR | --config FILE] [--database URL]";

RegisterCommand enroll_cmd(
    {"enroll", "make a one-time enrolment code for a new terminal",
     std::string("usage: jobfair-hub enroll --fair ID --mode entrance|employer|station\n"
                 "                         [--valid-hours 24] [--hub-url URL] [--cert FILE]\n"
                 "                         [--qr enrol-code.png]\n") +
         kStoreFlags,
     run_enroll});
RegisterCommand revoke_cmd({"revoke-terminal", "refuse a terminal from now on (lost or stolen)",
                            std::string("usage: jobfair-hub revoke-terminal --terminal ID "
                                        "[--log-dir DIR]\n") +
                                kStoreFlags,
                            run_revoke});
RegisterCommand terminals_cmd({"terminals", "list terminals: last contact, events, clock offset",
                               std::string("usage: jobfair-hub terminals\n") + kStoreFlags,
                               run_terminals});
RegisterCommand quarantine_cmd(
    {"quarantine", "show uploaded events held back, with the reason; quota and release",
     std::string(
         "usage: jobfair-hub quarantine [--terminal ID] [--bytes]\n"
         "       jobfair-hub quarantine --release ID [--log-dir DIR]\n"
         "       jobfair-hub quarantine --max-events N --max-bytes N [--log-dir DIR]\n"
         "  Each terminal may fill the quarantine up to a quota (default 1000 events, 32 MiB);\n"
         "  past it the hub refuses its uploads (quarantine_full) and `terminals` warns.\n"
         "  --release lets it upload again once staff have looked; the events stay.\n") +
         kStoreFlags,
     run_quarantine});
RegisterCommand fair_cmd(
    {"add-fair", "add or update a fair terminals can be enrolled for",
     std::string(
         "usage: jobfair-hub add-fair --id ID --name NAME --date YYYYMMDD\n"
         "          [--unit 无为市] [--venue TEXT] [--campaign ID] [--online] [--special]\n") +
         kStoreFlags,
     run_add_fair});
RegisterCommand attendees_cmd(
    {"import-attendees", "add people to the registry terminals look up (sealed and masked)",
     std::string(
         "usage: jobfair-hub import-attendees FILE.csv\n"
         "  Header row naming the columns (any order): 编号/id, 姓名/name, 手机号码/phone,\n"
         "  身份证号码/resident_id, 性别/gender, 拼音首字母/initials, 重点群体/key_groups,\n"
         "  单位/unit, 活动/campaign. Numbers are validated, sealed to the hub's key and\n"
         "  masked; bad rows are reported with their row number (exit status 3).\n") +
         kStoreFlags,
     run_import_attendees});
RegisterCommand
    epoch_cmd({"new-epoch", "make every terminal download a fresh snapshot (after a restore)",
               std::string("usage: jobfair-hub new-epoch\n"
                           "  Use after restoring the hub from a backup: terminals drop what\n"
                           "  they downloaded and take the hub's data again. Their own\n"
                           "  records (check-ins, placements) are not touched.\n") +
                   kStoreFlags,
               run_new_epoch});
RegisterCommand trust_cmd({"trust-issuer", "hand an issuer public key (keygen's .pub) to terminals",
                           std::string("usage: jobfair-hub trust-issuer issuer.key.pub\n") +
                               kStoreFlags,
                           run_trust_issuer});
RegisterCommand revoke_cred_cmd(
    {"revoke-credential", "put a QR credential on the revocation list",
     std::string("usage: jobfair-hub revoke-credential --id ID [--reason TEXT]\n") + kStoreFlags,
     run_revoke_credential});

} // namespace
} // namespace jf::hub
