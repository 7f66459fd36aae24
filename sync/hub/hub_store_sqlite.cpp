// HubStore on SQLite: one file (<data dir>/hub.db) in WAL mode with synchronous=FULL, so a batch is
// on disk before it is acknowledged. One connection behind a mutex: the hub's writes are short
// batched transactions, and signature checks happen before the lock is taken.
//
// Index
// - Statements    a small RAII wrapper; every statement prepared and parameterised
// - Schema        tables and indexes (schema version in PRAGMA user_version)
// - Keys          the sealing public key and epoch in the meta table; the secret in its key file
// - Enrolment     codes, terminals
// - Events        ingest, read-back
// - Reference     upserts with change counters, pages
// - Health        quick_check, quarantine quota, online backup and restore
// - Console       the union tree, staff accounts, sessions (their own tables, made and seeded
//                 on open whatever the schema version)
#include "sync/hub/hub_store.hpp"

#include "sync/hub/hub_keyfile.hpp"
#include "sync/hub/hub_rows.hpp"
#include "kiosk/domain/reports.hpp"
#include "platform/log/private_files.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <thread>

namespace jf::hub {
namespace {

// -----------------------------------------------------------------------------
// Statements
// -----------------------------------------------------------------------------
class Stmt {
  public:
    Stmt(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK) st_ = nullptr;
    }
    ~Stmt() { sqlite3_finalize(st_); }
    Stmt(const Stmt&) = delete;
    explicit operator bool() const { return st_ != nullptr; }
    Stmt& bind(int i, const std::string& v) {
        sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind(int i, const char* v) { return bind(i, std::string(v)); }
    // For text that outlives the statement's next step (SQLite keeps the pointer, no copy).
    Stmt& bind_static(int i, const std::string& v) {
        sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
        return *this;
    }
    Stmt& bind(int i, int64_t v) {
        sqlite3_bind_int64(st_, i, v);
        return *this;
    }
    Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
    Stmt& bind(int i, uint32_t v) { return bind(i, static_cast<int64_t>(v)); }
    Stmt& bind(int i, bool v) { return bind(i, static_cast<int64_t>(v ? 1 : 0)); }
    Stmt& bind(int i, const Bytes& v) {
        if (v.empty()) { // a NULL pointer would bind SQL NULL, not an empty blob
            sqlite3_bind_zeroblob(st_, i, 0);
            return *this;
        }
        sqlite3_bind_blob(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    bool step() { return st_ && sqlite3_step(st_) == SQLITE_ROW; }
    bool run_to_end() {
        int rc;
        while ((rc = sqlite3_step(st_)) == SQLITE_ROW) {
        }
        return rc == SQLITE_DONE;
    }
    bool run() {
        if (!st_) return false;
        int rc = sqlite3_step(st_);
        return rc == SQLITE_DONE || rc == SQLITE_ROW;
    }
    std::string text(int c) const {
        auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, c));
        return p ? std::string(p, sqlite3_column_bytes(st_, c)) : std::string();
    }
    int64_t i64(int c) const { return sqlite3_column_int64(st_, c); }
    Bytes blob(int c) const {
        auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(st_, c));
        return p ? Bytes(p, p + sqlite3_column_bytes(st_, c)) : Bytes();
    }
    Date date(int c) const { return Date::parse(text(c)).value_or(Date{}); }
    bool is_null(int c) const { return sqlite3_column_type(st_, c) == SQLITE_NULL; }
    void reset() {
        sqlite3_reset(st_);
        sqlite3_clear_bindings(st_);
    }

  private:
    sqlite3_stmt* st_ = nullptr;
};

std::string date_text(const Date& d) {
    return d.valid() ? d.to_iso() : std::string();
}

// PRAGMA quick_check: empty when sound, else its first findings (or the error that stopped it).
std::string quick_check(sqlite3* db) {
    Stmt s(db, "PRAGMA quick_check(5)");
    if (!s) return sqlite3_errmsg(db);
    std::string out;
    while (s.step()) {
        auto line = s.text(0);
        if (line == "ok") return {};
        out += (out.empty() ? "" : "; ") + line;
    }
    return out.empty() ? std::string(sqlite3_errmsg(db)) : out;
}

// -----------------------------------------------------------------------------
// Schema
// -----------------------------------------------------------------------------
const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS enrol_codes(
  code_hash TEXT PRIMARY KEY, fair_id TEXT NOT NULL, mode TEXT NOT NULL,
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER, terminal_id TEXT);
CREATE TABLE IF NOT EXISTS terminals(
  id TEXT PRIMARY KEY, fair_id TEXT NOT NULL, mode TEXT NOT NULL, device TEXT NOT NULL,
  public_key BLOB NOT NULL, token_hash TEXT NOT NULL UNIQUE, enrolled_at INTEGER NOT NULL,
  last_contact INTEGER NOT NULL DEFAULT 0, revoked_at INTEGER NOT NULL DEFAULT 0,
  clock_offset_ms INTEGER NOT NULL DEFAULT 0, acked_seq INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS events(
  uuid TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
  body BLOB NOT NULL, signature BLOB NOT NULL, device_time INTEGER NOT NULL,
  received_at INTEGER NOT NULL, UNIQUE(terminal_id, seq));
CREATE TABLE IF NOT EXISTS quarantine(
  id INTEGER PRIMARY KEY, terminal_id TEXT NOT NULL, uuid TEXT NOT NULL, seq INTEGER NOT NULL,
  kind TEXT NOT NULL, body BLOB NOT NULL, signature BLOB NOT NULL, device_time INTEGER NOT NULL,
  received_at INTEGER NOT NULL, reason TEXT NOT NULL, UNIQUE(terminal_id, seq, uuid));
CREATE TABLE IF NOT EXISTS check_ins(
  uuid TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq INTEGER NOT NULL, fair_id TEXT NOT NULL,
  attendee_id TEXT NOT NULL, method TEXT NOT NULL, verdict TEXT NOT NULL,
  credential_id TEXT NOT NULL, device_time INTEGER NOT NULL, received_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS check_ins_fair ON check_ins(fair_id, attendee_id);
CREATE TABLE IF NOT EXISTS placements(
  uuid TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq INTEGER NOT NULL, placement_id TEXT NOT NULL,
  action TEXT NOT NULL, corrects TEXT NOT NULL, reason TEXT NOT NULL, attendee_id TEXT NOT NULL,
  fair_id TEXT NOT NULL, employer_id TEXT NOT NULL, listing_id TEXT NOT NULL,
  person_name TEXT NOT NULL, id_masked TEXT NOT NULL, phone_masked TEXT NOT NULL,
  work_place TEXT NOT NULL, employer_name TEXT NOT NULL, prev_year_work_place TEXT NOT NULL,
  employment_form TEXT NOT NULL, contract_form TEXT NOT NULL, participation TEXT NOT NULL,
  start_date TEXT NOT NULL, signed_date TEXT NOT NULL, key_groups INTEGER NOT NULL,
  device_time INTEGER NOT NULL, received_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS placements_fair ON placements(fair_id, placement_id);
-- The console's Today figures of a fair (HubStore::fair_counts) read only these indexes.
CREATE INDEX IF NOT EXISTS check_ins_fair_time ON check_ins(fair_id, device_time);
CREATE INDEX IF NOT EXISTS placements_fair_chain
  ON placements(fair_id, (COALESCE(NULLIF(placement_id, ''), uuid)), action, placement_id, uuid);
-- A report's period reads its placements through these (rows::period_placements_sql).
CREATE INDEX IF NOT EXISTS placements_start ON placements(start_date);
CREATE INDEX IF NOT EXISTS placements_recorded ON placements(device_time);
CREATE INDEX IF NOT EXISTS placements_chain ON placements((COALESCE(NULLIF(placement_id,''), uuid)));
-- The fair day's events (booth intents, undone check-ins, station services): the body stays in
-- events; this names their fair and person (hubs made earlier gain it at open).
CREATE TABLE IF NOT EXISTS fair_day_events(
  uuid TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
  fair_id TEXT NOT NULL, attendee_id TEXT NOT NULL, device_time INTEGER NOT NULL,
  received_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS fair_day_events_fair ON fair_day_events(fair_id, kind);
CREATE TABLE IF NOT EXISTS campaigns(
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL DEFAULT '', concentrated_from TEXT NOT NULL DEFAULT '',
  concentrated_until TEXT NOT NULL DEFAULT '', year_from TEXT NOT NULL DEFAULT '',
  year_until TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS fairs(
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  campaign_id TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',
  union_unit TEXT NOT NULL DEFAULT '', venue TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '',
  online INTEGER NOT NULL DEFAULT 0, special INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS employers(
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL DEFAULT '', credit_code TEXT NOT NULL DEFAULT '',
  union_unit TEXT NOT NULL DEFAULT '', contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS listings(
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  employer_id TEXT NOT NULL DEFAULT '', union_unit TEXT NOT NULL DEFAULT '',
  employer_name TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '', headcount INTEGER,
  work_location TEXT NOT NULL DEFAULT '', industry TEXT NOT NULL DEFAULT '',
  salary TEXT NOT NULL DEFAULT '', gender_requirement TEXT NOT NULL DEFAULT '',
  education TEXT NOT NULL DEFAULT '', contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '', experience TEXT NOT NULL DEFAULT '',
  deadline TEXT NOT NULL DEFAULT '', remarks TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS attendees(
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL DEFAULT '', gender TEXT NOT NULL DEFAULT '', key_groups INTEGER NOT NULL DEFAULT 0,
  phone_masked TEXT NOT NULL DEFAULT '', id_masked TEXT NOT NULL DEFAULT '',
  phone_hash TEXT NOT NULL DEFAULT '', phone_tail_hash TEXT NOT NULL DEFAULT '',
  id_tail_hash TEXT NOT NULL DEFAULT '', sealed_phone TEXT NOT NULL DEFAULT '',
  sealed_id TEXT NOT NULL DEFAULT '', name_initials TEXT NOT NULL DEFAULT '',
  union_unit TEXT NOT NULL DEFAULT '', campaign_id TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS revocations(
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS issuer_keys(
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  public_key BLOB NOT NULL, kind TEXT NOT NULL DEFAULT 'hub', fair_id TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS openings(
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, who TEXT NOT NULL, form TEXT NOT NULL,
  people INTEGER NOT NULL, file TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS phone_codes(
  attendee_id TEXT PRIMARY KEY, fair_id TEXT NOT NULL, credential TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS attendees_phone_mask ON attendees(phone_masked);
CREATE TABLE IF NOT EXISTS registrations(
  uuid TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq INTEGER NOT NULL,
  attendee_id TEXT NOT NULL UNIQUE, credential_id TEXT NOT NULL, fair_id TEXT NOT NULL,
  device_time INTEGER NOT NULL, received_at INTEGER NOT NULL);
-- A page of a stream's changes is a range of its version index: a download page and an empty
-- poll cost the same at ten thousand rows and at a million (hubs made earlier gain them at open).
CREATE INDEX IF NOT EXISTS campaigns_version ON campaigns(version);
CREATE INDEX IF NOT EXISTS fairs_version ON fairs(version);
CREATE INDEX IF NOT EXISTS employers_version ON employers(version);
CREATE INDEX IF NOT EXISTS listings_version ON listings(version);
CREATE INDEX IF NOT EXISTS listings_union_version ON listings(union_unit, version);
CREATE INDEX IF NOT EXISTS registrations_fair ON registrations(fair_id);
CREATE INDEX IF NOT EXISTS attendees_version ON attendees(version);
CREATE INDEX IF NOT EXISTS revocations_version ON revocations(version);
CREATE INDEX IF NOT EXISTS issuer_keys_version ON issuer_keys(version);
-- Station notices written in the console (a download stream, offered per union like listings).
CREATE TABLE IF NOT EXISTS notices(
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  union_unit TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT '',
  starts_at INTEGER NOT NULL DEFAULT 0, ends_at INTEGER NOT NULL DEFAULT 0,
  fair_ids TEXT NOT NULL DEFAULT '', terminal_ids TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS notices_version ON notices(version);
CREATE INDEX IF NOT EXISTS notices_union_version ON notices(union_unit, version);
)SQL";

// Schema 2: issuer keys have a kind (hub or terminal) and a terminal key its fair. A hub made
// with schema 1 gains the columns, and its enrolled terminals' keys are published.
const char* kAddIssuerKinds = R"SQL(
ALTER TABLE issuer_keys ADD COLUMN kind TEXT NOT NULL DEFAULT 'hub';
ALTER TABLE issuer_keys ADD COLUMN fair_id TEXT NOT NULL DEFAULT '';
)SQL";

// -----------------------------------------------------------------------------
// Console schema: the union tree, staff accounts and sessions. CREATE IF NOT EXISTS on every open,
// so a hub of any earlier version gains them; the tree is seeded once, while it is empty.
// -----------------------------------------------------------------------------
const char* kConsoleSchema = R"SQL(
CREATE TABLE IF NOT EXISTS unions(
  id TEXT PRIMARY KEY, parent TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',
  level TEXT NOT NULL DEFAULT 'county');
CREATE TABLE IF NOT EXISTS accounts(
  name TEXT PRIMARY KEY, union_id TEXT NOT NULL, role TEXT NOT NULL,
  may_open_numbers INTEGER NOT NULL DEFAULT 0, password_hash TEXT NOT NULL DEFAULT '',
  setup_hash TEXT NOT NULL DEFAULT '', setup_expires INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS accounts_setup ON accounts(setup_hash);
CREATE TABLE IF NOT EXISTS sessions(
  id_hash TEXT PRIMARY KEY, account TEXT NOT NULL, created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS campaign_targets(
  campaign_id TEXT NOT NULL, position INTEGER NOT NULL, unit TEXT NOT NULL,
  f0 INTEGER NOT NULL, f1 INTEGER NOT NULL, f2 INTEGER NOT NULL, f3 INTEGER NOT NULL,
  f4 INTEGER NOT NULL, f5 INTEGER NOT NULL, PRIMARY KEY(campaign_id, position));
CREATE TABLE IF NOT EXISTS report_downloads(
  account TEXT NOT NULL, week TEXT NOT NULL, union_id TEXT NOT NULL, digest TEXT NOT NULL,
  at INTEGER NOT NULL, PRIMARY KEY(account, week, union_id));
)SQL";

class SqliteHubStore final : public HubStore {
  public:
    SqliteHubStore(sqlite3* db, std::string key_path) : db_(db), key_path_(std::move(key_path)) {}
    ~SqliteHubStore() override {
        if (!seal_secret_.empty()) sodium_memzero(seal_secret_.data(), seal_secret_.size());
        sqlite3_close(db_);
    }
    const std::string& last_error() const override { return error_; }

    bool init() {
        // secure_delete: what a delete or update frees is overwritten with zeros (file and WAL).
        // A 32 MB page cache (SQLite's default is 2 MB): an import's batch of 5,000 listings
        // touches that many pages of the listing id index (the ids are hashes); with 2 MB the
        // cache spilled dirty pages into the WAL mid-transaction and read them back, writing
        // some 600 MB for an 88 MB file of 180,000 listings.
        for (const char* p :
             {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
              "PRAGMA busy_timeout=5000", "PRAGMA secure_delete=ON", "PRAGMA cache_size=-32768"})
            if (!exec(p)) return false;
        if (!exec(kSchema)) return false;
        std::string key_error;
        auto pass = key_passphrase(&key_error);
        if (!key_error.empty()) return error_ = key_error, false;
        // Keys and epoch are made once, on first open, and never change by themselves. The
        // sealing secret goes to its own file (hub_keyfile.hpp), never into hub.db.
        if (meta("seal_pk").empty()) {
            BoxKeyPair pair;
            if (std::filesystem::exists(key_path_)) { // hub.db made again beside its key
                auto k = read_seal_key(key_path_, pass, &key_error);
                if (!k) return error_ = key_error, false;
                pair = *k;
            } else {
                pair = BoxKeyPair::generate();
                if (!write_seal_key(key_path_, pair, pass, &key_error))
                    return error_ = key_error, false;
            }
            if (!exec("BEGIN IMMEDIATE")) return false;
            bool ok = set_meta("seal_pk", pair.public_key) &&
                      set_meta("epoch", to_bytes(new_uuid())) &&
                      set_meta("change_seq", to_bytes("0"));
            if (!exec(ok ? "COMMIT" : "ROLLBACK") || !ok) return false;
        }
        if (!move_secret_out(pass)) return false;
        if (auto k = read_seal_key(key_path_, pass, &key_error);
            k && k->public_key == meta("seal_pk"))
            seal_secret_ = k->secret_key;
        else
            seal_problem_ = k ? key_path_ + ": not the key of this hub.db" : key_error;
        return upgrade();
    }

    // A hub made before the key file kept its sealing secret (and a look-up key whose hashes,
    // with the masks, gave phone numbers away) in hub.db: the secret moves to the key file, the
    // look-up key and hashes go, and the file is rebuilt so no free page keeps a copy.
    bool move_secret_out(const std::optional<std::string>& pass) {
        Bytes legacy = meta("seal_sk");
        bool hashes = false;
        {
            Stmt h(db_, "SELECT 1 FROM attendees WHERE phone_hash <> '' OR phone_tail_hash <> '' "
                        "OR id_tail_hash <> '' LIMIT 1");
            hashes = h.step();
        }
        if (legacy.empty() && meta("lookup_key").empty() && !hashes) return true;
        std::string key_error;
        if (!legacy.empty() && !std::filesystem::exists(key_path_)) {
            BoxKeyPair pair{meta("seal_pk"), legacy};
            if (!write_seal_key(key_path_, pair, pass, &key_error))
                return error_ = key_error, false;
        }
        if (!legacy.empty()) { // the file must open to the same key before hub.db forgets it
            auto k = read_seal_key(key_path_, pass, &key_error);
            if (!k || k->secret_key != legacy)
                return error_ = key_error.empty() ? key_path_ + ": not this hub's key" : key_error,
                       false;
        }
        if (!exec("BEGIN IMMEDIATE")) return false;
        bool ok = exec("DELETE FROM meta WHERE key IN ('seal_sk', 'lookup_key');"
                       "UPDATE attendees SET phone_hash = '', phone_tail_hash = '', "
                       "id_tail_hash = '';");
        if (!exec(ok ? "COMMIT" : "ROLLBACK") || !ok) return false;
        return exec("VACUUM") && exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }

    // Brings a hub made by an earlier version up to schema 2, in one transaction.
    bool upgrade() {
        if (!exec("BEGIN IMMEDIATE")) return false;
        bool ok = true;
        {
            Stmt has(db_,
                     "SELECT count(*) FROM pragma_table_info('issuer_keys') WHERE name='kind'");
            ok = has.step();
            bool old = ok && has.i64(0) == 0;
            has.reset();
            if (old) ok = exec(kAddIssuerKinds);
        }
        if (ok) {
            // Terminals enrolled before their keys were published: publish them now.
            Stmt t(db_, "SELECT fair_id, public_key FROM terminals WHERE revoked_at=0 "
                        "ORDER BY enrolled_at, id");
            while (ok && t.step())
                if (!has_issuer_key(key_id_of(t.blob(1))))
                    ok = put_terminal_key(t.blob(1), t.text(0));
        }
        if (ok)
            ok = add_column("terminals", "quarantine_base", "INTEGER NOT NULL DEFAULT 0") &&
                 add_column("terminals", "quota_hit_at", "INTEGER NOT NULL DEFAULT 0");
        // When each listing was collected; those stored before the hub kept it count as
        // collected at this upgrade (once, in its week: docs/forms.md).
        if (ok) {
            Stmt has(db_, "SELECT count(*) FROM pragma_table_info('listings') "
                          "WHERE name='collected_at'");
            ok = has.step();
            bool old = ok && has.i64(0) == 0;
            has.reset();
            if (old)
                ok = exec("ALTER TABLE listings ADD COLUMN collected_at INTEGER NOT NULL "
                          "DEFAULT 0;"
                          "UPDATE listings SET collected_at = "
                          "CAST(strftime('%s', 'now') AS INTEGER) * 1000;");
        }
        ok = ok && exec("PRAGMA user_version=2");
        ok = ok && console_schema();
        if (!exec(ok ? "COMMIT" : "ROLLBACK") || !ok) return false;
        return true;
    }

    // The console's tables (inside upgrade()'s transaction) and the union tree's seed.
    bool console_schema() {
        if (!exec(kConsoleSchema)) return false;
        Stmt n(db_, "SELECT count(*) FROM unions");
        if (!n.step()) return check(false);
        if (n.i64(0) > 0) return true;
        for (auto& u : rows::kSeedUnions)
            if (!put_union({u.id, u.parent, u.name, u.level})) return false;
        return true;
    }

    // A column a hub made by an earlier version lacks (inside upgrade()'s transaction).
    bool add_column(const char* table, const char* column, const char* decl) {
        Stmt has(db_, "SELECT count(*) FROM pragma_table_info(?) WHERE name=?");
        has.bind(1, table).bind(2, column);
        if (!has.step()) return false;
        if (has.i64(0) > 0) return true;
        return exec(
            (std::string("ALTER TABLE ") + table + " ADD COLUMN " + column + " " + decl).c_str());
    }

    // -- Health -------------------------------------------------------------------
    std::string integrity_problem() override {
        std::lock_guard lock(mu_);
        return quick_check(db_);
    }

    // -- Quarantine quota -------------------------------------------------------------
    QuarantineQuota quarantine_quota() override {
        std::lock_guard lock(mu_);
        QuarantineQuota q;
        auto read = [&](const char* key, int64_t* v) {
            auto b = meta(key);
            if (b.empty()) return;
            try {
                *v = std::stoll(std::string(b.begin(), b.end()));
            } catch (...) {
            }
        };
        read("quarantine_max_events", &q.max_events);
        read("quarantine_max_bytes", &q.max_bytes);
        return q;
    }
    bool set_quarantine_quota(const QuarantineQuota& q) override {
        std::lock_guard lock(mu_);
        return set_meta("quarantine_max_events", to_bytes(std::to_string(q.max_events))) &&
               set_meta("quarantine_max_bytes", to_bytes(std::to_string(q.max_bytes)));
    }
    void quarantine_use(const std::string& terminal_id, int64_t* events, int64_t* bytes) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, "SELECT count(*), coalesce(sum(length(body) + length(signature)), 0) "
                    "FROM quarantine WHERE terminal_id=?1 AND id > "
                    "coalesce((SELECT quarantine_base FROM terminals WHERE id=?1), 0)");
        s.bind(1, terminal_id);
        bool row = s.step();
        *events = row ? s.i64(0) : 0;
        *bytes = row ? s.i64(1) : 0;
    }
    void note_quota_hit(const std::string& terminal_id, TimeMs now) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, "UPDATE terminals SET quota_hit_at=? WHERE id=?");
        s.bind(1, now).bind(2, terminal_id).run();
    }
    bool release_quarantine_quota(const std::string& terminal_id) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, "UPDATE terminals SET quota_hit_at=0, "
                    "quarantine_base=(SELECT coalesce(max(id), 0) FROM quarantine) WHERE id=?");
        return check(s.bind(1, terminal_id).run()) && sqlite3_changes(db_) == 1;
    }

    // -- Keys ---------------------------------------------------------------------
    HubKeys keys() override {
        std::lock_guard lock(mu_);
        HubKeys k;
        k.seal.public_key = meta("seal_pk");
        k.seal.secret_key = seal_secret_;
        k.seal_problem = seal_problem_;
        auto e = meta("epoch");
        k.epoch.assign(e.begin(), e.end());
        return k;
    }

    bool new_epoch() override {
        std::lock_guard lock(mu_);
        return set_meta("epoch", to_bytes(new_uuid()));
    }

    // -- Enrolment ------------------------------------------------------------------
    bool add_enrol_code(const std::string& code_hash, const std::string& fair_id,
                        const std::string& mode, TimeMs expires_at) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, "INSERT INTO enrol_codes(code_hash, fair_id, mode, created_at, expires_at) "
                    "VALUES(?,?,?,strftime('%s','now')*1000,?)");
        return check(s.bind(1, code_hash).bind(2, fair_id).bind(3, mode).bind(4, expires_at).run());
    }

    std::optional<TerminalRow> redeem_enrol_code(const std::string& code_hash,
                                                 const Bytes& public_key, const std::string& device,
                                                 const std::string& token_hash, TimeMs now,
                                                 RedeemError* why) override {
        std::lock_guard lock(mu_);
        auto fail = [&](RedeemError e) {
            if (why) *why = e;
            exec("ROLLBACK");
            return std::nullopt;
        };
        if (!exec("BEGIN IMMEDIATE")) return fail(RedeemError::Storage);
        Stmt q(db_, "SELECT fair_id, mode, expires_at, used_at FROM enrol_codes WHERE code_hash=?");
        q.bind(1, code_hash);
        if (!q.step()) return fail(RedeemError::Unknown);
        bool used = !q.is_null(3);
        TimeMs expires = q.i64(2);
        TerminalRow t;
        t.fair_id = q.text(0);
        t.mode = q.text(1);
        q.reset();
        if (used) return fail(RedeemError::Used);
        if (expires < now) return fail(RedeemError::Expired);
        // A key id already taken (by the hub's issuer key or another terminal) would let this
        // terminal's codes pass for the other's: refused; the terminal makes a new key pair.
        if (has_issuer_key(key_id_of(public_key))) return fail(RedeemError::KeyConflict);
        t.id = "T-" + new_uuid().substr(0, 8);
        t.device = device;
        t.public_key = public_key;
        t.enrolled_at = t.last_contact = now;
        Stmt u(db_, "UPDATE enrol_codes SET used_at=?, terminal_id=? WHERE code_hash=?");
        Stmt ins(db_, "INSERT INTO terminals(id, fair_id, mode, device, public_key, token_hash, "
                      "enrolled_at, last_contact) VALUES(?,?,?,?,?,?,?,?)");
        if (!u.bind(1, now).bind(2, t.id).bind(3, code_hash).run() ||
            !ins.bind(1, t.id)
                 .bind(2, t.fair_id)
                 .bind(3, t.mode)
                 .bind(4, device)
                 .bind(5, public_key)
                 .bind(6, token_hash)
                 .bind(7, now)
                 .bind(8, now)
                 .run() ||
            !put_terminal_key(public_key, t.fair_id) || !exec("COMMIT"))
            return fail(RedeemError::Storage);
        if (why) *why = RedeemError::None;
        return t;
    }

    std::optional<TerminalRow> terminal_by_token(const std::string& token_hash) override {
        std::lock_guard lock(mu_);
        auto v = terminals_where("WHERE t.token_hash=?", token_hash, false);
        if (v.empty()) return std::nullopt;
        return v.front();
    }
    std::optional<TerminalRow> terminal(const std::string& id) override {
        std::lock_guard lock(mu_);
        auto v = terminals_where("WHERE t.id=?", id);
        if (v.empty()) return std::nullopt;
        return v.front();
    }
    std::vector<TerminalRow> terminals() override {
        std::lock_guard lock(mu_);
        return terminals_where("", "");
    }

    bool revoke_terminal(const std::string& id, TimeMs now) override {
        std::lock_guard lock(mu_);
        if (!exec("BEGIN IMMEDIATE")) return false;
        auto rollback = [&] {
            error_ = sqlite3_errmsg(db_);
            exec("ROLLBACK");
            return false;
        };
        Bytes key;
        {
            Stmt q(db_, "SELECT public_key FROM terminals WHERE id=? AND revoked_at=0");
            q.bind(1, id);
            if (!q.step()) {
                exec("ROLLBACK");
                return false; // unknown or already revoked
            }
            key = q.blob(0);
        }
        Stmt s(db_, "UPDATE terminals SET revoked_at=? WHERE id=? AND revoked_at=0");
        if (!s.bind(1, now).bind(2, id).run()) return rollback();
        // Its key travels as a tombstone: terminals stop trusting codes it issued.
        int64_t v = 0;
        Stmt k(db_, "UPDATE issuer_keys SET deleted=1, version=? "
                    "WHERE id=? AND kind='terminal' AND deleted=0");
        if (!bump(&v) || !k.bind(1, v).bind(2, key_id_of(key)).run()) return rollback();
        if (!exec("COMMIT")) return rollback();
        return true;
    }

    void touch_terminal(const std::string& id, TimeMs now, std::optional<int64_t> offset) override {
        std::lock_guard lock(mu_);
        if (offset) {
            Stmt s(db_, "UPDATE terminals SET last_contact=?, clock_offset_ms=? WHERE id=?");
            s.bind(1, now).bind(2, *offset).bind(3, id).run();
        } else {
            Stmt s(db_, "UPDATE terminals SET last_contact=? WHERE id=?");
            s.bind(1, now).bind(2, id).run();
        }
    }

    // -- Events ---------------------------------------------------------------------
    IngestSummary ingest(const std::string& terminal_id, const std::vector<IngestItem>& items,
                         TimeMs now, std::optional<int64_t> clock_offset_ms) override {
        std::lock_guard lock(mu_);
        IngestSummary sum;
        if (!exec("BEGIN IMMEDIATE")) {
            sum.error = error_;
            return sum;
        }
        Stmt find(db_, "SELECT body, signature, terminal_id, seq FROM events WHERE uuid=?");
        Stmt ins(db_,
                 "INSERT INTO events(uuid, terminal_id, seq, kind, body, signature, device_time, "
                 "received_at) VALUES(?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
        Stmt quar(db_,
                  "INSERT OR IGNORE INTO quarantine(terminal_id, uuid, seq, kind, body, signature, "
                  "device_time, received_at, reason) VALUES(?,?,?,?,?,?,?,?,?)");
        Stmt ci(db_,
                "INSERT INTO check_ins(uuid, terminal_id, seq, fair_id, attendee_id, method, "
                "verdict, credential_id, device_time, received_at) VALUES(?,?,?,?,?,?,?,?,?,?)");
        Stmt pl(db_,
                "INSERT INTO placements(uuid, terminal_id, seq, placement_id, action, corrects, "
                "reason, attendee_id, fair_id, employer_id, listing_id, person_name, id_masked, "
                "phone_masked, work_place, employer_name, prev_year_work_place, employment_form, "
                "contract_form, participation, start_date, signed_date, key_groups, device_time, "
                "received_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        Stmt reg(db_, "INSERT INTO registrations(uuid, terminal_id, seq, attendee_id, "
                      "credential_id, fair_id, device_time, received_at) VALUES(?,?,?,?,?,?,?,?)");
        Stmt known(db_, "SELECT (SELECT count(*) FROM attendees WHERE id=?1), "
                        "(SELECT count(*) FROM registrations WHERE uuid=?2)");
        Stmt fd(db_, "INSERT INTO fair_day_events(uuid, terminal_id, seq, kind, fair_id, "
                     "attendee_id, device_time, received_at) VALUES(?,?,?,?,?,?,?,?)");
        bool ok = find && ins && quar && ci && pl && reg && known && fd;
        // Terminals send in sequence order from what was acknowledged to them, so a batch that
        // starts past the hub's acknowledged sequence means the hub lost events: it was restored
        // from a backup. The batch is kept; the terminal is asked to send the missing ones again,
        // and the acknowledged sequence only advances without a gap. (A terminal the hub holds
        // nothing from yet, say one enrolled again, may start anywhere.)
        bool gap = false;
        if (ok && !items.empty()) {
            Stmt a(db_, "SELECT acked_seq FROM terminals WHERE id=?");
            a.bind(1, terminal_id);
            int64_t held = a.step() ? a.i64(0) : 0;
            int64_t first = items.front().event.seq;
            for (auto& it : items)
                first = std::min(first, it.event.seq);
            if (held > 0 && first > held + 1) {
                gap = true;
                sum.resend_from = held + 1;
            }
        }
        for (size_t i = 0; ok && i < items.size(); ++i) {
            const auto& it = items[i];
            const auto& e = it.event;
            sum.acked_seq = std::max(sum.acked_seq, e.seq);
            std::string reason = it.quarantine_reason;
            if (reason.empty() && it.registration) {
                // A registration may add a person, never overwrite one the registry holds.
                known.reset();
                known.bind(1, it.registration->attendee.id).bind(2, e.uuid);
                ok = known.step();
                if (!ok) break;
                if (known.i64(0) > 0 && known.i64(1) == 0) reason = "attendee_exists";
                known.reset();
            }
            // The common case first: a new event goes straight in. Only when the insert meets an
            // existing uuid or sequence is it worth finding out which.
            if (reason.empty()) {
                ins.reset();
                ok = ins.bind(1, e.uuid)
                         .bind(2, terminal_id)
                         .bind(3, e.seq)
                         .bind(4, e.kind)
                         .bind(5, e.body)
                         .bind(6, e.signature)
                         .bind(7, e.device_time)
                         .bind(8, now)
                         .run();
                if (!ok) break;
                if (sqlite3_changes(db_) == 0) {
                    find.reset();
                    find.bind(1, e.uuid);
                    if (!find.step())
                        reason = "seq_reused";
                    else if (find.blob(0) == e.body && find.blob(1) == e.signature &&
                             find.text(2) == terminal_id && find.i64(3) == e.seq) {
                        // The same event again (a lost acknowledgement): counted, not stored.
                        ++sum.duplicates;
                        continue;
                    } else
                        reason = "uuid_reused";
                }
            }
            if (!reason.empty()) {
                quar.reset();
                ok = quar.bind(1, terminal_id)
                         .bind(2, e.uuid)
                         .bind(3, e.seq)
                         .bind(4, e.kind)
                         .bind(5, e.body)
                         .bind(6, e.signature)
                         .bind(7, e.device_time)
                         .bind(8, now)
                         .bind(9, reason)
                         .run();
                if (sqlite3_changes(db_) == 1) {
                    ++sum.quarantined;
                    sum.refused.push_back({e.seq, reason});
                } else
                    ++sum.duplicates; // already quarantined on an earlier attempt
                continue;
            }
            if (ok && it.check_in) {
                const auto& c = *it.check_in;
                ci.reset();
                ok = ci.bind(1, e.uuid)
                         .bind(2, terminal_id)
                         .bind(3, e.seq)
                         .bind(4, c.fair_id)
                         .bind(5, c.attendee_id)
                         .bind(6, code(c.method))
                         .bind(7, code(c.verdict))
                         .bind(8, c.credential_id)
                         .bind(9, e.device_time)
                         .bind(10, now)
                         .run();
            }
            if (ok && it.placement) {
                const auto& p = *it.placement;
                pl.reset();
                ok = pl.bind(1, e.uuid)
                         .bind(2, terminal_id)
                         .bind(3, e.seq)
                         .bind(4, p.placement_id)
                         .bind(5, code(p.action))
                         .bind(6, p.corrects)
                         .bind(7, p.reason)
                         .bind(8, p.attendee_id)
                         .bind(9, p.fair_id)
                         .bind(10, p.employer_id)
                         .bind(11, p.listing_id)
                         .bind(12, p.person_name)
                         .bind(13, p.id_masked)
                         .bind(14, p.phone_masked)
                         .bind(15, p.work_place)
                         .bind(16, p.employer_name)
                         .bind(17, p.prev_year_work_place)
                         .bind(18, code(p.employment_form))
                         .bind(19, code(p.contract_form))
                         .bind(20, code(p.participation))
                         .bind(21, date_text(p.start_date))
                         .bind(22, date_text(p.signed_date))
                         .bind(23, p.key_groups)
                         .bind(24, e.device_time)
                         .bind(25, now)
                         .run();
            }
            if (ok && it.registration) {
                const auto& r = *it.registration;
                reg.reset();
                int64_t v = 0;
                ok = reg.bind(1, e.uuid)
                         .bind(2, terminal_id)
                         .bind(3, e.seq)
                         .bind(4, r.attendee.id)
                         .bind(5, r.credential_id)
                         .bind(6, r.fair_id)
                         .bind(7, e.device_time)
                         .bind(8, now)
                         .run() &&
                     bump(&v) && put_attendee(r.attendee, v);
            }
            if (ok && it.fair_day) {
                fd.reset();
                ok = fd.bind(1, e.uuid)
                         .bind(2, terminal_id)
                         .bind(3, e.seq)
                         .bind(4, e.kind)
                         .bind(5, it.fair_day->fair_id)
                         .bind(6, it.fair_day->attendee_id)
                         .bind(7, e.device_time)
                         .bind(8, now)
                         .run();
            }
            if (ok) ++sum.stored;
        }
        find.reset();
        if (ok) {
            Stmt t(db_, "UPDATE terminals SET acked_seq=max(acked_seq, ?), last_contact=?, "
                        "clock_offset_ms=coalesce(?, clock_offset_ms) WHERE id=?");
            t.bind(1, gap ? int64_t{0} : sum.acked_seq).bind(2, now);
            if (clock_offset_ms) t.bind(3, *clock_offset_ms);
            ok = t.bind(4, terminal_id).run();
        }
        if (!ok || !exec("COMMIT")) {
            sum = IngestSummary{};
            sum.error = sqlite3_errmsg(db_);
            exec("ROLLBACK");
            return sum;
        }
        sum.ok = true;
        return sum;
    }

    int64_t event_count(const std::string& terminal_id) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, "SELECT count(*) FROM events WHERE ?='' OR terminal_id=?");
        s.bind(1, terminal_id).bind(2, terminal_id);
        return s.step() ? s.i64(0) : 0;
    }

    std::vector<StoredEvent> events(const std::string& terminal_id) override {
        std::lock_guard lock(mu_);
        Stmt s(db_,
               "SELECT uuid, terminal_id, kind, seq, body, signature, device_time, received_at "
               "FROM events WHERE ?='' OR terminal_id=? ORDER BY terminal_id, seq");
        s.bind(1, terminal_id).bind(2, terminal_id);
        std::vector<StoredEvent> out;
        while (s.step())
            out.push_back({s.text(0), s.text(1), s.text(2), s.i64(3), s.blob(4), s.blob(5),
                           s.i64(6), s.i64(7)});
        return out;
    }

    HubFairDay fair_day(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, "SELECT f.kind, e.body FROM fair_day_events f JOIN events e ON e.uuid = f.uuid "
                    "WHERE ?1 = '' OR f.fair_id = ?1 ORDER BY f.terminal_id, f.seq");
        s.bind(1, fair_id);
        HubFairDay out;
        while (s.step())
            out.add(s.text(0), s.blob(1));
        return out;
    }

    std::vector<QuarantineRow> quarantine() override {
        std::lock_guard lock(mu_);
        Stmt s(db_,
               "SELECT id, terminal_id, uuid, kind, reason, seq, body, signature, device_time, "
               "received_at FROM quarantine ORDER BY id");
        std::vector<QuarantineRow> out;
        while (s.step())
            out.push_back({s.i64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.i64(5),
                           s.blob(6), s.blob(7), s.i64(8), s.i64(9)});
        return out;
    }

    std::vector<HubCheckIn> check_ins(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, (std::string("SELECT ") + rows::kCheckInCols +
                     " FROM check_ins WHERE ?='' OR fair_id=? ORDER BY terminal_id, seq")
                        .c_str());
        s.bind(1, fair_id).bind(2, fair_id);
        std::vector<HubCheckIn> out;
        while (s.step())
            out.push_back({rows::check_in_row(s), s.i64(9)});
        return out;
    }

    std::vector<HubPlacement> placement_versions(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, (std::string("SELECT ") + rows::kPlacementCols +
                     " FROM placements WHERE ?='' OR fair_id=? ORDER BY terminal_id, seq")
                        .c_str());
        s.bind(1, fair_id).bind(2, fair_id);
        std::vector<HubPlacement> out;
        while (s.step())
            out.push_back({rows::placement_row(s), s.i64(24)});
        return out;
    }

    std::vector<HubPlacement> period_placement_versions(const ReportPeriod& period) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, rows::period_placements_sql().c_str());
        s.bind(1, period.first_day.to_iso())
            .bind(2, period.last_day.to_iso())
            .bind(3, int64_t{period.begin})
            .bind(4, int64_t{period.end});
        std::vector<HubPlacement> out;
        while (s.step())
            out.push_back({rows::placement_row(s), s.i64(24)});
        return out;
    }

    FairDayFigures fair_day_figures(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        Stmt c(db_, rows::kFairDayCountsSql);
        c.bind(1, fair_id);
        Stmt b(db_, rows::kFairUndoBodiesSql);
        b.bind(1, fair_id);
        Stmt ci(db_, rows::kUndonePeopleCheckInsSql);
        ci.bind(1, fair_id);
        return rows::fair_day_figures_of(c, b, ci);
    }

    FairCounts fair_counts(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        FairCounts out;
        Stmt c(db_, rows::kFairCheckInCountsSql);
        c.bind(1, fair_id);
        if (c.step()) out.check_ins = c.i64(0), out.people = c.i64(1);
        Stmt h(db_, rows::kFairCheckInHoursSql);
        h.bind(1, fair_id);
        while (h.step())
            if (h.i64(0) >= 0 && h.i64(0) < 24)
                out.per_hour[static_cast<size_t>(h.i64(0))] = h.i64(1);
        Stmt p(db_, rows::kFairPlacementCountsSql);
        p.bind(1, fair_id);
        if (p.step()) {
            out.placements = p.i64(0);
            if (p.i64(1) > 0) {
                Stmt v(db_, rows::fair_placement_chains_sql().c_str());
                v.bind(1, fair_id);
                std::vector<Placement> versions;
                while (v.step())
                    versions.push_back(rows::placement_row(v));
                out.placements += static_cast<int64_t>(resolve_placements(versions).current.size());
            }
        }
        return out;
    }

    // -- Reference data ---------------------------------------------------------------
    bool upsert_campaign(const Campaign& c) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            Stmt s(
                db_,
                "INSERT OR REPLACE INTO campaigns(id, version, deleted, name, concentrated_from, "
                "concentrated_until, year_from, year_until) VALUES(?,?,0,?,?,?,?,?)");
            return s.bind(1, c.id)
                .bind(2, v)
                .bind(3, c.name)
                .bind(4, date_text(c.concentrated_from))
                .bind(5, date_text(c.concentrated_until))
                .bind(6, date_text(c.year_from))
                .bind(7, date_text(c.year_until))
                .run();
        });
    }
    bool upsert_fair(const Fair& f) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            Stmt s(
                db_,
                "INSERT OR REPLACE INTO fairs(id, version, deleted, campaign_id, name, union_unit, "
                "venue, date, online, special) VALUES(?,?,0,?,?,?,?,?,?,?)");
            return s.bind(1, f.id)
                .bind(2, v)
                .bind(3, f.campaign_id)
                .bind(4, f.name)
                .bind(5, f.union_unit)
                .bind(6, f.venue)
                .bind(7, date_text(f.date))
                .bind(8, f.online)
                .bind(9, f.special)
                .run();
        });
    }
    bool upsert_employer(const Employer& e) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            Stmt s(db_, kPutEmployer);
            return put_employer(s, e, v);
        });
    }
    bool upsert_listing(const JobListing& l) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            Stmt s(db_, kPutListing);
            return put_listing(s, l, v);
        });
    }
    bool upsert_listings(const std::vector<Employer>& employers,
                         const std::vector<JobListing>& listings) override {
        std::lock_guard lock(mu_);
        // A batch rewrites most pages of the listing id index (the ids are hashes): the WAL is
        // copied back into the file after every few batches rather than after each, so each page
        // is copied once for several batches.
        struct Checkpoints {
            SqliteHubStore& s;
            ~Checkpoints() { s.exec("PRAGMA wal_autocheckpoint=1000"); }
        } checkpoints{*this};
        exec("PRAGMA wal_autocheckpoint=8192");
        if (!exec("BEGIN IMMEDIATE")) return false;
        Stmt se(db_, kPutEmployer), sl(db_, kPutListing);
        // One version per row, as many bumps would give, reserved at once.
        int64_t n = static_cast<int64_t>(employers.size() + listings.size()), last = 0;
        Stmt b(db_, "UPDATE meta SET value=CAST(CAST(value AS INTEGER)+? AS TEXT) "
                    "WHERE key='change_seq' RETURNING CAST(value AS INTEGER)");
        b.bind(1, n);
        bool ok = se && sl && b.step();
        if (ok) last = b.i64(0), ok = b.run_to_end();
        int64_t v = last - n;
        for (size_t i = 0; ok && i < employers.size(); ++i) {
            ok = put_employer(se, employers[i], ++v);
            se.reset();
        }
        // One statement a row, prepared once for the batch, its text bound without a copy. (Rows
        // 8 or 64 to a statement cost more: SQLite keeps a statement journal for a statement
        // that inserts many rows, 0.6 more processor-seconds for the 180,000-row benchmark.)
        for (size_t i = 0; ok && i < listings.size(); ++i) {
            ok = put_listing(sl, listings[i], ++v);
            sl.reset();
        }
        if (!ok) error_ = sqlite3_errmsg(db_);
        if (!ok || !exec("COMMIT")) {
            exec("ROLLBACK");
            return false;
        }
        return true;
    }
    static constexpr const char* kPutEmployer =
        "INSERT OR REPLACE INTO employers(id, version, deleted, name, credit_code, "
        "union_unit, contact_name, contact_phone) VALUES(?,?,0,?,?,?,?,?)";
    static constexpr const char* kPutListing =
        "INSERT OR REPLACE INTO listings(id, version, deleted, employer_id, union_unit, "
        "employer_name, title, headcount, work_location, industry, salary, "
        "gender_requirement, education, contact_name, contact_phone, email, "
        "description, experience, deadline, remarks, collected_at) "
        "VALUES(?,?,0,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
        // collected once: a live row keeps its time; else the given one, else now
        "coalesce((SELECT collected_at FROM listings WHERE id=?1 AND deleted=0 "
        "AND collected_at>0), nullif(?20, 0), CAST(strftime('%s', 'now') AS INTEGER) * 1000))";
    static bool put_employer(Stmt& s, const Employer& e, int64_t v) {
        return s.bind(1, e.id)
            .bind(2, v)
            .bind(3, e.name)
            .bind(4, e.credit_code)
            .bind(5, e.union_unit)
            .bind(6, e.contact_name)
            .bind(7, e.contact_phone)
            .run();
    }
    // The text is bound without a copy (the listing outlives the step), the deadline as text
    // like every date the hub stores.
    static bool put_listing(Stmt& s, const JobListing& l, int64_t v) {
        s.bind_static(1, l.id)
            .bind(2, v)
            .bind_static(3, l.employer_id)
            .bind_static(4, l.union_unit)
            .bind_static(5, l.employer_name)
            .bind_static(6, l.title);
        if (l.headcount) s.bind(7, static_cast<int64_t>(*l.headcount));
        s.bind_static(8, l.work_location)
            .bind_static(9, l.industry)
            .bind_static(10, l.salary)
            .bind_static(11, l.gender_requirement)
            .bind_static(12, l.education)
            .bind_static(13, l.contact_name)
            .bind_static(14, l.contact_phone)
            .bind_static(15, l.email)
            .bind_static(16, l.description)
            .bind_static(17, l.experience)
            .bind(18, date_text(l.deadline))
            .bind_static(19, l.remarks)
            .bind(20, l.collected_at);
        return s.run();
    }
    bool delete_listing(const std::string& id) override { return tombstone("listings", id); }
    bool upsert_notice(const StationNotice& n) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            Stmt s(db_, "INSERT OR REPLACE INTO notices(id, version, deleted, union_unit, text, "
                        "starts_at, ends_at, fair_ids, terminal_ids) VALUES(?,?,0,?,?,?,?,?,?)");
            return s.bind(1, n.id)
                .bind(2, v)
                .bind(3, n.union_unit)
                .bind(4, n.text)
                .bind(5, n.starts_at)
                .bind(6, n.ends_at)
                .bind(7, join_ids(n.fair_ids))
                .bind(8, join_ids(n.terminal_ids))
                .run();
        });
    }
    bool delete_notice(const std::string& id) override { return tombstone("notices", id); }
    std::vector<StationNotice> notices() override {
        std::lock_guard lock(mu_);
        Stmt s(db_, (std::string("SELECT ") + rows::kNoticeCols +
                     " FROM notices WHERE deleted=0 ORDER BY starts_at, id")
                        .c_str());
        std::vector<StationNotice> out;
        while (s.step())
            out.push_back(rows::notice_row(s, 0));
        return out;
    }
    bool upsert_attendee(const Attendee& a) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) { return put_attendee(a, v); });
    }
    bool delete_attendee(const std::string& id) override { return tombstone("attendees", id); }
    bool add_revocation(const std::string& credential_id, const std::string& reason) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            Stmt s(
                db_,
                "INSERT OR REPLACE INTO revocations(id, version, deleted, reason) VALUES(?,?,0,?)");
            return s.bind(1, credential_id).bind(2, v).bind(3, reason).run();
        });
    }
    bool upsert_issuer_key(const std::string& key_id, const Bytes& public_key) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            Stmt s(db_, "INSERT OR REPLACE INTO issuer_keys(id, version, deleted, public_key, "
                        "kind, fair_id) VALUES(?,?,0,?,'hub','')");
            return s.bind(1, key_id).bind(2, v).bind(3, public_key).run();
        });
    }

    std::vector<Campaign> campaigns() override {
        std::lock_guard lock(mu_);
        std::vector<Campaign> out;
        Stmt s(db_, "SELECT id, name, concentrated_from, concentrated_until, year_from, year_until "
                    "FROM campaigns WHERE deleted=0 ORDER BY id");
        while (s.step())
            out.push_back(rows::campaign_row(s, 0));
        return out;
    }
    std::vector<Fair> fairs() override {
        std::lock_guard lock(mu_);
        return fairs_where("");
    }
    std::optional<Fair> fair(const std::string& id) override {
        std::lock_guard lock(mu_);
        auto v = fairs_where(id);
        if (v.empty()) return std::nullopt;
        return v.front();
    }
    std::vector<Employer> employers() override {
        std::lock_guard lock(mu_);
        std::vector<Employer> out;
        Stmt s(
            db_,
            "SELECT id, name, credit_code, union_unit, contact_name, contact_phone FROM employers "
            "WHERE deleted=0 ORDER BY id");
        while (s.step())
            out.push_back(rows::employer_row(s, 0));
        return out;
    }
    std::vector<JobListing> listings() override {
        std::lock_guard lock(mu_);
        std::vector<JobListing> out;
        Stmt s(db_, (std::string("SELECT ") + rows::kListingCols +
                     " FROM listings WHERE deleted=0 ORDER BY id")
                        .c_str());
        while (s.step())
            out.push_back(rows::listing_row(s, 0));
        return out;
    }
    std::vector<JobListing> listings(const std::vector<std::string>& ids) override {
        std::lock_guard lock(mu_);
        std::vector<JobListing> out;
        // One read transaction for the batch: a statement outside one starts and ends its own,
        // taking the WAL's read lock (fcntl calls) anew for every id.
        bool own = sqlite3_get_autocommit(db_) && exec("BEGIN");
        {
            Stmt s(db_, (std::string("SELECT ") + rows::kListingCols +
                         " FROM listings WHERE id=? AND deleted=0")
                            .c_str());
            for (auto& id : ids) {
                s.bind(1, id);
                if (s.step()) out.push_back(rows::listing_row(s, 0));
                s.reset();
            }
        }
        if (own) exec("COMMIT");
        return out;
    }
    std::vector<Attendee> attendees() override {
        std::lock_guard lock(mu_);
        std::vector<Attendee> out;
        Stmt s(db_, (std::string("SELECT ") + rows::kAttendeeCols +
                     " FROM attendees WHERE deleted=0 ORDER BY id")
                        .c_str());
        while (s.step())
            out.push_back(rows::attendee_row(s, 0));
        return out;
    }
    std::optional<Attendee> attendee(const std::string& id) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, (std::string("SELECT ") + rows::kAttendeeCols +
                     " FROM attendees WHERE id=? AND deleted=0")
                        .c_str());
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return rows::attendee_row(s, 0);
    }
    bool add_phone_registration(const Attendee& a, const PhoneCode& c) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            Stmt s(db_, "INSERT INTO phone_codes(attendee_id, fair_id, credential, created_at) "
                        "VALUES(?,?,?,?)");
            return put_attendee(a, v) && s.bind(1, c.attendee_id)
                                             .bind(2, c.fair_id)
                                             .bind(3, c.credential)
                                             .bind(4, c.created_at)
                                             .run();
        });
    }
    std::vector<Attendee> attendees_by_phone_mask(const std::string& mask) override {
        std::lock_guard lock(mu_);
        std::vector<Attendee> out;
        Stmt s(db_, (std::string("SELECT ") + rows::kAttendeeCols +
                     " FROM attendees WHERE deleted=0 AND phone_masked=? ORDER BY id")
                        .c_str());
        s.bind(1, mask);
        while (s.step())
            out.push_back(rows::attendee_row(s, 0));
        return out;
    }
    std::optional<PhoneCode> phone_code(const std::string& attendee_id) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, "SELECT attendee_id, fair_id, credential, created_at FROM phone_codes "
                    "WHERE attendee_id=?");
        s.bind(1, attendee_id);
        if (!s.step()) return std::nullopt;
        return PhoneCode{s.text(0), s.text(1), s.text(2), s.i64(3)};
    }

    std::vector<PhoneCode> phone_codes(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        std::vector<PhoneCode> out;
        Stmt s(db_, "SELECT attendee_id, fair_id, credential, created_at FROM phone_codes "
                    "WHERE fair_id=? ORDER BY created_at, attendee_id");
        s.bind(1, fair_id);
        while (s.step())
            out.push_back({s.text(0), s.text(1), s.text(2), s.i64(3)});
        return out;
    }

    std::vector<wire::IssuerKey> issuer_keys() override {
        std::lock_guard lock(mu_);
        std::vector<wire::IssuerKey> out;
        Stmt s(db_, "SELECT id, public_key, kind, fair_id FROM issuer_keys WHERE deleted=0 "
                    "ORDER BY id");
        while (s.step())
            out.push_back({s.text(0), s.blob(1), s.text(2), s.text(3)});
        return out;
    }

    std::vector<HubRegistration> registrations(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        std::vector<HubRegistration> out;
        Stmt s(db_, fair_id.empty()
                        ? "SELECT uuid, terminal_id, attendee_id, credential_id, fair_id, "
                          "device_time, received_at FROM registrations "
                          "ORDER BY received_at, terminal_id, seq"
                        : "SELECT uuid, terminal_id, attendee_id, credential_id, fair_id, "
                          "device_time, received_at FROM registrations WHERE fair_id=? "
                          "ORDER BY received_at, terminal_id, seq");
        if (!fair_id.empty()) s.bind(1, fair_id);
        while (s.step())
            out.push_back(
                {s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.i64(5), s.i64(6)});
        return out;
    }

    std::vector<wire::PullItem> changes(wire::Stream st, int64_t after, size_t limit, bool* more,
                                        const std::vector<std::string>& unions) override {
        std::lock_guard lock(mu_);
        size_t scoped = rows::union_scoped(st) ? unions.size() : 0;
        Stmt s(db_, rows::changes_sql(st, scoped, '?').c_str());
        s.bind(1, after).bind(2, static_cast<int64_t>(limit + 1));
        for (size_t i = 0; i < scoped; ++i)
            s.bind(static_cast<int>(3 + i), unions[i]);
        std::vector<wire::PullItem> out;
        if (more) *more = false;
        while (s.step()) {
            if (out.size() == limit) {
                if (more) *more = true;
                break;
            }
            out.push_back(rows::pull_item(s, st));
        }
        return out;
    }

  private:
    std::vector<Fair> fairs_where(const std::string& id) {
        std::vector<Fair> out;
        Stmt s(db_,
               "SELECT id, campaign_id, name, union_unit, venue, date, online, special FROM fairs "
               "WHERE deleted=0 AND (?='' OR id=?) ORDER BY date, id");
        s.bind(1, id).bind(2, id);
        while (s.step())
            out.push_back(rows::fair_row(s, 0));
        return out;
    }

    // `counts`: also count each terminal's events and quarantined events (for staff listings);
    // the per-request token look-up skips them.
    std::vector<TerminalRow> terminals_where(const std::string& where, const std::string& arg,
                                             bool counts = true) {
        std::string sql =
            "SELECT t.id, t.fair_id, t.mode, t.device, t.public_key, t.enrolled_at, "
            "t.last_contact, t.revoked_at, t.clock_offset_ms, t.acked_seq, " +
            std::string(counts ? "(SELECT count(*) FROM events e WHERE e.terminal_id=t.id), "
                                 "(SELECT count(*) FROM quarantine q WHERE q.terminal_id=t.id), "
                                 "(SELECT count(*) FROM quarantine q WHERE q.terminal_id=t.id "
                                 "AND q.id > t.quarantine_base), "
                                 "(SELECT coalesce(sum(length(q.body) + length(q.signature)), 0) "
                                 "FROM quarantine q WHERE q.terminal_id=t.id "
                                 "AND q.id > t.quarantine_base), "
                                 "(SELECT count(*) FROM quarantine q WHERE q.terminal_id=t.id "
                                 "AND q.reason='seq_reused'), "
                               : "0, 0, 0, 0, 0, ") +
            "t.quota_hit_at " + "FROM terminals t " + where + " ORDER BY t.enrolled_at, t.id";
        Stmt s(db_, sql.c_str());
        if (!where.empty()) s.bind(1, arg);
        std::vector<TerminalRow> out;
        while (s.step()) {
            TerminalRow t;
            t.id = s.text(0);
            t.fair_id = s.text(1);
            t.mode = s.text(2);
            t.device = s.text(3);
            t.public_key = s.blob(4);
            t.enrolled_at = s.i64(5);
            t.last_contact = s.i64(6);
            t.revoked_at = s.i64(7);
            t.clock_offset_ms = s.i64(8);
            t.acked_seq = s.i64(9);
            t.events = s.i64(10);
            t.quarantined = s.i64(11);
            t.quota_events = s.i64(12);
            t.quota_bytes = s.i64(13);
            t.seq_reused = s.i64(14);
            t.quota_hit_at = s.i64(15);
            out.push_back(std::move(t));
        }
        return out;
    }

    // Runs one change with the next value of the change counter, in one transaction.
    template <class F> bool versioned(F&& write) {
        if (!exec("BEGIN IMMEDIATE")) return false;
        int64_t v = 0;
        bool ok = bump(&v);
        ok = ok && write(v);
        if (!ok) error_ = sqlite3_errmsg(db_);
        if (!ok || !exec("COMMIT")) {
            exec("ROLLBACK");
            return false;
        }
        return true;
    }

    // One attendee row at change counter `v` (inside the caller's transaction).
    bool put_attendee(const Attendee& a, int64_t v) {
        Stmt s(db_,
               "INSERT OR REPLACE INTO attendees(id, version, deleted, name, gender, key_groups, "
               "phone_masked, id_masked, phone_hash, phone_tail_hash, id_tail_hash, "
               "sealed_phone, sealed_id, name_initials, union_unit, campaign_id) "
               "VALUES(?,?,0,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        return s.bind(1, a.id)
            .bind(2, v)
            .bind(3, a.name)
            .bind(4, code(a.gender))
            .bind(5, a.key_groups)
            .bind(6, a.phone_masked)
            .bind(7, a.id_masked)
            .bind(8, a.phone_hash)
            .bind(9, a.phone_tail_hash)
            .bind(10, a.id_tail_hash)
            .bind(11, a.sealed_phone)
            .bind(12, a.sealed_id)
            .bind(13, a.name_initials)
            .bind(14, a.union_unit)
            .bind(15, a.campaign_id)
            .run();
    }

    // The next value of the change counter, inside the caller's transaction.
    bool bump(int64_t* v) {
        Stmt b(db_, "UPDATE meta SET value=CAST(CAST(value AS INTEGER)+1 AS TEXT) "
                    "WHERE key='change_seq' RETURNING CAST(value AS INTEGER)");
        if (!b.step()) return false;
        *v = b.i64(0);
        return b.run_to_end();
    }

    bool has_issuer_key(const std::string& key_id) {
        Stmt q(db_, "SELECT 1 FROM issuer_keys WHERE id=?");
        q.bind(1, key_id);
        return q.step();
    }

    // Publishes an enrolled terminal's key on the issuer_keys stream (inside a transaction).
    bool put_terminal_key(const Bytes& public_key, const std::string& fair_id) {
        // A key without a fair could vouch for nothing, and terminals refuse such a record.
        if (fair_id.empty()) return true;
        int64_t v = 0;
        Stmt s(db_, "INSERT INTO issuer_keys(id, version, deleted, public_key, kind, fair_id) "
                    "VALUES(?,?,0,?,'terminal',?)");
        return bump(&v) && s.bind(1, key_id_of(public_key))
                               .bind(2, v)
                               .bind(3, public_key)
                               .bind(4, fair_id)
                               .run();
    }

    bool tombstone(const char* table, const std::string& id) {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            std::string sql =
                std::string("UPDATE ") + table + " SET deleted=1, version=? WHERE id=?";
            Stmt s(db_, sql.c_str());
            return s.bind(1, v).bind(2, id).run();
        });
    }

    bool record_opening(const OpeningRecord& r) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, "INSERT INTO openings(at, who, form, people, file) VALUES(?,?,?,?,?)");
        return check(
            s.bind(1, r.at).bind(2, r.who).bind(3, r.form).bind(4, r.people).bind(5, r.file).run());
    }
    std::vector<OpeningRecord> openings() override {
        std::lock_guard lock(mu_);
        std::vector<OpeningRecord> out;
        Stmt s(db_, "SELECT id, at, who, form, people, file FROM openings ORDER BY id");
        while (s.step())
            out.push_back({s.i64(0), s.i64(1), s.text(2), s.text(3), s.i64(4), s.text(5)});
        return out;
    }

    // -- Console: unions, accounts, sessions ------------------------------------------
    bool put_union(const UnionRow& u) {
        Stmt s(db_, "INSERT OR REPLACE INTO unions(id, parent, name, level) VALUES(?,?,?,?)");
        return check(s.bind(1, u.id).bind(2, u.parent).bind(3, u.name).bind(4, u.level).run());
    }
    std::vector<UnionRow> unions() override {
        std::lock_guard lock(mu_);
        std::vector<UnionRow> out;
        Stmt s(db_, "SELECT id, parent, name, level FROM unions ORDER BY rowid");
        while (s.step())
            out.push_back({s.text(0), s.text(1), s.text(2), s.text(3)});
        return out;
    }
    bool upsert_union(const UnionRow& u) override {
        std::lock_guard lock(mu_);
        return put_union(u);
    }
    static constexpr const char* kAccountCols =
        "name, union_id, role, may_open_numbers, password_hash, setup_hash, setup_expires, "
        "created_at, failures, locked_until";
    static AccountRow account_row(Stmt& s) {
        AccountRow a;
        a.name = s.text(0);
        a.union_id = s.text(1);
        a.role = s.text(2);
        a.may_open_numbers = s.i64(3) != 0;
        a.password_hash = s.text(4);
        a.setup_hash = s.text(5);
        a.setup_expires = s.i64(6);
        a.created_at = s.i64(7);
        a.failures = s.i64(8);
        a.locked_until = s.i64(9);
        return a;
    }
    std::vector<AccountRow> accounts() override {
        std::lock_guard lock(mu_);
        std::vector<AccountRow> out;
        Stmt s(db_,
               (std::string("SELECT ") + kAccountCols + " FROM accounts ORDER BY name").c_str());
        while (s.step())
            out.push_back(account_row(s));
        return out;
    }
    std::optional<AccountRow> account_where(const char* col, const std::string& v) {
        std::lock_guard lock(mu_);
        if (v.empty()) return std::nullopt;
        Stmt s(
            db_,
            (std::string("SELECT ") + kAccountCols + " FROM accounts WHERE " + col + "=?").c_str());
        s.bind(1, v);
        if (!s.step()) return std::nullopt;
        return account_row(s);
    }
    std::optional<AccountRow> account(const std::string& name) override {
        return account_where("name", name);
    }
    std::optional<AccountRow> account_by_setup(const std::string& setup_hash) override {
        return account_where("setup_hash", setup_hash);
    }
    bool set_targets(const std::string& campaign_id, const std::vector<Target>& t) override {
        std::lock_guard lock(mu_);
        if (!exec("BEGIN IMMEDIATE")) return false;
        Stmt del(db_, "DELETE FROM campaign_targets WHERE campaign_id=?");
        bool ok = del.bind(1, campaign_id).run();
        for (size_t i = 0; ok && i < t.size(); ++i) {
            Stmt s(db_, rows::kSetTargetSql);
            s.bind(1, campaign_id).bind(2, static_cast<int64_t>(i)).bind(3, t[i].unit);
            for (int m = 0; m < kTargetMeasures; ++m)
                s.bind(4 + m, t[i].figures[m]);
            ok = s.run();
        }
        if (!ok) error_ = sqlite3_errmsg(db_);
        if (!ok || !exec("COMMIT")) {
            exec("ROLLBACK");
            return false;
        }
        return true;
    }
    std::vector<Target> targets(const std::string& campaign_id) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, rows::kTargetsSql);
        s.bind(1, campaign_id);
        std::vector<Target> out;
        while (s.step())
            out.push_back(rows::target_row(s));
        return out;
    }
    bool set_report_digests(const std::string& account, const std::string& week,
                            const std::map<std::string, std::string>& digests, TimeMs at) override {
        std::lock_guard lock(mu_);
        if (!exec("BEGIN IMMEDIATE")) return false;
        bool ok = true;
        for (auto it = digests.begin(); ok && it != digests.end(); ++it) {
            Stmt s(db_, rows::kSetReportDigestSql);
            ok = s.bind(1, account)
                     .bind(2, week)
                     .bind(3, it->first)
                     .bind(4, it->second)
                     .bind(5, at)
                     .run();
        }
        if (!ok) error_ = sqlite3_errmsg(db_);
        if (!ok || !exec("COMMIT")) {
            exec("ROLLBACK");
            return false;
        }
        return true;
    }
    std::map<std::string, std::string> report_digests(const std::string& account,
                                                      const std::string& week) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, rows::kReportDigestsSql);
        s.bind(1, account).bind(2, week);
        std::map<std::string, std::string> out;
        while (s.step())
            out[s.text(0)] = s.text(1);
        return out;
    }
    bool upsert_account(const AccountRow& a) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, (std::string("INSERT OR REPLACE INTO accounts(") + kAccountCols +
                     ") VALUES(?,?,?,?,?,?,?,?,?,?)")
                        .c_str());
        return check(s.bind(1, a.name)
                         .bind(2, a.union_id)
                         .bind(3, a.role)
                         .bind(4, a.may_open_numbers)
                         .bind(5, a.password_hash)
                         .bind(6, a.setup_hash)
                         .bind(7, a.setup_expires)
                         .bind(8, a.created_at)
                         .bind(9, a.failures)
                         .bind(10, a.locked_until)
                         .run());
    }
    bool add_session(const SessionRow& r) override {
        std::lock_guard lock(mu_);
        Stmt s(db_,
               "INSERT INTO sessions(id_hash, account, created_at, last_seen) VALUES(?,?,?,?)");
        return check(s.bind(1, r.id_hash)
                         .bind(2, r.account)
                         .bind(3, r.created_at)
                         .bind(4, r.last_seen)
                         .run());
    }
    std::optional<SessionRow> session(const std::string& id_hash) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, "SELECT id_hash, account, created_at, last_seen FROM sessions WHERE id_hash=?");
        s.bind(1, id_hash);
        if (!s.step()) return std::nullopt;
        return SessionRow{s.text(0), s.text(1), s.i64(2), s.i64(3)};
    }
    bool touch_session(const std::string& id_hash, TimeMs now) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, "UPDATE sessions SET last_seen=? WHERE id_hash=?");
        return check(s.bind(1, now).bind(2, id_hash).run());
    }
    bool delete_session(const std::string& id_hash) override {
        std::lock_guard lock(mu_);
        Stmt s(db_, "DELETE FROM sessions WHERE id_hash=?");
        return check(s.bind(1, id_hash).run());
    }

    Bytes meta(const char* key) {
        Stmt s(db_, "SELECT value FROM meta WHERE key=?");
        s.bind(1, key);
        return s.step() ? s.blob(0) : Bytes();
    }
    bool set_meta(const char* key, const Bytes& value) {
        Stmt s(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?,?)");
        return check(s.bind(1, key).bind(2, value).run());
    }

    bool exec(const char* sql) {
        char* msg = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
            error_ = msg ? msg : "sqlite error";
            sqlite3_free(msg);
            return false;
        }
        return true;
    }
    bool check(bool ok) {
        if (!ok) error_ = sqlite3_errmsg(db_);
        return ok;
    }

    sqlite3* db_;
    std::string key_path_;
    Bytes seal_secret_;        // from the key file; empty when it could not be opened
    std::string seal_problem_; // why not
    std::mutex mu_;
    std::string error_;
};

} // namespace

namespace {

std::string damaged_message(const std::string& path, const std::string& finding) {
    return path + " is damaged (" + finding +
           "); the hub will not use it. Restore the last good backup: jobfair-hub restore "
           "--from FILE (see docs/hub-operations.md)";
}

sqlite3* open_db(const std::string& path, int flags, std::string* error) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
        if (error) *error = path + ": " + (db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return nullptr;
    }
    sqlite3_busy_timeout(db, 5000);
    return db;
}

int64_t count_of(sqlite3* db, const char* sql) {
    Stmt s(db, sql);
    return s.step() ? s.i64(0) : -1;
}

// Copies every page of `from` into `to` (SQLite's online backup: one consistent read of the
// source while others keep writing to it).
bool copy_database(sqlite3* from, sqlite3* to, std::string* error) {
    sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) {
        if (error) *error = sqlite3_errmsg(to);
        return false;
    }
    int rc;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        if (error) *error = sqlite3_errstr(rc);
        return false;
    }
    return true;
}

// Whether another process has the database open: every connection to a WAL database holds a
// POSIX lock on its -shm file.
bool in_use(const std::string& path) {
    int fd = ::open((path + "-shm").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct flock l {};
    l.l_type = F_WRLCK;
    l.l_whence = SEEK_SET;
    bool busy = fcntl(fd, F_GETLK, &l) == 0 && l.l_type != F_UNLCK;
    ::close(fd);
    return busy;
}

} // namespace

std::unique_ptr<HubStore> open_pg_hub_store(const std::string& url, const std::string& data_dir,
                                            std::string* error); // hub_store_pg.cpp

std::unique_ptr<HubStore> open_hub_store(const std::string& data_dir, std::string* error,
                                         const std::string& database) {
    if (is_database_url(database)) return open_pg_hub_store(database, data_dir, error);
    if (!database.empty()) {
        if (error)
            *error =
                "database: only a postgresql://… URL (leave it out for " + data_dir + "/hub.db)";
        return nullptr;
    }
    // Owner-only: the directory 0700, hub.db made 0600 before SQLite opens it (its -wal and -shm
    // take its mode), and an older install's 0644 files corrected (docs/privacy.md).
    std::string why;
    if (!files::private_dir(data_dir, &why)) {
        if (error) *error = why;
        return nullptr;
    }
    files::tighten_tree(data_dir);
    std::string path = (std::filesystem::path(data_dir) / "hub.db").string();
    if (!files::create_private(path, &why)) {
        if (error) *error = why;
        return nullptr;
    }
    sqlite3* db = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
    if (!db) return nullptr;
    // A damaged page found now stops the hub before it accepts uploads or writes reports.
    if (auto problem = quick_check(db); !problem.empty()) {
        if (error) *error = damaged_message(path, problem);
        sqlite3_close(db);
        return nullptr;
    }
    auto store = std::make_unique<SqliteHubStore>(db, seal_key_path(data_dir));
    if (!store->init()) {
        if (error) *error = path + ": " + store->last_error();
        return nullptr;
    }
    return store;
}

bool backup_hub_store(const std::string& data_dir, const std::string& out, std::string* error,
                      BackupInfo* info) {
    std::string path = (std::filesystem::path(data_dir) / "hub.db").string();
    if (!std::filesystem::exists(path)) {
        if (error) *error = path + ": no hub database here";
        return false;
    }
    // Made 0600 before anything is written: the copy holds what hub.db holds.
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (error) *error = out + ": " + (errno == EEXIST ? "exists already" : strerror(errno));
        return false;
    }
    ::close(fd);
    bool ok = false;
    sqlite3* src = open_db(path, SQLITE_OPEN_READWRITE, error);
    sqlite3* dst = src ? open_db(out, SQLITE_OPEN_READWRITE, error) : nullptr;
    if (src && dst && copy_database(src, dst, error)) {
        // The copy stands alone: one file, no -wal beside it.
        sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
        if (auto problem = quick_check(dst); !problem.empty()) {
            if (error) *error = "the copy fails quick_check (" + problem + ")";
        } else {
            ok = true;
            if (info) {
                info->events = count_of(dst, "SELECT count(*) FROM events");
                info->terminals = count_of(dst, "SELECT count(*) FROM terminals");
            }
        }
    }
    sqlite3_close(dst);
    sqlite3_close(src);
    ok = ok && files::sync_to_disk(out);
    if (!ok) {
        std::filesystem::remove(out);
        return false;
    }
    if (info) info->bytes = static_cast<int64_t>(std::filesystem::file_size(out));
    return true;
}

bool restore_hub_store(const std::string& data_dir, const std::string& from, std::string* error,
                       BackupInfo* info) {
    namespace fs = std::filesystem;
    std::string path = (fs::path(data_dir) / "hub.db").string();
    if (in_use(path)) {
        if (error)
            *error = path + " is open in another process: stop the hub (systemctl stop "
                            "jobfair-hub) before restoring";
        return false;
    }
    sqlite3* src = open_db(from, SQLITE_OPEN_READONLY, error);
    if (!src) return false;
    bool ok = false;
    std::string staged = path + ".restoring";
    std::error_code ec;
    fs::create_directories(data_dir, ec);
    fs::remove(staged, ec);
    if (auto problem = quick_check(src); !problem.empty()) {
        if (error) *error = damaged_message(from, problem);
    } else if (count_of(src, "SELECT count(*) FROM meta WHERE key='seal_pk'") != 1) {
        if (error) *error = from + " is not a hub backup (no hub keys in it)";
    } else {
        int fd = ::open(staged.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
        sqlite3* dst = fd >= 0 ? open_db(staged, SQLITE_OPEN_READWRITE, error) : nullptr;
        if (fd < 0 && error) *error = staged + ": " + strerror(errno);
        if (dst && copy_database(src, dst, error)) {
            // A new epoch: terminals drop what they downloaded and take a fresh snapshot.
            ok = sqlite3_exec(dst,
                              "PRAGMA journal_mode=DELETE; "
                              "INSERT OR REPLACE INTO meta(key, value) "
                              "VALUES('epoch', CAST(lower(hex(randomblob(16))) AS BLOB))",
                              nullptr, nullptr, nullptr) == SQLITE_OK;
            if (!ok && error) *error = sqlite3_errmsg(dst);
            if (ok && info) {
                info->events = count_of(dst, "SELECT count(*) FROM events");
                info->terminals = count_of(dst, "SELECT count(*) FROM terminals");
            }
        }
        sqlite3_close(dst);
    }
    sqlite3_close(src);
    ok = ok && files::sync_to_disk(staged);
    if (!ok) {
        fs::remove(staged, ec);
        return false;
    }
    // The database it replaces is kept beside it (with its WAL), never deleted: damaged or not,
    // it is the only copy of what came after the backup.
    if (fs::exists(path)) {
        std::string kept = path + ".before-restore-" + std::to_string(std::time(nullptr));
        fs::rename(path, kept, ec);
        if (!ec && fs::exists(path + "-wal")) fs::rename(path + "-wal", kept + "-wal", ec);
        if (!ec) fs::remove(path + "-shm", ec);
        if (info) info->replaced = kept;
        if (ec) {
            if (error) *error = path + ": " + ec.message();
            return false;
        }
    }
    fs::rename(staged, path, ec);
    if (ec) {
        if (error) *error = path + ": " + ec.message();
        return false;
    }
    files::sync_to_disk(data_dir);
    if (info) info->bytes = static_cast<int64_t>(fs::file_size(path));
    return true;
}

} // namespace jf::hub
