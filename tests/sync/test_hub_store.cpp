// The hub's storage and request handling without HTTP: enrolment codes, exactly-once ingest,
// quarantine reasons, revocation, paged downloads with tombstones, the attendee registry reader
// and when listings were collected.
#include <catch2/catch.hpp>

#include "kiosk/domain/event_codec.hpp"
#include "kiosk/domain/reports.hpp"
#include "sync/hub/hub_cli.hpp"
#include "sync/hub/hub_rows.hpp"
#include "sync/hub/hub_server.hpp"
#include "sync/hub/hub_service.hpp"
#include "sync/hub/hub_store.hpp"
#include "kiosk/store/people.hpp"
#include "tests/sync/pg_cluster.hpp"
#include "tests/sync/sync_test_util.hpp"
#include "sync/wire/wire.hpp"

#include <sqlite3.h>

#include <fstream>
#include <map>
#include <set>
#include <thread>

using namespace jf;
using namespace jf::hub;
using jf::test::open_test_hub;
using jf::test::TempDir;

namespace {

struct Terminal {
    std::unique_ptr<Store> store;
    TerminalIdentity id;
    std::string token;
};

Terminal enrol(HubService& svc, HubStore& hub, const TempDir& dir, const std::string& name,
               const std::string& fair = "F1") {
    auto code = new_enrol_code();
    REQUIRE(hub.add_enrol_code(code_hash(code), fair, "entrance", now_ms() + 60000));
    Terminal t;
    t.id.key = SigningKey::generate();
    auto r = svc.enroll(wire::encode(wire::EnrollRequest{1, code, t.id.key.public_key, name}));
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

wire::UploadRequest batch(const Terminal& t, int64_t after = 0, size_t limit = 1000) {
    wire::UploadRequest q;
    q.terminal_id = t.id.terminal_id;
    q.device_now = now_ms();
    for (auto& e : t.store->events_after(after, limit))
        q.events.push_back({e.seq, e.uuid, e.kind, e.body, e.signature, e.device_time});
    return q;
}

wire::UploadResponse upload(HubService& svc, const Terminal& t, const wire::UploadRequest& q) {
    auto r = svc.upload(t.token, wire::encode(q));
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto a = wire::decode_upload_response(r.body);
    REQUIRE(a);
    return *a;
}

} // namespace

TEST_CASE("an enrolment code works once and expires") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    HubService svc(*hub, "sha256//pin");
    auto code = new_enrol_code();
    REQUIRE(hub->add_enrol_code(code_hash(code), "F1", "station", now_ms() + 60000));
    auto key = SigningKey::generate();
    // Typed in lower case with spaces: still the same code.
    std::string typed = code;
    for (auto& c : typed)
        c = static_cast<char>(std::tolower(c));
    auto first = svc.enroll(wire::encode(wire::EnrollRequest{1, typed, key.public_key, "t"}));
    REQUIRE(first.status == 200);
    auto s = wire::decode_enroll_response(first.body);
    REQUIRE(s);
    CHECK(s->mode == "station");
    CHECK(s->tls_pin == "sha256//pin");
    CHECK(s->hub_seal_public_key == hub->keys().seal.public_key);
    auto again = svc.enroll(wire::encode(wire::EnrollRequest{1, code, key.public_key, "t"}));
    CHECK(again.status == 403);
    CHECK(wire::decode_error(again.body)->error == "code_used");

    auto old = new_enrol_code();
    REQUIRE(hub->add_enrol_code(code_hash(old), "F1", "station", now_ms() - 1));
    auto late = svc.enroll(wire::encode(wire::EnrollRequest{1, old, key.public_key, "t"}));
    CHECK(wire::decode_error(late.body)->error == "code_expired");
    auto unknown =
        svc.enroll(wire::encode(wire::EnrollRequest{1, "AAAA-BBBB", key.public_key, "t"}));
    CHECK(wire::decode_error(unknown.body)->error == "code_unknown");
    CHECK(svc.enroll("{nonsense").status == 400);
    CHECK(hub->terminals().size() == 1);
}

TEST_CASE("uploaded events are stored exactly once and acknowledged") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    HubService svc(*hub, "");
    auto t = enrol(svc, *hub, dir, "t1");
    REQUIRE(test::record_events(*t.store, t.id, 50) == 50);
    auto q = batch(t);
    auto a = upload(svc, t, q);
    CHECK(a.acked_seq == 50);
    CHECK(a.stored == 50);
    CHECK(a.quarantined == 0);
    // The acknowledgement was lost: the same batch again stores nothing new.
    auto b = upload(svc, t, q);
    CHECK(b.stored == 0);
    CHECK(b.duplicates == 50);
    CHECK(b.acked_seq == 50);
    CHECK(hub->event_count() == 50);
    // Of the 50: 10 placements, 5 booth intents, 3 station services, 3 needs lists, 2 undone
    // check-ins, and 27 check-ins (sync_test_util.hpp's record_events).
    CHECK(hub->check_ins("F1").size() == 27);
    auto day = hub->fair_day("F1");
    REQUIRE(day.intents.size() == 5);
    CHECK(day.intents[0].attendee_id == "A1");
    CHECK(day.intents[0].level == IntentLevel::Interview);
    CHECK(day.services.size() == 3);
    REQUIRE(day.needs.size() == 3);
    CHECK(day.needs[0].attendee_id == "A7");
    CHECK(day.needs[0].industries == std::vector<std::string>{"制造业", "建筑业"});
    CHECK(day.needs[0].skill == "intermediate");
    REQUIRE(day.undos.size() == 2);
    CHECK(day.undos[0].attendee_id == "A12");
    CHECK(hub->fair_day("F2").intents.empty());
    CHECK(hub->fair_day().intents.size() == 5);
    auto placements = hub->placement_versions("F1");
    REQUIRE(placements.size() == 10);
    CHECK(placements[0].record.person_name == "张4");
    CHECK(placements[0].record.employer_name == "奇瑞汽车股份有限公司");
    CHECK(placements[0].received_at > 0);
    // Every stored event carries the exact bytes and a signature valid for the terminal key.
    for (auto& e : hub->events(t.id.terminal_id))
        CHECK(verify(t.id.key.public_key, signature_domain(e.kind), e.body, e.signature));
    auto row = hub->terminal(t.id.terminal_id);
    REQUIRE(row);
    CHECK(row->acked_seq == 50);
    CHECK(row->events == 50);
    CHECK_FALSE(row->clock_off());
}

TEST_CASE("tampered or unverifiable events go to quarantine with the reason") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    HubService svc(*hub, "");
    auto t = enrol(svc, *hub, dir, "t1");
    auto other = enrol(svc, *hub, dir, "t2");
    REQUIRE(test::record_events(*t.store, t.id, 6) == 6);
    auto q = batch(t);
    q.events[0].body.back() ^= 0x01;      // a flipped bit
    q.events[1].signature = Bytes(10, 1); // not a signature
    q.events[2].kind = "payment";         // unknown kind
    q.events[3].signature = other.id.key.sign(signature_domain(q.events[3].kind), q.events[3].body);
    q.events[5].device_time += 1; // envelope disagrees with signed body
    auto a = upload(svc, t, q);
    CHECK(a.acked_seq == 6);
    CHECK(a.stored == 1);
    CHECK(a.quarantined == 5);
    auto qrows = hub->quarantine();
    REQUIRE(qrows.size() == 5);
    CHECK(qrows[0].reason == "signature_invalid");
    CHECK(qrows[1].reason == "signature_malformed");
    CHECK(qrows[2].reason == "unknown_kind");
    CHECK(qrows[3].reason == "signature_invalid");
    CHECK(qrows[4].reason == "envelope_mismatch");
    CHECK(qrows[0].body == q.events[0].body); // kept as received, for staff to examine
    // Sent again: nothing is quarantined twice, nothing stored twice.
    auto b = upload(svc, t, q);
    CHECK(b.quarantined == 0);
    CHECK(hub->quarantine().size() == 5);
    CHECK(hub->event_count() == 1);

    // Another terminal's event replayed under this token, and a uuid reused with other bytes.
    REQUIRE(test::record_events(*other.store, other.id, 1) == 1);
    auto foreign = batch(other);
    foreign.terminal_id = t.id.terminal_id;
    foreign.events[0].seq = 7;
    CHECK(upload(svc, t, foreign).quarantined == 1);
    auto reuse = batch(t, 3, 1); // seq 4, stored above
    reuse.events[0].seq = 8;
    reuse.events[0].body.push_back(' ');
    CHECK(upload(svc, t, reuse).quarantined == 1);
    auto reasons = hub->quarantine();
    CHECK(reasons[5].reason == "signature_invalid"); // signed by the other terminal's key
    CHECK(reasons[6].reason == "signature_invalid");
}

TEST_CASE("a revoked terminal is refused; unknown tokens too") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    HubService svc(*hub, "");
    auto t = enrol(svc, *hub, dir, "t1");
    REQUIRE(test::record_events(*t.store, t.id, 3) == 3);
    REQUIRE(hub->revoke_terminal(t.id.terminal_id, now_ms()));
    CHECK_FALSE(hub->revoke_terminal(t.id.terminal_id, now_ms()));
    auto r = svc.upload(t.token, wire::encode(batch(t)));
    CHECK(r.status == 403);
    CHECK(wire::decode_error(r.body)->error == "terminal_revoked");
    CHECK(svc.pull(t.token, "fairs", "0", "", "").status == 403);
    CHECK(svc.upload("bogus", wire::encode(batch(t))).status == 401);
    CHECK(svc.upload("", "{}").status == 401);
    CHECK(hub->event_count() == 0);
}

TEST_CASE("downloads page through changes, tombstones and epochs") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    HubService svc(*hub, "");
    auto t = enrol(svc, *hub, dir, "t1");
    for (int i = 0; i < 25; ++i) {
        JobListing l;
        l.id = "L" + std::to_string(i);
        l.title = "岗位" + std::to_string(i);
        l.employer_name = "单位";
        l.work_location = "芜湖";
        l.contact_phone = "13855380000";
        l.deadline = {2030, 1, 1};
        REQUIRE(hub->upsert_listing(l));
    }
    REQUIRE(hub->delete_listing("L3"));
    std::vector<wire::PullItem> all;
    int64_t cursor = 0;
    std::string epoch;
    int pages = 0;
    for (;;) {
        auto r = svc.pull(t.token, "listings", std::to_string(cursor), epoch, "10");
        REQUIRE(r.status == 200);
        auto p = wire::decode_pull_page(r.body);
        REQUIRE(p);
        ++pages;
        all.insert(all.end(), p->items.begin(), p->items.end());
        cursor = p->cursor;
        epoch = p->epoch;
        if (!p->more) break;
    }
    CHECK(pages == 3);
    REQUIRE(all.size() == 25); // L3 appears once, as its tombstone (its newest version)
    CHECK(all.back().id == "L3");
    CHECK(all.back().deleted);
    // Nothing new: an empty page at the same cursor.
    auto idle = wire::decode_pull_page(
        svc.pull(t.token, "listings", std::to_string(cursor), epoch, "10").body);
    CHECK(idle->items.empty());
    CHECK(idle->cursor == cursor);
    // A new epoch sends the terminal back to a snapshot.
    REQUIRE(hub->new_epoch());
    auto reset = wire::decode_pull_page(
        svc.pull(t.token, "listings", std::to_string(cursor), epoch, "10").body);
    CHECK(reset->reset);
    CHECK(reset->items.size() == 10);
    CHECK(reset->items.front().version == 2); // 1 was the terminal's key, published at enrolment
    CHECK(svc.pull(t.token, "nonsense", "0", "", "").status == 400);
    CHECK(svc.pull(t.token, "fairs", "-1", "", "").status == 400);
}

TEST_CASE("a terminal whose clock is off is flagged; device and receive times are both kept") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    HubService svc(*hub, "");
    auto t = enrol(svc, *hub, dir, "t1");
    REQUIRE(test::record_events(*t.store, t.id, 3) == 3);
    auto q = batch(t);
    q.device_now = now_ms() + 10 * 60 * 1000; // ten minutes fast
    upload(svc, t, q);
    auto row = hub->terminal(t.id.terminal_id);
    REQUIRE(row);
    CHECK(row->clock_off());
    CHECK(row->clock_offset_ms > 9 * 60 * 1000);
    auto ev = hub->events(t.id.terminal_id);
    REQUIRE(ev.size() == 3);
    CHECK(ev[0].device_time == t.store->events_after(0, 1)[0].device_time);
    CHECK(ev[0].received_at >= ev[0].device_time);
    // The status probe corrects it once the clock is set right.
    CHECK(svc.status(t.token, std::to_string(now_ms())).status == 200);
    CHECK_FALSE(hub->terminal(t.id.terminal_id)->clock_off());
}

TEST_CASE(
    "the attendee registry is imported sealed and masked; terminals download no plain numbers",
    "[sqlite]") {
    crypto_init();
    TempDir dir;
    auto hub = open_hub_store(dir.str("hub"));
    REQUIRE(hub);
    HubService svc(*hub, "");
    REQUIRE(hub->upsert_fair(Fair{"F1", "C1", "招聘会", "无为市", "", Date{2024, 2, 23}}));
    auto t = enrol(svc, *hub, dir, "t1");
    std::ofstream(dir.str("people.csv"))
        << "姓名,编号,手机号码,身份证号码,性别,拼音首字母,重点群体,活动\n"
           "张伟,A1,138 5538 5678,11010519491231002X,男,zw,农民工;残疾人,C1\n"
           "李娜,A2,12345,,女,ln,,C1\n"
           "王芳,A3,+86 13955381234,,女,wf,高校毕业生,C1\n";
    auto keys = hub->keys();
    auto imp = read_attendees_csv(dir.str("people.csv"), keys.seal.public_key);
    REQUIRE(imp.attendees.size() == 2);
    REQUIRE(imp.problems.size() == 1);
    CHECK(imp.problems[0].rfind("row 3: err.phone", 0) == 0);
    for (auto& a : imp.attendees)
        REQUIRE(hub->upsert_attendee(a));
    auto page = wire::decode_pull_page(svc.pull(t.token, "attendees", "0", "", "").body);
    REQUIRE(page);
    REQUIRE(page->items.size() == 2);
    auto& zw = *page->items[0].attendee;
    CHECK(zw.phone_masked == "138****5678");
    CHECK(zw.id_masked == "1101**********002X");
    CHECK(zw.key_groups == (kMigrantWorker | kDisabled));
    // The terminal gets what its screens show: no hash, no sealed copy. Only the hub opens its own.
    CHECK(zw.phone_hash.empty());
    CHECK(zw.sealed_phone.empty());
    CHECK(zw.sealed_id.empty());
    auto registry = hub->attendees();
    REQUIRE(registry.size() == 2);
    CHECK(open_sealed(keys.seal, *from_base64(registry[0].sealed_phone)) == "13855385678");
    REQUIRE(t.store->upsert_attendee(zw));
    CHECK(t.store->find_attendees(person_query("13855385678", "")).size() == 1);
    // Neither the hub's file nor the page carries a plain number.
    hub.reset();
    std::ifstream db(dir.str("hub/hub.db"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
    std::ifstream wal(dir.str("hub/hub.db-wal"), std::ios::binary);
    bytes.append((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
    CHECK(bytes.find("13855385678") == std::string::npos);
    CHECK(bytes.find("11010519491231002X") == std::string::npos);
    CHECK(wire::encode(*page).find("13855385678") == std::string::npos);
}

TEST_CASE("the serve configuration file: known settings, comments, clear errors") {
    TempDir dir;
    std::ofstream(dir.str("hub.conf")) << "# the county hub\nlisten = 0.0.0.0\nport = 9443  # TLS\n"
                                          "cert = /etc/jobfair/cert.pem\nkey=/etc/jobfair/key.pem\n"
                                          "data_dir = /var/lib/jobfair-hub\nworkers = 32\n";
    ServeConfig cfg;
    std::string err;
    REQUIRE(load_config(dir.str("hub.conf"), cfg, &err));
    CHECK(cfg.listen == "0.0.0.0");
    CHECK(cfg.port == 9443);
    CHECK(cfg.key == "/etc/jobfair/key.pem");
    CHECK(cfg.data_dir == "/var/lib/jobfair-hub");
    CHECK(cfg.workers == 32);
    std::ofstream(dir.str("bad.conf")) << "port = many\n";
    CHECK_FALSE(load_config(dir.str("bad.conf"), cfg, &err));
    CHECK(err.find("bad.conf:1") != std::string::npos);
    std::ofstream(dir.str("typo.conf")) << "prot = 1\n";
    CHECK_FALSE(load_config(dir.str("typo.conf"), cfg, &err));
    CHECK(err.find("unknown setting 'prot'") != std::string::npos);
    CHECK_FALSE(load_config(dir.str("missing.conf"), cfg, &err));
    // Numbers a hub cannot run with are refused with the line, the range and the value, in
    // Chinese and English, and change nothing (stoi took "-5", "9999999999" threw, "8x" was 8).
    for (auto [line, range] : {std::pair{"workers = -5", "1 到 256"},
                               {"port = 99999", "0 到 65535"},
                               {"max_header_bytes = 9999999999", "1024 到 1048576"},
                               {"header_timeout = 8x", "1 到 3600"},
                               {"rate_per_address = -1", "0 到 1000000"},
                               {"rate_per_terminal = nan", "0 到 1000000"}}) {
        INFO(line);
        std::ofstream(dir.str("range.conf")) << "# tuned\n" << line << "\n";
        ServeConfig before;
        ServeConfig got = before;
        CHECK_FALSE(load_config(dir.str("range.conf"), got, &err));
        CHECK(err.find("range.conf:2: ") != std::string::npos);
        CHECK(err.find(range) != std::string::npos);
        CHECK(err.find(" must be a") != std::string::npos);
        CHECK(got.workers == before.workers);
        CHECK(got.port == before.port);
        CHECK(got.max_header_bytes == before.max_header_bytes);
        CHECK(got.header_timeout_s == before.header_timeout_s);
        CHECK(got.rate_per_address == before.rate_per_address);
    }
}

TEST_CASE("an enrolled terminal's key is published as a terminal key and withdrawn on revocation") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    REQUIRE(hub->upsert_issuer_key("40bca4ea", Bytes(32, 9)));
    HubService svc(*hub, "");
    auto a = enrol(svc, *hub, dir, "a");
    auto b = enrol(svc, *hub, dir, "b", "F2");
    auto keys = wire::decode_pull_page(svc.pull(b.token, "issuer_keys", "0", "", "").body);
    REQUIRE(keys);
    REQUIRE(keys->items.size() == 3);
    std::map<std::string, wire::PullItem> by_id;
    for (auto& it : keys->items)
        by_id[it.id] = it;
    CHECK(by_id.at("40bca4ea").issuer_kind == "hub");
    CHECK(by_id.at(a.id.key.key_id()).issuer_kind == "terminal");
    CHECK(by_id.at(a.id.key.key_id()).issuer_fair_id == "F1");
    CHECK(by_id.at(a.id.key.key_id()).issuer_public_key == a.id.key.public_key);
    CHECK(by_id.at(b.id.key.key_id()).issuer_fair_id == "F2");

    REQUIRE(hub->revoke_terminal(a.id.terminal_id, now_ms()));
    CHECK_FALSE(hub->revoke_terminal(a.id.terminal_id, now_ms())); // once
    auto after = wire::decode_pull_page(
        svc.pull(b.token, "issuer_keys", std::to_string(keys->cursor), keys->epoch, "").body);
    REQUIRE(after);
    REQUIRE(after->items.size() == 1);
    CHECK(after->items[0].id == a.id.key.key_id());
    CHECK(after->items[0].deleted);
    for (auto& k : hub->issuer_keys())
        CHECK(k.key_id != a.id.key.key_id());

    // The same key cannot be enrolled again, even after revocation, nor a hub key's id taken.
    auto code = new_enrol_code();
    REQUIRE(hub->add_enrol_code(code_hash(code), "F1", "entrance", now_ms() + 60000));
    auto again = svc.enroll(wire::encode(wire::EnrollRequest{1, code, a.id.key.public_key, "x"}));
    CHECK(again.status == 409);
    CHECK(wire::decode_error(again.body)->error == "key_conflict");
}

TEST_CASE("a hub made before terminal keys were published publishes them when opened", "[sqlite]") {
    crypto_init();
    TempDir dir;
    Bytes a_key, revoked_key;
    {
        auto hub = open_hub_store(dir.str("hub"));
        REQUIRE(hub);
        HubService svc(*hub, "");
        auto a = enrol(svc, *hub, dir, "a");
        auto gone = enrol(svc, *hub, dir, "gone");
        a_key = a.id.key.public_key;
        revoked_key = gone.id.key.public_key;
        REQUIRE(hub->revoke_terminal(gone.id.terminal_id, now_ms()));
    }
    {
        // Back to the earlier layout: issuer keys without kind or fair, none for terminals.
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(dir.str("hub/hub.db").c_str(), &db) == SQLITE_OK);
        for (const char* sql :
             {"DELETE FROM issuer_keys", "ALTER TABLE issuer_keys DROP COLUMN kind",
              "ALTER TABLE issuer_keys DROP COLUMN fair_id", "PRAGMA user_version=1"})
            REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    auto hub = open_hub_store(dir.str("hub"));
    REQUIRE(hub);
    auto keys = hub->issuer_keys();
    REQUIRE(keys.size() == 1); // the active terminal's, not the revoked one's
    CHECK(keys[0].public_key == a_key);
    CHECK(keys[0].kind == "terminal");
    CHECK(keys[0].fair_id == "F1");
    hub.reset();
    CHECK(open_hub_store(dir.str("hub"))->issuer_keys().size() == 1); // once
}

TEST_CASE("the hub stamps each listing once with when it was collected and sends it", "[sqlite]") {
    crypto_init();
    TempDir dir;
    JobListing l;
    l.id = "L-1";
    l.employer_name = "奇瑞汽车股份有限公司";
    l.title = "焊工";
    l.work_location = "芜湖";
    l.contact_phone = "13855380000";
    l.deadline = {2030, 1, 1};
    TimeMs first = 0;
    {
        auto hub = open_hub_store(dir.str("hub"));
        REQUIRE(hub);
        TimeMs before = now_ms() / 1000 * 1000; // SQLite's clock counts whole seconds
        REQUIRE(hub->upsert_listings({}, {l}));
        first = hub->listings().at(0).collected_at;
        CHECK(first >= before);
        CHECK(first <= now_ms());
        // Imported again, changed, even with another time: the first collection stays.
        l.headcount = 4;
        l.collected_at = 1708300800000;
        REQUIRE(hub->upsert_listings({}, {l}));
        REQUIRE(hub->upsert_listing(l));
        CHECK(hub->listings().at(0).collected_at == first);
        CHECK(hub->listings().at(0).headcount == 4);
        // A listing entered with its time keeps it; the download carries it.
        l.id = "L-2";
        REQUIRE(hub->upsert_listing(l));
        auto items = hub->changes(wire::Stream::Listings, 0, 10, nullptr);
        REQUIRE(items.size() == 2);
        REQUIRE(items[0].listing);
        CHECK(items[0].listing->collected_at == first);
        REQUIRE(items[1].listing);
        CHECK(items[1].listing->collected_at == 1708300800000);
        // Deleted and collected again later: a new collection.
        REQUIRE(hub->delete_listing("L-2"));
        l.collected_at = 0;
        REQUIRE(hub->upsert_listing(l));
        CHECK(hub->listings().at(1).collected_at >= first);
    }
    {
        // A hub made before listings kept the time: the upgrade stamps them once.
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(dir.str("hub/hub.db").c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "ALTER TABLE listings DROP COLUMN collected_at", nullptr, nullptr,
                             nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    TimeMs before = now_ms() / 1000 * 1000;
    auto hub = open_hub_store(dir.str("hub"));
    REQUIRE(hub);
    auto all = hub->listings();
    REQUIRE(all.size() == 2);
    for (auto& x : all) {
        CHECK(x.collected_at >= before);
        CHECK(x.collected_at <= now_ms());
    }
    TimeMs stamped = all[0].collected_at;
    hub.reset();
    CHECK(open_hub_store(dir.str("hub"))->listings().at(0).collected_at == stamped); // once
}

TEST_CASE("a page of any stream is a range of its version index, not a scan of its table",
          "[sqlite]") {
    crypto_init();
    TempDir dir;
    REQUIRE(open_hub_store(dir.str("hub")));
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(dir.str("hub/hub.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
            SQLITE_OK);
    for (const char* table : {"campaigns", "fairs", "employers", "listings", "attendees",
                              "revocations", "issuer_keys", "notices"}) {
        std::string sql = std::string("EXPLAIN QUERY PLAN SELECT version, deleted, id FROM ") +
                          table + " WHERE version>? ORDER BY version LIMIT ?";
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        std::string plan;
        while (sqlite3_step(st) == SQLITE_ROW)
            plan += reinterpret_cast<const char*>(sqlite3_column_text(st, 3)) + std::string("; ");
        sqlite3_finalize(st);
        INFO(table << ": " << plan);
        CHECK(plan.find("USING INDEX " + std::string(table) + "_version") != std::string::npos);
        CHECK(plan.find("TEMP B-TREE") == std::string::npos); // no sort of the whole table
    }
    // A page limited to a terminal's unions: one range of (union_unit, version) per union.
    sqlite3_stmt* st = nullptr;
    std::string sql = "EXPLAIN QUERY PLAN " + rows::changes_sql(wire::Stream::Listings, 3, '?');
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    int ranges = 0;
    std::string plan;
    while (sqlite3_step(st) == SQLITE_ROW) {
        std::string step = reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
        plan += step + "; ";
        ranges += step.find("USING INDEX listings_union_version (union_unit=? AND version>?)") !=
                  std::string::npos;
    }
    sqlite3_finalize(st);
    INFO(plan);
    CHECK(ranges == 3);
    // An attendees page reads the registrations of the terminal's fair only.
    REQUIRE(sqlite3_prepare_v2(db,
                               "EXPLAIN QUERY PLAN SELECT attendee_id FROM registrations "
                               "WHERE fair_id=? ORDER BY received_at, terminal_id, seq",
                               -1, &st, nullptr) == SQLITE_OK);
    plan.clear();
    while (sqlite3_step(st) == SQLITE_ROW)
        plan += reinterpret_cast<const char*>(sqlite3_column_text(st, 3)) + std::string("; ");
    sqlite3_finalize(st);
    INFO(plan);
    CHECK(plan.find("USING INDEX registrations_fair") != std::string::npos);
    sqlite3_close(db);
}

TEST_CASE("a fair's Today figures are counted from its own records, corrections resolved") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    HubService svc(*hub, "");
    auto t = enrol(svc, *hub, dir, "t1");
    const TimeMs ten = cst_midnight(Date{2024, 2, 23}) + 10 * 3600000; // 10:00 CST
    int64_t seq = 0;
    std::vector<IngestItem> items;
    auto check_in = [&](const std::string& fair, const std::string& who, TimeMs at,
                        Verdict v = Verdict::CheckedIn) {
        IngestItem it;
        it.event = {++seq, new_uuid(), "checkin", {}, {}, at};
        CheckIn c;
        c.h = {it.event.uuid, t.id.terminal_id, seq, at};
        c.attendee_id = who;
        c.fair_id = fair;
        c.verdict = v;
        it.event.body = to_bytes(encode(c));
        it.check_in = c;
        items.push_back(it);
    };
    auto placement = [&](const std::string& fair, PlacementAction action, const std::string& id,
                         const std::string& corrects) {
        IngestItem it;
        it.event = {++seq, new_uuid(), "placement", {}, {}, ten};
        Placement p;
        p.h = {it.event.uuid, t.id.terminal_id, seq, ten};
        p.placement_id = id.empty() ? it.event.uuid : id;
        p.action = action;
        p.corrects = corrects;
        p.attendee_id = "A" + std::to_string(seq);
        p.fair_id = fair;
        p.employer_name = "单位";
        p.person_name = "张三";
        p.start_date = p.signed_date = Date{2024, 2, 23};
        it.event.body = to_bytes(encode(p));
        it.placement = p;
        items.push_back(it);
        return it.event.uuid;
    };
    check_in("F1", "A1", ten);
    check_in("F1", "A1", ten + 60000); // the same person again
    check_in("F1", "A2", ten + 3600000);
    check_in("F1", "A1", ten + 120000, Verdict::AlreadyCheckedIn); // refused scans are not counted
    check_in("F1", "A9", ten, Verdict::Expired);
    check_in("F2", "A3", ten);
    placement("F1", PlacementAction::Original, "", "");
    auto corrected = placement("F1", PlacementAction::Original, "", "");
    placement("F1", PlacementAction::Correction, corrected, corrected);
    auto voided = placement("F1", PlacementAction::Original, "", "");
    placement("F1", PlacementAction::Void, voided, voided);
    placement("F2", PlacementAction::Original, "", "");
    REQUIRE(hub->ingest(t.id.terminal_id, items, now_ms()).ok);

    auto n = hub->fair_counts("F1");
    CHECK(n.check_ins == 3);
    CHECK(n.people == 2);
    CHECK(n.placements == 2); // one original, one corrected; the voided one is gone
    CHECK(n.per_hour[10] == 2);
    CHECK(n.per_hour[11] == 1);
    // The same as reading every record of the fair and resolving it.
    std::vector<Placement> versions;
    for (auto& p : hub->placement_versions("F1"))
        versions.push_back(p.record);
    CHECK(n.placements == static_cast<int64_t>(resolve_placements(versions).current.size()));
    CHECK(n.check_ins == static_cast<int64_t>(hub->check_ins("F1").size()) - 2);
    auto other = hub->fair_counts("F2");
    CHECK(other.people == 1);
    CHECK(other.placements == 1);
    CHECK(hub->fair_counts("F-none").check_ins == 0);
}

TEST_CASE("a report period reads the placements that may count in it, not the season's") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    HubService svc(*hub, "");
    auto t = enrol(svc, *hub, dir, "t1");
    Fair f;
    f.id = "F1";
    f.union_unit = "无为市";
    f.date = Date{2024, 2, 10};
    REQUIRE(hub->upsert_fair(f));
    int64_t seq = 0;
    std::vector<IngestItem> items;
    // A version dated `day`, recorded at 12:00 CST of `on`.
    auto placement = [&](Date day, Date on, const std::string& id = {},
                         PlacementAction action = PlacementAction::Original) {
        IngestItem it;
        TimeMs at = cst_midnight(on) + 12 * 3600000;
        it.event = {++seq, new_uuid(), "placement", {}, {}, at};
        Placement p;
        p.h = {it.event.uuid, t.id.terminal_id, seq, at};
        p.placement_id = id.empty() ? it.event.uuid : id;
        p.action = action;
        p.corrects = id;
        p.attendee_id = "A" + std::to_string(seq);
        p.fair_id = "F1";
        p.employer_name = "单位";
        p.person_name = "张三";
        p.start_date = p.signed_date = day;
        it.event.body = to_bytes(encode(p));
        it.placement = p;
        items.push_back(it);
        return it.event.uuid;
    };
    // 2024-W08 runs from Thursday 2024-02-15 10:00 to Thursday 2024-02-22 10:00.
    auto in_week = placement(Date{2024, 2, 19}, Date{2024, 2, 19});
    auto late = placement(Date{2024, 2, 5}, Date{2024, 2, 20}); // an earlier day, recorded late
    auto before = placement(Date{2024, 2, 5}, Date{2024, 2, 5});
    auto moved = placement(Date{2024, 2, 6}, Date{2024, 2, 6}); // corrected into the week
    placement(Date{2024, 2, 21}, Date{2024, 2, 21}, moved, PlacementAction::Correction);
    auto ahead = placement(Date{2024, 3, 4}, Date{2024, 2, 16}); // starts in March
    auto after = placement(Date{2024, 3, 1}, Date{2024, 3, 1});
    REQUIRE(hub->ingest(t.id.terminal_id, items, now_ms()).ok);

    auto w8 = ReportWeek::parse("2024-W08")->period();
    std::multiset<std::string> chains;
    for (auto& p : hub->period_placement_versions(w8))
        chains.insert(p.record.placement_id);
    CHECK(chains == std::multiset<std::string>{in_week, late, moved, moved, ahead});
    CHECK(hub->period_placement_versions(ReportWeek::parse("2023-W40")->period()).empty());

    // Every week's and a whole-day period's forms from the period's placements equal those from
    // every placement the hub holds.
    ReportInput all;
    all.fairs = hub->fairs();
    for (auto& p : hub->placement_versions())
        all.placements.push_back(p.record);
    std::vector<ReportPeriod> periods;
    for (const char* w : {"2024-W05", "2024-W06", "2024-W07", "2024-W08", "2024-W09", "2024-W10"})
        periods.push_back(ReportWeek::parse(w)->period());
    periods.push_back(*parse_period("20240201-20240229"));
    int64_t placed = 0;
    for (auto& period : periods) {
        INFO(period.label);
        ReportInput some;
        some.fairs = all.fairs;
        for (auto& p : hub->period_placement_versions(period))
            some.placements.push_back(p.record);
        CHECK(some.placements.size() < all.placements.size());
        auto a = build_detail(all, period), b = build_detail(some, period);
        REQUIRE(a.rows.size() == b.rows.size());
        for (size_t i = 0; i < a.rows.size(); ++i)
            CHECK(a.rows[i].placement_id == b.rows[i].placement_id);
        CHECK(build_summary(all, period).total.placed == build_summary(some, period).total.placed);
        if (period.weekly) placed += static_cast<int64_t>(b.rows.size());
    }
    CHECK(placed == 6); // every placement in exactly one week: `moved` once, as corrected
}

TEST_CASE("an account's 附件5 download digests are kept per week and union, replaced per union") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    CHECK(hub->report_digests("sup", "2024-W08").empty());
    REQUIRE(hub->set_report_digests("sup", "2024-W08", {{"无为市", "a1"}, {"南陵县", "b1"}}, 1));
    REQUIRE(hub->set_report_digests("sup", "2024-W09", {{"无为市", "c1"}}, 2));
    REQUIRE(hub->set_report_digests("ww", "2024-W08", {{"无为市", "d1"}}, 3));
    REQUIRE(hub->set_report_digests("sup", "2024-W08", {{"南陵县", "b2"}}, 4));
    using M = std::map<std::string, std::string>;
    CHECK(hub->report_digests("sup", "2024-W08") == M{{"无为市", "a1"}, {"南陵县", "b2"}});
    CHECK(hub->report_digests("sup", "2024-W09") == M{{"无为市", "c1"}});
    CHECK(hub->report_digests("ww", "2024-W08") == M{{"无为市", "d1"}});
}

TEST_CASE("a campaign's 附件1 targets are stored in order and replaced whole") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    std::vector<Target> t(2);
    t[0].unit = "南陵县";
    t[1].unit = "无为市";
    for (int m = 0; m < kTargetMeasures; ++m)
        t[0].figures[m] = 100 + m, t[1].figures[m] = 200 + m;
    REQUIRE(hub->set_targets("2024", t));
    auto got = hub->targets("2024");
    REQUIRE(got.size() == 2);
    CHECK(got[0].unit == "南陵县");
    CHECK(got[1].figures[kPlacedYear] == 200 + kPlacedYear);
    CHECK(hub->targets("2025").empty());
    REQUIRE(hub->set_targets("2024", {t[1]}));
    got = hub->targets("2024");
    REQUIRE(got.size() == 1);
    CHECK(got[0].unit == "无为市");
}

TEST_CASE("a county's terminal downloads its county's listings and those of the unions above it") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    HubService svc(*hub, "");
    // Two counties of one city (the seeded tree), and a county of another city.
    REQUIRE(hub->upsert_union({"宣城市", "安徽省", "宣城市总工会", "city"}));
    REQUIRE(hub->upsert_union({"郎溪县", "宣城市", "郎溪县总工会", "county"}));
    const std::pair<std::string, std::string> fairs[] = {
        {"F-WW", "无为市"}, {"F-NL", "南陵县"}, {"F-X", "外省"}};
    for (auto& [fair, unit] : fairs) {
        Fair f;
        f.id = fair;
        f.name = unit + "招聘会";
        f.union_unit = unit;
        f.date = {2030, 3, 1};
        REQUIRE(hub->upsert_fair(f));
    }
    auto add = [&](const std::string& unit, int n) {
        for (int i = 0; i < n; ++i) {
            JobListing l;
            l.id = "L-" + (unit.empty() ? std::string("none") : unit) + "-" + std::to_string(i);
            l.union_unit = unit;
            l.title = "岗位";
            l.employer_name = "单位";
            l.deadline = {2030, 1, 1};
            REQUIRE(hub->upsert_listing(l));
        }
    };
    add("无为市", 14);
    add("南陵县", 12);
    add("郎溪县", 9);
    add("芜湖市", 4);
    add("安徽省", 2);
    add("", 1);
    REQUIRE(hub->delete_listing("L-无为市-0"));
    REQUIRE(hub->delete_listing("L-南陵县-0"));
    auto download = [&](const std::string& fair, const std::string& name) {
        auto t = enrol(svc, *hub, dir, name, fair);
        std::map<std::string, bool> got; // id -> deleted
        int64_t cursor = 0;
        for (int pages = 0; pages < 50; ++pages) {
            auto r = svc.pull(t.token, "listings", std::to_string(cursor), "", "5");
            REQUIRE(r.status == 200);
            auto p = wire::decode_pull_page(r.body);
            REQUIRE(p);
            for (auto& it : p->items) {
                CHECK(it.version > cursor);
                got[it.id] = it.deleted;
            }
            cursor = p->cursor;
            if (!p->more) break;
        }
        return got;
    };
    auto count = [](const std::map<std::string, bool>& got, const std::string& unit) {
        int n = 0;
        for (auto& [id, deleted] : got)
            n += id.rfind("L-" + unit + "-", 0) == 0;
        return n;
    };
    auto ww = download("F-WW", "ww");
    CHECK(count(ww, "无为市") == 14);
    CHECK(ww.at("L-无为市-0")); // its tombstone
    CHECK(count(ww, "芜湖市") == 4);
    CHECK(count(ww, "安徽省") == 2);
    CHECK(count(ww, "none") == 1);
    CHECK(count(ww, "南陵县") == 0);
    CHECK(count(ww, "郎溪县") == 0);
    CHECK(ww.size() == 21);
    auto nl = download("F-NL", "nl");
    CHECK(count(nl, "南陵县") == 12);
    CHECK(nl.at("L-南陵县-0"));
    CHECK(count(nl, "无为市") == 0);
    CHECK(count(nl, "郎溪县") == 0);
    CHECK(nl.size() == 19);
    // A fair whose union the tree does not know: every listing, as before unions existed.
    CHECK(download("F-X", "x").size() == 42);
}

TEST_CASE("station notices reach the terminals of their union and those below, ended ones as "
          "tombstones, and cursors never skip a change") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    HubService svc(*hub, "");
    const std::pair<std::string, std::string> fairs[] = {
        {"F-WW", "无为市"}, {"F-NL", "南陵县"}, {"F-X", "外省"}};
    for (auto& [fair, unit] : fairs) {
        Fair f;
        f.id = fair;
        f.name = unit + "招聘会";
        f.union_unit = unit;
        f.date = {2030, 3, 1};
        REQUIRE(hub->upsert_fair(f));
    }
    auto notice = [&](const std::string& id, const std::string& unit, const std::string& text) {
        StationNotice n;
        n.id = id;
        n.union_unit = unit;
        n.text = text;
        n.starts_at = 1708646400000;
        n.ends_at = 1708905600000;
        return n;
    };
    bool saved = hub->upsert_notice(notice("N-WW", "无为市", "无为市的通知"));
    INFO(hub->last_error());
    REQUIRE(saved);
    REQUIRE(hub->upsert_notice(notice("N-NL", "南陵县", "南陵县的通知")));
    REQUIRE(hub->upsert_notice(notice("N-CITY", "芜湖市", "芜湖市的通知")));
    auto changed = notice("N-WW", "无为市", "无为市的通知（改）");
    changed.fair_ids = {"F-WW"};
    REQUIRE(hub->upsert_notice(changed));
    REQUIRE(hub->upsert_notice(notice("N-WW2", "无为市", "将结束")));
    REQUIRE(hub->delete_notice("N-WW2"));
    auto stored = hub->notices();
    REQUIRE(stored.size() == 3);
    for (auto& n : stored)
        if (n.id == "N-WW") {
            CHECK(n.text == "无为市的通知（改）");
            CHECK(n.fair_ids == std::vector<std::string>{"F-WW"});
        }
    // What a terminal of `fair` holds after paging through the stream two items at a time.
    auto download = [&](Terminal& t, int64_t& cursor, std::map<std::string, std::string>& held) {
        for (int pages = 0; pages < 50; ++pages) {
            auto r = svc.pull(t.token, "notices", std::to_string(cursor), "", "2");
            REQUIRE(r.status == 200);
            auto p = wire::decode_pull_page(r.body);
            REQUIRE(p);
            for (auto& it : p->items) {
                CHECK(it.version > cursor);
                if (it.deleted)
                    held.erase(it.id);
                else
                    held[it.id] = it.notice->text;
            }
            cursor = p->cursor;
            if (!p->more) break;
        }
    };
    auto ww = enrol(svc, *hub, dir, "ww", "F-WW");
    int64_t ww_cursor = 0;
    std::map<std::string, std::string> ww_held;
    download(ww, ww_cursor, ww_held);
    CHECK(ww_held == std::map<std::string, std::string>{{"N-WW", "无为市的通知（改）"},
                                                        {"N-CITY", "芜湖市的通知"}});
    auto nl = enrol(svc, *hub, dir, "nl", "F-NL");
    int64_t nl_cursor = 0;
    std::map<std::string, std::string> nl_held;
    download(nl, nl_cursor, nl_held);
    CHECK(nl_held ==
          std::map<std::string, std::string>{{"N-NL", "南陵县的通知"}, {"N-CITY", "芜湖市的通知"}});
    // Ending one: its tombstone reaches the terminal that held it, and only the change moves.
    REQUIRE(hub->delete_notice("N-CITY"));
    download(ww, ww_cursor, ww_held);
    CHECK(ww_held == std::map<std::string, std::string>{{"N-WW", "无为市的通知（改）"}});
    // A fair whose union the tree does not know gets every notice, as with listings.
    auto x = enrol(svc, *hub, dir, "x", "F-X");
    int64_t x_cursor = 0;
    std::map<std::string, std::string> x_held;
    download(x, x_cursor, x_held);
    CHECK(x_held.size() == 2);
    // A stream the hub does not know is refused, as before.
    CHECK(svc.pull(ww.token, "bulletins", "0", "", "2").status == 400);
}

TEST_CASE("two hub processes storing the same batches at once store each event once") {
    if (!test::pg_backend()) {
        SUCCEED("PostgreSQL only: on SQLite one hub process owns hub.db");
        return;
    }
    crypto_init();
    TempDir dir;
    std::string url, err;
    auto a = open_test_hub(dir.str("hub"), &url);
    REQUIRE(a);
    auto b = open_hub_store(dir.str("hub"), &err, url); // a second process's connection
    REQUIRE(b);
    HubService sa(*a, ""), sb(*b, "");
    auto t = enrol(sa, *a, dir, "t1");
    int stored = 0, duplicates = 0;
    for (int round = 0; round < 4; ++round) {
        REQUIRE(test::record_events(*t.store, t.id, 150, round * 150) == 150);
        std::string body = wire::encode(batch(t, round * 150));
        wire::UploadResponse ra, rb;
        std::thread other([&] {
            if (auto r = wire::decode_upload_response(sb.upload(t.token, body).body)) rb = *r;
        });
        auto r = wire::decode_upload_response(sa.upload(t.token, body).body);
        other.join();
        REQUIRE(r);
        ra = *r;
        CHECK(ra.acked_seq == (round + 1) * 150);
        CHECK(rb.acked_seq == (round + 1) * 150);
        stored += ra.stored + rb.stored;
        duplicates += ra.duplicates + rb.duplicates;
        CHECK(ra.quarantined + rb.quarantined == 0);
    }
    CHECK(stored == 600);
    CHECK(duplicates == 600);
    CHECK(a->event_count() == 600);
    size_t check_ins = 0, placements = 0; // what the terminal recorded, kind by kind
    for (auto& e : t.store->events_after(0, 1000)) {
        check_ins += e.kind == "checkin";
        placements += e.kind == "placement";
    }
    CHECK(check_ins > 0);
    CHECK(b->check_ins("F1").size() == check_ins);
    CHECK(b->placement_versions("F1").size() == placements);
}

TEST_CASE("a week's report reads the placements that may count in it, whole chains, no others") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    HubService svc(*hub, "");
    auto t = enrol(svc, *hub, dir, "t1");
    REQUIRE(hub->upsert_fair(Fair{"F1", "", "招聘会", "无为市", "", Date{2024, 1, 3}}));
    auto week = ReportWeek::parse("2024-W08")->period(); // Thu 15 Feb 10:00 – Thu 22 Feb 10:00
    const TimeMs in_week = cst_midnight(Date{2024, 2, 19}) + 9 * 3600000;
    const TimeMs weeks_before = cst_midnight(Date{2024, 1, 10}) + 9 * 3600000;
    int64_t seq = 0;
    std::vector<IngestItem> items;
    auto placement = [&](PlacementAction action, const std::string& corrects, TimeMs at,
                         Date start) {
        IngestItem it;
        it.event = {++seq, new_uuid(), "placement", {}, {}, at};
        Placement p;
        p.h = {it.event.uuid, t.id.terminal_id, seq, at};
        p.placement_id = corrects.empty() ? it.event.uuid : corrects;
        p.action = action;
        p.corrects = corrects;
        p.attendee_id = "A" + std::to_string(seq);
        p.fair_id = "F1";
        p.employer_name = "单位";
        p.person_name = "张三" + std::to_string(seq);
        p.start_date = p.signed_date = start;
        it.event.body = to_bytes(encode(p));
        it.placement = p;
        items.push_back(it);
        return it.event.uuid;
    };
    // Recorded and starting in the week.
    auto a = placement(PlacementAction::Original, "", in_week, Date{2024, 2, 19});
    // Recorded weeks before; a correction in the week moves its start into the week.
    auto b = placement(PlacementAction::Original, "", weeks_before, Date{2024, 1, 10});
    auto b2 = placement(PlacementAction::Correction, b, in_week, Date{2024, 2, 16});
    // Recorded in the week, starting in a later one (counted there: the builders decide).
    auto d = placement(PlacementAction::Original, "", in_week, Date{2024, 3, 1});
    // Weeks before, never touched since: not read.
    auto c = placement(PlacementAction::Original, "", weeks_before, Date{2024, 1, 10});
    for (int i = 0; i < 50; ++i)
        placement(PlacementAction::Original, "", weeks_before, Date{2024, 1, 9});
    REQUIRE(hub->ingest(t.id.terminal_id, items, now_ms()).ok);

    std::set<std::string> read;
    std::vector<Placement> period_versions, all_versions;
    for (auto& p : hub->period_placement_versions(week)) {
        read.insert(p.record.h.uuid);
        period_versions.push_back(p.record);
    }
    CHECK(read == std::set<std::string>{a, b, b2, d});
    CHECK_FALSE(read.count(c));
    // The week's 附件6 from these alone is the one made from every placement.
    for (auto& p : hub->placement_versions())
        all_versions.push_back(p.record);
    ReportInput part, whole;
    part.fairs = whole.fairs = hub->fairs();
    part.placements = period_versions;
    whole.placements = all_versions;
    auto from_part = build_detail(part, week), from_whole = build_detail(whole, week);
    REQUIRE(from_whole.rows.size() == 2);
    REQUIRE(from_part.rows.size() == from_whole.rows.size());
    for (size_t i = 0; i < from_part.rows.size(); ++i) {
        CHECK(from_part.rows[i].person_name == from_whole.rows[i].person_name);
        CHECK(from_part.rows[i].start_date.to_iso() == from_whole.rows[i].start_date.to_iso());
    }
}

TEST_CASE("a period's placements are read through index ranges, not a scan", "[sqlite]") {
    crypto_init();
    TempDir dir;
    REQUIRE(open_hub_store(dir.str("hub")));
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(dir.str("hub/hub.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
            SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    std::string sql = "EXPLAIN QUERY PLAN " + rows::period_placements_sql();
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::string plan;
    while (sqlite3_step(st) == SQLITE_ROW)
        plan += reinterpret_cast<const char*>(sqlite3_column_text(st, 3)) + std::string("; ");
    sqlite3_finalize(st);
    sqlite3_close(db);
    INFO(plan);
    CHECK(plan.find("USING INDEX placements_start") != std::string::npos);
    CHECK((plan.find("USING COVERING INDEX placements_recorded") != std::string::npos ||
           plan.find("USING INDEX placements_recorded") != std::string::npos));
    CHECK(plan.find("USING INDEX placements_chain") != std::string::npos);
    CHECK(plan.find("SCAN placements") == std::string::npos);
}

TEST_CASE("an import reads back the live listings of its batch by id, odd ids too") {
    crypto_init();
    TempDir dir;
    auto hub = open_test_hub(dir.str("hub"));
    REQUIRE(hub);
    std::vector<JobListing> batch;
    for (std::string id : {"L-1", "L-2", "L\"3", "L\\4", "L,5 {x}", "L-6"}) {
        JobListing l;
        l.id = id;
        l.employer_name = "奇瑞汽车股份有限公司";
        l.title = "焊工";
        l.work_location = "芜湖";
        l.contact_phone = "13855380000";
        l.deadline = {2030, 1, 1};
        batch.push_back(l);
    }
    REQUIRE(hub->upsert_listings({}, batch));
    REQUIRE(hub->delete_listing("L-6"));
    std::map<std::string, std::string> got;
    for (auto& l : hub->listings(
             std::vector<std::string>{"L-2", "L\"3", "L\\4", "L,5 {x}", "L-6", "L-missing"}))
        got[l.id] = l.title;
    CHECK(got == std::map<std::string, std::string>{
                     {"L-2", "焊工"}, {"L\"3", "焊工"}, {"L\\4", "焊工"}, {"L,5 {x}", "焊工"}});
    CHECK(hub->listings(std::vector<std::string>{}).empty());
}

