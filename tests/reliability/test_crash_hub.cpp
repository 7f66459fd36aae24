// Nothing the hub acknowledged is lost: terminals record real signed check-ins and placements in
// their own SQLite files and upload them with the real upload client (sync_once, libcurl, pinned
// TLS) to a real `jobfair-hub serve` process on loopback, while the hub is killed with SIGKILL at
// random moments and restarted, at least 200 times. After every restart the hub database passes
// `PRAGMA integrity_check` and holds every event each terminal has marked acknowledged, exactly
// once. At the end those events are byte-identical on the hub, and after a final clean sync every
// event of every terminal is there exactly once, with nothing quarantined.
//
// Kill delays are short (most between 10 and 80 ms of the hub accepting connections) so that most
// kills land while a batch is being read, checked, committed or answered; batches are small so
// there is nearly always one in flight. JF_HUB_KILLS=2000 runs a longer campaign by hand.
#include <catch2/catch.hpp>

#include "tests/reliability/sqlite_read.hpp"
#include "tests/sync/sync_trial.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>

using namespace jf;
using namespace jf::test;
using Clock = std::chrono::steady_clock;

namespace {

int hub_kills() {
    const char* env = std::getenv("JF_HUB_KILLS");
    int n = env ? std::atoi(env) : 0;
    return n >= 200 ? n : 200;
}

sync::SyncOptions crash_options() {
    auto o = fast_options();
    o.batch_events = 15;        // many small batches: a kill nearly always finds one in flight
    o.connect_timeout_ms = 500; // a refused connect is immediate on loopback anyway
    return o;
}

// One terminal: a recorder (as the screens record) and the real upload client in a loop (as the
// sync worker runs it, without its backoff so it is back as soon as the hub is), each with its
// own connection to the terminal's file.
struct Terminal {
    std::string path;
    TerminalIdentity id;
    std::atomic<bool> stop{false};
    std::atomic<bool> cancel{false};
    std::atomic<int64_t> recorded{0}, record_failures{0};
    std::atomic<int64_t> cycles_ok{0}, cut_mid_request{0}, refused{0}, timeouts{0}, other_errors{0};
    std::mutex mu;
    std::map<std::string, int> other_keys; // unexpected error keys, for the failure message
    std::thread recorder, uploader;

    void start() {
        recorder = std::thread([this] { record(); });
        uploader = std::thread([this] { upload(); });
    }
    void halt() {
        stop = true;
        cancel = true;
        if (recorder.joinable()) recorder.join();
        if (uploader.joinable()) uploader.join();
    }
    ~Terminal() { halt(); }

    void record() {
        auto store = Store::open(path);
        if (!store) {
            ++record_failures;
            return;
        }
        int next = 0;
        while (!stop) {
            // Keep a small backlog: uploads never run dry, and the hub's file stays small enough
            // to check its integrity after every restart.
            if (store->pending_events() < 40) {
                int n = 15;
                if (record_events(*store, id, n, next) == n)
                    recorded += n;
                else
                    ++record_failures;
                next += n;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(15));
        }
    }

    void upload() {
        auto store = Store::open(path);
        if (!store) {
            ++other_errors;
            return;
        }
        auto opt = crash_options();
        while (!stop) {
            sync::SyncStatus st;
            bool ok = sync::sync_once(*store, opt, st, &cancel);
            if (ok) {
                ++cycles_ok;
            } else if (st.last_error == "sync.err.connection_lost") {
                ++cut_mid_request; // the kill landed inside a request
            } else if (st.last_error == "sync.err.tls" &&
                       st.last_error_detail.rfind("SSL connect error", 0) == 0) {
                ++cut_mid_request; // inside the TLS handshake (a certificate refusal reads
                                   // otherwise)
            } else if (st.last_error == "sync.err.timeout") {
                ++timeouts; // the machine was too busy for the client's patience: no harm
            } else if (st.last_error == "sync.err.offline") {
                ++refused; // the hub was down when the client connected
            } else if (!stop) {
                ++other_errors;
                std::lock_guard lock(mu);
                ++other_keys[st.last_error + " " + st.last_error_detail];
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(ok ? 5 : 2));
        }
    }
};

// Per terminal on the hub: events with seq <= acked, their distinct uuids, quarantine rows.
struct HubCount {
    int64_t events_up_to = 0, distinct_up_to = 0, max_seq = 0;
};
HubCount count_on_hub(sqlite3* db, const std::string& terminal_id, int64_t acked) {
    Stmt q(db, "SELECT count(*), count(DISTINCT uuid), "
               "(SELECT coalesce(max(seq), 0) FROM events WHERE terminal_id = ?1) "
               "FROM events WHERE terminal_id = ?1 AND seq <= ?2");
    sqlite3_bind_text(q.s, 1, terminal_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q.s, 2, acked);
    HubCount c;
    if (sqlite3_step(q.s) == SQLITE_ROW) {
        c.events_up_to = sqlite3_column_int64(q.s, 0);
        c.distinct_up_to = sqlite3_column_int64(q.s, 1);
        c.max_seq = sqlite3_column_int64(q.s, 2);
    }
    return c;
}

int64_t quarantined(sqlite3* db) {
    Stmt q(db, "SELECT count(*) FROM quarantine");
    return sqlite3_step(q.s) == SQLITE_ROW ? sqlite3_column_int64(q.s, 0) : -1;
}

// A read connection to the hub's file that never checkpoints on close, so a crashed hub's
// write-ahead log is left exactly as the kill left it for the hub's own recovery.
struct HubFile {
    sqlite3* db = nullptr;
    explicit HubFile(const std::string& path) {
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
        sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
        sqlite3_busy_timeout(db, 5000);
    }
    ~HubFile() { sqlite3_close(db); }
};

} // namespace

TEST_CASE("the hub killed at random moments while terminals upload: nothing acknowledged lost") {
    Trial t;
    const std::string hub_db = t.data + "/hub.db";
    std::vector<std::unique_ptr<Terminal>> terms;
    std::vector<std::unique_ptr<Store>> views; // the test's own connection to each terminal file
    for (const char* name : {"entrance", "booth", "station"}) {
        auto store = t.terminal(name);
        auto term = std::make_unique<Terminal>();
        term->path = t.dir.str(std::string(name) + ".db");
        term->id = identity_of(*store);
        views.push_back(std::move(store));
        terms.push_back(std::move(term));
    }
    for (auto& term : terms)
        term->start();

    const int kills = hub_kills();
    std::random_device rd;
    const uint32_t seed = rd();
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    int rounds_cut = 0, rounds_hub_ahead = 0;
    int64_t last_cut = 0;
    auto t0 = Clock::now();
    for (int k = 0; k < kills; ++k) {
        // Mostly short lives (a batch is read, checked and committed within a few ms), some long
        // enough for a terminal to get through a backlog.
        int live_ms =
            rng() % 4 ? 10 + static_cast<int>(rng() % 70) : 80 + static_cast<int>(rng() % 170);
        std::this_thread::sleep_for(std::chrono::milliseconds(live_ms));
        t.hub.kill_hard();

        // Give the clients a moment to notice the cut, so the figures count it in this round.
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
        int64_t cut = 0;
        for (auto& term : terms)
            cut += term->cut_mid_request;
        if (cut > last_cut) ++rounds_cut;
        last_cut = cut;
        // The hub is down: no terminal's acknowledged sequence can move now.
        std::vector<int64_t> acked;
        for (auto& v : views)
            acked.push_back(v->acknowledged_seq());
        {
            // The file exactly as the restarted hub will find it (this connection changes no data
            // and never checkpoints): intact, and everything acknowledged is there exactly once.
            // Checked while the hub is down, so the check's own time never lengthens a hub's life.
            HubFile hub(hub_db);
            REQUIRE(hub.db);
            INFO("kill " << k + 1 << " after " << live_ms << " ms");
            REQUIRE(integrity_check(hub.db) == "ok");
            bool ahead = false;
            for (size_t i = 0; i < terms.size(); ++i) {
                auto c = count_on_hub(hub.db, terms[i]->id.terminal_id, acked[i]);
                INFO(terms[i]->id.terminal_id << " acknowledged " << acked[i]);
                REQUIRE(c.events_up_to == acked[i]);
                REQUIRE(c.distinct_up_to == acked[i]);
                // Committed on the hub, acknowledgement cut off by the kill: sent again later.
                ahead = ahead || c.max_seq > acked[i];
            }
            if (ahead) ++rounds_hub_ahead;
            REQUIRE(quarantined(hub.db) == 0); // a resend is a duplicate, never a reused sequence
        }
        REQUIRE(t.hub.start());
    }
    auto seconds = std::chrono::duration<double>(Clock::now() - t0).count();

    // The last kill: stop recording and uploading, then compare what each terminal had marked
    // acknowledged with the hub's copy, byte for byte.
    t.hub.kill_hard();
    int64_t recorded = 0, cut = 0, refused = 0, ok_cycles = 0;
    for (auto& term : terms) {
        term->halt();
        INFO(term->id.terminal_id);
        CHECK(term->record_failures == 0);
        {
            std::lock_guard lock(term->mu);
            for (auto& [key, n] : term->other_keys)
                WARN("unexpected sync error x" << n << ": " << key);
        }
        CHECK(term->other_errors == 0);
        recorded += term->recorded;
        cut += term->cut_mid_request;
        refused += term->refused;
        ok_cycles += term->cycles_ok;
    }
    REQUIRE(t.hub.start());
    {
        auto hub = t.hub_view();
        for (auto& v : views) {
            auto id = identity_of(*v);
            auto acked = v->acknowledged_seq();
            auto local = v->events_after(0, static_cast<size_t>(acked));
            auto remote = hub->events(id.terminal_id);
            REQUIRE(static_cast<int64_t>(local.size()) == acked);
            REQUIRE(remote.size() >= local.size());
            for (size_t i = 0; i < local.size(); ++i) {
                REQUIRE(remote[i].seq == local[i].seq);
                REQUIRE(remote[i].uuid == local[i].uuid);
                REQUIRE(remote[i].body == local[i].body);
                REQUIRE(remote[i].signature == local[i].signature);
            }
        }
    }
    // A final clean sync: every event of every terminal on the hub exactly once.
    int64_t total = 0;
    for (auto& v : views) {
        sync::SyncStatus st;
        REQUIRE(sync::sync_once(*v, fast_options(), st));
        require_all_on_hub(*t.hub_view(), *v);
        total += v->last_seq();
    }
    auto hub = t.hub_view();
    CHECK(hub->event_count() == total);
    CHECK(hub->quarantine().empty());
    CHECK(total == recorded);
    std::printf("{\"test\":\"crash_hub\",\"kills\":%d,\"seconds\":%.1f,\"events\":%lld,"
                "\"kills_cutting_a_request\":%d,\"kills_with_hub_ahead\":%d,"
                "\"requests_cut\":%lld,\"connects_refused\":%lld,\"clean_cycles\":%lld}\n",
                kills, seconds, static_cast<long long>(total), rounds_cut, rounds_hub_ahead,
                static_cast<long long>(cut), static_cast<long long>(refused),
                static_cast<long long>(ok_cycles));
    CHECK(rounds_cut > 0); // kills did land inside requests (the figures above say how many)
}
