// HubStore on PostgreSQL (libpq): the province's hub, several `serve` processes on one database.
// The same tables as hub_store_sqlite.cpp, and the same guarantees, kept by the database:
// - stored once per uuid: events.uuid is the primary key and (terminal_id, seq) unique; an upload
//   of the same batch through two processes at once meets the constraint (ON CONFLICT DO NOTHING
//   waits for the other transaction, then finds its row), never a check in code;
// - acknowledged only after COMMIT returns;
// - cursors never skip a change: every change takes the next value of one counter row
//   (change_counter) inside its transaction. The row stays locked until that transaction ends,
//   so versions are handed out in commit order: once a reader sees version v committed, every
//   smaller version is committed too. (Versions from a sequence would be taken in one order and
//   committed in another, and a terminal whose cursor passed v would never see a v-1 committed
//   after.) Writers of reference data queue on that row; uploads of check-ins and placements do
//   not take it;
// - tombstones, the dataset epoch and the quarantine as in SQLite.
// One connection per store behind a mutex; a dropped connection is reset at the next call.
// Deadlocks and serialisation failures (two uploads locking the same rows in another order) are
// retried; anything else fails the call, so the terminal sends again.
#include "sync/hub/hub_keyfile.hpp"
#include "sync/hub/hub_rows.hpp"
#include "kiosk/domain/reports.hpp"
#include "sync/hub/hub_service.hpp" // now_ms()
#include "sync/hub/hub_store.hpp"
#include "platform/log/private_files.hpp"

#include <libpq-fe.h>
#include <sodium.h>

#include <cstring>
#include <filesystem>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <optional>
#include <type_traits>
#include <unordered_map>

namespace jf::hub {
namespace {

// -----------------------------------------------------------------------------
// Parameters and results
// -----------------------------------------------------------------------------
struct Arg {
    std::string data;
    int format = 0; // 1: binary (bytea)
    bool null = false;
    Arg(const std::string& s) : data(s) {}
    Arg(const char* s) : data(s) {}
    template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    Arg(T v) : data(std::to_string(v)) {}
    Arg(bool v) : data(v ? "1" : "0") {}
    Arg(const Bytes& b) : data(b.begin(), b.end()), format(1) {}
    Arg(std::nullopt_t) : null(true) {}
};

class Res {
  public:
    explicit Res(PGresult* r = nullptr) : r_(r) {}
    ~Res() { PQclear(r_); }
    Res(Res&& o) noexcept : r_(o.r_), row_(o.row_) { o.r_ = nullptr; }
    Res& operator=(Res&& o) noexcept {
        std::swap(r_, o.r_);
        row_ = o.row_;
        return *this;
    }
    bool ok() const {
        auto s = PQresultStatus(r_);
        return r_ && (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK);
    }
    std::string sqlstate() const {
        const char* c = r_ ? PQresultErrorField(r_, PG_DIAG_SQLSTATE) : nullptr;
        return c ? c : "";
    }
    int rows() const { return ok() ? PQntuples(r_) : 0; }
    int64_t changed() const {
        const char* c = PQcmdTuples(r_);
        return c && *c ? std::stoll(c) : 0;
    }
    // Cursor over the rows (hub_rows.hpp reads through it): step() moves to the next one.
    bool step() { return ++row_ < rows(); }
    std::string text(int c) const {
        return PQgetisnull(r_, row_, c)
                   ? std::string()
                   : std::string(PQgetvalue(r_, row_, c),
                                 static_cast<size_t>(PQgetlength(r_, row_, c)));
    }
    int64_t i64(int c) const {
        if (PQgetisnull(r_, row_, c)) return 0;
        return std::strtoll(PQgetvalue(r_, row_, c), nullptr, 10);
    }
    Bytes blob(int c) const {
        if (PQgetisnull(r_, row_, c)) return {};
        size_t n = 0;
        unsigned char* p =
            PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r_, row_, c)), &n);
        if (!p) return {};
        Bytes out(p, p + n);
        PQfreemem(p);
        return out;
    }
    Date date(int c) const { return Date::parse(text(c)).value_or(Date{}); }
    PGresult* get() const { return r_; }

  private:
    PGresult* r_;
    int row_ = -1;
};

std::string date_text(const Date& d) {
    return d.valid() ? d.to_iso() : std::string();
}

// INSERT … ON CONFLICT(id) DO UPDATE of every column: SQLite's INSERT OR REPLACE. The part before
// VALUES and the part after (insert_rows puts many rows between them), and one row's statement.
std::string upsert_head(const std::string& table, const std::vector<std::string>& cols) {
    std::string names;
    for (size_t i = 0; i < cols.size(); ++i)
        names += (i ? ", " : "") + cols[i];
    return "INSERT INTO " + table + "(" + names + ")";
}
std::string upsert_tail(const std::string& table, const std::vector<std::string>& cols) {
    std::string set;
    for (const auto& c : cols) {
        if (c == "id") continue;
        set += (set.empty() ? "" : ", ") + c + " = ";
        // A listing is collected once: a live row keeps its time (the 归集 rule, docs/forms.md).
        set += c == "collected_at"
                   ? "CASE WHEN " + table + ".deleted=0 AND " + table + ".collected_at>0 THEN " +
                         table + ".collected_at ELSE excluded." + c + " END"
                   : "excluded." + c;
    }
    return " ON CONFLICT(id) DO UPDATE SET " + set;
}
std::string upsert_sql(const std::string& table, const std::vector<std::string>& cols) {
    std::string values;
    for (size_t i = 0; i < cols.size(); ++i)
        values += (i ? ", $" : "$") + std::to_string(i + 1);
    return upsert_head(table, cols) + " VALUES(" + values + ")" + upsert_tail(table, cols);
}

// -----------------------------------------------------------------------------
// Schema
// -----------------------------------------------------------------------------
const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS change_counter(
  one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK(one), value BIGINT NOT NULL);
INSERT INTO change_counter(one, value) VALUES(TRUE, 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS enrol_codes(
  code_hash TEXT PRIMARY KEY, fair_id TEXT NOT NULL, mode TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT, terminal_id TEXT);
CREATE TABLE IF NOT EXISTS terminals(
  id TEXT PRIMARY KEY, fair_id TEXT NOT NULL, mode TEXT NOT NULL, device TEXT NOT NULL,
  public_key BYTEA NOT NULL, token_hash TEXT NOT NULL UNIQUE, enrolled_at BIGINT NOT NULL,
  last_contact BIGINT NOT NULL DEFAULT 0, revoked_at BIGINT NOT NULL DEFAULT 0,
  clock_offset_ms BIGINT NOT NULL DEFAULT 0, acked_seq BIGINT NOT NULL DEFAULT 0,
  quarantine_base BIGINT NOT NULL DEFAULT 0, quota_hit_at BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS events(
  uuid TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL,
  body BYTEA NOT NULL, signature BYTEA NOT NULL, device_time BIGINT NOT NULL,
  received_at BIGINT NOT NULL, UNIQUE(terminal_id, seq));
CREATE TABLE IF NOT EXISTS quarantine(
  id BIGSERIAL PRIMARY KEY, terminal_id TEXT NOT NULL, uuid TEXT NOT NULL, seq BIGINT NOT NULL,
  kind TEXT NOT NULL, body BYTEA NOT NULL, signature BYTEA NOT NULL, device_time BIGINT NOT NULL,
  received_at BIGINT NOT NULL, reason TEXT NOT NULL, UNIQUE(terminal_id, seq, uuid));
CREATE TABLE IF NOT EXISTS check_ins(
  uuid TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq BIGINT NOT NULL, fair_id TEXT NOT NULL,
  attendee_id TEXT NOT NULL, method TEXT NOT NULL, verdict TEXT NOT NULL,
  credential_id TEXT NOT NULL, device_time BIGINT NOT NULL, received_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS check_ins_fair ON check_ins(fair_id, attendee_id);
CREATE TABLE IF NOT EXISTS fair_day_events(
  uuid TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL,
  fair_id TEXT NOT NULL, attendee_id TEXT NOT NULL, device_time BIGINT NOT NULL,
  received_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS fair_day_events_fair ON fair_day_events(fair_id, kind);
CREATE TABLE IF NOT EXISTS placements(
  uuid TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq BIGINT NOT NULL, placement_id TEXT NOT NULL,
  action TEXT NOT NULL, corrects TEXT NOT NULL, reason TEXT NOT NULL, attendee_id TEXT NOT NULL,
  fair_id TEXT NOT NULL, employer_id TEXT NOT NULL, listing_id TEXT NOT NULL,
  person_name TEXT NOT NULL, id_masked TEXT NOT NULL, phone_masked TEXT NOT NULL,
  work_place TEXT NOT NULL, employer_name TEXT NOT NULL, prev_year_work_place TEXT NOT NULL,
  employment_form TEXT NOT NULL, contract_form TEXT NOT NULL, participation TEXT NOT NULL,
  start_date TEXT NOT NULL, signed_date TEXT NOT NULL, key_groups BIGINT NOT NULL,
  device_time BIGINT NOT NULL, received_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS placements_fair ON placements(fair_id, placement_id);
-- The console's Today figures of a fair (HubStore::fair_counts) read only these indexes.
CREATE INDEX IF NOT EXISTS check_ins_fair_time ON check_ins(fair_id, device_time);
CREATE INDEX IF NOT EXISTS placements_fair_chain
  ON placements(fair_id, (COALESCE(NULLIF(placement_id, ''), uuid)), action, placement_id, uuid);
-- A report's period reads its placements through these (rows::period_placements_sql).
CREATE INDEX IF NOT EXISTS placements_start ON placements(start_date);
CREATE INDEX IF NOT EXISTS placements_recorded ON placements(device_time);
CREATE INDEX IF NOT EXISTS placements_chain ON placements((COALESCE(NULLIF(placement_id,''), uuid)));
CREATE TABLE IF NOT EXISTS campaigns(
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL DEFAULT '', concentrated_from TEXT NOT NULL DEFAULT '',
  concentrated_until TEXT NOT NULL DEFAULT '', year_from TEXT NOT NULL DEFAULT '',
  year_until TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS fairs(
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  campaign_id TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',
  union_unit TEXT NOT NULL DEFAULT '', venue TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '',
  online INTEGER NOT NULL DEFAULT 0, special INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS employers(
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL DEFAULT '', credit_code TEXT NOT NULL DEFAULT '',
  union_unit TEXT NOT NULL DEFAULT '', contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS listings(
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  employer_id TEXT NOT NULL DEFAULT '', union_unit TEXT NOT NULL DEFAULT '',
  employer_name TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '', headcount BIGINT,
  work_location TEXT NOT NULL DEFAULT '', industry TEXT NOT NULL DEFAULT '',
  salary TEXT NOT NULL DEFAULT '', gender_requirement TEXT NOT NULL DEFAULT '',
  education TEXT NOT NULL DEFAULT '', contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '', experience TEXT NOT NULL DEFAULT '',
  deadline TEXT NOT NULL DEFAULT '', remarks TEXT NOT NULL DEFAULT '',
  collected_at BIGINT NOT NULL DEFAULT 0);
ALTER TABLE listings ADD COLUMN IF NOT EXISTS collected_at BIGINT NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS attendees(
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL DEFAULT '', gender TEXT NOT NULL DEFAULT '', key_groups BIGINT NOT NULL DEFAULT 0,
  phone_masked TEXT NOT NULL DEFAULT '', id_masked TEXT NOT NULL DEFAULT '',
  phone_hash TEXT NOT NULL DEFAULT '', phone_tail_hash TEXT NOT NULL DEFAULT '',
  id_tail_hash TEXT NOT NULL DEFAULT '', sealed_phone TEXT NOT NULL DEFAULT '',
  sealed_id TEXT NOT NULL DEFAULT '', name_initials TEXT NOT NULL DEFAULT '',
  union_unit TEXT NOT NULL DEFAULT '', campaign_id TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS revocations(
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS issuer_keys(
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  public_key BYTEA NOT NULL, kind TEXT NOT NULL DEFAULT 'hub', fair_id TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS openings(
  id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, who TEXT NOT NULL, form TEXT NOT NULL,
  people BIGINT NOT NULL, file TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS phone_codes(
  attendee_id TEXT PRIMARY KEY, fair_id TEXT NOT NULL, credential TEXT NOT NULL,
  created_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS attendees_phone_mask ON attendees(phone_masked);
CREATE TABLE IF NOT EXISTS unions(
  id TEXT PRIMARY KEY, parent TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',
  level TEXT NOT NULL DEFAULT 'county', seq BIGSERIAL);
CREATE TABLE IF NOT EXISTS accounts(
  name TEXT PRIMARY KEY, union_id TEXT NOT NULL, role TEXT NOT NULL,
  may_open_numbers INTEGER NOT NULL DEFAULT 0, password_hash TEXT NOT NULL DEFAULT '',
  setup_hash TEXT NOT NULL DEFAULT '', setup_expires BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL DEFAULT 0, failures BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS accounts_setup ON accounts(setup_hash);
CREATE TABLE IF NOT EXISTS sessions(
  id_hash TEXT PRIMARY KEY, account TEXT NOT NULL, created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS campaign_targets(
  campaign_id TEXT NOT NULL, position BIGINT NOT NULL, unit TEXT NOT NULL,
  f0 BIGINT NOT NULL, f1 BIGINT NOT NULL, f2 BIGINT NOT NULL, f3 BIGINT NOT NULL,
  f4 BIGINT NOT NULL, f5 BIGINT NOT NULL, PRIMARY KEY(campaign_id, position));
CREATE TABLE IF NOT EXISTS report_downloads(
  account TEXT NOT NULL, week TEXT NOT NULL, union_id TEXT NOT NULL, digest TEXT NOT NULL,
  at BIGINT NOT NULL, PRIMARY KEY(account, week, union_id));
CREATE TABLE IF NOT EXISTS registrations(
  uuid TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq BIGINT NOT NULL,
  attendee_id TEXT NOT NULL UNIQUE, credential_id TEXT NOT NULL, fair_id TEXT NOT NULL,
  device_time BIGINT NOT NULL, received_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS campaigns_version ON campaigns(version);
CREATE INDEX IF NOT EXISTS fairs_version ON fairs(version);
CREATE INDEX IF NOT EXISTS employers_version ON employers(version);
CREATE INDEX IF NOT EXISTS listings_version ON listings(version);
CREATE INDEX IF NOT EXISTS listings_union_version ON listings(union_unit, version);
CREATE INDEX IF NOT EXISTS registrations_fair ON registrations(fair_id);
CREATE INDEX IF NOT EXISTS attendees_version ON attendees(version);
CREATE INDEX IF NOT EXISTS revocations_version ON revocations(version);
CREATE INDEX IF NOT EXISTS issuer_keys_version ON issuer_keys(version);
CREATE INDEX IF NOT EXISTS quarantine_terminal ON quarantine(terminal_id, id);
CREATE TABLE IF NOT EXISTS notices(
  id TEXT PRIMARY KEY, version BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,
  union_unit TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT '',
  starts_at BIGINT NOT NULL DEFAULT 0, ends_at BIGINT NOT NULL DEFAULT 0,
  fair_ids TEXT NOT NULL DEFAULT '', terminal_ids TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS notices_version ON notices(version);
CREATE INDEX IF NOT EXISTS notices_union_version ON notices(union_unit, version);
-- County hubs moved in by `jobfair-hub migrate` (hub_migrate.cpp), one row per county's epoch.
CREATE TABLE IF NOT EXISTS moved_hubs(
  epoch TEXT PRIMARY KEY, into_epoch TEXT NOT NULL, base BIGINT NOT NULL, span BIGINT NOT NULL,
  source TEXT NOT NULL, seal_pk BYTEA NOT NULL, moved_at BIGINT NOT NULL);
)SQL";

const std::vector<std::string> kListingUpsert = {
    "id",          "version",      "deleted",
    "employer_id", "union_unit",   "employer_name",
    "title",       "headcount",    "work_location",
    "industry",    "salary",       "gender_requirement",
    "education",   "contact_name", "contact_phone",
    "email",       "description",  "experience",
    "deadline",    "remarks",      "collected_at"};
const std::vector<std::string> kEmployerUpsert = {"id",           "version",      "deleted",
                                                  "name",         "credit_code",  "union_unit",
                                                  "contact_name", "contact_phone"};
const std::vector<std::string> kAttendeeUpsert = {
    "id",         "version",         "deleted",      "name",
    "gender",     "key_groups",      "phone_masked", "id_masked",
    "phone_hash", "phone_tail_hash", "id_tail_hash", "sealed_phone",
    "sealed_id",  "name_initials",   "union_unit",   "campaign_id"};

class PgHubStore final : public HubStore {
  public:
    PgHubStore(PGconn* c, std::string key_path) : c_(c), key_path_(std::move(key_path)) {}
    ~PgHubStore() override {
        if (!seal_secret_.empty()) sodium_memzero(seal_secret_.data(), seal_secret_.size());
        PQfinish(c_);
    }
    const std::string& last_error() const override { return error_; }

    // The schema is run when it differs from the one last applied (its hash is in meta): CREATE
    // INDEX takes a share lock on its table even when the index exists, which deadlocks with
    // another hub process's uploads when this one restarts beside it.
    bool apply_schema() {
        unsigned char h[16];
        crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(kSchema),
                           std::strlen(kSchema), nullptr, 0);
        const Bytes applied(h, h + sizeof h);
        Res r = q("SELECT to_regclass('meta') IS NOT NULL", {});
        if (!r.ok()) return false;
        if (r.step() && r.text(0) == "t" && meta("schema") == applied) return true;
        return run(kSchema) &&
               q("INSERT INTO meta(key, value) VALUES('schema', $1) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                 {applied})
                   .ok();
    }

    bool init() {
        session_settings();
        // Two processes starting at once create the tables once: an advisory lock around it.
        bool ok =
            run("BEGIN") && q("SELECT pg_advisory_xact_lock(7310431)", {}).ok() &&
            apply_schema() && seed_unions();
        if (!ok || !run("COMMIT")) return rollback();
        std::string key_error;
        auto pass = key_passphrase(&key_error);
        if (!key_error.empty()) return error_ = key_error, false;
        if (meta("seal_pk").empty()) {
            BoxKeyPair pair;
            if (std::filesystem::exists(key_path_)) {
                auto k = read_seal_key(key_path_, pass, &key_error);
                if (!k) return error_ = key_error, false;
                pair = *k;
            } else {
                pair = BoxKeyPair::generate();
                if (!write_seal_key(key_path_, pair, pass, &key_error))
                    return error_ = key_error, false;
            }
            // The first process to get here sets the keys; another finds them set.
            if (!q("INSERT INTO meta(key, value) VALUES('seal_pk', $1), ('epoch', $2) "
                   "ON CONFLICT DO NOTHING",
                   {pair.public_key, to_bytes(new_uuid())})
                     .ok())
                return fail();
        }
        if (auto k = read_seal_key(key_path_, pass, &key_error);
            k && k->public_key == meta("seal_pk"))
            seal_secret_ = k->secret_key;
        else
            seal_problem_ = k ? key_path_ +
                                    ": not the key of this hub's database (copy the first hub "
                                    "process's key file)"
                              : key_error;
        moved_seals_ =
            read_moved_seal_keys(std::filesystem::path(key_path_).parent_path().string());
        return true;
    }

    // -- Health -------------------------------------------------------------------
    std::string integrity_problem() override {
        std::lock_guard lock(mu_);
        auto r = q("SELECT 1", {});
        return r.ok() ? std::string() : error_;
    }

    // -- Quarantine quota -------------------------------------------------------------
    QuarantineQuota quarantine_quota() override {
        std::lock_guard lock(mu_);
        QuarantineQuota out;
        auto read = [&](const char* key, int64_t* v) {
            auto b = meta(key);
            if (!b.empty()) *v = std::strtoll(std::string(b.begin(), b.end()).c_str(), nullptr, 10);
        };
        read("quarantine_max_events", &out.max_events);
        read("quarantine_max_bytes", &out.max_bytes);
        return out;
    }
    bool set_quarantine_quota(const QuarantineQuota& x) override {
        std::lock_guard lock(mu_);
        return set_meta("quarantine_max_events", to_bytes(std::to_string(x.max_events))) &&
               set_meta("quarantine_max_bytes", to_bytes(std::to_string(x.max_bytes)));
    }
    void quarantine_use(const std::string& terminal_id, int64_t* events, int64_t* bytes) override {
        std::lock_guard lock(mu_);
        auto r =
            q("SELECT count(*), coalesce(sum(octet_length(body) + octet_length(signature)), 0) "
              "FROM quarantine WHERE terminal_id=$1 AND id > "
              "coalesce((SELECT quarantine_base FROM terminals WHERE id=$1), 0)",
              {terminal_id});
        bool row = r.step();
        *events = row ? r.i64(0) : 0;
        *bytes = row ? r.i64(1) : 0;
    }
    void note_quota_hit(const std::string& terminal_id, TimeMs now) override {
        std::lock_guard lock(mu_);
        q("UPDATE terminals SET quota_hit_at=$1 WHERE id=$2", {now, terminal_id});
    }
    bool release_quarantine_quota(const std::string& terminal_id) override {
        std::lock_guard lock(mu_);
        auto r = q("UPDATE terminals SET quota_hit_at=0, "
                   "quarantine_base=(SELECT coalesce(max(id), 0) FROM quarantine) WHERE id=$1",
                   {terminal_id});
        return r.ok() && r.changed() == 1;
    }

    // -- Keys ---------------------------------------------------------------------
    HubKeys keys() override {
        std::lock_guard lock(mu_);
        HubKeys k;
        k.seal.public_key = meta("seal_pk");
        k.seal.secret_key = seal_secret_;
        k.seal_problem = seal_problem_;
        k.moved_seals = moved_seals_;
        auto e = meta("epoch");
        k.epoch.assign(e.begin(), e.end());
        return k;
    }
    bool new_epoch() override {
        std::lock_guard lock(mu_);
        return set_meta("epoch", to_bytes(new_uuid()));
    }
    std::optional<MovedHub> moved_hub(const std::string& epoch) override {
        std::lock_guard lock(mu_);
        auto r = q("SELECT into_epoch, base, span, source, moved_at FROM moved_hubs WHERE epoch=$1",
                   {epoch});
        if (!r.step()) return std::nullopt;
        return MovedHub{epoch, r.text(0), r.i64(1), r.i64(2), r.text(3), r.i64(4)};
    }

    // -- Enrolment ------------------------------------------------------------------
    bool add_enrol_code(const std::string& code_hash, const std::string& fair_id,
                        const std::string& mode, TimeMs expires_at) override {
        std::lock_guard lock(mu_);
        return q("INSERT INTO enrol_codes(code_hash, fair_id, mode, created_at, expires_at) "
                 "VALUES($1,$2,$3,(extract(epoch from now())*1000)::bigint,$4)",
                 {code_hash, fair_id, mode, expires_at})
            .ok();
    }

    std::optional<TerminalRow> redeem_enrol_code(const std::string& code_hash,
                                                 const Bytes& public_key, const std::string& device,
                                                 const std::string& token_hash, TimeMs now,
                                                 RedeemError* why) override {
        std::lock_guard lock(mu_);
        RedeemError e = RedeemError::Storage;
        TerminalRow t;
        bool ok = transaction([&] {
            e = RedeemError::Storage;
            // FOR UPDATE: a second process redeeming the same code waits, then sees it used.
            auto c = q("SELECT fair_id, mode, expires_at, used_at FROM enrol_codes "
                       "WHERE code_hash=$1 FOR UPDATE",
                       {code_hash});
            if (!c.ok()) return false;
            if (!c.step()) return e = RedeemError::Unknown, false;
            bool used = !c.text(3).empty();
            TimeMs expires = c.i64(2);
            t.fair_id = c.text(0);
            t.mode = c.text(1);
            if (used) return e = RedeemError::Used, false;
            if (expires < now) return e = RedeemError::Expired, false;
            if (has_issuer_key(key_id_of(public_key))) return e = RedeemError::KeyConflict, false;
            t.id = "T-" + new_uuid().substr(0, 8);
            t.device = device;
            t.public_key = public_key;
            t.enrolled_at = t.last_contact = now;
            return q("UPDATE enrol_codes SET used_at=$1, terminal_id=$2 WHERE code_hash=$3",
                     {now, t.id, code_hash})
                       .ok() &&
                   q("INSERT INTO terminals(id, fair_id, mode, device, public_key, token_hash, "
                     "enrolled_at, last_contact) VALUES($1,$2,$3,$4,$5,$6,$7,$8)",
                     {t.id, t.fair_id, t.mode, device, public_key, token_hash, now, now})
                       .ok() &&
                   put_terminal_key(public_key, t.fair_id);
        });
        if (!ok) {
            if (why) *why = e;
            return std::nullopt;
        }
        if (why) *why = RedeemError::None;
        return t;
    }

    std::optional<TerminalRow> terminal_by_token(const std::string& token_hash) override {
        std::lock_guard lock(mu_);
        auto v = terminals_where("WHERE t.token_hash=$1", token_hash, false);
        if (v.empty()) return std::nullopt;
        return v.front();
    }
    std::optional<TerminalRow> terminal(const std::string& id) override {
        std::lock_guard lock(mu_);
        auto v = terminals_where("WHERE t.id=$1", id);
        if (v.empty()) return std::nullopt;
        return v.front();
    }
    std::vector<TerminalRow> terminals() override {
        std::lock_guard lock(mu_);
        return terminals_where("", "");
    }

    bool revoke_terminal(const std::string& id, TimeMs now) override {
        std::lock_guard lock(mu_);
        return transaction([&] {
            auto k = q("UPDATE terminals SET revoked_at=$1 WHERE id=$2 AND revoked_at=0 "
                       "RETURNING public_key",
                       {now, id});
            if (!k.step()) return false; // unknown or already revoked
            int64_t v = 0;
            return bump(&v) && q("UPDATE issuer_keys SET deleted=1, version=$1 "
                                 "WHERE id=$2 AND kind='terminal' AND deleted=0",
                                 {v, key_id_of(k.blob(0))})
                                   .ok();
        });
    }

    void touch_terminal(const std::string& id, TimeMs now, std::optional<int64_t> offset) override {
        std::lock_guard lock(mu_);
        if (offset)
            q("UPDATE terminals SET last_contact=$1, clock_offset_ms=$2 WHERE id=$3",
              {now, *offset, id});
        else
            q("UPDATE terminals SET last_contact=$1 WHERE id=$2", {now, id});
    }

    // -- Events ---------------------------------------------------------------------
    IngestSummary ingest(const std::string& terminal_id, const std::vector<IngestItem>& items,
                         TimeMs now, std::optional<int64_t> clock_offset_ms) override {
        std::lock_guard lock(mu_);
        IngestSummary sum;
        bool ok = transaction([&] {
            sum = IngestSummary{};
            return ingest_in_transaction(terminal_id, items, now, clock_offset_ms, sum);
        });
        if (!ok) {
            sum = IngestSummary{};
            sum.error = error_.empty() ? "the database refused the batch" : error_;
            return sum;
        }
        sum.ok = true;
        return sum;
    }

    bool ingest_in_transaction(const std::string& terminal_id, const std::vector<IngestItem>& items,
                               TimeMs now, std::optional<int64_t> clock_offset_ms,
                               IngestSummary& sum) {
        // As on SQLite (hub_store_sqlite.cpp): a batch past the acknowledged sequence is kept,
        // and the terminal is asked to send the missing ones again.
        bool gap = false;
        if (!items.empty()) {
            auto a = q("SELECT acked_seq FROM terminals WHERE id=$1", {terminal_id});
            if (!a.ok()) return false;
            int64_t held = a.step() ? a.i64(0) : 0;
            int64_t first = items.front().event.seq;
            for (auto& it : items)
                first = std::min(first, it.event.seq);
            if (held > 0 && first > held + 1) {
                gap = true;
                sum.resend_from = held + 1;
            }
        }
        // 1. What the hub's checks refused, and walk-up registrations of a person the registry
        //    already holds from elsewhere (attendee_exists; a resend of the same registration is
        //    not: the event is a duplicate below).
        const size_t n = items.size();
        std::vector<std::string> reason(n);
        std::map<std::string, std::string> registering; // attendee id -> uuid, in this batch
        for (size_t i = 0; i < n; ++i) {
            const auto& it = items[i];
            sum.acked_seq = std::max(sum.acked_seq, it.event.seq);
            reason[i] = it.quarantine_reason;
            if (!reason[i].empty() || !it.registration) continue;
            const auto& id = it.registration->attendee.id;
            if (auto seen = registering.find(id); seen != registering.end()) {
                if (seen->second != it.event.uuid) reason[i] = "attendee_exists";
                continue;
            }
            auto k = q("SELECT (SELECT count(*) FROM attendees WHERE id=$1), "
                       "(SELECT count(*) FROM registrations WHERE uuid=$2)",
                       {id, it.event.uuid});
            if (!k.step()) return false;
            if (k.i64(0) > 0 && k.i64(1) == 0)
                reason[i] = "attendee_exists";
            else
                registering.emplace(id, it.event.uuid);
        }
        // 2. The events, one statement. The unique constraints decide: a concurrent upload of
        //    the same event through another process waits here for that transaction, then
        //    inserts nothing. RETURNING names the rows this statement inserted.
        std::vector<Arg> args;
        args.reserve(n * 8);
        for (size_t i = 0; i < n; ++i)
            if (reason[i].empty()) {
                const auto& e = items[i].event;
                args.insert(args.end(), {e.uuid, terminal_id, e.seq, e.kind, e.body, e.signature,
                                         e.device_time, now});
            }
        std::set<std::string> inserted;
        if (!args.empty() &&
            !insert_rows("INSERT INTO events(uuid, terminal_id, seq, kind, body, signature, "
                         "device_time, received_at)",
                         8, args, " ON CONFLICT DO NOTHING RETURNING uuid", [&](Res& r) {
                             while (r.step())
                                 inserted.insert(r.text(0));
                         }))
            return false;
        // 3. Those not inserted: the same event again (a duplicate), or another event under a
        //    stored uuid or sequence number (quarantined), as the stored rows say.
        std::vector<bool> stored(n, false);
        std::vector<size_t> clashed;
        for (size_t i = 0; i < n; ++i)
            if (reason[i].empty()) {
                if (inserted.erase(items[i].event.uuid)) // the first item of a uuid inserted it
                    stored[i] = true;
                else
                    clashed.push_back(i);
            }
        if (!clashed.empty()) {
            std::vector<Arg> uuids;
            for (size_t i : clashed)
                uuids.push_back(items[i].event.uuid);
            std::string sql = "SELECT uuid, body, signature, terminal_id, seq FROM events "
                              "WHERE uuid IN (" +
                              in_list(1, uuids.size()) + ")";
            Res f = exec(sql, uuids.data(), uuids.size(), false);
            if (!f.ok()) return false;
            std::map<std::string, StoredEvent> held;
            while (f.step())
                held[f.text(0)] = {f.text(0), f.text(3), {}, f.i64(4), f.blob(1), f.blob(2)};
            for (size_t i : clashed) {
                const auto& e = items[i].event;
                auto h = held.find(e.uuid);
                if (h == held.end())
                    reason[i] = "seq_reused";
                else if (h->second.body == e.body && h->second.signature == e.signature &&
                         h->second.terminal_id == terminal_id && h->second.seq == e.seq)
                    ++sum.duplicates;
                else
                    reason[i] = "uuid_reused";
            }
        }
        // 4. The quarantine, in the batch's order (rare: one statement each).
        for (size_t i = 0; i < n; ++i) {
            if (reason[i].empty()) continue;
            const auto& e = items[i].event;
            auto r = q("INSERT INTO quarantine(terminal_id, uuid, seq, kind, body, signature, "
                       "device_time, received_at, reason) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9) "
                       "ON CONFLICT DO NOTHING",
                       {terminal_id, e.uuid, e.seq, e.kind, e.body, e.signature, e.device_time, now,
                        reason[i]});
            if (!r.ok()) return false;
            if (r.changed() == 1) {
                ++sum.quarantined;
                sum.refused.push_back({e.seq, reason[i]});
            } else
                ++sum.duplicates;
        }
        // 5. What the stored events say: check-ins and placements one statement each, walk-up
        //    registrations (with their person on the attendees stream) one by one.
        std::vector<Arg> check_ins, placements;
        for (size_t i = 0; i < n; ++i) {
            if (!stored[i]) continue;
            ++sum.stored;
            const auto& it = items[i];
            const auto& e = it.event;
            if (it.check_in) {
                const auto& c = *it.check_in;
                check_ins.insert(check_ins.end(), {e.uuid, terminal_id, e.seq, c.fair_id,
                                                   c.attendee_id, code(c.method), code(c.verdict),
                                                   c.credential_id, e.device_time, now});
            }
            if (it.placement) {
                const auto& p = *it.placement;
                placements.insert(placements.end(), {e.uuid,
                                                     terminal_id,
                                                     e.seq,
                                                     p.placement_id,
                                                     code(p.action),
                                                     p.corrects,
                                                     p.reason,
                                                     p.attendee_id,
                                                     p.fair_id,
                                                     p.employer_id,
                                                     p.listing_id,
                                                     p.person_name,
                                                     p.id_masked,
                                                     p.phone_masked,
                                                     p.work_place,
                                                     p.employer_name,
                                                     p.prev_year_work_place,
                                                     code(p.employment_form),
                                                     code(p.contract_form),
                                                     code(p.participation),
                                                     date_text(p.start_date),
                                                     date_text(p.signed_date),
                                                     p.key_groups,
                                                     e.device_time,
                                                     now});
            }
            if (it.registration) {
                const auto& r = *it.registration;
                int64_t v = 0;
                if (!q("INSERT INTO registrations(uuid, terminal_id, seq, attendee_id, "
                       "credential_id, fair_id, device_time, received_at) "
                       "VALUES($1,$2,$3,$4,$5,$6,$7,$8)",
                       {e.uuid, terminal_id, e.seq, r.attendee.id, r.credential_id, r.fair_id,
                        e.device_time, now})
                         .ok() ||
                    !bump(&v) || !put_attendee(r.attendee, v))
                    return false;
            }
            if (it.fair_day && !q("INSERT INTO fair_day_events(uuid, terminal_id, seq, kind, "
                                  "fair_id, attendee_id, "
                                  "device_time, received_at) VALUES($1,$2,$3,$4,$5,$6,$7,$8)",
                                  {e.uuid, terminal_id, e.seq, e.kind, it.fair_day->fair_id,
                                   it.fair_day->attendee_id, e.device_time, now})
                                    .ok())
                return false;
        }
        auto none = [](Res&) {};
        if (!check_ins.empty() &&
            !insert_rows("INSERT INTO check_ins(uuid, terminal_id, seq, fair_id, attendee_id, "
                         "method, verdict, credential_id, device_time, received_at)",
                         10, check_ins, "", none))
            return false;
        if (!placements.empty() &&
            !insert_rows("INSERT INTO placements(uuid, terminal_id, seq, placement_id, action, "
                         "corrects, reason, attendee_id, fair_id, employer_id, listing_id, "
                         "person_name, id_masked, phone_masked, work_place, employer_name, "
                         "prev_year_work_place, employment_form, contract_form, participation, "
                         "start_date, signed_date, key_groups, device_time, received_at)",
                         25, placements, "", none))
            return false;
        return q("UPDATE terminals SET acked_seq=greatest(acked_seq, $1), last_contact=$2, "
                 "clock_offset_ms=coalesce($3::bigint, clock_offset_ms) WHERE id=$4",
                 {gap ? int64_t{0} : sum.acked_seq, now,
                  clock_offset_ms ? Arg(*clock_offset_ms) : Arg(std::nullopt), terminal_id})
            .ok();
    }

    int64_t event_count(const std::string& terminal_id) override {
        std::lock_guard lock(mu_);
        auto r = q("SELECT count(*) FROM events WHERE $1='' OR terminal_id=$1", {terminal_id});
        return r.step() ? r.i64(0) : 0;
    }

    std::vector<StoredEvent> events(const std::string& terminal_id) override {
        std::lock_guard lock(mu_);
        auto r = q("SELECT uuid, terminal_id, kind, seq, body, signature, device_time, received_at "
                   "FROM events WHERE $1='' OR terminal_id=$1 ORDER BY terminal_id, seq",
                   {terminal_id});
        std::vector<StoredEvent> out;
        while (r.step())
            out.push_back({r.text(0), r.text(1), r.text(2), r.i64(3), r.blob(4), r.blob(5),
                           r.i64(6), r.i64(7)});
        return out;
    }

    HubFairDay fair_day(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        auto r = q("SELECT f.kind, e.body FROM fair_day_events f JOIN events e ON e.uuid = f.uuid "
                   "WHERE $1 = '' OR f.fair_id = $1 ORDER BY f.terminal_id, f.seq",
                   {fair_id});
        HubFairDay out;
        while (r.step())
            out.add(r.text(0), r.blob(1));
        return out;
    }

    std::vector<QuarantineRow> quarantine() override {
        std::lock_guard lock(mu_);
        auto r = q("SELECT id, terminal_id, uuid, kind, reason, seq, body, signature, device_time, "
                   "received_at FROM quarantine ORDER BY id",
                   {});
        std::vector<QuarantineRow> out;
        while (r.step())
            out.push_back({r.i64(0), r.text(1), r.text(2), r.text(3), r.text(4), r.i64(5),
                           r.blob(6), r.blob(7), r.i64(8), r.i64(9)});
        return out;
    }

    std::vector<HubCheckIn> check_ins(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        auto r = q(std::string("SELECT ") + rows::kCheckInCols +
                       " FROM check_ins WHERE $1='' OR fair_id=$1 ORDER BY terminal_id, seq",
                   {fair_id});
        std::vector<HubCheckIn> out;
        while (r.step())
            out.push_back({rows::check_in_row(r), r.i64(9)});
        return out;
    }

    std::vector<HubPlacement> placement_versions(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        auto r = q(std::string("SELECT ") + rows::kPlacementCols +
                       " FROM placements WHERE $1='' OR fair_id=$1 ORDER BY terminal_id, seq",
                   {fair_id});
        std::vector<HubPlacement> out;
        while (r.step())
            out.push_back({rows::placement_row(r), r.i64(24)});
        return out;
    }

    std::vector<HubPlacement> period_placement_versions(const ReportPeriod& period) override {
        std::lock_guard lock(mu_);
        auto r = q(rows::period_placements_sql(), {period.first_day.to_iso(),
                                                   period.last_day.to_iso(), period.begin,
                                                   period.end});
        std::vector<HubPlacement> out;
        while (r.step())
            out.push_back({rows::placement_row(r), r.i64(24)});
        return out;
    }

    FairDayFigures fair_day_figures(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        auto c = q(rows::kFairDayCountsSql, {fair_id});
        auto b = q(rows::kFairUndoBodiesSql, {fair_id});
        auto ci = q(rows::kUndonePeopleCheckInsSql, {fair_id});
        return rows::fair_day_figures_of(c, b, ci);
    }

    FairCounts fair_counts(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        FairCounts out;
        auto c = q(rows::kFairCheckInCountsSql, {fair_id});
        if (c.step()) out.check_ins = c.i64(0), out.people = c.i64(1);
        auto h = q(rows::kFairCheckInHoursSql, {fair_id});
        while (h.step())
            if (h.i64(0) >= 0 && h.i64(0) < 24)
                out.per_hour[static_cast<size_t>(h.i64(0))] = h.i64(1);
        auto p = q(rows::kFairPlacementCountsSql, {fair_id});
        if (p.step()) {
            out.placements = p.i64(0);
            if (p.i64(1) > 0) {
                auto v = q(rows::fair_placement_chains_sql(), {fair_id});
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
            return q(upsert_sql("campaigns",
                                {"id", "version", "deleted", "name", "concentrated_from",
                                 "concentrated_until", "year_from", "year_until"}),
                     {c.id, v, 0, c.name, date_text(c.concentrated_from),
                      date_text(c.concentrated_until), date_text(c.year_from),
                      date_text(c.year_until)})
                .ok();
        });
    }
    bool upsert_fair(const Fair& f) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            return q(upsert_sql("fairs", {"id", "version", "deleted", "campaign_id", "name",
                                          "union_unit", "venue", "date", "online", "special"}),
                     {f.id, v, 0, f.campaign_id, f.name, f.union_unit, f.venue, date_text(f.date),
                      f.online, f.special})
                .ok();
        });
    }
    bool upsert_employer(const Employer& e) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) { return put_employer(e, v); });
    }
    bool upsert_listing(const JobListing& l) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) { return put_listing(l, v); });
    }
    // An import's batch goes in statements of this many rows, each prepared once: the server
    // parsed and planned a statement of some 3,000 rows anew for every part of every batch.
    static constexpr size_t kRowsPrepared = 500;
    bool upsert_listings(const std::vector<Employer>& employers,
                         const std::vector<JobListing>& listings) override {
        std::lock_guard lock(mu_);
        return transaction([&] {
            int64_t n = static_cast<int64_t>(employers.size() + listings.size());
            auto b = q("UPDATE change_counter SET value = value + $1 RETURNING value", {n});
            if (!b.step()) return false;
            int64_t v = b.i64(0) - n;
            // One statement per table. An upsert may not change a row twice, so an id given
            // twice is written once, as its last row (with that row's version).
            auto write = [&](const auto& items, const auto& args_of, const char* table,
                             const std::vector<std::string>& cols) {
                std::map<std::string, size_t> last;
                for (size_t i = 0; i < items.size(); ++i)
                    last[items[i].id] = i;
                std::vector<Arg> args;
                for (size_t i = 0; i < items.size(); ++i) {
                    ++v;
                    if (last[items[i].id] != i) continue;
                    auto a = args_of(items[i], v);
                    std::move(a.begin(), a.end(), std::back_inserter(args));
                }
                return args.empty() || insert_rows(
                                           upsert_head(table, cols), cols.size(), args,
                                           upsert_tail(table, cols), [](Res&) {}, kRowsPrepared);
            };
            return write(employers, employer_args, "employers", kEmployerUpsert) &&
                   write(listings, listing_args, "listings", kListingUpsert);
        });
    }
    bool delete_listing(const std::string& id) override { return tombstone("listings", id); }
    bool upsert_notice(const StationNotice& n) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            return q(upsert_sql("notices", {"id", "version", "deleted", "union_unit", "text",
                                            "starts_at", "ends_at", "fair_ids", "terminal_ids"}),
                     {n.id, v, 0, n.union_unit, n.text, n.starts_at, n.ends_at,
                      join_ids(n.fair_ids), join_ids(n.terminal_ids)})
                .ok();
        });
    }
    bool delete_notice(const std::string& id) override { return tombstone("notices", id); }
    std::vector<StationNotice> notices() override {
        return all<StationNotice>(rows::kNoticeCols, "notices", "ORDER BY starts_at, id",
                                  [](Res& r) { return rows::notice_row(r, 0); });
    }
    bool upsert_attendee(const Attendee& a) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) { return put_attendee(a, v); });
    }
    bool delete_attendee(const std::string& id) override { return tombstone("attendees", id); }
    bool add_revocation(const std::string& credential_id, const std::string& reason) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            return q(upsert_sql("revocations", {"id", "version", "deleted", "reason"}),
                     {credential_id, v, 0, reason})
                .ok();
        });
    }
    bool upsert_issuer_key(const std::string& key_id, const Bytes& public_key) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            return q(upsert_sql("issuer_keys",
                                {"id", "version", "deleted", "public_key", "kind", "fair_id"}),
                     {key_id, v, 0, public_key, "hub", ""})
                .ok();
        });
    }

    std::vector<Campaign> campaigns() override {
        return all<Campaign>(rows::kCampaignCols, "campaigns", "ORDER BY id",
                             [](Res& r) { return rows::campaign_row(r, 0); });
    }
    std::vector<Fair> fairs() override {
        return all<Fair>(rows::kFairCols, "fairs", "ORDER BY date, id",
                         [](Res& r) { return rows::fair_row(r, 0); });
    }
    std::optional<Fair> fair(const std::string& id) override {
        std::lock_guard lock(mu_);
        auto r =
            q(std::string("SELECT ") + rows::kFairCols + " FROM fairs WHERE deleted=0 AND id=$1",
              {id});
        if (!r.step()) return std::nullopt;
        return rows::fair_row(r, 0);
    }
    std::vector<Employer> employers() override {
        return all<Employer>(rows::kEmployerCols, "employers", "ORDER BY id",
                             [](Res& r) { return rows::employer_row(r, 0); });
    }
    std::vector<JobListing> listings() override {
        return all<JobListing>(rows::kListingCols, "listings", "ORDER BY id",
                               [](Res& r) { return rows::listing_row(r, 0); });
    }
    // An import's batch: one statement (prepared once) with the ids as one text array, an index
    // look-up each. The base class's default read every listing the hub holds for every batch.
    std::vector<JobListing> listings(const std::vector<std::string>& ids) override {
        std::lock_guard lock(mu_);
        std::vector<JobListing> out;
        if (ids.empty()) return out;
        std::string array = "{";
        for (size_t i = 0; i < ids.size(); ++i) {
            array += i ? ",\"" : "\"";
            for (char c : ids[i]) {
                if (c == '"' || c == '\\') array += '\\';
                array += c;
            }
            array += '"';
        }
        array += '}';
        auto r = q(std::string("SELECT ") + rows::kListingCols +
                       " FROM listings WHERE deleted=0 AND id = ANY($1::text[])",
                   {array});
        while (r.step())
            out.push_back(rows::listing_row(r, 0));
        return out;
    }
    std::vector<Attendee> attendees() override {
        return all<Attendee>(rows::kAttendeeCols, "attendees", "ORDER BY id",
                             [](Res& r) { return rows::attendee_row(r, 0); });
    }
    std::optional<Attendee> attendee(const std::string& id) override {
        std::lock_guard lock(mu_);
        auto r = q(std::string("SELECT ") + rows::kAttendeeCols +
                       " FROM attendees WHERE id=$1 AND deleted=0",
                   {id});
        if (!r.step()) return std::nullopt;
        return rows::attendee_row(r, 0);
    }
    std::vector<wire::IssuerKey> issuer_keys() override {
        return all<wire::IssuerKey>(
            "id, public_key, kind, fair_id", "issuer_keys", "ORDER BY id", [](Res& r) {
                return wire::IssuerKey{r.text(0), r.blob(1), r.text(2), r.text(3)};
            });
    }
    std::vector<HubRegistration> registrations(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        // Planned for its parameter (force_custom_plan): an empty fair id reads all, another one
        // the range of registrations_fair.
        auto r = q("SELECT uuid, terminal_id, attendee_id, credential_id, fair_id, device_time, "
                   "received_at FROM registrations WHERE $1='' OR fair_id=$1 "
                   "ORDER BY received_at, terminal_id, seq",
                   {fair_id});
        std::vector<HubRegistration> out;
        while (r.step())
            out.push_back(
                {r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.i64(5), r.i64(6)});
        return out;
    }

    bool record_opening(const OpeningRecord& o) override {
        std::lock_guard lock(mu_);
        return q("INSERT INTO openings(at, who, form, people, file) VALUES($1,$2,$3,$4,$5)",
                 {o.at, o.who, o.form, o.people, o.file})
            .ok();
    }
    std::vector<OpeningRecord> openings() override {
        std::lock_guard lock(mu_);
        auto r = q("SELECT id, at, who, form, people, file FROM openings ORDER BY id", {});
        std::vector<OpeningRecord> out;
        while (r.step())
            out.push_back({r.i64(0), r.i64(1), r.text(2), r.text(3), r.i64(4), r.text(5)});
        return out;
    }

    std::vector<wire::PullItem> changes(wire::Stream st, int64_t after, size_t limit, bool* more,
                                        const std::vector<std::string>& unions) override {
        std::lock_guard lock(mu_);
        size_t scoped = rows::union_scoped(st) ? unions.size() : 0;
        std::vector<Arg> args = {after, static_cast<int64_t>(limit + 1)};
        args.insert(args.end(), unions.begin(), unions.begin() + static_cast<long>(scoped));
        auto r = exec(rows::changes_sql(st, scoped, '$'), args.data(), args.size(), true);
        std::vector<wire::PullItem> out;
        if (more) *more = false;
        while (r.step()) {
            if (out.size() == limit) {
                if (more) *more = true;
                break;
            }
            out.push_back(rows::pull_item(r, st));
        }
        return out;
    }

    // -- Phone sign-ups -------------------------------------------------------------
    bool add_phone_registration(const Attendee& a, const PhoneCode& c) override {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            return put_attendee(a, v) &&
                   q("INSERT INTO phone_codes(attendee_id, fair_id, credential, created_at) "
                     "VALUES($1,$2,$3,$4)",
                     {c.attendee_id, c.fair_id, c.credential, c.created_at})
                       .ok();
        });
    }
    std::vector<Attendee> attendees_by_phone_mask(const std::string& mask) override {
        std::lock_guard lock(mu_);
        auto r = q(std::string("SELECT ") + rows::kAttendeeCols +
                       " FROM attendees WHERE deleted=0 AND phone_masked=$1 ORDER BY id",
                   {mask});
        std::vector<Attendee> out;
        while (r.step())
            out.push_back(rows::attendee_row(r, 0));
        return out;
    }
    std::optional<PhoneCode> phone_code(const std::string& attendee_id) override {
        std::lock_guard lock(mu_);
        auto r = q("SELECT attendee_id, fair_id, credential, created_at FROM phone_codes "
                   "WHERE attendee_id=$1",
                   {attendee_id});
        if (!r.step()) return std::nullopt;
        return PhoneCode{r.text(0), r.text(1), r.text(2), r.i64(3)};
    }
    std::vector<PhoneCode> phone_codes(const std::string& fair_id) override {
        std::lock_guard lock(mu_);
        auto r = q("SELECT attendee_id, fair_id, credential, created_at FROM phone_codes "
                   "WHERE fair_id=$1 ORDER BY created_at, attendee_id",
                   {fair_id});
        std::vector<PhoneCode> out;
        while (r.step())
            out.push_back({r.text(0), r.text(1), r.text(2), r.i64(3)});
        return out;
    }

    // -- Console: unions, accounts, sessions -------------------------------------------
    std::vector<UnionRow> unions() override {
        std::lock_guard lock(mu_);
        auto r = q("SELECT id, parent, name, level FROM unions ORDER BY seq", {});
        std::vector<UnionRow> out;
        while (r.step())
            out.push_back({r.text(0), r.text(1), r.text(2), r.text(3)});
        return out;
    }
    bool upsert_union(const UnionRow& u) override {
        std::lock_guard lock(mu_);
        return put_union(u);
    }
    std::vector<AccountRow> accounts() override {
        std::lock_guard lock(mu_);
        auto r = q(std::string("SELECT ") + kAccountCols + " FROM accounts ORDER BY name", {});
        std::vector<AccountRow> out;
        while (r.step())
            out.push_back(account_row(r));
        return out;
    }
    std::optional<AccountRow> account(const std::string& name) override {
        return account_where("name", name);
    }
    std::optional<AccountRow> account_by_setup(const std::string& setup_hash) override {
        return account_where("setup_hash", setup_hash);
    }
    bool set_targets(const std::string& campaign_id, const std::vector<Target>& t) override {
        std::lock_guard lock(mu_);
        return transaction([&] {
            if (!q("DELETE FROM campaign_targets WHERE campaign_id=$1", {campaign_id}).ok())
                return false;
            for (size_t i = 0; i < t.size(); ++i) {
                const auto& f = t[i].figures;
                if (!q(rows::kSetTargetSql, {campaign_id, static_cast<int64_t>(i), t[i].unit, f[0],
                                             f[1], f[2], f[3], f[4], f[5]})
                         .ok())
                    return false;
            }
            return true;
        });
    }
    std::vector<Target> targets(const std::string& campaign_id) override {
        std::lock_guard lock(mu_);
        auto r = q(rows::kTargetsSql, {campaign_id});
        std::vector<Target> out;
        while (r.step())
            out.push_back(rows::target_row(r));
        return out;
    }
    bool set_report_digests(const std::string& account, const std::string& week,
                            const std::map<std::string, std::string>& digests, TimeMs at) override {
        std::lock_guard lock(mu_);
        return transaction([&] {
            for (auto& [u, d] : digests)
                if (!q(rows::kSetReportDigestSql, {account, week, u, d, at}).ok()) return false;
            return true;
        });
    }
    std::map<std::string, std::string> report_digests(const std::string& account,
                                                      const std::string& week) override {
        std::lock_guard lock(mu_);
        auto r = q(rows::kReportDigestsSql, {account, week});
        std::map<std::string, std::string> out;
        while (r.step())
            out[r.text(0)] = r.text(1);
        return out;
    }
    bool upsert_account(const AccountRow& a) override {
        std::lock_guard lock(mu_);
        return q(std::string("INSERT INTO accounts(") + kAccountCols +
                     ") VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT(name) DO UPDATE SET "
                     "union_id=excluded.union_id, role=excluded.role, "
                     "may_open_numbers=excluded.may_open_numbers, "
                     "password_hash=excluded.password_hash, setup_hash=excluded.setup_hash, "
                     "setup_expires=excluded.setup_expires, created_at=excluded.created_at, "
                     "failures=excluded.failures, locked_until=excluded.locked_until",
                 {a.name, a.union_id, a.role, a.may_open_numbers ? 1 : 0, a.password_hash,
                  a.setup_hash, a.setup_expires, a.created_at, a.failures, a.locked_until})
            .ok();
    }
    bool add_session(const SessionRow& s) override {
        std::lock_guard lock(mu_);
        return q("INSERT INTO sessions(id_hash, account, created_at, last_seen) "
                 "VALUES($1,$2,$3,$4)",
                 {s.id_hash, s.account, s.created_at, s.last_seen})
            .ok();
    }
    std::optional<SessionRow> session(const std::string& id_hash) override {
        std::lock_guard lock(mu_);
        auto r = q("SELECT id_hash, account, created_at, last_seen FROM sessions WHERE id_hash=$1",
                   {id_hash});
        if (!r.step()) return std::nullopt;
        return SessionRow{r.text(0), r.text(1), r.i64(2), r.i64(3)};
    }
    bool touch_session(const std::string& id_hash, TimeMs now) override {
        std::lock_guard lock(mu_);
        return q("UPDATE sessions SET last_seen=$1 WHERE id_hash=$2", {now, id_hash}).ok();
    }
    bool delete_session(const std::string& id_hash) override {
        std::lock_guard lock(mu_);
        return q("DELETE FROM sessions WHERE id_hash=$1", {id_hash}).ok();
    }

  private:
    static constexpr const char* kAccountCols =
        "name, union_id, role, may_open_numbers, password_hash, setup_hash, setup_expires, "
        "created_at, failures, locked_until";
    static AccountRow account_row(Res& r) {
        AccountRow a;
        a.name = r.text(0);
        a.union_id = r.text(1);
        a.role = r.text(2);
        a.may_open_numbers = r.i64(3) != 0;
        a.password_hash = r.text(4);
        a.setup_hash = r.text(5);
        a.setup_expires = r.i64(6);
        a.created_at = r.i64(7);
        a.failures = r.i64(8);
        a.locked_until = r.i64(9);
        return a;
    }
    std::optional<AccountRow> account_where(const char* col, const std::string& v) {
        std::lock_guard lock(mu_);
        if (v.empty()) return std::nullopt;
        auto r = q(std::string("SELECT ") + kAccountCols + " FROM accounts WHERE " + col + "=$1",
                   {v});
        if (!r.step()) return std::nullopt;
        return account_row(r);
    }
    bool put_union(const UnionRow& u) {
        return q("INSERT INTO unions(id, parent, name, level) VALUES($1,$2,$3,$4) "
                 "ON CONFLICT(id) DO UPDATE SET parent=excluded.parent, name=excluded.name, "
                 "level=excluded.level",
                 {u.id, u.parent, u.name, u.level})
            .ok();
    }
    // The union tree's seed, once, while it is empty (inside init()'s transaction and lock).
    bool seed_unions() {
        auto n = q("SELECT count(*) FROM unions", {});
        if (!n.step()) return false;
        if (n.i64(0) > 0) return true;
        for (auto& u : rows::kSeedUnions)
            if (!put_union({u.id, u.parent, u.name, u.level})) return false;
        return true;
    }
    // One statement with parameters; on failure error_ says why. A connection that dropped (the
    // database restarted) is reset once, outside a transaction.
    Res q(const std::string& sql, std::initializer_list<Arg> args) {
        return exec(sql, args.begin(), args.size(), true);
    }
    // Prepared once per connection (PQprepare) and executed by name after: the server parses and
    // plans a statement once, not at every call. Statements built for one batch's row count
    // (insert_rows, in_list) are sent unprepared.
    Res exec(const std::string& sql, const Arg* args, size_t n, bool prepare) {
        reconnect_if_dropped();
        std::vector<const char*> values;
        std::vector<int> lengths, formats;
        for (size_t i = 0; i < n; ++i) {
            values.push_back(args[i].null ? nullptr : args[i].data.data());
            lengths.push_back(static_cast<int>(args[i].data.size()));
            formats.push_back(args[i].format);
        }
        int count = static_cast<int>(n);
        Res r;
        if (!prepare) {
            r = Res(PQexecParams(c_, sql.c_str(), count, nullptr, values.data(), lengths.data(),
                                 formats.data(), 0));
        } else {
            auto it = prepared_.find(sql);
            if (it == prepared_.end()) {
                std::string name = "jf" + std::to_string(++statements_);
                Res p(PQprepare(c_, name.c_str(), sql.c_str(), count, nullptr));
                if (!p.ok()) return failed(std::move(p));
                it = prepared_.emplace(sql, name).first;
            }
            r = Res(PQexecPrepared(c_, it->second.c_str(), count, values.data(), lengths.data(),
                                   formats.data(), 0));
        }
        return r.ok() ? std::move(r) : failed(std::move(r));
    }
    // Each session's settings. A prepared statement is planned for its parameters at every run
    // (force_custom_plan): a plan made once for unknown values would not know that `version > $1`
    // on a download's cursor selects a few rows, and would scan the table for an empty poll.
    void session_settings() {
        PQclear(PQexec(c_, "SET client_min_messages = warning"));
        PQclear(PQexec(c_, "SET plan_cache_mode = force_custom_plan"));
    }
    // A connection that dropped (the database restarted) is reset, outside a transaction only.
    void reconnect_if_dropped() {
        if (PQstatus(c_) == CONNECTION_OK || in_tx_) return;
        PQreset(c_);
        prepared_.clear(); // a new server session knows none of them
        session_settings();
    }
    Res failed(Res r) {
        error_ = PQerrorMessage(c_);
        while (!error_.empty() && (error_.back() == '\n' || error_.back() == ' '))
            error_.pop_back();
        sqlstate_ = r.sqlstate();
        return r;
    }
    // INSERT of many rows (`args` holds `cols` values per row) in as few statements as the
    // protocol's 65,535 parameters allow: "<head> VALUES ($1,…),(…) <tail>". `each` sees every
    // statement's result (RETURNING rows). With `prepared_rows`, statements of that many rows are
    // prepared once per connection (an import's batches then share one), the rest sent as is.
    template <class F>
    bool insert_rows(const std::string& head, size_t cols, const std::vector<Arg>& args,
                     const std::string& tail, F&& each, size_t prepared_rows = 0) {
        const size_t total = args.size() / cols,
                     per = prepared_rows ? std::min(prepared_rows, 65535 / cols) : 65535 / cols;
        for (size_t r0 = 0; r0 < total; r0 += per) {
            size_t n = std::min(per, total - r0);
            std::string sql = head + " VALUES ";
            for (size_t i = 0, p = 1; i < n; ++i) {
                sql += i ? ",(" : "(";
                for (size_t c = 0; c < cols; ++c, ++p)
                    sql += (c ? ",$" : "$") + std::to_string(p);
                sql += ')';
            }
            sql += tail;
            Res r = exec(sql, args.data() + r0 * cols, n * cols, prepared_rows && n == per);
            if (!r.ok()) return false;
            each(r);
        }
        return true;
    }
    // "$first,…,$(first+n-1)": the placeholders of an IN (…) list.
    static std::string in_list(size_t first, size_t n) {
        std::string out;
        for (size_t i = 0; i < n; ++i)
            out += (i ? ",$" : "$") + std::to_string(first + i);
        return out;
    }
    bool run(const char* sql) {
        reconnect_if_dropped();
        Res r(PQexec(c_, sql));
        if (!r.ok()) {
            error_ = PQerrorMessage(c_);
            sqlstate_ = r.sqlstate();
        }
        return r.ok();
    }
    bool fail() { return false; }
    bool rollback() {
        Res r(PQexec(c_, "ROLLBACK"));
        in_tx_ = false;
        return false;
    }

    // Runs `body` in a transaction; true only once COMMIT has returned. A deadlock or
    // serialisation failure (another process's transaction on the same rows) runs it again.
    template <class F> bool transaction(F&& body) {
        for (int attempt = 0; attempt < 5; ++attempt) {
            sqlstate_.clear();
            if (!run("BEGIN")) return false;
            in_tx_ = true;
            if (body() && run("COMMIT")) {
                in_tx_ = false;
                return true;
            }
            std::string state = sqlstate_;
            rollback();
            if (state != "40P01" && state != "40001") return false;
        }
        return false;
    }
    template <class F> bool versioned(F&& write) {
        return transaction([&] {
            int64_t v = 0;
            return bump(&v) && write(v);
        });
    }
    // The next version (inside the caller's transaction; the counter row stays locked to its end).
    bool bump(int64_t* v) {
        auto b = q("UPDATE change_counter SET value = value + 1 RETURNING value", {});
        if (!b.step()) return false;
        *v = b.i64(0);
        return true;
    }
    bool tombstone(const char* table, const std::string& id) {
        std::lock_guard lock(mu_);
        return versioned([&](int64_t v) {
            return q(std::string("UPDATE ") + table + " SET deleted=1, version=$1 WHERE id=$2",
                     {v, id})
                .ok();
        });
    }

    template <class T, class F>
    std::vector<T> all(const char* cols, const char* table, const char* order, F&& row) {
        std::lock_guard lock(mu_);
        auto r =
            q(std::string("SELECT ") + cols + " FROM " + table + " WHERE deleted=0 " + order, {});
        std::vector<T> out;
        while (r.step())
            out.push_back(row(r));
        return out;
    }

    static std::vector<Arg> employer_args(const Employer& e, int64_t v) {
        return {e.id, v, 0, e.name, e.credit_code, e.union_unit, e.contact_name, e.contact_phone};
    }
    static std::vector<Arg> listing_args(const JobListing& l, int64_t v) {
        return {l.id,
                v,
                0,
                l.employer_id,
                l.union_unit,
                l.employer_name,
                l.title,
                l.headcount ? Arg(static_cast<int64_t>(*l.headcount)) : Arg(std::nullopt),
                l.work_location,
                l.industry,
                l.salary,
                l.gender_requirement,
                l.education,
                l.contact_name,
                l.contact_phone,
                l.email,
                l.description,
                l.experience,
                date_text(l.deadline),
                l.remarks,
                l.collected_at > 0 ? l.collected_at : now_ms()};
    }
    bool put_employer(const Employer& e, int64_t v) {
        auto a = employer_args(e, v);
        return exec(upsert_sql("employers", kEmployerUpsert), a.data(), a.size(), true).ok();
    }
    bool put_listing(const JobListing& l, int64_t v) {
        auto a = listing_args(l, v);
        return exec(upsert_sql("listings", kListingUpsert), a.data(), a.size(), true).ok();
    }
    bool put_attendee(const Attendee& a, int64_t v) {
        return q(upsert_sql("attendees", kAttendeeUpsert),
                 {a.id, v, 0, a.name, code(a.gender), a.key_groups, a.phone_masked, a.id_masked,
                  a.phone_hash, a.phone_tail_hash, a.id_tail_hash, a.sealed_phone, a.sealed_id,
                  a.name_initials, a.union_unit, a.campaign_id})
            .ok();
    }
    bool has_issuer_key(const std::string& key_id) {
        auto r = q("SELECT 1 FROM issuer_keys WHERE id=$1", {key_id});
        return r.rows() > 0;
    }
    bool put_terminal_key(const Bytes& public_key, const std::string& fair_id) {
        if (fair_id.empty()) return true;
        int64_t v = 0;
        return bump(&v) && q("INSERT INTO issuer_keys(id, version, deleted, public_key, kind, "
                             "fair_id) VALUES($1,$2,0,$3,'terminal',$4)",
                             {key_id_of(public_key), v, public_key, fair_id})
                               .ok();
    }

    std::vector<TerminalRow> terminals_where(const std::string& where, const std::string& arg,
                                             bool counts = true) {
        std::string sql =
            "SELECT t.id, t.fair_id, t.mode, t.device, t.public_key, t.enrolled_at, "
            "t.last_contact, t.revoked_at, t.clock_offset_ms, t.acked_seq, " +
            std::string(counts ? "(SELECT count(*) FROM events e WHERE e.terminal_id=t.id), "
                                 "(SELECT count(*) FROM quarantine q WHERE q.terminal_id=t.id), "
                                 "(SELECT count(*) FROM quarantine q WHERE q.terminal_id=t.id "
                                 "AND q.id > t.quarantine_base), "
                                 "(SELECT coalesce(sum(octet_length(q.body) + "
                                 "octet_length(q.signature)), 0) "
                                 "FROM quarantine q WHERE q.terminal_id=t.id "
                                 "AND q.id > t.quarantine_base), "
                                 "(SELECT count(*) FROM quarantine q WHERE q.terminal_id=t.id "
                                 "AND q.reason='seq_reused'), "
                               : "0, 0, 0, 0, 0, ") +
            "t.quota_hit_at FROM terminals t " + where + " ORDER BY t.enrolled_at, t.id";
        auto r = where.empty() ? q(sql, {}) : q(sql, {arg});
        std::vector<TerminalRow> out;
        while (r.step()) {
            TerminalRow t;
            t.id = r.text(0);
            t.fair_id = r.text(1);
            t.mode = r.text(2);
            t.device = r.text(3);
            t.public_key = r.blob(4);
            t.enrolled_at = r.i64(5);
            t.last_contact = r.i64(6);
            t.revoked_at = r.i64(7);
            t.clock_offset_ms = r.i64(8);
            t.acked_seq = r.i64(9);
            t.events = r.i64(10);
            t.quarantined = r.i64(11);
            t.quota_events = r.i64(12);
            t.quota_bytes = r.i64(13);
            t.seq_reused = r.i64(14);
            t.quota_hit_at = r.i64(15);
            out.push_back(std::move(t));
        }
        return out;
    }

    Bytes meta(const char* key) {
        auto r = q("SELECT value FROM meta WHERE key=$1", {key});
        return r.step() ? r.blob(0) : Bytes();
    }
    bool set_meta(const char* key, const Bytes& value) {
        return q("INSERT INTO meta(key, value) VALUES($1,$2) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 {key, value})
            .ok();
    }

    PGconn* c_;
    std::string key_path_;
    Bytes seal_secret_;
    std::string seal_problem_;
    std::vector<BoxKeyPair> moved_seals_; // county hubs moved in (<data dir>/moved-keys)
    std::mutex mu_;
    std::string error_, sqlstate_;
    bool in_tx_ = false;
    std::unordered_map<std::string, std::string> prepared_; // SQL text -> statement name
    int64_t statements_ = 0;
};

} // namespace

bool is_database_url(const std::string& database) {
    return database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0;
}

std::unique_ptr<HubStore> open_pg_hub_store(const std::string& url, const std::string& data_dir,
                                            std::string* error) {
    PGconn* c = PQconnectdb(url.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
        // The message names the server, never the password the URL may carry.
        if (error) *error = std::string("cannot connect to the database: ") + PQerrorMessage(c);
        PQfinish(c);
        return nullptr;
    }
    PQsetClientEncoding(c, "UTF8");
    std::string why;
    if (!files::private_dir(data_dir, &why)) { // the key file's directory: owner-only
        if (error) *error = why;
        PQfinish(c);
        return nullptr;
    }
    auto store = std::make_unique<PgHubStore>(c, seal_key_path(data_dir));
    if (!store->init()) {
        if (error) *error = "the database: " + store->last_error();
        return nullptr;
    }
    return store;
}

} // namespace jf::hub
