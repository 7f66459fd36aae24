// The hub as operators run it: a damaged database refused (at start and at the next check), the
// enrolment desk bounded against guessing, a per-terminal quarantine quota that stops a terminal
// and warns staff, a terminal running from a copy of an earlier disk named as such, online backup
// during a 10,000-event upload restored without loss or duplication, and CLI values checked.
#include <catch2/catch.hpp>

#include "sync/hub/hub_service.hpp"
#include "sync/hub/hub_store.hpp"
#include "platform/log/log.hpp"
#include "tests/sync/sync_trial.hpp"
#include "sync/wire/wire.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>

using namespace jf;
using namespace jf::hub;
using namespace jf::test;

namespace {

// Overwrites page `page` (1-based) of an SQLite file with 0xFF bytes, as a failing disk might.
void smash_page(const std::string& path, int64_t page, int page_size) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(f);
    f.seekp((page - 1) * page_size);
    std::string junk(static_cast<size_t>(page_size), '\xff');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    REQUIRE(f);
}

// Runs one query on a plain SQLite connection (a second process's view of the file).
int64_t sql_number(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

void sql_exec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
    CHECK(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
}

struct ServiceTerminal {
    TerminalIdentity id;
    std::string token;
    std::unique_ptr<Store> store;
};

ServiceTerminal enrol(HubService& svc, HubStore& hub, const TempDir& dir, const std::string& name) {
    auto code = new_enrol_code();
    REQUIRE(hub.add_enrol_code(code_hash(code), "F1", "entrance", now_ms() + 60000));
    ServiceTerminal t;
    t.id.key = SigningKey::generate();
    auto r = svc.enroll(wire::encode(wire::EnrollRequest{1, code, t.id.key.public_key, name}));
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto s = wire::decode_enroll_response(r.body);
    REQUIRE(s);
    t.token = s->access_token;
    t.id.terminal_id = s->terminal_id;
    t.id.hub_seal_public_key = s->hub_seal_public_key;
    t.id.fair_id = s->fair_id;
    t.id.mode = s->mode;
    t.id.hub_url = "https://127.0.0.1:1";
    t.store = Store::open(dir.str(name + ".db"));
    REQUIRE(t.store);
    REQUIRE(save_identity(*t.store, t.id));
    return t;
}

// `n` signed events of the terminal after `after`, each with a broken signature when `junk`
// (and a body padded to `pad` bytes, which the hub must keep as received).
wire::UploadRequest batch(const ServiceTerminal& t, int64_t after, size_t n, bool junk,
                          size_t pad = 0) {
    wire::UploadRequest q;
    q.terminal_id = t.id.terminal_id;
    q.device_now = now_ms();
    for (auto& e : t.store->events_after(after, n)) {
        wire::WireEvent w{e.seq, e.uuid, e.kind, e.body, e.signature, e.device_time};
        if (junk) {
            w.signature[0] ^= 0xff;
            w.body.resize(std::max(w.body.size(), pad), ' ');
        }
        q.events.push_back(std::move(w));
    }
    return q;
}

std::vector<std::string> log_lines(const std::string& dir) {
    std::ifstream in(dir + "/hub.log");
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

size_t count_with(const std::vector<std::string>& lines, const std::string& what) {
    size_t n = 0;
    for (auto& l : lines)
        n += l.find(what) != std::string::npos;
    return n;
}

} // namespace

TEST_CASE("a damaged hub.db page is found at start and at the next check, and refused") {
    crypto_init();
    TempDir dir;
    std::string data = dir.str("hub"), db = data + "/hub.db";
    std::string token, terminal_id;
    {
        auto hub = open_hub_store(data);
        REQUIRE(hub);
        HubService svc(*hub, "");
        auto t = enrol(svc, *hub, dir, "t1");
        REQUIRE(record_events(*t.store, t.id, 400) == 400);
        auto a = svc.upload(t.token, wire::encode(batch(t, 0, 400, false)));
        REQUIRE(a.status == 200);
        token = t.token;
        terminal_id = t.id.terminal_id;
    } // closed: the WAL is checkpointed into hub.db
    REQUIRE(run_hub({"terminals", "--data-dir", data}) == 0);
    int64_t root = sql_number(db, "SELECT rootpage FROM sqlite_master WHERE name='events'");
    int page_size = static_cast<int>(sql_number(db, "PRAGMA page_size"));
    REQUIRE(root > 1);

    SECTION("at the next periodic check, while the hub runs") {
        auto hub = open_hub_store(data);
        REQUIRE(hub);
        HubLimits limits;
        limits.storage_check_interval_ms = 1; // every request checks
        HubService svc(*hub, "", limits);
        REQUIRE(svc.status(token, "").status == 200);
        smash_page(db, root, page_size);
        // Another connection writes, so the hub's connection reads pages from disk again.
        sql_exec(db, "INSERT OR REPLACE INTO meta(key, value) VALUES('touched', x'01')");
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        auto r = svc.status(token, "");
        CHECK(r.status == 503);
        CHECK(wire::decode_error(r.body)->error == "hub_storage");
        CHECK(r.body.find("damaged") != std::string::npos);
        // From then on it takes nothing: an upload is refused, the terminal keeps its events.
        CHECK(svc.upload(token, "{}").status == 503);
        CHECK_FALSE(svc.check_storage());
    }
    SECTION("at start: the store, serve and staff commands refuse it with a clear message") {
        smash_page(db, root, page_size);
        std::string err;
        CHECK_FALSE(open_hub_store(data, &err));
        CHECK(err.find("is damaged") != std::string::npos);
        CHECK(err.find("jobfair-hub restore") != std::string::npos);
        std::string out;
        CHECK(run_hub({"terminals", "--data-dir", data}, &out) == 1);
        CHECK(out.find("is damaged") != std::string::npos);
        TempDir certs;
        REQUIRE(run_hub({"dev-cert", "--cert", certs.str("c.pem"), "--key", certs.str("k.pem")}) ==
                0);
        CHECK(run_hub({"serve", "--data-dir", data, "--cert", certs.str("c.pem"), "--key",
                       certs.str("k.pem"), "--port", "0"},
                      &out) != 0);
        CHECK(out.find("is damaged") != std::string::npos);
        // A backup of a damaged database is refused too: it would only copy the damage.
        CHECK(run_hub({"backup", "--data-dir", data, "--out", dir.str("b.db")}, &out) != 0);
        CHECK_FALSE(std::filesystem::exists(dir.str("b.db")));
    }
}

TEST_CASE("enrolment guesses are bounded per code and hub-wide, and logged without the code") {
    crypto_init();
    TempDir dir;
    auto hub = open_hub_store(dir.str("hub"));
    REQUIRE(hub);
    REQUIRE(log::open(dir.str("log"), "hub"));
    auto key = SigningKey::generate();
    auto attempt = [&](HubService& svc, const std::string& code) {
        return svc.enroll(wire::encode(wire::EnrollRequest{1, code, key.public_key, "t"}),
                          "10.9.8.7");
    };
    auto error_of = [](const Reply& r) {
        auto e = wire::decode_error(r.body);
        return e ? e->error : std::string();
    };

    SECTION("hub-wide: after 30 failures even a good code waits for the window") {
        HubService svc(*hub, "");
        std::vector<std::string> guesses;
        for (int i = 0; i < 30; ++i) {
            guesses.push_back(new_enrol_code());
            CHECK(error_of(attempt(svc, guesses.back())) == "code_unknown");
        }
        auto good = new_enrol_code();
        REQUIRE(hub->add_enrol_code(code_hash(good), "F1", "entrance", now_ms() + 60000));
        auto r = attempt(svc, good);
        CHECK(r.status == 429);
        CHECK(error_of(r) == "enrol_limited");
        CHECK(hub->terminals().empty());
        // A new window (here: a hub restarted with a fresh count) takes the good code.
        HubService later(*hub, "");
        CHECK(attempt(later, good).status == 200);
        log::flush();
        auto lines = log_lines(dir.str("log"));
        CHECK(count_with(lines, "\"enrol_refused\"") == 30);
        CHECK(count_with(lines, "\"enrol_limited\"") >= 1);
        CHECK(count_with(lines, "\"enrolled\"") == 1);
        for (auto& g : guesses) { // the codes themselves never reach the log
            CHECK(count_with(lines, g) == 0);
            CHECK(count_with(lines, normalise_code(g)) == 0);
        }
    }
    SECTION("one code: a used code tried again and again is refused, other codes still work") {
        HubService svc(*hub, "");
        auto code = new_enrol_code();
        REQUIRE(hub->add_enrol_code(code_hash(code), "F1", "entrance", now_ms() + 60000));
        REQUIRE(attempt(svc, code).status == 200);
        for (int i = 0; i < 5; ++i)
            CHECK(error_of(attempt(svc, code)) == "code_used");
        CHECK(error_of(attempt(svc, code)) == "enrol_limited");
        auto other = new_enrol_code();
        REQUIRE(hub->add_enrol_code(code_hash(other), "F1", "entrance", now_ms() + 60000));
        auto k2 = SigningKey::generate();
        CHECK(svc.enroll(wire::encode(wire::EnrollRequest{1, other, k2.public_key, "t2"})).status ==
              200);
    }
}

TEST_CASE("a terminal filling the quarantine is told to stop, staff are warned and release it") {
    crypto_init();
    TempDir dir;
    std::string data = dir.str("hub");
    auto hub = open_hub_store(data);
    REQUIRE(hub);
    HubService svc(*hub, "");
    auto t = enrol(svc, *hub, dir, "t1");
    REQUIRE(record_events(*t.store, t.id, 300) == 300);
    std::string out;
    REQUIRE(
        run_hub({"quarantine", "--data-dir", data, "--max-events", "50", "--max-bytes", "1048576"},
                &out) == 0);
    CHECK(hub->quarantine_quota().max_events == 50);

    // 40 forged events: quarantined and named one by one in the answer.
    auto r = svc.upload(t.token, wire::encode(batch(t, 0, 40, true)));
    REQUIRE(r.status == 200);
    auto a = wire::decode_upload_response(r.body);
    REQUIRE(a);
    CHECK(a->quarantined == 40);
    REQUIRE(a->refused.size() == 40);
    CHECK(a->refused[0].seq == 1);
    CHECK(a->refused[0].reason == "signature_invalid");
    // 20 more would pass the quota: the batch is refused whole, nothing written.
    r = svc.upload(t.token, wire::encode(batch(t, 40, 20, true)));
    CHECK(r.status == 403);
    CHECK(wire::decode_error(r.body)->error == "quarantine_full");
    CHECK(hub->quarantine().size() == 40);
    CHECK(hub->event_count() == 0);
    // Staff see it, with what to do.
    REQUIRE(run_hub({"terminals", "--data-dir", data}, &out) == 0);
    INFO(out);
    CHECK(out.find("QUARANTINE FULL") != std::string::npos);
    CHECK(out.find("quarantine --release " + t.id.terminal_id) != std::string::npos);
    // Good events are refused too until then: the terminal stops, keeping them.
    r = svc.upload(t.token, wire::encode(batch(t, 40, 20, false)));
    CHECK(r.status == 403);
    REQUIRE(run_hub({"quarantine", "--data-dir", data, "--release", t.id.terminal_id}, &out) == 0);
    r = svc.upload(t.token, wire::encode(batch(t, 40, 20, false)));
    CHECK(r.status == 200);
    CHECK(hub->event_count() == 20);
    REQUIRE(run_hub({"terminals", "--data-dir", data}, &out) == 0);
    CHECK(out.find("QUARANTINE FULL") == std::string::npos);

    // Bytes count as well: five forged events of 300 KB would pass 1 MiB.
    r = svc.upload(t.token, wire::encode(batch(t, 60, 5, true, 250 << 10)));
    CHECK(r.status == 403);
    CHECK(hub->quarantine().size() == 40);
    CHECK(svc.upload(t.token, wire::encode(batch(t, 60, 3, true, 250 << 10))).status == 403);
    REQUIRE(run_hub({"quarantine", "--data-dir", data, "--release", t.id.terminal_id}, &out) == 0);
    r = svc.upload(t.token, wire::encode(batch(t, 60, 3, true, 250 << 10)));
    CHECK(r.status == 200);
    CHECK(hub->quarantine().size() == 43);
}

TEST_CASE("a terminal restored from a copy of its disk is named as such, on the hub and on it") {
    Trial t;
    auto a = t.terminal("a");
    auto id = identity_of(*a);
    REQUIRE(record_events(*a, id, 10) == 10);
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    CHECK(st.refused == 0);
    // The disk is copied (a backup image); the original goes on and uploads 5 more.
    REQUIRE(sqlite3_exec(a->handle(), ("VACUUM INTO '" + t.dir.str("copy.db") + "'").c_str(),
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(record_events(*a, id, 5, 100) == 5);
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    // Later the copy is put back into service and records 5 of its own: same numbers, new events.
    auto copy = Store::open(t.dir.str("copy.db"));
    REQUIRE(copy);
    REQUIRE(record_events(*copy, id, 5, 200) == 5);
    sync::SyncStatus cs;
    REQUIRE(sync::sync_once(*copy, fast_options(), cs));
    CHECK(cs.events_waiting == 0);
    CHECK(cs.refused == 5);
    CHECK(cs.restored_copy);
    // What the screen and `sync --status` read after a restart: kept in the store.
    auto local = sync::local_status(*copy);
    CHECK(local.refused == 5);
    CHECK(local.restored_copy);
    std::string out;
    REQUIRE(run_hub({"terminals", "--data-dir", t.data}, &out) == 0);
    INFO(out);
    CHECK(out.find("RESTORED FROM A COPY") != std::string::npos);
    CHECK(out.find("revoke-terminal --terminal " + id.terminal_id) != std::string::npos);
    auto view = t.hub_view();
    size_t reused = 0;
    for (auto& q : view->quarantine())
        reused += q.reason == "seq_reused";
    CHECK(reused == 5);
    // The original is unaffected.
    CHECK(st.refused == 0);
    CHECK_FALSE(st.restored_copy);

    // With a small quota the copy is then told to stop: it keeps its record and says why.
    REQUIRE(run_hub({"quarantine", "--data-dir", t.data, "--max-events", "3"}, &out) == 0);
    REQUIRE(record_events(*copy, id, 1, 300) == 1);
    CHECK_FALSE(sync::sync_once(*copy, fast_options(), cs));
    CHECK(cs.quarantine_full);
    CHECK(cs.last_error == "sync.err.quarantine_full");
    CHECK(cs.events_waiting == 1);
    CHECK(cs.restored_copy);
    REQUIRE(run_hub({"terminals", "--data-dir", t.data}, &out) == 0);
    CHECK(out.find("QUARANTINE FULL") != std::string::npos);
}

TEST_CASE("a backup taken during a 10,000-event upload, restored: nothing lost, nothing twice") {
    Trial t;
    auto term = t.terminal("busy");
    auto id = identity_of(*term);
    REQUIRE(record_events(*term, id, 10000) == 10000);
    auto opt = fast_options();
    opt.batch_events = 500;

    // The upload runs; once 7,000 events are acknowledged a backup is taken while it goes on
    // (late, so the resend after the restore stays short in the suite).
    std::atomic<bool> started{false};
    std::thread backup;
    std::string backup_out, backup_file = t.dir.str("hub-backup.db");
    std::atomic<int> backup_rc{-1};
    int64_t acked_at_backup = 0;
    sync::SyncStatus st;
    bool ok = sync::sync_once(*term, opt, st, nullptr, [&](const sync::SyncStatus&) {
        if (started || term->acknowledged_seq() < 7000) return;
        started = true;
        acked_at_backup = term->acknowledged_seq();
        backup = std::thread([&] {
            backup_rc =
                run_hub({"backup", "--data-dir", t.data, "--out", backup_file}, &backup_out);
        });
    });
    REQUIRE(ok);
    REQUIRE(started);
    backup.join();
    INFO(backup_out);
    REQUIRE(backup_rc == 0);
    CHECK(std::filesystem::status(backup_file).permissions() ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

    // The copy is one committed state: this terminal's events 1..k, byte for byte.
    auto local = term->events_after(0, 20000);
    REQUIRE(local.size() == 10000);
    int64_t k = 0;
    {
        TempDir probe;
        std::filesystem::copy_file(backup_file, probe.str("hub.db"));
        auto copy = hub::open_hub_store(probe.str());
        REQUIRE(copy);
        auto held = copy->events(id.terminal_id);
        k = static_cast<int64_t>(held.size());
        INFO("backup holds " << k << " events; " << acked_at_backup
                             << " were acknowledged at start");
        CHECK(k >= acked_at_backup);
        REQUIRE(k <= 10000);
        for (int64_t i = 0; i < k; ++i) {
            CHECK(held[static_cast<size_t>(i)].seq == i + 1);
            CHECK(held[static_cast<size_t>(i)].body == local[static_cast<size_t>(i)].body);
        }
        CHECK(copy->terminal(id.terminal_id)->acked_seq == k);
    }
    std::string epoch;
    {
        auto view = t.hub_view(); // everything arrived (checked byte for byte at the end)
        CHECK(view->event_count(id.terminal_id) == 10000);
        epoch = view->keys().epoch;
    }

    // Restore: refused while the hub runs; stopped, it puts the copy back with a new epoch.
    std::string out;
    CHECK(run_hub({"restore", "--data-dir", t.data, "--from", backup_file}, &out) == 1);
    CHECK(out.find("stop the hub") != std::string::npos);
    t.hub.stop();
    REQUIRE(run_hub({"restore", "--data-dir", t.data, "--from", backup_file}, &out) == 0);
    INFO(out);
    {
        auto restored = t.hub_view();
        CHECK(restored->event_count(id.terminal_id) == k);
        CHECK(restored->keys().epoch != epoch);
    }
    // The database it replaced is kept, never deleted.
    bool kept = false;
    for (auto& e : std::filesystem::directory_iterator(t.data))
        kept = kept || e.path().filename().string().rfind("hub.db.before-restore-", 0) == 0;
    CHECK(kept);

    // The hub runs again: the terminal sends what the backup lacks, then everything matches.
    REQUIRE(t.hub.start());
    REQUIRE(record_events(*term, id, 5, 20000) == 5);
    sync::SyncStatus after;
    REQUIRE(sync::sync_once(*term, opt, after));
    {
        auto view = t.hub_view(); // closed again before the next restore
        require_all_on_hub(*view, *term);
        CHECK(view->quarantine().empty());
        CHECK(view->terminal(id.terminal_id)->acked_seq == 10005);
        CHECK(after.refused == 0);
        // It took the new epoch's snapshot.
        CHECK(term->setting("sync.epoch.listings").value_or("") == view->keys().epoch);
    }

    // A terminal with nothing new learns it from the status probe alone: a second backup, five
    // more events uploaded after it, the backup restored.
    std::string second = t.dir.str("hub-backup-2.db");
    REQUIRE(run_hub({"backup", "--data-dir", t.data, "--out", second}, &out) == 0);
    CHECK(run_hub({"backup", "--data-dir", t.data, "--out", second}, &out) ==
          1); // never overwritten
    REQUIRE(record_events(*term, id, 5, 30000) == 5);
    REQUIRE(sync::sync_once(*term, opt, after));
    t.hub.stop();
    REQUIRE(run_hub({"restore", "--data-dir", t.data, "--from", second}, &out) == 0);
    REQUIRE(t.hub.start());
    CHECK(t.hub_view()->event_count(id.terminal_id) == 10005);
    REQUIRE(sync::sync_once(*term, opt, after));
    require_all_on_hub(*t.hub_view(), *term);
}

TEST_CASE("CLI values are checked with a message in both languages, changing nothing") {
    TempDir dir;
    std::string data = dir.str("hub"), out;
    CHECK(run_hub({"enroll", "--fair", "F1", "--mode", "entrance", "--valid-hours", "-100",
                   "--data-dir", data},
                  &out) == 2);
    CHECK(out.find("--valid-hours 应为 1 到 720 之间的整数") != std::string::npos);
    CHECK(out.find("--valid-hours must be a whole number from 1 to 720 (got \"-100\")") !=
          std::string::npos);
    CHECK_FALSE(std::filesystem::exists(data)); // nothing made, not even the data folder
    for (auto args : std::vector<std::vector<std::string>>{
             {"enroll", "--fair", "F1", "--mode", "entrance", "--valid-hours", "100000"},
             {"enroll", "--fair", "F1", "--mode", "entrance", "--valid-hours", "3x"},
             {"serve", "--port", "70000"},
             {"serve", "--port", "-1"},
             {"serve", "--workers", "0"},
             {"serve", "--port", "99999999999999999999"},
             {"dev-cert", "--days", "0", "--cert", dir.str("c.pem"), "--key", dir.str("k.pem")},
             {"quarantine", "--max-events", "-5"},
             {"quarantine", "--max-bytes", "12"}}) {
        // dev-cert has no data directory (an unknown flag would be refused before the number).
        if (args[0] != "dev-cert") args.insert(args.end(), {"--data-dir", data});
        INFO(args[0] << " " << args[1] << " " << args[2]);
        CHECK(run_hub(args, &out) == 2);
        CHECK(out.find("应为") != std::string::npos);
        CHECK(out.find("must be a whole number") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(data));
    CHECK_FALSE(std::filesystem::exists(dir.str("c.pem")));
}

TEST_CASE("the hub's systemd unit runs it as its own user, sandboxed, writing only its data") {
    std::string unit_path = JF_SOURCE_DIR "/platform/linux/jobfair-hub.service";
    std::string unit = read_file(unit_path);
    for (const char* line :
         {"User=jobfair-hub", "ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes",
          "ReadWritePaths=/var/lib/jobfair-hub /var/log/jobfair-hub", "CapabilityBoundingSet=\n",
          "ExecStart=/usr/local/bin/jobfair-hub serve --config /etc/jobfair-hub/hub.conf"}) {
        INFO(line);
        CHECK(unit.find(line) != std::string::npos);
    }
    // systemd's own reading of it: valid (with the built binary in place of the installed one),
    // and its sandbox exposure scored offline at 2.0 or better ("OK").
    TempDir dir;
    std::string copy = dir.str("jobfair-hub.service");
    std::string text = unit;
    auto at = text.find("/usr/local/bin/jobfair-hub");
    text.replace(at, std::strlen("/usr/local/bin/jobfair-hub"), hub_binary());
    std::ofstream(copy) << text;
    CHECK(std::system(("systemd-analyze verify " + copy + " > " + dir.str("verify.txt") + " 2>&1")
                          .c_str()) == 0);
    INFO(read_file(dir.str("verify.txt")));
    CHECK(std::system(("systemd-analyze security --offline=true --threshold=20 " + unit_path +
                       " > " + dir.str("security.txt") + " 2>&1")
                          .c_str()) == 0);
    INFO(read_file(dir.str("security.txt")));
    // The same unit without its sandbox fails that threshold: the check can fail.
    std::string weak = unit;
    for (const char* key : {"ProtectSystem=strict\n", "NoNewPrivileges=yes\n", "PrivateUsers=yes\n",
                            "SystemCallFilter=@system-service\n", "SystemCallFilter=~@privileged\n",
                            "CapabilityBoundingSet=\n"})
        weak.erase(weak.find(key), std::strlen(key));
    std::ofstream(dir.str("weak.service")) << weak;
    CHECK(std::system(("systemd-analyze security --offline=true --threshold=20 " +
                       dir.str("weak.service") + " > /dev/null 2>&1")
                          .c_str()) != 0);
}

TEST_CASE("a report opens the sealed numbers of the people it prints, not of everyone placed") {
    crypto_init();
    TempDir dir;
    std::string data = dir.str("hub");
    auto hub = open_hub_store(data);
    REQUIRE(hub);
    HubService svc(*hub, "");
    auto t = enrol(svc, *hub, dir, "t1");
    Fair f;
    f.id = "F1";
    f.name = "春风行动";
    f.union_unit = "无为市";
    f.date = {2024, 3, 1};
    REQUIRE(hub->upsert_fair(f));
    auto seal_pk = hub->keys().seal.public_key;
    const char* phones[] = {"13955380001", "13955380002"};
    auto signer = t.id.signer();
    for (int i = 0; i < 2; ++i) {
        Attendee a;
        a.id = "A" + std::to_string(i);
        a.name = "张" + std::to_string(i);
        a.phone_masked = "139****000" + std::to_string(i + 1);
        a.sealed_phone = base64(seal(seal_pk, phones[i]));
        REQUIRE(hub->upsert_attendee(a));
        auto p = placement_draft("F1", i);
        p.phone_masked = a.phone_masked;
        p.start_date = {2024, 3 + i, 1}; // one placed in March, one in April
        REQUIRE(t.store->record_placement(p, signer));
    }
    auto r = svc.upload(t.token, wire::encode(batch(t, 0, 10, false)));
    REQUIRE(r.status == 200);
    REQUIRE(hub->placement_versions().size() == 2);

    std::string report = dir.str("detail.csv"), out;
    REQUIRE(run_hub({"report", "detail", "--period", "20240301-20240331", "--format", "csv",
                     "--out", report, "--data-dir", data},
                    &out) == 0);
    std::ifstream in(report);
    std::string printed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(printed.find(phones[0]) != std::string::npos);
    CHECK(printed.find(phones[1]) == std::string::npos);
    REQUIRE(run_hub({"audit", "--data-dir", data}, &out) == 0);
    INFO(out);
    CHECK(out.find("opened 1 person(s)' numbers") != std::string::npos);
}
