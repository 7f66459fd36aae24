// Upgrading a terminal's database from an older schema: the v1 schema below is a frozen copy of
// what shipped as version 1 (never edit it); the store must open it, migrate, and keep every row.
#include <catch2/catch.hpp>

#include "tests/store/fixture.hpp"
#include "kiosk/domain/clock.hpp"

#include "kiosk/domain/event_codec.hpp"
#include "kiosk/store/schema.hpp"

#include <chrono>
#include <fstream>
#include <iterator>
#include <variant>

using namespace jf;
using namespace jf::test;

namespace {

const char* kSchemaV1 = R"sql(
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE campaigns(
  id TEXT PRIMARY KEY, name TEXT NOT NULL,
  concentrated_from INTEGER NOT NULL, concentrated_until INTEGER NOT NULL,
  year_from INTEGER NOT NULL, year_until INTEGER NOT NULL);

CREATE TABLE fairs(
  id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, name TEXT NOT NULL, union_unit TEXT NOT NULL,
  venue TEXT NOT NULL, date INTEGER NOT NULL, online INTEGER NOT NULL, special INTEGER NOT NULL);

CREATE TABLE employers(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, credit_code TEXT NOT NULL, union_unit TEXT NOT NULL,
  contact_name TEXT NOT NULL, contact_phone TEXT NOT NULL);

-- 附件4 rows; pk is the integer key the search index points at.
CREATE TABLE listings(
  pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, employer_id TEXT NOT NULL,
  union_unit TEXT NOT NULL, employer_name TEXT NOT NULL, title TEXT NOT NULL, headcount INTEGER,
  work_location TEXT NOT NULL, industry TEXT NOT NULL, salary TEXT NOT NULL,
  gender_requirement TEXT NOT NULL, education TEXT NOT NULL, contact_name TEXT NOT NULL,
  contact_phone TEXT NOT NULL, email TEXT NOT NULL, description TEXT NOT NULL,
  experience TEXT NOT NULL, deadline INTEGER NOT NULL, remarks TEXT NOT NULL);
CREATE INDEX listings_deadline ON listings(deadline);
CREATE INDEX listings_employer ON listings(employer_id);

-- Trigram index: substring search in any script (Chinese has no spaces between words).
CREATE VIRTUAL TABLE listings_fts USING fts5(
  title, description, employer_name, content='listings', content_rowid='pk', tokenize='trigram');
CREATE TRIGGER listings_fts_insert AFTER INSERT ON listings BEGIN
  INSERT INTO listings_fts(rowid, title, description, employer_name)
  VALUES (new.pk, new.title, new.description, new.employer_name);
END;
CREATE TRIGGER listings_fts_delete AFTER DELETE ON listings BEGIN
  INSERT INTO listings_fts(listings_fts, rowid, title, description, employer_name)
  VALUES ('delete', old.pk, old.title, old.description, old.employer_name);
END;
CREATE TRIGGER listings_fts_update AFTER UPDATE ON listings BEGIN
  INSERT INTO listings_fts(listings_fts, rowid, title, description, employer_name)
  VALUES ('delete', old.pk, old.title, old.description, old.employer_name);
  INSERT INTO listings_fts(rowid, title, description, employer_name)
  VALUES (new.pk, new.title, new.description, new.employer_name);
END;

-- Plain ID and phone numbers never reach this table: sealed copies, masks and keyed hashes only.
CREATE TABLE attendees(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, gender TEXT NOT NULL, key_groups INTEGER NOT NULL,
  phone_masked TEXT NOT NULL, id_masked TEXT NOT NULL, phone_hash TEXT NOT NULL,
  phone_tail_hash TEXT NOT NULL, id_tail_hash TEXT NOT NULL, sealed_phone TEXT NOT NULL,
  sealed_id TEXT NOT NULL, name_initials TEXT NOT NULL, union_unit TEXT NOT NULL,
  campaign_id TEXT NOT NULL);
CREATE INDEX attendees_phone ON attendees(phone_hash);
CREATE INDEX attendees_phone_tail ON attendees(phone_tail_hash);
CREATE INDEX attendees_id_tail ON attendees(id_tail_hash);
CREATE INDEX attendees_initials ON attendees(name_initials);

CREATE TABLE revocations(
  credential_id TEXT PRIMARY KEY, reason TEXT NOT NULL, added_at INTEGER NOT NULL);

-- The signed event log, in terminal sequence order; it is the sync outbox and never changes.
CREATE TABLE events(
  seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, terminal_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('checkin', 'placement')), device_time INTEGER NOT NULL,
  body BLOB NOT NULL, signature BLOB NOT NULL);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN
  SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN
  SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TABLE outbox(id INTEGER PRIMARY KEY CHECK (id = 1), acknowledged_seq INTEGER NOT NULL);
INSERT INTO outbox(id, acknowledged_seq) VALUES (1, 0);

-- Projections of the log for look-ups; the record itself is decoded from events.body.
CREATE TABLE check_ins(
  seq INTEGER PRIMARY KEY REFERENCES events(seq), uuid TEXT NOT NULL UNIQUE,
  attendee_id TEXT NOT NULL, fair_id TEXT NOT NULL, verdict TEXT NOT NULL,
  device_time INTEGER NOT NULL);
-- One accepted check-in per person and fair, even with a second connection writing.
CREATE UNIQUE INDEX check_ins_accepted ON check_ins(attendee_id, fair_id)
  WHERE verdict = 'checked_in';
CREATE INDEX check_ins_fair ON check_ins(fair_id);

CREATE TABLE placements(
  seq INTEGER PRIMARY KEY REFERENCES events(seq), uuid TEXT NOT NULL UNIQUE,
  placement_id TEXT NOT NULL, action TEXT NOT NULL, corrects TEXT REFERENCES placements(uuid),
  fair_id TEXT NOT NULL);
CREATE INDEX placements_id ON placements(placement_id);
CREATE INDEX placements_fair ON placements(fair_id);
-- Versions form a chain: a version is corrected (or voided) at most once on this terminal.
CREATE UNIQUE INDEX placements_one_successor ON placements(corrects) WHERE corrects IS NOT NULL;
)sql";

void exec(sqlite3* db, const char* sql) {
    char* msg = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &msg);
    INFO((msg ? msg : ""));
    sqlite3_free(msg);
    REQUIRE(rc == SQLITE_OK);
}

void insert(sqlite3* db, const char* sql,
            std::vector<std::variant<std::string, int64_t, Bytes>> args) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
    for (size_t i = 0; i < args.size(); ++i) {
        int n = static_cast<int>(i + 1);
        if (auto s = std::get_if<std::string>(&args[i]))
            sqlite3_bind_text(st, n, s->c_str(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
        else if (auto v = std::get_if<int64_t>(&args[i]))
            sqlite3_bind_int64(st, n, *v);
        else {
            auto& b = std::get<Bytes>(args[i]);
            sqlite3_bind_blob(st, n, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
        }
    }
    CHECK(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
}

// A version-1 database as a terminal in the field would have it: a listing, an attendee, one
// acknowledged check-in and one pending placement.
void make_v1(const std::string& path, const SigningKey& key, std::string* checkin_uuid) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, "BEGIN");
    exec(db, kSchemaV1);
    exec(db, "PRAGMA user_version=1");
    auto l = sample_listing("L-OLD");
    insert(db,
           "INSERT INTO listings(id, employer_id, union_unit, employer_name, title, headcount, "
           "work_location, industry, salary, gender_requirement, education, contact_name, "
           "contact_phone, email, description, experience, deadline, remarks) VALUES (?1, ?2, ?3, "
           "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
           {l.id, l.employer_id, l.union_unit, l.employer_name, l.title, int64_t{12},
            l.work_location, l.industry, l.salary, l.gender_requirement, l.education,
            l.contact_name, l.contact_phone, l.email, l.description, l.experience,
            int64_t{l.deadline.yyyymmdd()}, l.remarks});
    insert(db,
           "INSERT INTO attendees VALUES (?1, ?2, 'female', 1, '138****5678', '', ?3, '', '', '', "
           "'', 'lj', '无为市', 'C-2024')",
           {std::string("A-OLD"), std::string("李娟"), std::string(64, 'a')});
    insert(db, "INSERT INTO settings VALUES ('terminal.id', 'T-OLD')", {});
    insert(db, "INSERT INTO settings VALUES ('terminal.lookup_key', ?1)",
           {std::string("TE9PS1VQLUtFWS1PRi1BTi1PTEQtVEVSTUlOQUwtISE=")});

    CheckIn c;
    c.h = {"11111111-2222-4333-8444-555555555555", "T-OLD", 1, 1708653725000};
    c.attendee_id = "A-OLD";
    c.fair_id = "F-1";
    std::string body = encode(c);
    *checkin_uuid = c.h.uuid;
    insert(db, "INSERT INTO events VALUES (1, ?1, 'T-OLD', 'checkin', ?2, ?3, ?4)",
           {c.h.uuid, c.h.device_time, to_bytes(body), key.sign("jf.checkin.v1", to_bytes(body))});
    insert(db, "INSERT INTO check_ins VALUES (1, ?1, 'A-OLD', 'F-1', 'checked_in', ?2)",
           {c.h.uuid, c.h.device_time});
    auto p = sample_placement();
    p.h = {"66666666-7777-4888-8999-000000000000", "T-OLD", 2, 1708653726000};
    p.placement_id = p.h.uuid;
    std::string pbody = encode(p);
    insert(
        db, "INSERT INTO events VALUES (2, ?1, 'T-OLD', 'placement', ?2, ?3, ?4)",
        {p.h.uuid, p.h.device_time, to_bytes(pbody), key.sign("jf.placement.v1", to_bytes(pbody))});
    insert(db, "INSERT INTO placements VALUES (2, ?1, ?1, 'original', NULL, 'F-1')", {p.h.uuid});
    exec(db, "UPDATE outbox SET acknowledged_seq = 1");
    exec(db, "COMMIT");
    sqlite3_close(db);
}


} // namespace

TEST_CASE("a listing is collected once: the earliest time any store gave it stays") {
    TempDir dir;
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    JobListing l;
    l.id = "L-1";
    l.employer_name = "奇瑞汽车股份有限公司";
    l.title = "焊工";
    l.work_location = "芜湖";
    l.contact_phone = "13855380000";
    l.deadline = {2030, 1, 1};
    // Imported here (no time given): stamped with the clock.
    TimeMs before = now_ms();
    REQUIRE(s->upsert_listing(l));
    TimeMs first = s->listing("L-1")->collected_at;
    CHECK(first >= before);
    CHECK(first <= now_ms());
    // Imported again, changed: still the first time.
    l.headcount = 4;
    REQUIRE(s->upsert_listing(l));
    CHECK(s->listing("L-1")->collected_at == first);
    CHECK(s->listing("L-1")->headcount == 4);
    // The hub's time for it: taken when earlier, ignored when later.
    l.collected_at = first + 86400000;
    REQUIRE(s->upsert_listing(l));
    CHECK(s->listing("L-1")->collected_at == first);
    l.collected_at = 1708300800000; // 2024-02-19 08:00 CST
    REQUIRE(s->upsert_listing(l));
    CHECK(s->listing("L-1")->collected_at == 1708300800000);
    l.collected_at = 0;
    REQUIRE(s->upsert_listing(l));
    CHECK(s->listing("L-1")->collected_at == 1708300800000);
    // A new row given the hub's time keeps it.
    l.id = "L-2";
    l.collected_at = 1708387200000;
    REQUIRE(s->upsert_listing(l));
    CHECK(s->listing("L-2")->collected_at == 1708387200000);
}

TEST_CASE("a version-1 database is upgraded in place and keeps everything") {
    TempDir dir;
    auto key = SigningKey::generate();
    std::string uuid;
    make_v1(dir.file("kiosk.db"), key, &uuid);

    std::string err;
    TimeMs before = now_ms() / 1000 * 1000; // SQLite's clock counts whole seconds
    auto s = Store::open(dir.file("kiosk.db"), &err);
    TimeMs after = now_ms();
    REQUIRE(s);
    CHECK(err.empty());
    CHECK(s->schema_version() == Store::kSchemaVersion);
    // Version 6: a listing stored before collection times were kept counts as collected at the
    // upgrade (once, in that week), never as unknown.
    REQUIRE(s->listing("L-OLD"));
    CHECK(s->listing("L-OLD")->collected_at >= before);
    CHECK(s->listing("L-OLD")->collected_at <= after);

    // Reference data and settings survived, and the search index still finds the old listing.
    CHECK(s->listing("L-OLD"));
    ListingQuery q;
    q.today = Date{2024, 2, 23};
    q.text = "挤出操作工";
    REQUIRE(s->search_listings(q).size() == 1);
    q.text = "挤出"; // the bigram index added by version 3 covers rows stored before it
    CHECK(s->search_listings(q).size() == 1);
    q.text = "巡检";
    CHECK(s->search_listings(q).size() == 1);
    CHECK(s->attendee("A-OLD")->name == "李娟");
    CHECK(s->setting("terminal.id") == std::string("T-OLD"));
    // Version 5 forgot the look-up hash and its key, with no copy left in the file or its WAL
    // (with both, the mask 138****5678 gave the number away in 10,000 guesses).
    CHECK(s->attendee("A-OLD")->phone_hash.empty());
    CHECK_FALSE(s->setting("terminal.lookup_key"));
    for (auto name : {"kiosk.db", "kiosk.db-wal"}) {
        std::ifstream in(dir.file(name), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        INFO(name);
        CHECK(bytes.find(std::string(64, 'a')) == std::string::npos);
        CHECK(bytes.find("TE9PS1VQLUtFWS1PRi1BTi1PTEQtVEVSTUlOQUwtISE=") == std::string::npos);
    }
    // The person is found by what the mask shows.
    CHECK(s->find_attendees(PersonQuery{"138****5678", "", "", ""}).size() == 1);

    // The event log, its acknowledgement and the projections survived.
    CHECK(s->last_seq() == 2);
    CHECK(s->acknowledged_seq() == 1);
    auto pending = s->events_after(s->acknowledged_seq(), 10);
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].kind == "placement");
    CHECK(verify(key.public_key, "jf.placement.v1", pending[0].body, pending[0].signature));
    CHECK(s->current_placements("F-1").size() == 1);

    // Old check-ins still dedupe new scans; new events continue the sequence.
    auto signer = signer_for(key, "T-OLD");
    CheckIn again;
    again.attendee_id = "A-OLD";
    again.fair_id = "F-1";
    auto out = s->record_check_in(again, signer);
    REQUIRE(out.ok);
    CHECK(out.duplicate);
    CHECK(out.record.h.uuid == uuid);
    again.attendee_id = "A-NEW";
    CHECK(s->record_check_in(again, signer).record.h.seq == 3);

    // What version 2 added works.
    auto issuer = SigningKey::generate();
    REQUIRE(s->upsert_issuer_key(issuer.key_id(), issuer.public_key));
    CHECK(s->issuer_keys().size() == 1);

    // Version 4 rebuilt the log: it takes registrations, stays append-only, and foreign keys are
    // enforced again on this connection.
    {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(s->handle(), "PRAGMA foreign_keys", -1, &st, nullptr) ==
                SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        CHECK(sqlite3_column_int(st, 0) == 1);
        sqlite3_finalize(st);
    }
    Attendee walk_up = *s->attendee("A-OLD");
    Registration reg;
    reg.attendee = walk_up;
    reg.fair_id = "F-1";
    reg.credential_id = "c0ffee0000000001";
    reg.consent = true;
    bool recorded = s->transaction([&] { return s->record_registration(reg, signer).has_value(); });
    CHECK(recorded);
    CHECK(s->last_seq() == 4);
    CHECK(s->events_after(3, 1).at(0).kind == "registration");
    CHECK(sqlite3_exec(s->handle(), "UPDATE events SET device_time = 0", nullptr, nullptr,
                       nullptr) != SQLITE_OK);
    CHECK(sqlite3_exec(s->handle(), "DELETE FROM events", nullptr, nullptr, nullptr) != SQLITE_OK);
    REQUIRE(s->upsert_terminal_key("0a0b0c0d", SigningKey::generate().public_key, "F-1"));
    CHECK(s->terminal_key_fairs().at("0a0b0c0d") == "F-1");
    CHECK(s->issuer_keys().size() == 2);

    // Version 8: the check-in made before the upgrade can be undone (the original stays), the
    // person checks in again, and booth intents and services are new kinds of the same log.
    CheckInUndo undo;
    undo.check_in_uuid = uuid;
    undo.reason = "test_scan";
    auto undone = s->record_check_in_undo(undo, signer);
    REQUIRE(undone);
    CHECK(undone->attendee_id == "A-OLD");
    again.attendee_id = "A-OLD";
    auto back = s->record_check_in(again, signer);
    REQUIRE(back.ok);
    CHECK_FALSE(back.duplicate);
    BoothIntent intent;
    intent.attendee_id = "A-OLD";
    intent.fair_id = "F-1";
    intent.employer_id = "E-1";
    REQUIRE(s->record_intent(intent, signer));
    CHECK(s->last_seq() == 7);
    CHECK(s->events_after(4, 3).at(0).kind == "checkin_undo");

    // Version 9: station notices from the hub, shown by the terminal's clock; a tombstone removes
    // one, and the table refuses a notice that ends before it starts.
    CHECK(s->notices().empty());
    StationNotice n;
    n.id = "N-1";
    n.union_unit = "无为市";
    n.text = "下一场：3月1日 南陵县体育馆";
    n.starts_at = 1708646400000;
    n.ends_at = 1708905600000;
    n.fair_ids = {"F-1"};
    REQUIRE(s->upsert_notice(n));
    CHECK(s->current_notices("F-1", "T-OLD", 1708646400000).size() == 1);
    CHECK(s->current_notices("F-2", "T-OLD", 1708646400000).empty());
    CHECK(s->current_notices("F-1", "T-OLD", 1708905600000).empty());
    CHECK(sqlite3_exec(s->handle(),
                       "INSERT INTO notices(id, text, starts_at, ends_at) VALUES('N-X','x',5,4)",
                       nullptr, nullptr, nullptr) != SQLITE_OK);
    REQUIRE(s->upsert_notice([&] {
        auto m = n;
        m.id = "N-2";
        return m;
    }()));
    REQUIRE(s->delete_notice("N-2"));
    // Version 11: the needs list is one more kind of the same log, and the log is still
    // append-only after its rebuild.
    SeekerNeeds needs;
    needs.attendee_id = "A-OLD";
    needs.fair_id = "F-1";
    needs.services = {"training"};
    REQUIRE(s->record_needs(needs, signer));
    CHECK(s->last_seq() == 8);
    CHECK(s->events_after(7, 1).at(0).kind == "needs");
    CHECK(sqlite3_exec(s->handle(), "DELETE FROM events", nullptr, nullptr, nullptr) != SQLITE_OK);

    // Opening the upgraded file again runs nothing twice.
    s.reset();
    s = Store::open(dir.file("kiosk.db"), &err);
    REQUIRE(s);
    CHECK(s->issuer_keys().size() == 2);
    CHECK(s->last_seq() == 8);
    CHECK(s->latest_needs("A-OLD", "F-1")->services == std::vector<std::string>{"training"});
    CHECK(s->check_ins("F-1").size() == 3);
    CHECK(s->accepted_check_in("A-OLD", "F-1")->h.uuid == back.record.h.uuid);
    REQUIRE(s->notices().size() == 1);
    CHECK(s->notices()[0].text == "下一场：3月1日 南陵县体育馆");
}

TEST_CASE("a version-8 database drops its trigram index and searches with the bigram index "
          "alone") {
    TempDir dir;
    std::string path = dir.file("kiosk.db");
    {
        // Version 8 as it shipped (released migrations never change), with a listing stored the
        // way version 8 stored one: its row, its trigram entry and its grams.
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        for (auto& m : schema::kMigrations)
            if (m.version <= 8) exec(db, m.sql);
        exec(db, "PRAGMA user_version=8");
        exec(db, "INSERT INTO listings(pk, id, employer_id, union_unit, employer_name, title, "
                 "headcount, work_location, industry, salary, gender_requirement, education, "
                 "contact_name, contact_phone, email, description, experience, deadline, remarks, "
                 "collected_at) VALUES (1, 'L-8', 'E-1', '无为市', '芜湖鑫昊电子有限公司', "
                 "'挤出操作工', 2, '无为', '制造业', '', '', '', '', '13855380000', '', "
                 "'负责巡检，两班倒', '', 20990101, '', 1708300800000)");
        exec(db, "INSERT INTO listings_fts(rowid, title, description, employer_name) VALUES "
                 "(1, '挤出操作工', '负责巡检，两班倒', '芜湖鑫昊电子有限公司')");
        exec(db,
             "INSERT INTO listings_bigram(rowid, grams) VALUES (1, '挤出 出操 操作 作工 工 "
             "负责 责巡 巡检 检 两班 班倒 倒 芜湖 湖鑫 鑫昊 昊电 电子 子有 有限 限公 公司 司 ')");
        sqlite3_close(db);
    }
    auto s = Store::open(path);
    REQUIRE(s);
    CHECK(s->schema_version() == Store::kSchemaVersion);
    auto tables = [&](const char* name) {
        sqlite3_stmt* st = nullptr;
        std::string sql =
            std::string("SELECT count(*) FROM sqlite_master WHERE name LIKE '") + name + "%'";
        REQUIRE(sqlite3_prepare_v2(s->handle(), sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        int n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        return n;
    };
    CHECK(tables("listings_fts") == 0); // the table and its shadow tables
    CHECK(tables("listings_bigram") > 0);

    using V = std::vector<std::string>;
    auto ids = [&](const std::string& text) {
        ListingQuery q;
        q.text = text;
        q.today = Date{2024, 2, 23};
        V out;
        for (auto& l : s->search_listings(q))
            out.push_back(l.id);
        CHECK(s->count_listings(q) == static_cast<int64_t>(out.size()));
        return out;
    };
    // Terms of every length, several terms, text that runs across a comma: found exactly.
    CHECK(ids("挤出操作工") == V{"L-8"});
    CHECK(ids("操作工") == V{"L-8"});
    CHECK(ids("鑫昊电子有限") == V{"L-8"});
    CHECK(ids("作工") == V{"L-8"});
    CHECK(ids("检") == V{"L-8"});
    CHECK(ids("巡检 两班倒") == V{"L-8"});
    CHECK(ids("巡检，两班") == V{"L-8"});
    CHECK(ids("挤出工").empty());      // every pair is in the text, the term is not
    CHECK(ids("操作工 焊工").empty()); // every term must match
    CHECK(ids("工作").empty());

    // Listings stored, changed and removed after the upgrade: the one index follows.
    auto b = sample_listing("L-9");
    REQUIRE(s->upsert_listing(b));
    CHECK(ids("电缆挤出操作工") == V{"L-9"});
    CHECK(ids("挤出操作工") == V{"L-8", "L-9"});
    auto changed = *s->listing("L-8");
    changed.title = "注塑操作工";
    REQUIRE(s->upsert_listing(changed));
    CHECK(ids("挤出操作工") == V{"L-9"});
    CHECK(ids("注塑操作") == V{"L-8"});
    REQUIRE(s->delete_listing("L-9"));
    CHECK(ids("挤出").empty());
    CHECK(sqlite3_exec(s->handle(),
                       "INSERT INTO listings_bigram(listings_bigram) VALUES('integrity-check')",
                       nullptr, nullptr, nullptr) == SQLITE_OK);

    // Opened again: nothing runs twice.
    s.reset();
    s = Store::open(path);
    REQUIRE(s);
    CHECK(s->schema_version() == Store::kSchemaVersion);
    CHECK(ids("注塑操作工") == V{"L-8"});
}

TEST_CASE("a migration that fails leaves the old database exactly as it was") {
    TempDir dir;
    auto key = SigningKey::generate();
    std::string uuid;
    make_v1(dir.file("kiosk.db"), key, &uuid);
    // Something already occupies the name migration 2 needs, so it cannot complete.
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(dir.file("kiosk.db").c_str(), &db) == SQLITE_OK);
        exec(db, "CREATE TABLE issuer_keys(x)");
        sqlite3_close(db);
    }
    std::string before;
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(dir.file("kiosk.db").c_str(), &db) == SQLITE_OK);
        before = db_digest(db);
        sqlite3_close(db);
    }
    std::string err;
    CHECK_FALSE(Store::open(dir.file("kiosk.db"), &err));
    CHECK(err == "err.store.migration");
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.file("kiosk.db").c_str(), &db) == SQLITE_OK);
    CHECK(db_digest(db) == before);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}
