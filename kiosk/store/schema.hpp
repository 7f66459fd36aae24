// The store's numbered migrations. A released migration is never edited: a schema change is a
// new entry at the end, and Store::kSchemaVersion follows the last one.
#pragma once

namespace jf::schema {

struct Migration {
    int version;
    const char* sql;
    // Rebuilds a table other tables point at: runs with foreign keys off (SQLite's documented
    // table-rebuild procedure), and the result is checked with foreign_key_check before commit.
    bool rebuilds_tables = false;
};

// v1: reference tables, listing search index, the signed event log and its projections.
inline constexpr const char* kV1 = R"sql(
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

// v2: trusted credential issuer keys, which sync now delivers with the reference data.
inline constexpr const char* kV2 = R"sql(
CREATE TABLE issuer_keys(
  key_id TEXT PRIMARY KEY, public_key BLOB NOT NULL CHECK (length(public_key) = 32));
)sql";

// v3: a bigram index for 1-2 character queries (焊工, 保安, 电工: most job titles are two
// characters, below the trigram size). Contentless: the store writes each listing's grams itself
// (see listing_grams() in store.cpp) and fills the index from existing listings on upgrade.
inline constexpr const char* kV3 = R"sql(
CREATE VIRTUAL TABLE listings_bigram USING fts5(
  grams, content='', columnsize=0, detail=none, tokenize='unicode61 remove_diacritics 0');
)sql";

// v4: walk-up registrations travel in the event log (a third event kind, so the log is rebuilt
// with the wider CHECK; rows copied as they are), a projection of them, and the kind of each
// issuer key: a terminal key vouches only for attendee codes of its own fair.
inline constexpr const char* kV4 = R"sql(
CREATE TABLE events_v4(
  seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, terminal_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('checkin', 'placement', 'registration')),
  device_time INTEGER NOT NULL, body BLOB NOT NULL, signature BLOB NOT NULL);
INSERT INTO events_v4(seq, uuid, terminal_id, kind, device_time, body, signature)
  SELECT seq, uuid, terminal_id, kind, device_time, body, signature FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_v4 RENAME TO events;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN
  SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN
  SELECT RAISE(ABORT, 'the event log is append-only');
END;

-- One registration per person: the attendee it made and the credential it issued.
CREATE TABLE registrations(
  seq INTEGER PRIMARY KEY REFERENCES events(seq), uuid TEXT NOT NULL UNIQUE,
  attendee_id TEXT NOT NULL UNIQUE, credential_id TEXT NOT NULL);

ALTER TABLE issuer_keys ADD COLUMN kind TEXT NOT NULL DEFAULT 'hub'
  CHECK (kind IN ('hub', 'terminal'));
ALTER TABLE issuer_keys ADD COLUMN fair_id TEXT NOT NULL DEFAULT '';
)sql";

// v5: no verifier of a full number on the terminal (docs/privacy.md). The keyed look-up hashes
// and their key go (with both, the screen masks left 10,000 guesses per phone); look-up matches the
// visible characters of the masks instead, through expression indexes. The attendees download
// starts again from a snapshot (a stale epoch), which the hub narrows to the terminal's fair.
inline constexpr const char* kV5 = R"sql(
DROP INDEX attendees_phone;
DROP INDEX attendees_phone_tail;
DROP INDEX attendees_id_tail;
UPDATE attendees SET phone_hash = '', phone_tail_hash = '', id_tail_hash = '';
DELETE FROM settings WHERE key = 'terminal.lookup_key';
UPDATE settings SET value = 'schema-5' WHERE key = 'sync.epoch.attendees';
CREATE INDEX attendees_phone_masked ON attendees(phone_masked);
CREATE INDEX attendees_phone_tail4 ON attendees(substr(phone_masked, -4));
CREATE INDEX attendees_id_tail4 ON attendees(substr(id_masked, -4));
)sql";

// v6: when each listing was collected (UTC milliseconds), for the weekly 归集 figures. Listings
// stored before the terminal kept the time are stamped with the upgrade's instant: they are
// counted once, in the week of the upgrade, unless the hub sends an earlier time for them.
// The trigram index's triggers go: the store writes both search indexes itself (a statement
// that fires a trigger opens a savepoint, and FTS5 flushes its pending index at each one, which
// made every imported row cost a flush). The index itself is kept as it is.
inline constexpr const char* kV6 = R"sql(
DROP TRIGGER listings_fts_insert;
DROP TRIGGER listings_fts_delete;
DROP TRIGGER listings_fts_update;
ALTER TABLE listings ADD COLUMN collected_at INTEGER NOT NULL DEFAULT 0;
UPDATE listings SET collected_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
)sql";

// v7: the industry and place pickers and their filter counts are index ranges, not table scans:
// under 50 ms at a million listings (a province's, on a terminal that holds them all).
inline constexpr const char* kV7 = R"sql(
CREATE INDEX listings_industry ON listings(industry, deadline);
CREATE INDEX listings_location ON listings(work_location, deadline);
)sql";

// v8: the fair day (docs/fair-day.md). Three more event kinds (the log is rebuilt with the wider
// CHECK, rows copied as they are): booth intents, check-ins undone at the door, station services,
// each with its projection. An undone check-in stays in the log and in check_ins (undone = 1);
// the one-accepted-check-in rule applies to the check-ins not undone, so the person may check in
// again.
inline constexpr const char* kV8 = R"sql(
CREATE TABLE events_v8(
  seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, terminal_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('checkin', 'placement', 'registration', 'intent',
                                     'checkin_undo', 'service')),
  device_time INTEGER NOT NULL, body BLOB NOT NULL, signature BLOB NOT NULL);
INSERT INTO events_v8(seq, uuid, terminal_id, kind, device_time, body, signature)
  SELECT seq, uuid, terminal_id, kind, device_time, body, signature FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_v8 RENAME TO events;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN
  SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN
  SELECT RAISE(ABORT, 'the event log is append-only');
END;

ALTER TABLE check_ins ADD COLUMN undone INTEGER NOT NULL DEFAULT 0;
DROP INDEX check_ins_accepted;
CREATE UNIQUE INDEX check_ins_accepted ON check_ins(attendee_id, fair_id)
  WHERE verdict = 'checked_in' AND undone = 0;
-- A check-in is undone at most once.
CREATE TABLE check_in_undos(
  seq INTEGER PRIMARY KEY REFERENCES events(seq), uuid TEXT NOT NULL UNIQUE,
  check_in_uuid TEXT NOT NULL UNIQUE REFERENCES check_ins(uuid), fair_id TEXT NOT NULL);
CREATE INDEX check_in_undos_fair ON check_in_undos(fair_id);

CREATE TABLE intents(
  seq INTEGER PRIMARY KEY REFERENCES events(seq), uuid TEXT NOT NULL UNIQUE,
  attendee_id TEXT NOT NULL, fair_id TEXT NOT NULL, employer_id TEXT NOT NULL,
  level TEXT NOT NULL);
CREATE INDEX intents_fair ON intents(fair_id, employer_id);

CREATE TABLE services(
  seq INTEGER PRIMARY KEY REFERENCES events(seq), uuid TEXT NOT NULL UNIQUE,
  fair_id TEXT NOT NULL);
CREATE INDEX services_fair ON services(fair_id);
)sql";

// v9: station notices (the notices download stream; docs/terminal.md). The station screen reads
// the ones in force by the terminal's clock; ids of the fairs and terminals a notice names are
// one text column each ("F1,F2"), as on the hub.
inline constexpr const char* kV9 = R"sql(
CREATE TABLE notices(
  id TEXT PRIMARY KEY, union_unit TEXT NOT NULL DEFAULT '', text TEXT NOT NULL,
  starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),
  fair_ids TEXT NOT NULL DEFAULT '', terminal_ids TEXT NOT NULL DEFAULT '');
CREATE INDEX notices_ends ON notices(ends_at);
)sql";

// v10: one search index. The bigram index (v3) answers terms of any length (every other pair of
// a term's characters narrows the rows, a substring test keeps the answer exact), so the trigram
// index goes: writing both cost an import about twice the tokenising and index merging.
inline constexpr const char* kV10 = R"sql(
DROP TABLE listings_fts;
)sql";

// v11: the seekers' needs list (docs/fair-day.md). One more event kind (the log is rebuilt with
// the wider CHECK, rows copied as they are) and its projection: one row per recorded list; a
// person's latest list at a fair is the one that counts.
inline constexpr const char* kV11 = R"sql(
CREATE TABLE events_v11(
  seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, terminal_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('checkin', 'placement', 'registration', 'intent',
                                     'checkin_undo', 'service', 'needs')),
  device_time INTEGER NOT NULL, body BLOB NOT NULL, signature BLOB NOT NULL);
INSERT INTO events_v11(seq, uuid, terminal_id, kind, device_time, body, signature)
  SELECT seq, uuid, terminal_id, kind, device_time, body, signature FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_v11 RENAME TO events;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events BEGIN
  SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN
  SELECT RAISE(ABORT, 'the event log is append-only');
END;

CREATE TABLE needs(
  seq INTEGER PRIMARY KEY REFERENCES events(seq), uuid TEXT NOT NULL UNIQUE,
  attendee_id TEXT NOT NULL, fair_id TEXT NOT NULL);
CREATE INDEX needs_person ON needs(fair_id, attendee_id);
)sql";

inline constexpr Migration kMigrations[] = {{1, kV1},       {2, kV2},       {3, kV3},
                                            {4, kV4, true}, {5, kV5},       {6, kV6},
                                            {7, kV7},       {8, kV8, true}, {9, kV9},
                                            {10, kV10},     {11, kV11, true}};

} // namespace jf::schema
