// The hub's storage: terminals and enrolment, the events terminals upload (stored exactly once),
// the quarantine, and the reference data terminals download. SQLite (WAL, hub_store_sqlite.cpp)
// by default, PostgreSQL (hub_store_pg.cpp) for a province's hub processes sharing one database;
// callers see only this interface. Reports read check-ins, placements, fairs, employers, listings
// and attendees through it.
//
// Index
// - Rows            TerminalRow, StoredEvent, QuarantineRow, HubCheckIn, HubPlacement,
//                   HubRegistration, HubFairDay (booth intents, undone check-ins, services, needs
//                   lists)
// - Keys            the hub's sealing key pair (secret in its own file), dataset epoch
// - Health          PRAGMA quick_check; online backup and restore (SQLite's backup API)
// - Quarantine quota per terminal (count and bytes), staff release
// - Enrolment       one-time codes, terminals, tokens, revocation
// - Events          ingest (one transaction per batch), read-back for reports
// - Reference data  upserts and tombstones with a change counter per row, pages for download
// - Phone sign-ups   people who registered on their own phone, and the code the hub signed them
// - Console         the union tree, staff accounts and their sessions (hub_accounts.hpp)
#pragma once

#include "kiosk/crypto/crypto.hpp"
#include "kiosk/domain/needs.hpp"
#include "kiosk/domain/records.hpp"
#include "kiosk/domain/reports.hpp"
#include "sync/wire/wire.hpp"

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace jf::hub {

constexpr TimeMs kClockToleranceMs = 2 * 60 * 1000; // a terminal clock further off is flagged

struct TerminalRow {
    std::string id;
    std::string fair_id;
    std::string mode;
    std::string device;
    Bytes public_key;
    TimeMs enrolled_at = 0, last_contact = 0, revoked_at = 0;
    int64_t clock_offset_ms = 0; // terminal clock minus hub clock at the last contact
    int64_t acked_seq = 0;       // highest sequence acknowledged to it
    int64_t events = 0, quarantined = 0;
    // Staff listings only (terminals(), terminal()): quarantined bytes counting against the quota
    // (since the last release), events refused as a reused sequence number (a terminal restored
    // from a copy of its disk), and when the hub last refused a batch for a full quarantine.
    int64_t quota_events = 0, quota_bytes = 0, seq_reused = 0;
    TimeMs quota_hit_at = 0;
    bool revoked() const { return revoked_at != 0; }
    bool clock_off() const {
        return clock_offset_ms > kClockToleranceMs || clock_offset_ms < -kClockToleranceMs;
    }
};

struct StoredEvent {
    std::string uuid, terminal_id, kind;
    int64_t seq = 0;
    Bytes body, signature;
    TimeMs device_time = 0, received_at = 0;
};

struct QuarantineRow {
    int64_t id = 0;
    std::string terminal_id, uuid, kind, reason;
    int64_t seq = 0;
    Bytes body, signature;
    TimeMs device_time = 0, received_at = 0;
};

// A decoded event with the hub's receive time (reports use device time unless it is implausible).
struct HubCheckIn {
    CheckIn record;
    TimeMs received_at = 0;
};
struct HubPlacement {
    Placement record;
    TimeMs received_at = 0;
};
struct HubRegistration {
    std::string uuid, terminal_id, attendee_id, credential_id, fair_id;
    TimeMs device_time = 0, received_at = 0;
};

// The fair day's events a hub holds (docs/fair-day.md), decoded from their stored bodies, in
// terminal and sequence order.
struct HubFairDay {
    std::vector<BoothIntent> intents;
    std::vector<CheckInUndo> undos;
    std::vector<ServiceGiven> services;
    std::vector<SeekerNeeds> needs; // every list; a person's latest at a fair counts
    // Adds one stored event of kind "intent", "checkin_undo", "service" or "needs"; false for
    // any other.
    bool add(std::string_view kind, const Bytes& body);
};

// One uploaded event as the hub decided on it, before it is written.
struct IngestItem {
    wire::WireEvent event;
    std::string quarantine_reason; // non-empty: goes to quarantine with this reason
    std::optional<CheckIn> check_in;
    std::optional<Placement> placement;
    std::optional<Registration> registration;
    // A fair-day event (intent, checkin_undo, service): its fair and person, for the
    // fair_day_events projection.
    struct FairDayRef {
        std::string fair_id, attendee_id;
    };
    std::optional<FairDayRef> fair_day;
};
struct IngestSummary {
    bool ok = false; // false: nothing was written (see error); the terminal will resend
    int stored = 0, duplicates = 0, quarantined = 0;
    int64_t acked_seq = 0;
    std::vector<wire::RefusedEvent> refused; // this batch's events put in quarantine, and why
    // Non-zero: the batch starts past what the hub holds of the terminal (the hub was restored
    // from a backup); the terminal should send again from here. The batch is stored all the same.
    int64_t resend_from = 0;
    std::string error;
};

// How much quarantine one terminal may fill before the hub refuses its batches (staff release).
struct QuarantineQuota {
    int64_t max_events = 1000;
    int64_t max_bytes = 32LL << 20;
};

struct HubKeys {
    // Terminals seal ID and phone numbers to seal.public_key (kept in hub.db). The secret half
    // lives only in <data dir>/hub-seal.key (hub_keyfile.hpp); it is empty here when that file
    // could not be opened (a passphrase missing or wrong), and seal_problem says why.
    BoxKeyPair seal;
    std::string seal_problem;
    // PostgreSQL: the sealing keys of county hubs moved in (jobfair-hub migrate), whose terminals
    // seal to them; reports try them after `seal`.
    std::vector<BoxKeyPair> moved_seals;
    std::string epoch; // dataset epoch; changes when terminals must start downloads again
};

// A person who registered on their own phone (docs/phone.md): the hub-signed code shown to them
// (no personal data in it), kept so they can see it again after proving the number is theirs.
struct PhoneCode {
    std::string attendee_id, fair_id;
    std::string credential; // "JF1:…"
    TimeMs created_at = 0;
};

// One opening of sealed numbers: a report or export written with ID or phone numbers in the clear.
struct OpeningRecord {
    int64_t id = 0;
    TimeMs at = 0;
    std::string who;    // the account that ran the command (SUDO_USER when run through sudo)
    std::string form;   // report kind: "detail", "summary", …
    int64_t people = 0; // how many people's numbers were opened
    std::string file;   // where it was written
};

// -- Console (hub_accounts.hpp) ---------------------------------------------------
// One union in the tree: the province's, a city's, a county's or district's. `id` is the name
// fairs, listings and people carry as their union_unit (附件5 单位), e.g. 无为市.
struct UnionRow {
    std::string id, parent; // parent empty: the root
    std::string name;       // e.g. 无为市总工会
    std::string level;      // province | city | county
};
// A staff account. Its password is an Argon2id string (libsodium); empty until the person follows
// the one-time set-up link, of which only the hash is kept.
struct AccountRow {
    std::string name, union_id;
    std::string role; // staff | supervisor | admin
    bool may_open_numbers = false;
    std::string password_hash, setup_hash;
    TimeMs setup_expires = 0, created_at = 0;
    int64_t failures = 0; // wrong passwords since the last sign-in
    TimeMs locked_until = 0;
};
// A signed-in browser: only the hash of its cookie's random id is kept.
struct SessionRow {
    std::string id_hash, account;
    TimeMs created_at = 0, last_seen = 0;
};

// One fair's figures as the console's Today page shows them, counted by the database over the
// check_ins and placements tables' fair_id indexes (never every record the hub holds).
struct FairCounts {
    int64_t check_ins = 0;              // check-in events
    int64_t people = 0;                 // different people checked in
    int64_t placements = 0;             // current placements: corrections applied, voids dropped
    std::array<int64_t, 24> per_hour{}; // check-ins per hour of the day, China Standard Time
};

// A county's hub moved into this database by `jobfair-hub migrate` (docs/scale.md). Its rows'
// change versions were renumbered to base + their county version; its terminals still hold the
// county's epoch and cursors in the county's numbering, which the hub translates at their next
// download as long as the database's epoch is still `into_epoch`.
struct MovedHub {
    std::string epoch;      // the county hub's dataset epoch
    std::string into_epoch; // this database's epoch when the county was moved in
    int64_t base = 0;       // this database's change counter before the move
    int64_t span = 0;       // the county's change counter: its rows are base+1 … base+span
    std::string source;     // the hub.db it came from
    TimeMs moved_at = 0;
};

// One fair's fair-day figures, read from the fair_day_events fair index: booth intents, the people
// behind them, station services, the check-ins undone at the door (decoded: each names the
// check-in it takes back) and the accepted check-ins of the people they name (attendee, uuid).
struct FairDayFigures {
    int64_t intents = 0, with_intent = 0, services = 0;
    std::vector<CheckInUndo> undos;
    std::vector<std::pair<std::string, std::string>> undone_people_check_ins;
};

// KeyConflict: the terminal's key id is already an issuer key's (it must make a new key pair).
enum class RedeemError { None, Unknown, Used, Expired, Storage, KeyConflict };

class HubStore {
  public:
    virtual ~HubStore() = default;
    virtual const std::string& last_error() const = 0;

    // -- Keys (made on first open) --------------------------------------------
    virtual HubKeys keys() = 0;
    virtual bool new_epoch() = 0; // every terminal starts its downloads again from a snapshot

    // -- Health -------------------------------------------------------------------
    // PRAGMA quick_check: empty when the database is sound, else SQLite's first findings.
    virtual std::string integrity_problem() = 0;

    // -- Quarantine quota -------------------------------------------------------------
    virtual QuarantineQuota quarantine_quota() = 0;
    virtual bool set_quarantine_quota(const QuarantineQuota& q) = 0;
    // What the terminal's quarantine holds against the quota (rows since its last release).
    virtual void quarantine_use(const std::string& terminal_id, int64_t* events,
                                int64_t* bytes) = 0;
    virtual void note_quota_hit(const std::string& terminal_id, TimeMs now) = 0;
    // Staff looked at the terminal's quarantine: its quota counts from now on (rows stay).
    virtual bool release_quarantine_quota(const std::string& terminal_id) = 0;

    // -- Enrolment --------------------------------------------------------------
    virtual bool add_enrol_code(const std::string& code_hash, const std::string& fair_id,
                                const std::string& mode, TimeMs expires_at) = 0;
    // Atomically uses the code, creates the terminal and publishes its key on the issuer_keys
    // stream as a terminal key for its fair; a code works once and expires.
    virtual std::optional<TerminalRow> redeem_enrol_code(const std::string& code_hash,
                                                         const Bytes& public_key,
                                                         const std::string& device,
                                                         const std::string& token_hash, TimeMs now,
                                                         RedeemError* why) = 0;
    virtual std::optional<TerminalRow> terminal_by_token(const std::string& token_hash) = 0;
    virtual std::optional<TerminalRow> terminal(const std::string& id) = 0;
    virtual std::vector<TerminalRow> terminals() = 0;
    // Also withdraws the terminal's issuer key (a tombstone on the issuer_keys stream), in the
    // same transaction: new scans of its walk-up codes stop verifying.
    virtual bool revoke_terminal(const std::string& id, TimeMs now) = 0;
    virtual void touch_terminal(const std::string& id, TimeMs now,
                                std::optional<int64_t> clock_offset_ms) = 0;

    // -- Events -------------------------------------------------------------------
    // Writes a batch in one transaction: new events stored (or quarantined) once, repeats counted
    // as duplicates. A walk-up registration also adds the person to the attendee registry (and so
    // to the attendees stream); one whose attendee id the registry already holds from elsewhere
    // is quarantined (attendee_exists). Returns only after commit.
    // `clock_offset_ms` (terminal minus hub) is recorded with the batch, in the same commit.
    virtual IngestSummary ingest(const std::string& terminal_id,
                                 const std::vector<IngestItem>& items, TimeMs now,
                                 std::optional<int64_t> clock_offset_ms = std::nullopt) = 0;
    virtual int64_t event_count(const std::string& terminal_id = {}) = 0;
    virtual std::vector<StoredEvent> events(const std::string& terminal_id = {}) = 0;
    virtual std::vector<QuarantineRow> quarantine() = 0;
    virtual std::vector<HubCheckIn> check_ins(const std::string& fair_id = {}) = 0;
    virtual std::vector<HubPlacement> placement_versions(const std::string& fair_id = {}) = 0;
    // Every version of the placements that may count in `period` (附件5 and 附件6 of a week):
    // those dated in its days or recorded in it, with the other versions of their chains. Index
    // ranges: a week's report reads that week's placements, however many the hub holds.
    virtual std::vector<HubPlacement> period_placement_versions(const ReportPeriod& period) = 0;
    // One fair's figures (the console's Today page): as check_ins(fair) and resolving
    // placement_versions(fair) would count them, but read from the indexes, so the page costs
    // what that fair holds, not what the hub holds. Placements with more than one version
    // (corrections, voids of a correction) are read and resolved as resolve_placements does.
    virtual FairCounts fair_counts(const std::string& fair_id) = 0;
    // What fair_day(fair_id) would count, without reading its intents' and services' bodies,
    // and the accepted check-ins of the people whose check-ins were undone: the fair's totals
    // take undone check-ins out without reading the fair's check-ins (hub_reports.hpp).
    virtual FairDayFigures fair_day_figures(const std::string& fair_id) = 0;
    // Booth intents, undone check-ins, station services and needs lists of a fair (of every
    // fair: empty).
    virtual HubFairDay fair_day(const std::string& fair_id = {}) = 0;

    // -- Reference data -------------------------------------------------------------
    virtual bool upsert_campaign(const Campaign& c) = 0;
    virtual bool upsert_fair(const Fair& f) = 0;
    virtual bool upsert_employer(const Employer& e) = 0;
    // A listing is collected once (JobListing::collected_at): a live row keeps its instant; a new
    // one (or one deleted before) takes the given instant, else the clock's.
    virtual bool upsert_listing(const JobListing& l) = 0;
    // An import: employers and listings written in one transaction (all or nothing, one commit
    // however many rows), each with its own change version as upsert_* would give it.
    virtual bool upsert_listings(const std::vector<Employer>& employers,
                                 const std::vector<JobListing>& listings) = 0;
    virtual bool delete_listing(const std::string& id) = 0;
    virtual bool upsert_attendee(const Attendee& a) = 0;
    virtual bool delete_attendee(const std::string& id) = 0;
    virtual bool add_revocation(const std::string& credential_id, const std::string& reason) = 0;
    virtual bool upsert_issuer_key(const std::string& key_id, const Bytes& public_key) = 0; // hub

    virtual std::vector<Campaign> campaigns() = 0;
    virtual std::vector<Fair> fairs() = 0;
    virtual std::optional<Fair> fair(const std::string& id) = 0;
    virtual std::vector<Employer> employers() = 0;
    virtual std::vector<JobListing> listings() = 0; // deleted ones excluded
    // The live listings among `ids`, for an import comparing its rows batch by batch without
    // holding every listing in memory. (This default reads them all; a store overrides it.)
    virtual std::vector<JobListing> listings(const std::vector<std::string>& ids) {
        std::vector<JobListing> out;
        std::set<std::string> wanted(ids.begin(), ids.end());
        for (auto& l : listings())
            if (wanted.count(l.id)) out.push_back(std::move(l));
        return out;
    }
    virtual std::vector<Attendee> attendees() = 0;
    virtual std::optional<Attendee> attendee(const std::string& id) = 0; // deleted: nullopt
    virtual std::vector<wire::IssuerKey> issuer_keys() = 0; // hub and terminal keys, with kinds
    // Walk-up registrations received, oldest first (terminal, attendee, credential); with a fair
    // id, that fair's only (an index range: a terminal's download reads its own fair's).
    virtual std::vector<HubRegistration> registrations(const std::string& fair_id = {}) = 0;

    // -- Audit of openings (docs/privacy.md) ------------------------------------------
    // Appends one record; a report whose opening cannot be recorded must not be kept.
    virtual bool record_opening(const OpeningRecord& r) = 0;
    virtual std::vector<OpeningRecord> openings() = 0; // oldest first

    // -- Phone sign-ups (docs/phone.md) ---------------------------------------------
    // The person (to the attendees stream, like any registry entry) and their code, in one
    // transaction.
    virtual bool add_phone_registration(const Attendee& a, const PhoneCode& c) = 0;
    // People whose phone mask is `mask` (138****5678), sealed numbers included, for the hub to
    // open and compare: there is no look-up hash of a number anywhere.
    virtual std::vector<Attendee> attendees_by_phone_mask(const std::string& mask) = 0;
    virtual std::optional<PhoneCode> phone_code(const std::string& attendee_id) = 0;
    virtual std::vector<PhoneCode> phone_codes(const std::string& fair_id) = 0; // a fair's

    // -- Console: unions, accounts, sessions (hub_accounts.hpp) -----------------------------
    // The tree is seeded on first open with the province, Wuhu city and the ten units of 附件1.
    virtual std::vector<UnionRow> unions() = 0;
    virtual bool upsert_union(const UnionRow& u) = 0;
    virtual std::vector<AccountRow> accounts() = 0;
    virtual std::optional<AccountRow> account(const std::string& name) = 0;
    virtual std::optional<AccountRow> account_by_setup(const std::string& setup_hash) = 0;
    virtual bool upsert_account(const AccountRow& a) = 0;
    virtual bool add_session(const SessionRow& s) = 0;
    virtual std::optional<SessionRow> session(const std::string& id_hash) = 0;
    virtual bool touch_session(const std::string& id_hash, TimeMs now) = 0;
    virtual bool delete_session(const std::string& id_hash) = 0;
    // A campaign's 附件1 targets (目标任务分解表), uploaded in the console: set_targets replaces
    // the campaign's rows in one transaction; targets() returns them in the uploaded order.
    virtual bool set_targets(const std::string& campaign_id, const std::vector<Target>& t) = 0;
    virtual std::vector<Target> targets(const std::string& campaign_id) = 0;
    // What an account downloaded of a week's 附件5 (`week`: the period's label), one digest of
    // figures per union the form listed, so the Reports page can mark the unions whose figures
    // changed since. set_report_digests replaces the given unions' digests of that account and
    // week in one transaction; report_digests returns them by union.
    virtual bool set_report_digests(const std::string& account, const std::string& week,
                                    const std::map<std::string, std::string>& digests,
                                    TimeMs at) = 0;
    virtual std::map<std::string, std::string> report_digests(const std::string& account,
                                                              const std::string& week) = 0;

    // -- Station notices (the console writes them; the notices stream carries them) -----------
    // A new or changed notice takes the next change version; delete_notice leaves a tombstone
    // (terminals drop the notice at their next sync). notices(): those not deleted, by start.
    virtual bool upsert_notice(const StationNotice& n) = 0;
    virtual bool delete_notice(const std::string& id) = 0;
    virtual std::vector<StationNotice> notices() = 0;

    // The county hub moved in under dataset epoch `epoch` (jobfair-hub migrate), if any. Only a
    // PostgreSQL database receives moved hubs; SQLite answers nullopt.
    virtual std::optional<MovedHub> moved_hub(const std::string& epoch) {
        (void)epoch;
        return std::nullopt;
    }

    // Changes of one stream after `after_version`, at most `limit` (+ whether more wait).
    // `unions` non-empty (listings and notices only): the rows of those unions alone (a
    // terminal's union and the unions above it, hub_service.cpp), tombstones included.
    virtual std::vector<wire::PullItem> changes(wire::Stream s, int64_t after_version, size_t limit,
                                                bool* more,
                                                const std::vector<std::string>& unions = {}) = 0;
};

// Opens (or creates) <data_dir>/hub.db. nullptr and `error` on failure, including a database
// that fails PRAGMA quick_check (damaged: restore a backup).
// With `database` a postgresql:// URL (the configuration's `database = …`, docs/scale.md) the
// store is that PostgreSQL database instead, its tables made on first open; several hub
// processes may share it. The sealing key file stays in data_dir either way.
std::unique_ptr<HubStore> open_hub_store(const std::string& data_dir, std::string* error = nullptr,
                                         const std::string& database = {});
bool is_database_url(const std::string& database); // postgresql://… or postgres://…

// A consistent copy of <data_dir>/hub.db at `out` (0600), taken with SQLite's online backup API
// while the hub serves: the copy is one committed state. The copy is quick_checked. Refuses to
// overwrite an existing file.
struct BackupInfo {
    int64_t events = 0, terminals = 0, bytes = 0;
    std::string replaced; // restore: where the database it replaced was kept (empty: none)
};
bool backup_hub_store(const std::string& data_dir, const std::string& out, std::string* error,
                      BackupInfo* info = nullptr);
// Puts a backup back as <data_dir>/hub.db (the hub must not be serving) and starts a new dataset
// epoch, so terminals download a fresh snapshot; terminals resend what the backup lacks (the
// upload answer's resend_from). The backup must pass quick_check and be a hub database.
bool restore_hub_store(const std::string& data_dir, const std::string& from, std::string* error,
                       BackupInfo* info = nullptr);

} // namespace jf::hub
