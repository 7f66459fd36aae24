// The terminal store on a real SQLite file: durability pragmas, round trips of every record,
// listing search, check-in dedupe, placement versions, the outbox, and refusals that change
// nothing.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "tests/store/fixture.hpp"

#include "kiosk/domain/event_codec.hpp"
#include "kiosk/i18n/i18n.hpp"

using namespace jf;
using namespace jf::test;

namespace {

std::string pragma(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    std::string v;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

Attendee sample_attendee(std::string id = "A-1") {
    Attendee a;
    a.id = std::move(id);
    a.name = "李娟";
    a.gender = Gender::Female;
    a.key_groups = kMigrantWorker | kRuralLabourer;
    a.phone_masked = "138****5678";
    a.id_masked = "3402**********1234";
    a.sealed_phone = base64(Bytes(60, 7));
    a.sealed_id = base64(Bytes(66, 9));
    a.name_initials = "lj";
    a.union_unit = "无为市";
    a.campaign_id = "C-2024";
    return a;
}

CheckIn draft_check_in(std::string attendee = "A-1", Verdict v = Verdict::CheckedIn) {
    CheckIn c;
    c.attendee_id = std::move(attendee);
    c.fair_id = "F-1";
    c.method = ScanMethod::Camera;
    c.verdict = v;
    c.credential_id = "CRED-" + c.attendee_id;
    return c;
}

} // namespace

TEST_CASE("a new store is durable: WAL, synchronous=FULL, foreign keys, busy timeout") {
    TempDir dir;
    std::string err;
    auto s = Store::open(dir.file("kiosk.db"), &err);
    REQUIRE(s);
    CHECK(err.empty());
    CHECK(pragma(s->handle(), "PRAGMA journal_mode") == "wal");
    CHECK(pragma(s->handle(), "PRAGMA synchronous") == "2"); // FULL
    CHECK(pragma(s->handle(), "PRAGMA foreign_keys") == "1");
    CHECK(s->schema_version() == Store::kSchemaVersion);
    CHECK(pragma(s->handle(), "PRAGMA user_version") == std::to_string(Store::kSchemaVersion));
    // A second writer waits for the first instead of failing.
    {
        auto other = Store::open(dir.file("kiosk.db"));
        REQUIRE(other);
        REQUIRE(sqlite3_exec(other->handle(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) ==
                SQLITE_OK);
        std::thread release([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            sqlite3_exec(other->handle(), "COMMIT", nullptr, nullptr, nullptr);
        });
        CHECK(s->set_setting("waited", "1"));
        release.join();
    }
    s.reset();
    auto again = Store::open(dir.file("kiosk.db"));
    REQUIRE(again);
    CHECK(again->schema_version() == Store::kSchemaVersion);
}

TEST_CASE("opening refuses a missing directory and a newer schema, with a message key") {
    TempDir dir;
    std::string err;
    CHECK_FALSE(Store::open(dir.file("no/such/dir/kiosk.db"), &err));
    CHECK(err == "err.store.open");
    {
        auto s = Store::open(dir.file("kiosk.db"));
        REQUIRE(s);
        sqlite3_exec(s->handle(), "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
    }
    CHECK_FALSE(Store::open(dir.file("kiosk.db"), &err));
    CHECK(err == "err.store.newer_schema");
}

TEST_CASE("reference records round-trip, update in place and delete") {
    TempDir dir;
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);

    Campaign c{"C-2024",     "2024年工会送岗位 乐业在江淮",
               {2024, 1, 1}, {2024, 4, 10},
               {2024, 1, 1}, {2024, 12, 31}};
    REQUIRE(s->upsert_campaign(c));
    auto c2 = s->campaign("C-2024");
    REQUIRE(c2);
    CHECK(c2->name == c.name);
    CHECK(c2->concentrated_until == Date{2024, 4, 10});
    CHECK(c2->year_until == Date{2024, 12, 31});
    CHECK(s->campaigns().size() == 1);

    Fair f{"F-1",
           "C-2024",
           "2024年无为市工会送岗位招聘会",
           "无为市",
           "无为市职工服务中心",
           {2024, 2, 23},
           false,
           true};
    REQUIRE(s->upsert_fair(f));
    auto f2 = s->fair("F-1");
    REQUIRE(f2);
    CHECK(f2->venue == f.venue);
    CHECK(f2->date == f.date);
    CHECK(f2->special);
    CHECK_FALSE(f2->online);
    f.online = true;
    REQUIRE(s->upsert_fair(f));
    CHECK(s->fair("F-1")->online);
    CHECK(s->fairs().size() == 1);

    Employer e{"E-1",         "无为市江淮电缆有限公司", "91350100M000100Y43", "无为市", "王女士",
               "0553-6612345"};
    REQUIRE(s->upsert_employer(e));
    auto e2 = s->employer("E-1");
    REQUIRE(e2);
    CHECK(e2->credit_code == e.credit_code);
    CHECK(e2->contact_phone == e.contact_phone);
    CHECK(s->employers().size() == 1);

    auto l = sample_listing();
    REQUIRE(s->upsert_listing(l));
    auto l2 = s->listing("L-1");
    REQUIRE(l2);
    CHECK(l2->employer_name == l.employer_name);
    CHECK(l2->title == l.title);
    CHECK(l2->headcount == 12);
    CHECK(l2->work_location == l.work_location);
    CHECK(l2->industry == l.industry);
    CHECK(l2->salary == l.salary);
    CHECK(l2->gender_requirement == l.gender_requirement);
    CHECK(l2->education == l.education);
    CHECK(l2->contact_name == l.contact_name);
    CHECK(l2->contact_phone == l.contact_phone);
    CHECK(l2->email == l.email);
    CHECK(l2->description == l.description);
    CHECK(l2->experience == l.experience);
    CHECK(l2->deadline == l.deadline);
    CHECK(l2->remarks == l.remarks);
    l.headcount.reset();
    REQUIRE(s->upsert_listing(l));
    CHECK_FALSE(s->listing("L-1")->headcount);

    auto a = sample_attendee();
    REQUIRE(s->upsert_attendee(a));
    auto a2 = s->attendee("A-1");
    REQUIRE(a2);
    CHECK(a2->name == a.name);
    CHECK(a2->gender == Gender::Female);
    CHECK(a2->key_groups == a.key_groups);
    CHECK(a2->phone_masked == a.phone_masked);
    CHECK(a2->id_masked == a.id_masked);
    CHECK(a2->sealed_phone == a.sealed_phone);
    CHECK(a2->sealed_id == a.sealed_id);
    CHECK(a2->phone_hash == a.phone_hash);
    CHECK(a2->name_initials == "lj");
    CHECK(a2->campaign_id == "C-2024");
    CHECK(s->count_attendees() == 1);

    CHECK_FALSE(s->is_revoked("CRED-9"));
    REQUIRE(s->add_revocation("CRED-9", "lost"));
    CHECK(s->is_revoked("CRED-9"));

    REQUIRE(s->set_setting("sync.cursor.listings", "42"));
    CHECK(s->setting("sync.cursor.listings") == std::string("42"));
    REQUIRE(s->set_setting("sync.cursor.listings", "43"));
    CHECK(s->setting("sync.cursor.listings") == std::string("43"));
    CHECK_FALSE(s->setting("nothing"));

    auto issuer = SigningKey::generate();
    REQUIRE(s->upsert_issuer_key(issuer.key_id(), issuer.public_key));
    auto keys = s->issuer_keys();
    REQUIRE(keys.size() == 1);
    CHECK(keys[issuer.key_id()] == issuer.public_key);

    // Everything survives a reopen (a real file, not memory).
    s.reset();
    s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    CHECK(s->listing("L-1"));
    CHECK(s->attendee("A-1"));
    CHECK(s->issuer_keys().size() == 1);

    // Tombstones.
    REQUIRE(s->delete_listing("L-1"));
    CHECK_FALSE(s->listing("L-1"));
    REQUIRE(s->delete_attendee("A-1"));
    CHECK_FALSE(s->attendee("A-1"));
    REQUIRE(s->delete_issuer_key(issuer.key_id()));
    CHECK(s->issuer_keys().empty());
    REQUIRE(s->delete_fair("F-1"));
    REQUIRE(s->delete_employer("E-1"));
    REQUIRE(s->delete_campaign("C-2024"));
    CHECK(s->fairs().empty());
    CHECK(s->employers().empty());
    CHECK(s->campaigns().empty());
    CHECK(s->delete_listing("never-existed")); // tombstones are idempotent
}

TEST_CASE("listing search: Chinese substrings of any length, filters, expiry") {
    TempDir dir;
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    auto a = sample_listing("L-1");
    auto b = sample_listing("L-2");
    b.title = "电焊工";
    b.description = "持焊工证，熟悉二氧化碳保护焊。";
    b.employer_name = "芜湖长江船舶重工有限公司";
    b.industry = "船舶制造";
    b.work_location = "芜湖市鸠江区";
    b.employer_id = "E-2";
    auto c = sample_listing("L-3");
    c.title = "保安";
    c.description = "夜班巡逻，Security guard, 45岁以下";
    c.employer_name = "无为市平安物业服务有限公司";
    c.industry = "物业服务";
    auto expired = sample_listing("L-4");
    expired.title = "包装操作工";
    expired.deadline = Date{2024, 1, 31};
    expired.industry = "食品加工";
    for (auto& l : {a, b, c, expired})
        REQUIRE(s->upsert_listing(l));

    Date today{2024, 2, 23};
    auto ids = [&](std::string text, std::string industry = "", std::string location = "",
                   std::string employer = "", int limit = 50, int offset = 0) {
        ListingQuery q;
        q.text = text;
        q.industry = industry;
        q.location = location;
        q.employer_id = employer;
        q.limit = limit;
        q.offset = offset;
        q.today = today;
        std::vector<std::string> out;
        for (auto& l : s->search_listings(q))
            out.push_back(l.id);
        if (limit == 50 && offset == 0)
            CHECK(s->count_listings(q) == static_cast<int64_t>(out.size()));
        else
            CHECK(s->count_listings(q) == 3); // the count ignores paging
        return out;
    };
    using V = std::vector<std::string>;
    CHECK(ids("") == V{"L-1", "L-2", "L-3"}); // never the expired one
    CHECK(ids("操作工") == V{"L-1"});         // trigram index (包装操作工 is expired)
    CHECK(ids("焊工") == V{"L-2"});           // 2 characters: below trigram size
    CHECK(ids("焊") == V{"L-2"});
    CHECK(ids("工") == V{"L-1", "L-2"}); // a character that ends its run (电焊工, 操作工)
    CHECK(ids("焊工证") == V{"L-2"});
    CHECK(ids("巡逻") == V{"L-3"});
    CHECK(ids("SE") == V{"L-3"}); // short Latin, any case
    CHECK(ids("d,") == V{"L-3"}); // punctuation: the plain scan, still exact
    CHECK(ids("，") == V{"L-1", "L-2", "L-3"});
    CHECK(ids("岗焊").empty()); // both characters occur, never together
    CHECK(ids("焊 芜湖") == V{"L-2"});
    CHECK(ids("焊 无为").empty());
    CHECK(ids("长江船舶") == V{"L-2"});         // employer name
    CHECK(ids("二氧化碳") == V{"L-2"});         // description
    CHECK(ids("security") == V{"L-3"});         // case-insensitive Latin
    CHECK(ids("无为市 保安") == V{"L-3"});      // every term must match
    CHECK(ids("无为市\u3000保安") == V{"L-3"}); // ideographic space
    CHECK(ids("挖掘机").empty());
    CHECK(ids("\"OR*").empty()); // FTS syntax is taken literally, never an error
    CHECK(ids("a\" OR \"b").empty());
    CHECK(ids("", "制造业") == V{"L-1"});
    CHECK(ids("", "", "芜湖市鸠江区") == V{"L-2"});
    CHECK(ids("", "", "", "E-2") == V{"L-2"});
    CHECK(ids("操作工", "物业服务").empty());
    CHECK(ids("", "", "", "", 2) == V{"L-1", "L-2"});
    CHECK(ids("", "", "", "", 2, 2) == V{"L-3"});

    // Many differently shaped queries (the statement cache for them is bounded) stay correct.
    const char* words[] = {"焊", "焊工", "电焊工", "d,"};
    for (int shape = 0; shape < 200; ++shape) {
        std::string text;
        for (int k = 0, v = shape; k < 4; ++k, v /= 4)
            text += std::string(words[v % 4]) + " ";
        ids(text);
    }
    CHECK(ids("焊工 电焊工") == V{"L-2"});

    // Expired listings are gone even when the caller forgets `today`.
    ListingQuery no_date;
    no_date.text = "包装操作工";
    CHECK(s->search_listings(no_date).empty());

    CHECK(s->industries(today) == V{"制造业", "物业服务", "船舶制造"});
    CHECK(s->locations(today) == V{"无为市高沟镇", "芜湖市鸠江区"});

    // The index follows updates and deletions.
    b.title = "氩弧焊技师";
    b.description = "熟悉氩弧焊";
    REQUIRE(s->upsert_listing(b));
    CHECK(ids("电焊工").empty());
    CHECK(ids("氩弧焊技师") == V{"L-2"});
    CHECK(ids("氩弧") == V{"L-2"});
    CHECK(ids("焊工").empty()); // the bigram index forgot the old text too
    REQUIRE(s->delete_listing("L-2"));
    CHECK(ids("氩弧焊").empty());
    CHECK(pragma(s->handle(), "PRAGMA integrity_check") == "ok");
    sqlite3_exec(s->handle(),
                 "INSERT INTO listings_bigram(listings_bigram) VALUES('integrity-check')", nullptr,
                 nullptr, nullptr);
    CHECK(sqlite3_errcode(s->handle()) == SQLITE_OK);
}

TEST_CASE("people look-up by the visible characters of the masks and pinyin initials; every "
          "given criterion must match") {
    TempDir dir;
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    auto a = sample_attendee("A-1");
    auto b = sample_attendee("A-2");
    b.name = "张伟";
    b.name_initials = "zw";
    b.phone_masked = "139****5678"; // same last 4 digits as A-1
    b.id_masked = "1101**********002X";
    REQUIRE(s->upsert_attendee(a));
    REQUIRE(s->upsert_attendee(b));
    auto names = [](const std::vector<Attendee>& v) {
        std::vector<std::string> out;
        for (auto& x : v)
            out.push_back(x.id);
        std::sort(out.begin(), out.end());
        return out;
    };
    auto q = [](std::string masked, std::string tail, std::string id_tail, std::string ini) {
        return PersonQuery{std::move(masked), std::move(tail), std::move(id_tail), std::move(ini)};
    };
    using V = std::vector<std::string>;
    CHECK(names(s->find_attendees(q("138****5678", "", "", ""))) == V{"A-1"});
    CHECK(names(s->find_attendees(q("", "5678", "", ""))) == V{"A-1", "A-2"});
    CHECK(names(s->find_attendees(q("", "5678", "", "zw"))) == V{"A-2"});
    CHECK(names(s->find_attendees(q("", "", "002X", ""))) == V{"A-2"});
    CHECK(names(s->find_attendees(q("", "", "1234", ""))) == V{"A-1"});
    CHECK(names(s->find_attendees(q("", "", "", "z"))) == V{"A-2"}); // initials by prefix
    CHECK(names(s->find_attendees(q("", "", "", "l%"))).empty());    // no pattern syntax
    CHECK(names(s->find_attendees(q("", "%", "", ""))).empty());
    CHECK(s->find_attendees(q("", "", "", "")).empty());
    CHECK(s->find_attendees(q("", "5678", "", ""), 1).size() == 1);
    // The look-up uses the indexes of schema 5, never a scan of the table.
    for (const char* sql :
         {"EXPLAIN QUERY PLAN SELECT id FROM attendees WHERE phone_masked = '138****5678'",
          "EXPLAIN QUERY PLAN SELECT id FROM attendees WHERE substr(phone_masked, -4) = '5678'",
          "EXPLAIN QUERY PLAN SELECT id FROM attendees WHERE substr(id_masked, -4) = '1234'"}) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(s->handle(), sql, -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        std::string plan = reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
        sqlite3_finalize(st);
        INFO(sql << " → " << plan);
        CHECK(plan.find("USING INDEX") != std::string::npos);
    }
}

TEST_CASE("a check-in is signed, sequenced, durable, and a second scan returns the first") {
    TempDir dir;
    auto key = SigningKey::generate();
    auto signer = signer_for(key);
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);

    auto first = s->record_check_in(draft_check_in(), signer);
    REQUIRE(first.ok);
    CHECK_FALSE(first.duplicate);
    CHECK(first.record.h.seq == 1);
    CHECK(first.record.h.uuid.size() == 36);
    CHECK(first.record.h.terminal_id == "T-ENTRANCE-1");
    CHECK(first.record.h.device_time > 1700000000000);

    std::string before = db_digest(s->handle());
    auto again = s->record_check_in(draft_check_in(), signer);
    REQUIRE(again.ok);
    CHECK(again.duplicate);
    CHECK(again.record.h.uuid == first.record.h.uuid);
    CHECK(again.record.h.device_time == first.record.h.device_time);
    CHECK(cst_hhmm(again.record.h.device_time) == cst_hhmm(first.record.h.device_time));
    CHECK(db_digest(s->handle()) == before); // wrote nothing
    CHECK(s->last_seq() == 1);

    // Failed scans are facts too: recorded every time, never deduplicated.
    auto forged = draft_check_in("", Verdict::Forged);
    REQUIRE(s->record_check_in(forged, signer).ok);
    REQUIRE(s->record_check_in(forged, signer).ok);
    auto wrong = draft_check_in("A-1", Verdict::WrongFair);
    REQUIRE(s->record_check_in(wrong, signer).ok);
    // Another person, and the same person at another fair, are new check-ins.
    REQUIRE_FALSE(s->record_check_in(draft_check_in("A-2"), signer).duplicate);
    auto other_fair = draft_check_in();
    other_fair.fair_id = "F-2";
    REQUIRE_FALSE(s->record_check_in(other_fair, signer).duplicate);
    CHECK(s->last_seq() == 6);

    auto at_fair = s->check_ins("F-1");
    REQUIRE(at_fair.size() == 5);
    CHECK(at_fair[0].h.uuid == first.record.h.uuid);
    CHECK(at_fair[1].verdict == Verdict::Forged);
    CHECK(at_fair[3].verdict == Verdict::WrongFair);
    CHECK(s->accepted_check_in("A-1", "F-1")->h.uuid == first.record.h.uuid);
    CHECK_FALSE(s->accepted_check_in("A-3", "F-1"));

    // Durable: a new connection (as after a restart) sees it, and dedupes against it.
    s.reset();
    s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    auto after = s->record_check_in(draft_check_in(), signer);
    CHECK(after.duplicate);
    CHECK(after.record.h.uuid == first.record.h.uuid);
}

TEST_CASE("dedupe holds across two connections on the same file (UI and sync threads)") {
    TempDir dir;
    auto signer = signer_for(SigningKey::generate());
    auto ui = Store::open(dir.file("kiosk.db"));
    auto sync = Store::open(dir.file("kiosk.db"));
    REQUIRE(ui);
    REQUIRE(sync);
    auto a = ui->record_check_in(draft_check_in(), signer);
    auto b = sync->record_check_in(draft_check_in(), signer);
    REQUIRE(a.ok);
    REQUIRE(b.ok);
    CHECK(b.duplicate);
    CHECK(b.record.h.uuid == a.record.h.uuid);
    // The sync connection reads the UI's event and acknowledges it; the UI sees the ack.
    auto events = sync->events_after(0, 10);
    REQUIRE(events.size() == 1);
    REQUIRE(sync->mark_acknowledged(1));
    CHECK(ui->acknowledged_seq() == 1);
    CHECK(ui->pending_events() == 0);
}

TEST_CASE("the outbox: events after N, exact signed bytes, acknowledgement never moves back") {
    TempDir dir;
    auto key = SigningKey::generate();
    auto signer = signer_for(key);
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    CHECK(s->events_after(0, 10).empty());
    CHECK(s->last_seq() == 0);
    for (int i = 0; i < 5; ++i)
        REQUIRE(s->record_check_in(draft_check_in("A-" + std::to_string(i)), signer).ok);
    auto p = s->record_placement(sample_placement(), signer);
    REQUIRE(p);

    auto all = s->events_after(0, 100);
    REQUIRE(all.size() == 6);
    for (size_t i = 0; i < all.size(); ++i)
        CHECK(all[i].seq == static_cast<int64_t>(i + 1));
    CHECK(all[5].kind == "placement");
    CHECK(all[5].uuid == p->h.uuid);
    for (auto& e : all) {
        CHECK(verify(key.public_key, signature_domain(e.kind), e.body, e.signature));
        CHECK_FALSE(verify(key.public_key,
                           signature_domain(e.kind == "checkin" ? "placement" : "checkin"), e.body,
                           e.signature));
        std::string_view body(reinterpret_cast<const char*>(e.body.data()), e.body.size());
        if (e.kind == "checkin") {
            auto c = decode_check_in(body);
            REQUIRE(c);
            CHECK(c->h.seq == e.seq);
            CHECK(c->h.uuid == e.uuid);
            CHECK(c->h.device_time == e.device_time);
        } else {
            auto d = decode_placement(body);
            REQUIRE(d);
            CHECK(encode(*d) == body);
            CHECK(d->person_name == "李娟");
        }
    }
    auto page = s->events_after(2, 2);
    REQUIRE(page.size() == 2);
    CHECK(page[0].seq == 3);
    CHECK(page[1].seq == 4);

    CHECK(s->pending_events() == 6);
    REQUIRE(s->mark_acknowledged(4));
    CHECK(s->acknowledged_seq() == 4);
    CHECK(s->pending_events() == 2);
    REQUIRE(s->mark_acknowledged(2)); // a late, older acknowledgement changes nothing
    CHECK(s->acknowledged_seq() == 4);
    CHECK_FALSE(s->mark_acknowledged(7)); // beyond what was recorded
    CHECK(s->last_error() == "err.store.ack_ahead");
    CHECK(s->acknowledged_seq() == 4);
    // Acknowledged events stay in the log (append-only); only the cursor moves.
    CHECK(s->events_after(0, 100).size() == 6);
    CHECK(sqlite3_exec(s->handle(), "UPDATE events SET kind = 'checkin' WHERE seq = 6", nullptr,
                       nullptr, nullptr) != SQLITE_OK);
    CHECK(sqlite3_exec(s->handle(), "DELETE FROM events WHERE seq = 1", nullptr, nullptr,
                       nullptr) != SQLITE_OK);
    CHECK(s->events_after(0, 100).size() == 6);
}

TEST_CASE("placements are immutable versions: corrections and voids reference what they replace") {
    TempDir dir;
    auto signer = signer_for(SigningKey::generate(), "T-BOOTH-7");
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);

    auto original = s->record_placement(sample_placement(), signer);
    REQUIRE(original);
    CHECK(original->action == PlacementAction::Original);
    CHECK(original->placement_id == original->h.uuid);
    CHECK(original->h.terminal_id == "T-BOOTH-7");
    CHECK(original->seeker_signature.strokes.size() == 2);

    Placement fix = *original;
    fix.action = PlacementAction::Correction;
    fix.corrects = original->h.uuid;
    fix.reason = "开工日期推迟";
    fix.start_date = Date{2024, 3, 11};
    fix.h = {};
    auto corrected = s->record_placement(fix, signer);
    REQUIRE(corrected);
    CHECK(corrected->placement_id == original->placement_id);
    CHECK(corrected->corrects == original->h.uuid);
    CHECK(corrected->h.seq == original->h.seq + 1);

    auto current = s->current_placements();
    REQUIRE(current.size() == 1);
    CHECK(current[0].h.uuid == corrected->h.uuid);
    CHECK(current[0].start_date == Date{2024, 3, 11});

    // The original is still there, unchanged.
    auto versions = s->placement_versions(original->placement_id);
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].start_date == Date{2024, 3, 1});
    CHECK(versions[0].action == PlacementAction::Original);
    CHECK(versions[1].action == PlacementAction::Correction);

    // Correcting the superseded version again is refused: versions form one chain.
    std::string before = db_digest(s->handle());
    fix.reason = "再次更正";
    CHECK_FALSE(s->record_placement(fix, signer));
    CHECK(s->last_error() == "err.placement.stale");
    CHECK(db_digest(s->handle()) == before);

    // A void of the current version carries its row with action Void.
    Placement v;
    v.action = PlacementAction::Void;
    v.corrects = corrected->h.uuid;
    v.reason = "求职者放弃入职";
    auto voided = s->record_placement(v, signer);
    REQUIRE(voided);
    CHECK(voided->action == PlacementAction::Void);
    CHECK(voided->person_name == "李娟");
    CHECK(voided->start_date == Date{2024, 3, 11});
    CHECK(voided->placement_id == original->placement_id);
    current = s->current_placements("F-1");
    REQUIRE(current.size() == 1);
    CHECK(current[0].action == PlacementAction::Void);
    CHECK(s->current_placements("F-2").empty());

    // Nothing corrects a void.
    before = db_digest(s->handle());
    Placement after_void = *corrected;
    after_void.action = PlacementAction::Correction;
    after_void.corrects = voided->h.uuid;
    after_void.reason = "撤销作废";
    CHECK_FALSE(s->record_placement(after_void, signer));
    CHECK(s->last_error() == "err.placement.voided");
    CHECK(db_digest(s->handle()) == before);

    // A second placement keeps its own chain, listed after the first.
    auto second = sample_placement();
    second.person_name = "张伟";
    second.attendee_id = "A-2";
    REQUIRE(s->record_placement(second, signer));
    current = s->current_placements();
    REQUIRE(current.size() == 2);
    CHECK(current[0].placement_id == original->placement_id);
    CHECK(current[1].person_name == "张伟");
    CHECK(s->placement_versions().size() == 4);
}

TEST_CASE("transactions roll back as a whole and nest") {
    TempDir dir;
    auto signer = signer_for(SigningKey::generate());
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    std::string before = db_digest(s->handle());
    CHECK_FALSE(s->transaction([&] {
        return s->upsert_listing(sample_listing("L-1")) &&
               s->record_check_in(draft_check_in(), signer).ok && false;
    }));
    CHECK(db_digest(s->handle()) == before);
    CHECK_FALSE(s->transaction([&]() -> bool {
        s->set_setting("k", "v");
        throw std::runtime_error("boom");
    }));
    CHECK(db_digest(s->handle()) == before);
    CHECK(s->last_error() == "err.store.aborted");

    // A page of downloaded data and its cursor, applied together; an inner failure is contained.
    REQUIRE(s->transaction([&] {
        bool inner = s->transaction([&] { return s->set_setting("inner", "x") && false; });
        return !inner && s->upsert_listing(sample_listing("L-1")) && s->set_setting("cursor", "7");
    }));
    CHECK(s->listing("L-1"));
    CHECK(s->setting("cursor") == std::string("7"));
    CHECK_FALSE(s->setting("inner"));
    // A check-in recorded inside an outer transaction is durable once the outer one commits.
    REQUIRE(s->transaction([&] { return s->record_check_in(draft_check_in(), signer).ok; }));
    CHECK(s->last_seq() == 1);
}

TEST_CASE("bad input through every entry point: a message key, and the database unchanged") {
    TempDir dir;
    auto key = SigningKey::generate();
    auto signer = signer_for(key);
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    // Some data first, so "unchanged" means something.
    REQUIRE(s->upsert_listing(sample_listing("L-1")));
    REQUIRE(s->upsert_attendee(sample_attendee("A-1")));
    REQUIRE(s->record_check_in(draft_check_in(), signer).ok);
    auto placed = s->record_placement(sample_placement(), signer);
    REQUIRE(placed);

    Translations tr;
    REQUIRE(tr.load(JF_ASSETS_DIR "/i18n"));
    const std::string before = db_digest(s->handle());
    auto refused = [&](bool ok, const char* what) {
        INFO(what << " → " << s->last_error());
        CHECK_FALSE(ok);
        CHECK(db_digest(s->handle()) == before);
        CHECK(!s->last_error().empty());
        CHECK(tr.tr(s->last_error(), Lang::ZhCN) != s->last_error());
        CHECK(tr.tr(s->last_error(), Lang::EnUS) != s->last_error());
    };
    const std::string bad_utf8 = "\xC3\x28";
    const std::string nul = std::string("a\0b", 3);

    refused(s->set_setting("", "x"), "empty setting key");
    refused(s->set_setting("k", bad_utf8), "setting value not UTF-8");
    refused(
        s->upsert_campaign({"", "x", {2024, 1, 1}, {2024, 4, 10}, {2024, 1, 1}, {2024, 12, 31}}),
        "campaign id");
    refused(
        s->upsert_campaign({"C", "x", {2024, 4, 10}, {2024, 1, 1}, {2024, 1, 1}, {2024, 12, 31}}),
        "campaign dates reversed");
    refused(
        s->upsert_campaign({"C", "x", {2024, 2, 30}, {2024, 4, 1}, {2024, 1, 1}, {2024, 12, 31}}),
        "campaign date not real");
    refused(s->upsert_fair({"F", "C", "", "u", "v", {2024, 2, 23}, false, false}), "fair name");
    refused(s->upsert_fair({"F", "C", "n", "u", "v", {}, false, false}), "fair date");
    refused(s->upsert_fair({"F", "C", nul, "u", "v", {2024, 2, 23}, false, false}), "fair NUL");
    refused(s->upsert_employer({"E", "单位", "91350100M000100Y44", "", "", ""}),
            "credit code checksum");
    refused(s->upsert_employer({"E", "单位", "", "", "", "12345"}), "employer phone");
    refused(s->upsert_employer({"E", "  ", "", "", "", ""}), "employer name blank");
    {
        auto l = sample_listing("L-1");
        l.title = "";
        refused(s->upsert_listing(l), "listing title");
        l = sample_listing("L-1");
        l.deadline = {};
        refused(s->upsert_listing(l), "listing deadline");
        l = sample_listing("L-1");
        l.contact_phone = "12";
        refused(s->upsert_listing(l), "listing phone");
        l = sample_listing("L-1");
        l.description = std::string(30000, 'x');
        refused(s->upsert_listing(l), "listing description too long");
        l = sample_listing("");
        refused(s->upsert_listing(l), "listing id");
        l = sample_listing("L-9");
        l.headcount = -3;
        refused(s->upsert_listing(l), "listing headcount");
    }
    {
        auto a = sample_attendee("A-1");
        a.phone_masked = "13812345678"; // a plain number must never be stored
        refused(s->upsert_attendee(a), "attendee plain phone");
        a = sample_attendee("A-1");
        a.id_masked = "11010519491231002X";
        refused(s->upsert_attendee(a), "attendee plain ID");
        a = sample_attendee("A-1");
        a.phone_hash = "13812345678";
        refused(s->upsert_attendee(a), "attendee hash");
        a = sample_attendee("A-1");
        a.sealed_id = "11010519491231002X";
        refused(s->upsert_attendee(a), "attendee sealed");
        a = sample_attendee("A-1");
        a.name_initials = "z'; DROP TABLE attendees; --";
        refused(s->upsert_attendee(a), "attendee initials");
        a = sample_attendee("A-1");
        a.key_groups = 1u << 20;
        refused(s->upsert_attendee(a), "attendee key groups");
        a = sample_attendee("A-1");
        a.name = "";
        refused(s->upsert_attendee(a), "attendee name");
    }
    refused(s->add_revocation("", "x"), "revocation id");
    refused(s->upsert_issuer_key("k1", Bytes(31)), "issuer key size");
    refused(s->upsert_issuer_key("", Bytes(32)), "issuer key id");
    refused(s->delete_listing(""), "delete listing id");
    refused(s->delete_attendee(bad_utf8), "delete attendee id");
    refused(s->mark_acknowledged(99), "ack ahead");
    refused(s->mark_acknowledged(-1), "ack negative");

    auto check_in_refused = [&](CheckIn c, const EventSigner& sg, const char* what) {
        auto out = s->record_check_in(std::move(c), sg);
        CHECK(out.error == s->last_error());
        refused(out.ok, what);
    };
    check_in_refused(draft_check_in("", Verdict::CheckedIn), signer, "check-in without attendee");
    auto no_fair = draft_check_in();
    no_fair.fair_id = "";
    check_in_refused(no_fair, signer, "check-in without fair");
    check_in_refused(draft_check_in("A-1", Verdict::AlreadyCheckedIn), signer,
                     "caller-made duplicate");
    auto bad_enum = draft_check_in("A-7");
    bad_enum.verdict = static_cast<Verdict>(77);
    check_in_refused(bad_enum, signer, "verdict out of range");
    check_in_refused(draft_check_in("A-7"), EventSigner{}, "no signer");
    check_in_refused(draft_check_in("A-7"),
                     EventSigner{"T", [](std::string_view, const Bytes&) { return Bytes{}; }},
                     "signer gives no signature");
    check_in_refused(
        draft_check_in("A-7"),
        EventSigner{"T",
                    [](std::string_view, const Bytes&) -> Bytes { throw std::runtime_error("x"); }},
        "signer throws");

    auto placement_refused = [&](Placement p, const char* what) {
        refused(s->record_placement(std::move(p), signer).has_value(), what);
    };
    auto p = sample_placement();
    p.person_name = "";
    placement_refused(p, "placement without person");
    p = sample_placement();
    p.seeker_signature = {};
    placement_refused(p, "placement without seeker signature");
    p = sample_placement();
    p.employer_signature.strokes = {{{2000, 5}}};
    placement_refused(p, "signature off the pad");
    p = sample_placement();
    p.start_date = {};
    placement_refused(p, "placement without start date");
    p = sample_placement();
    p.id_masked = "11010519491231002X";
    placement_refused(p, "placement with plain ID");
    p = sample_placement();
    p.contract_form = static_cast<ContractForm>(9);
    placement_refused(p, "contract form out of range");
    p = sample_placement();
    p.corrects = placed->h.uuid;
    placement_refused(p, "an original that claims to correct");
    p = sample_placement();
    p.action = PlacementAction::Correction;
    p.reason = "x";
    placement_refused(p, "correction naming nothing");
    p.corrects = "no-such-version";
    placement_refused(p, "correction of an unknown version");
    p.corrects = placed->h.uuid;
    p.reason = "";
    placement_refused(p, "correction without reason");
    p.reason = "x";
    p.fair_id = "F-OTHER";
    placement_refused(p, "correction moving the fair");

    // Look-ups with hostile text return nothing and change nothing.
    ListingQuery q;
    q.text = bad_utf8;
    CHECK(s->search_listings(q).empty());
    q.text = "'); DROP TABLE listings; --";
    CHECK(s->search_listings(q).empty());
    CHECK(s->find_attendees(PersonQuery{"' OR 1=1 --", "", "", ""}).empty());
    CHECK(db_digest(s->handle()) == before);
}

TEST_CASE("the station's pickers and an industry filter's count read index ranges, not every "
          "listing") {
    TempDir dir;
    auto path = dir.file("kiosk.db");
    REQUIRE(Store::open(path));
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    auto plan = [&](const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &st, nullptr) ==
                SQLITE_OK);
        std::string out;
        while (sqlite3_step(st) == SQLITE_ROW)
            out += reinterpret_cast<const char*>(sqlite3_column_text(st, 3)) + std::string("; ");
        sqlite3_finalize(st);
        return out;
    };
    // An industry (or place) tap: equality on the column, range on the deadline, in one index.
    auto count = plan("SELECT count(*) FROM listings l WHERE l.deadline >= 20240223 AND "
                      "l.industry = '制造业'");
    INFO(count);
    CHECK(count.find("USING COVERING INDEX listings_industry (industry=? AND deadline>?)") !=
          std::string::npos);
    auto place = plan("SELECT count(*) FROM listings l WHERE l.deadline >= 20240223 AND "
                      "l.work_location = '芜湖'");
    INFO(place);
    CHECK(place.find("USING COVERING INDEX listings_location (work_location=? AND deadline>?)") !=
          std::string::npos);
    sqlite3_close(db);
}

TEST_CASE("the fair day: an undone check-in stays in the log and lets the person in again; "
          "intents once per level; services named or anonymous") {
    TempDir dir;
    auto key = SigningKey::generate();
    auto signer = signer_for(key);
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);

    auto first = s->record_check_in(draft_check_in(), signer);
    REQUIRE(first.ok);
    auto forged = s->record_check_in(draft_check_in("", Verdict::Forged), signer);
    REQUIRE(forged.ok);

    // Refused: no reason, a reason not on the list, an unknown check-in, a refused scan.
    std::string before = db_digest(s->handle());
    CheckInUndo u;
    u.check_in_uuid = first.record.h.uuid;
    CHECK_FALSE(s->record_check_in_undo(u, signer));
    CHECK(s->last_error() == "err.undo.reason");
    u.reason = "because";
    CHECK_FALSE(s->record_check_in_undo(u, signer));
    u.reason = "wrong_person";
    u.check_in_uuid = "no-such-check-in";
    CHECK_FALSE(s->record_check_in_undo(u, signer));
    CHECK(s->last_error() == "err.undo.unknown");
    u.check_in_uuid = forged.record.h.uuid;
    CHECK_FALSE(s->record_check_in_undo(u, signer));
    CHECK(s->last_error() == "err.undo.not_accepted");
    CHECK(db_digest(s->handle()) == before);

    u.check_in_uuid = first.record.h.uuid;
    auto undone = s->record_check_in_undo(u, signer);
    REQUIRE(undone);
    CHECK(undone->attendee_id == "A-1");
    CHECK(undone->fair_id == "F-1");
    CHECK(undone->h.seq == 3);
    CHECK_FALSE(s->record_check_in_undo(u, signer));
    CHECK(s->last_error() == "err.undo.twice");
    // The original stays in the log; the person is no longer in, and may check in again.
    CHECK(s->check_ins("F-1").size() == 2);
    CHECK_FALSE(s->accepted_check_in("A-1", "F-1"));
    auto again = s->record_check_in(draft_check_in(), signer);
    REQUIRE(again.ok);
    CHECK_FALSE(again.duplicate);
    CHECK(s->accepted_check_in("A-1", "F-1")->h.uuid == again.record.h.uuid);
    auto undos = s->check_in_undos("F-1");
    REQUIRE(undos.size() == 1);
    CHECK(undos[0].check_in_uuid == first.record.h.uuid);

    // Booth intents: one tap records; the same level again writes nothing, another level does.
    BoothIntent b;
    b.attendee_id = "A-1";
    b.fair_id = "F-1";
    b.employer_id = "E-1";
    b.note = "free text is not a phrase";
    CHECK_FALSE(s->record_intent(b, signer));
    CHECK(s->last_error() == "err.intent.field");
    b.note = "call_back";
    auto i1 = s->record_intent(b, signer);
    REQUIRE(i1);
    before = db_digest(s->handle());
    auto i2 = s->record_intent(b, signer);
    REQUIRE(i2);
    CHECK(i2->h.uuid == i1->h.uuid);
    CHECK(db_digest(s->handle()) == before);
    b.level = IntentLevel::Offer;
    b.listing_id = "L-1";
    REQUIRE(s->record_intent(b, signer));
    b.employer_id = "E-2";
    REQUIRE(s->record_intent(b, signer));
    CHECK(s->intents("F-1").size() == 3);
    CHECK(s->intents("F-1", "E-1").size() == 2);
    CHECK(s->intents("F-2").empty());

    // Station services: with a code, or anonymous with the person's key groups.
    ServiceGiven sv;
    sv.fair_id = "F-1";
    sv.service = ServiceKind::LegalAid;
    sv.key_groups = kMigrantWorker;
    REQUIRE(s->record_service(sv, signer));
    sv.attendee_id = "A-1";
    sv.service = ServiceKind::Training;
    REQUIRE(s->record_service(sv, signer));
    sv.key_groups = 1u << 9;
    CHECK_FALSE(s->record_service(sv, signer));
    CHECK(s->last_error() == "err.service.field");
    CHECK(s->services("F-1").size() == 2);

    // The needs list: choices only, a person known, a skipped screen records nothing; the same
    // choices again write nothing, other choices replace the list.
    SeekerNeeds nd;
    nd.fair_id = "F-1";
    nd.services = {"training"};
    CHECK_FALSE(s->record_needs(nd, signer));
    CHECK(s->last_error() == "err.store.id_missing");
    nd.attendee_id = "A-1";
    nd.skill = "master chef";
    CHECK_FALSE(s->record_needs(nd, signer));
    CHECK(s->last_error() == "err.needs.field");
    nd.skill = "";
    nd.services = {"training", "legal_aid"}; // not in canonical order
    CHECK_FALSE(s->record_needs(nd, signer));
    CHECK(s->last_error() == "err.needs.field");
    CHECK_FALSE(s->record_needs(SeekerNeeds{{}, "A-1", "F-1", {}, "", {}, {}}, signer));
    CHECK(s->last_error() == "err.needs.empty");
    nd.services = {"legal_aid", "training"};
    nd.industries = {"制造业"};
    nd.skill = "senior";
    auto n1 = s->record_needs(nd, signer);
    REQUIRE(n1);
    before = db_digest(s->handle());
    auto n2 = s->record_needs(nd, signer);
    REQUIRE(n2);
    CHECK(n2->h.uuid == n1->h.uuid);
    CHECK(db_digest(s->handle()) == before);
    nd.certificates = {"driving"};
    auto n3 = s->record_needs(nd, signer);
    REQUIRE(n3);
    CHECK(n3->h.uuid != n1->h.uuid);
    CHECK(s->latest_needs("A-1", "F-1")->certificates == std::vector<std::string>{"driving"});
    CHECK_FALSE(s->latest_needs("A-2", "F-1"));
    CHECK(s->needs("F-1").size() == 2);
    CHECK(s->needs("F-2").empty());

    // All of them are signed events in the outbox, in sequence.
    auto log = s->events_after(0, 100);
    REQUIRE(log.size() == 11);
    CHECK(log[2].kind == "checkin_undo");
    CHECK(log[4].kind == "intent");
    CHECK(log[8].kind == "service");
    CHECK(log[9].kind == "needs");
    CHECK(signature_domain("needs") == "jf.needs.v1");
    for (auto& e : log)
        CHECK(verify(key.public_key, signature_domain(e.kind), e.body, e.signature));

    // A revoked terminal forgets them with the rest.
    REQUIRE(s->wipe_personal_data());
    CHECK(s->intents("F-1").empty());
    CHECK(s->services("F-1").empty());
    CHECK(s->check_in_undos("F-1").empty());
    CHECK(s->needs("F-1").empty());
}
