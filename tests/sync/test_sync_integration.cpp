// Terminals and a real `jobfair-hub serve` process over TLS on loopback: enrolment, offline
// recording, sync, and faults (hub killed mid-batch, 500s and stalls, connections cut by a proxy
// including a lost acknowledgement, a certificate that does not match the pin, a tampered event,
// a revoked terminal). In every case the hub ends with every event exactly once.
#include <catch2/catch.hpp>

#include "kiosk/store/people.hpp"
#include "tests/sync/sync_trial.hpp"

#include <httplib.h>
#include <sqlite3.h>

#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

using namespace jf;
using namespace jf::test;
using Clock = std::chrono::steady_clock;

TEST_CASE("enrol, record offline, sync: every event on the hub exactly once") {
    Trial t;
    auto a = t.terminal("entrance");
    auto b = t.terminal("booth");
    CHECK(identity_of(*a).fair_id == "F1");
    t.hub.stop();

    REQUIRE(record_events(*a, identity_of(*a), 300) == 300);
    REQUIRE(record_events(*b, identity_of(*b), 120) == 120);
    sync::SyncStatus st;
    CHECK_FALSE(sync::sync_once(*a, fast_options(), st));
    CHECK(st.last_error == "sync.err.offline");
    CHECK_FALSE(st.online);
    CHECK(st.events_waiting == 300);
    CHECK(a->acknowledged_seq() == 0);

    REQUIRE(t.hub.start());
    sync::SyncStatus sa, sb;
    REQUIRE(sync::sync_once(*a, fast_options(), sa));
    REQUIRE(sync::sync_once(*b, fast_options(), sb));
    CHECK(sa.online);
    CHECK(sa.last_error.empty());
    CHECK(sa.events_waiting == 0);
    CHECK(sa.uploaded == 300);
    CHECK(sa.clock_known);
    CHECK_FALSE(sa.clock_off);
    auto hub = t.hub_view();
    require_all_on_hub(*hub, *a);
    require_all_on_hub(*hub, *b);
    CHECK(hub->event_count() == 420);
    CHECK(hub->placement_versions("F1").size() == 60 + 24);
    // Downloads arrived too: the fair and the imported listings.
    REQUIRE(a->fair("F1"));
    CHECK(a->fair("F1")->name == "2024年无为市工会送岗位招聘会");
    ListingQuery q;
    q.today = {2024, 2, 23};
    CHECK(a->count_listings(q) == 2);
    // Each listing arrives with the instant the hub collected it, for the weekly 归集 figures.
    for (auto& hl : hub->listings()) {
        CHECK(hl.collected_at > 0);
        auto tl = a->listing(hl.id);
        REQUIRE(tl);
        CHECK(tl->collected_at == hl.collected_at);
    }
    // A second sync has nothing to send and changes nothing.
    REQUIRE(sync::sync_once(*a, fast_options(), sa));
    CHECK(t.hub_view()->event_count() == 420);
    std::string out;
    REQUIRE(run_hub({"terminals", "--data-dir", t.data}, &out) == 0);
    CHECK(out.find(identity_of(*a).terminal_id) != std::string::npos);
    CHECK(out.find("active") != std::string::npos);
}

TEST_CASE("the hub killed in the middle of a batch and restarted: nothing lost, nothing twice") {
    Trial t;
    auto a = t.terminal("entrance");
    REQUIRE(record_events(*a, identity_of(*a), 2000) == 2000);
    auto opt = fast_options();
    opt.batch_events = 20;
    sync::SyncEngine engine(t.dir.str("entrance.db"), opt);
    REQUIRE(engine.start());
    REQUIRE(wait_for([&] { return engine.status().events_waiting < 2000; }, 10000));
    t.hub.kill_hard();
    auto waiting = engine.status().events_waiting;
    INFO("waiting when killed: " << waiting);
    REQUIRE(wait_for([&] { return !engine.status().online; }, 5000));
    CHECK(!engine.status().last_error.empty());
    // More is recorded while the hub is down; the engine's own connection works alongside.
    REQUIRE(record_events(*a, identity_of(*a), 100, 5000) == 100);
    REQUIRE(t.hub.start());
    engine.wake();
    REQUIRE(wait_for(
        [&] {
            auto s = engine.status();
            return s.online && s.events_waiting == 0 && s.last_error.empty();
        },
        20000));
    engine.stop();
    require_all_on_hub(*t.hub_view(), *a);
}

TEST_CASE("a hub answering 500 or stalling acknowledges nothing; the terminal retries") {
    Trial t;
    auto a = t.terminal("entrance");
    REQUIRE(record_events(*a, identity_of(*a), 50) == 50);
    t.hub.stop();

    // Something else answers on the hub's address with the hub's certificate: 500, then a stall.
    httplib::SSLServer fake(t.cert.c_str(), t.key.c_str());
    // httplib sets only SO_REUSEPORT; without SO_REUSEADDR its closing connections (FIN_WAIT2
    // while the terminal keeps its end) would hold the port the real hub restarts on below.
    fake.set_socket_options([](int fd) {
        int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    std::atomic<bool> stall{false};
    fake.Post("/v1/events", [&](const httplib::Request&, httplib::Response& res) {
        if (stall) {
            for (int i = 0; i < 40 && stall; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        res.status = 500;
        res.set_content("{\"error\":\"hub_storage\",\"message\":\"disk full\"}",
                        "application/json");
    });
    REQUIRE(fake.bind_to_port("127.0.0.1", t.hub.port()));
    std::thread serving([&] { fake.listen_after_bind(); });

    sync::SyncStatus st;
    CHECK_FALSE(sync::sync_once(*a, fast_options(), st));
    CHECK(st.last_error == "sync.err.hub_error");
    CHECK(st.online);
    CHECK(a->acknowledged_seq() == 0);

    stall = true;
    auto t0 = Clock::now();
    auto patient = fast_options();
    patient.request_timeout_ms = 1500; // the low-speed limit works on a 5 s window: too slow here
    CHECK_FALSE(sync::sync_once(*a, patient, st));
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    CHECK(st.last_error == "sync.err.timeout");
    CHECK(took < 3000); // given up, not waiting for the stalled answer
    CHECK(a->acknowledged_seq() == 0);
    stall = false;
    fake.stop();
    serving.join();

    REQUIRE(t.hub.start());
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    require_all_on_hub(*t.hub_view(), *a);
}

TEST_CASE("connections cut by a proxy, and an acknowledgement lost after the hub committed") {
    Trial t;
    FaultProxy proxy(t.hub.port());
    auto a = t.terminal("entrance", proxy.url());
    REQUIRE(record_events(*a, identity_of(*a), 200) == 200);

    SECTION("the answer to a committed batch never arrives: the terminal sends it again") {
        proxy.drop_reply_after_up = 8000; // past the TLS handshake, inside the upload
        proxy.faults = 1;
        sync::SyncStatus st;
        CHECK_FALSE(sync::sync_once(*a, fast_options(), st));
        CHECK(proxy.faulted == 1);
        CHECK(st.last_error == "sync.err.connection_lost");
        CHECK(a->acknowledged_seq() == 0); // the terminal forgot nothing
        // The hub received the whole batch and commits it all.
        CHECK(wait_for([&] { return t.hub_view()->event_count() == 200; }, 5000));
        REQUIRE(sync::sync_once(*a, fast_options(), st));
        CHECK(st.uploaded == 200);
        require_all_on_hub(*t.hub_view(), *a); // sent twice, stored once
    }
    SECTION("connections cut at several points while the engine works") {
        auto opt = fast_options();
        opt.batch_events = 30;
        sync::SyncEngine engine(t.dir.str("entrance.db"), opt);
        proxy.cut_after_up = 2500;
        proxy.faults = 4;
        REQUIRE(engine.start());
        REQUIRE(wait_for([&] { return proxy.faulted >= 4; }, 10000));
        proxy.drop_reply_after_up = 3000;
        proxy.cut_after_up = -1;
        proxy.faults = 3;
        REQUIRE(record_events(*a, identity_of(*a), 100, 1000) == 100);
        engine.wake();
        REQUIRE(wait_for(
            [&] {
                auto s = engine.status();
                return s.events_waiting == 0 && s.last_error.empty() && proxy.faults == 0;
            },
            20000));
        engine.stop();
        CHECK(proxy.faulted >= 5);
        require_all_on_hub(*t.hub_view(), *a);
    }
}

TEST_CASE("a certificate that does not match the pin is refused and said so") {
    Trial t;
    auto a = t.terminal("entrance");
    REQUIRE(record_events(*a, identity_of(*a), 10) == 10);
    // Another certificate on the hub's address, even one the terminal's CA list would accept.
    std::string other = t.dir.str("other-cert.pem"), other_key = t.dir.str("other-key.pem");
    REQUIRE(run_hub({"dev-cert", "--cert", other, "--key", other_key}) == 0);
    t.hub.stop();
    t.hub.set_cert(other, other_key);
    REQUIRE(t.hub.start());
    sync::SyncStatus st;
    CHECK_FALSE(sync::sync_once(*a, fast_options(), st));
    CHECK(st.last_error == "sync.err.tls"); // not signed by what the terminal trusts

    REQUIRE(a->set_setting("sync.ca_pem", read_file(t.cert) + read_file(other)));
    CHECK_FALSE(sync::sync_once(*a, fast_options(), st));
    CHECK(st.last_error == "sync.err.pin_mismatch"); // trusted chain, wrong key: still refused
    CHECK(a->acknowledged_seq() == 0);
    CHECK(t.hub_view()->event_count() == 0);
}

TEST_CASE("a tampered event is quarantined on the hub with its reason, never stored") {
    Trial t;
    auto a = t.terminal("entrance");
    REQUIRE(record_events(*a, identity_of(*a), 5) == 5);
    auto victim = a->events_after(2, 1).at(0);
    {
        // Someone edits the terminal's database behind the application's back.
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(t.dir.str("entrance.db").c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "DROP TRIGGER events_append_only_update", nullptr, nullptr,
                             nullptr) == SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        Bytes body = victim.body;
        body[body.size() / 2] ^= 0x04;
        sqlite3_prepare_v2(db, "UPDATE events SET body=? WHERE seq=?", -1, &st, nullptr);
        sqlite3_bind_blob(st, 1, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, victim.seq);
        REQUIRE(sqlite3_step(st) == SQLITE_DONE);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    auto hub = t.hub_view();
    CHECK(hub->event_count() == 4);
    auto q = hub->quarantine();
    REQUIRE(q.size() == 1);
    CHECK(q[0].uuid == victim.uuid);
    CHECK(q[0].reason == "signature_invalid");
    std::string out;
    REQUIRE(run_hub({"quarantine", "--data-dir", t.data}, &out) == 0);
    CHECK(out.find(victim.uuid) != std::string::npos);
    CHECK(out.find("signature_invalid") != std::string::npos);
    CHECK(a->acknowledged_seq() == 5); // the hub holds it (in quarantine): nothing to resend
}

TEST_CASE("a revoked terminal is refused clearly and wipes the personal data it holds") {
    Trial t;
    auto a = t.terminal("entrance");
    auto id = identity_of(*a);
    AttendeeInput in;
    in.id = "A1";
    in.name = "张伟";
    in.phone = "13855385678";
    in.resident_id = "11010519491231002X";
    in.name_initials = "zw";
    REQUIRE(a->upsert_attendee(seal_attendee(in, id.hub_seal_public_key)));
    REQUIRE(a->count_attendees() == 1);
    REQUIRE(record_events(*a, identity_of(*a), 7) == 7);
    std::string out;
    REQUIRE(run_hub({"revoke-terminal", "--terminal", identity_of(*a).terminal_id, "--data-dir",
                     t.data},
                    &out) == 0);
    sync::SyncStatus st;
    CHECK_FALSE(sync::sync_once(*a, fast_options(), st));
    CHECK(st.last_error == "sync.err.terminal_revoked");
    CHECK(st.revoked);
    CHECK(a->count_attendees() == 0);
    // The hub refused the upload, so the 7 waiting events were destroyed with the rest (they name
    // people); the log keeps counting where it was.
    CHECK(a->pending_events() == 0);
    CHECK(a->events_after(0, 100).empty());
    CHECK(a->last_seq() == 7);
    CHECK(t.hub_view()->event_count() == 0);
    // It stays refused without asking the hub again.
    CHECK_FALSE(sync::sync_once(*a, fast_options(), st));
    CHECK(st.last_error == "sync.err.terminal_revoked");
    REQUIRE(run_hub({"terminals", "--data-dir", t.data}, &out) == 0);
    CHECK(out.find("revoked") != std::string::npos);
}

TEST_CASE("the enrolment QR carries code, hub address and pin; a wrong pin stops enrolment") {
    auto qr = sync::parse_enrol_qr(
        "JFENROL1|ABCD-EFGH-IJKL-MNOP|https://hub.example:8443|sha256//x=\r\n");
    REQUIRE(qr);
    CHECK(qr->code == "ABCD-EFGH-IJKL-MNOP");
    CHECK(qr->hub_url == "https://hub.example:8443");
    CHECK(qr->pin == "sha256//x=");
    CHECK_FALSE(sync::parse_enrol_qr("JF1:AEAQ"));
    CHECK_FALSE(sync::parse_enrol_qr("JFENROL1||https://x|"));

    Trial t;
    auto store = Store::open(t.dir.str("k.db"));
    sync::EnrollOptions o;
    o.ca_file = t.cert;
    o.pin = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    auto r = sync::enroll(*store, t.hub.url(), t.new_code(), o);
    CHECK_FALSE(r.ok);
    CHECK(r.error == "sync.err.pin_mismatch");
    CHECK_FALSE(load_identity(*store)); // nothing saved
    CHECK(sync::enroll(*store, "http://127.0.0.1:1", "X", o).error == "sync.err.url_not_https");
    // The right pin (as the QR gives it) enrols; a second enrolment needs --replace.
    std::string out;
    run_hub({"enroll", "--fair", "F1", "--mode", "station", "--data-dir", t.data, "--cert", t.cert,
             "--qr", t.dir.str("q.png")},
            &out);
    auto pin_at = out.find("pin sha256//");
    REQUIRE(pin_at != std::string::npos);
    o.pin = out.substr(pin_at + 4, out.find('\n', pin_at) - pin_at - 4);
    auto ok = sync::enroll(*store, t.hub.url(), t.new_code(), o);
    INFO(ok.error << " " << ok.detail);
    REQUIRE(ok.ok);
    CHECK(sync::enroll(*store, t.hub.url(), t.new_code(), o).error == "sync.err.already_enrolled");
}

TEST_CASE("a terminal restarted in the middle of an upload resumes where it stopped") {
    Trial t;
    auto a = t.terminal("entrance");
    REQUIRE(record_events(*a, identity_of(*a), 1500) == 1500);
    auto opt = fast_options();
    opt.batch_events = 25;
    {
        sync::SyncEngine first(t.dir.str("entrance.db"), opt);
        REQUIRE(first.start());
        REQUIRE(wait_for([&] { return first.status().events_waiting < 1500; }, 10000));
        first.stop(); // the power goes
    }
    auto acked = a->acknowledged_seq();
    INFO("acknowledged before the restart: " << acked);
    sync::SyncEngine second(t.dir.str("entrance.db"), opt);
    REQUIRE(second.start());
    CHECK(second.status().enrolled);
    CHECK(second.status().last_success == 0); // the first never finished a whole cycle
    REQUIRE(wait_for(
        [&] { return second.status().events_waiting == 0 && second.status().last_success > 0; },
        20000));
    second.stop();
    require_all_on_hub(*t.hub_view(), *a);
}

TEST_CASE("a new dataset epoch makes terminals start again from a snapshot") {
    Trial t;
    auto a = t.terminal("entrance");
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    ListingQuery q;
    q.today = {2024, 2, 23};
    REQUIRE(a->count_listings(q) == 2);
    // Something the hub no longer has (it was restored from an older backup).
    JobListing stale = a->search_listings(q).at(0);
    stale.id = "L-stale";
    stale.title = "旧岗位";
    REQUIRE(a->upsert_listing(stale));
    REQUIRE(a->count_listings(q) == 3);
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    CHECK(a->count_listings(q) == 3); // incremental: nothing says it is gone
    std::string out;
    REQUIRE(run_hub({"new-epoch", "--data-dir", t.data}, &out) == 0);
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    CHECK(a->count_listings(q) == 2);
    CHECK_FALSE(a->listing("L-stale"));
    CHECK(a->fair("F1"));
    CHECK(a->pending_events() == 0);
}

TEST_CASE("a download is written in short transactions: a check-in waits for a few items, never "
          "a whole page") {
    Trial t;
    auto a = t.terminal("entrance");
    // 1,200 more listings on the hub: more than two of the terminal's 500-item pages.
    t.hub.stop();
    {
        std::ofstream csv(t.dir.str("many.csv"));
        csv << "序号,单位名称,岗位名称,招聘人数,工作地点,行业类别,薪资,性别要求,学历要求,联系人,"
               "联系电话,邮箱,职位描述及要求,工作经验要求,招聘截止日期,备注\n";
        for (int i = 0; i < 1200; ++i)
            csv << i + 1 << ",芜湖某制造公司" << i % 40 << ",焊工" << i << ",2,芜湖,制造业,6000,,,,"
                << "13855380001,,负责焊接与设备点检,,20300410,\n";
    }
    REQUIRE(run_hub({"import-listings", t.dir.str("many.csv"), "--data-dir", t.data}) == 0);
    REQUIRE(t.hub.start());
    // Watched from a second connection to the terminal's file, as the screens have it: what is
    // committed each time the engine reports progress, and whether a check-in gets through then.
    auto screens = Store::open(t.dir.str("entrance.db"));
    REQUIRE(screens);
    ListingQuery q;
    q.today = {2024, 2, 23};
    int64_t seen = screens->count_listings(q), most = 0;
    int reports = 0, recorded = 0;
    auto id = identity_of(*a);
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*a, fast_options(), st, nullptr, [&](const sync::SyncStatus&) {
        int64_t now = screens->count_listings(q);
        most = std::max(most, now - seen);
        seen = now;
        ++reports;
        recorded += record_events(*screens, id, 1, 1000 + reports);
    }));
    CHECK(seen == 1202);
    INFO(reports << " reports");
    CHECK(most > 0);
    CHECK(most <= static_cast<int64_t>(sync::kDownloadCommitItems));
    CHECK(recorded == reports);
}

TEST_CASE("station notices reach a terminal at its sync, and an ended one leaves it") {
    Trial t;
    auto station = t.terminal("station");
    auto id = identity_of(*station);
    TimeMs now = jf::now_ms();
    StationNotice n;
    n.id = "N-1";
    n.union_unit = "无为市";
    n.text = "下一场：3月1日 南陵县体育馆";
    n.starts_at = now - 60000;
    n.ends_at = now + 86400000;
    {
        auto hub = t.hub_view();
        REQUIRE(hub->upsert_notice(n));
        auto other = n;
        other.id = "N-2";
        other.text = "另一个县的通知";
        other.union_unit = "南陵县";
        REQUIRE(hub->upsert_notice(other));
    }
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*station, fast_options(), st));
    auto shown = station->current_notices("F1", id.terminal_id, now);
    REQUIRE(shown.size() == 1); // not the other county's
    CHECK(shown[0].text == n.text);
    CHECK(station->notices().size() == 1);
    // Changed on the hub: the terminal's copy follows; ended: it is gone after the next sync.
    n.text = "下一场改在：3月2日 南陵县体育馆";
    REQUIRE(t.hub_view()->upsert_notice(n));
    REQUIRE(sync::sync_once(*station, fast_options(), st));
    REQUIRE(station->current_notices("F1", id.terminal_id, now).size() == 1);
    CHECK(station->current_notices("F1", id.terminal_id, now)[0].text == n.text);
    REQUIRE(t.hub_view()->delete_notice("N-1"));
    REQUIRE(sync::sync_once(*station, fast_options(), st));
    CHECK(station->notices().empty());
    // A new dataset epoch: the snapshot replaces what the terminal held.
    n.id = "N-3";
    REQUIRE(t.hub_view()->upsert_notice(n));
    REQUIRE(sync::sync_once(*station, fast_options(), st));
    REQUIRE(station->upsert_notice([&] {
        auto stale = n;
        stale.id = "N-STALE"; // something the hub no longer has
        return stale;
    }()));
    REQUIRE(run_hub({"new-epoch", "--data-dir", t.data}) == 0);
    REQUIRE(sync::sync_once(*station, fast_options(), st));
    auto held = station->notices();
    REQUIRE(held.size() == 1);
    CHECK(held[0].id == "N-3");
}

TEST_CASE("a hub made before the notices stream: the terminal syncs the rest and holds none") {
    Trial t;
    auto a = t.terminal("station");
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    t.hub.stop();

    // An older hub on the hub's address: empty pages of every stream it knows, and "unknown
    // stream" for notices, as hub_service.cpp answers a name it does not know.
    httplib::SSLServer old(t.cert.c_str(), t.key.c_str());
    old.set_socket_options([](int fd) {
        int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    std::set<std::string> asked;
    std::mutex mu;
    old.Get("/v1/status", [&](const httplib::Request&, httplib::Response& res) {
        res.set_content(wire::encode(wire::StatusReply{identity_of(*a).terminal_id, now_ms(), 0, std::nullopt}),
                        "application/json");
    });
    old.Get("/v1/pull", [&](const httplib::Request& q, httplib::Response& res) {
        std::string stream = q.get_param_value("stream");
        {
            std::lock_guard lock(mu);
            asked.insert(stream);
        }
        if (stream == "notices") {
            res.status = 400;
            res.set_content(R"({"error":"bad_request","message":"unknown stream"})",
                            "application/json");
            return;
        }
        wire::PullPage p;
        p.stream = *wire::parse_stream(stream);
        p.epoch = a->setting("sync.epoch." + stream).value_or("");
        p.cursor = std::stoll(q.get_param_value("cursor"));
        res.set_content(wire::encode(p), "application/json");
    });
    REQUIRE(old.bind_to_port("127.0.0.1", t.hub.port()));
    std::thread serving([&] { old.listen_after_bind(); });
    sync::SyncStatus s2;
    CHECK(sync::sync_once(*a, fast_options(), s2));
    CHECK(s2.last_error.empty());
    CHECK(a->notices().empty());
    CHECK(asked.count("notices") == 1);
    CHECK(asked.count("attendees") == 1);
    old.stop();
    serving.join();
}
