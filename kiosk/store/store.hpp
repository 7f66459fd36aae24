// The terminal's local store: one SQLite file, durable by default (WAL, synchronous=FULL).
//
// Index
// - Opening          Store::open(), migrations, durability pragmas
// - Settings         small key/value facts (terminal id, keys, cursors, PIN hash, mode)
// - Reference data   fairs, campaigns, employers, listings, attendees, revocations, issuer keys,
//                    station notices (sync updates them; deletes are tombstones and idempotent)
// - Listing search   FTS5 trigram over 岗位名称/职位描述/单位名称 (3+ characters), a bigram
//                    index for 1-2 characters, filters, expiry; both written by the store itself
//                    with each listing (no triggers), so a bulk import stays cheap
// - Event log        check-ins, placements, corrections: signed, sequenced, the sync outbox
// - The fair day     booth intents, check-ins undone at the door, station services, the
//                    seekers' needs lists (signed events like the rest; docs/fair-day.md)
// - Damage           a file that shrank to nothing or lost its tail is refused at open (never
//                    started fresh over); check_integrity() at start and at intervals; after
//                    damage refuse_writes() stops all recording and keep_copy() saves the file
//
// Nothing here includes UI code. Every statement is prepared and parameterised. Methods report
// failure through return values (and `last_error()`, a message key translated in
// assets/i18n/store); none throws, and a refused call leaves the database unchanged.
// One Store per thread: the sync thread opens its own Store on the same file (WAL lets readers
// and one writer work together; busy_timeout makes a second writer wait instead of failing).
#pragma once

#include "kiosk/crypto/crypto.hpp"
#include "kiosk/domain/notice.hpp"
#include "kiosk/domain/needs.hpp"
#include "kiosk/domain/records.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace jf {

// Signs the exact event bytes the store keeps and sync sends (domain-separated, see crypto.hpp).
struct EventSigner {
    std::string terminal_id;
    std::function<Bytes(std::string_view domain, const Bytes& body)> sign;
};

// One entry of the append-only event log, exactly as stored and sent.
struct OutboxEvent {
    int64_t seq = 0;
    std::string uuid;
    std::string kind; // "checkin" | "placement" | "registration" | "intent" | "checkin_undo" |
                      // "service" | "needs"
    Bytes body;       // canonical JSON bytes; the signature covers exactly these
    Bytes signature;  // Ed25519 over signature_domain(kind) || 0x00 || body
    TimeMs device_time = 0;
};
// "jf.checkin.v1", "jf.placement.v1", "jf.registration.v1", "jf.intent.v1",
// "jf.checkin_undo.v1", "jf.service.v1", "jf.needs.v1"
std::string signature_domain(std::string_view kind);

struct CheckInOutcome {
    bool ok = false;        // false: nothing was written (see error)
    bool duplicate = false; // a second scan: `record` is the first accepted check-in
    CheckIn record;
    std::string error;
};

struct ListingQuery {
    std::string text;     // substring over title, description, employer (any script)
    std::string industry; // exact 行业类别, empty = any
    std::string location; // exact 工作地点, empty = any
    std::string employer_id;
    Date today; // listings whose deadline is before today are never returned
    int limit = 50, offset = 0;
};

// Look-up of a person by what a screen shows of them (see people.hpp's person_query). Every
// field given must match; all empty matches nothing.
struct PersonQuery {
    std::string phone_masked; // the whole phone mask, "138****5678"
    std::string phone_tail;   // the phone's last four, "5678"
    std::string id_tail;      // the ID number's last four, "002X"
    std::string initials;     // a prefix of the pinyin initials (no minimum: names are short)
    bool empty() const {
        return phone_masked.empty() && phone_tail.empty() && id_tail.empty() && initials.empty();
    }
};

// What a check of the database file found.
struct IntegrityReport {
    bool ok = true;
    std::string key;    // message key when not ok ("err.store.damaged")
    std::string detail; // SQLite's own words (first problem), for the log and the staff screen
};

class Store {
  public:
    // Opens or creates the database and runs pending migrations. nullptr and `error` on failure.
    // A file that exists but is empty ("err.store.emptied"), is not a database
    // ("err.store.not_database") or is shorter than its header says ("err.store.truncated") is
    // refused as it is, never started fresh over: it held the enrolment and unsent records.
    // A data directory that cannot be written is "err.store.readonly_dir".
    static std::unique_ptr<Store> open(const std::string& path, std::string* error = nullptr);
    // The checks open() makes before SQLite sees the file: "" when it may be opened.
    static std::string check_file(const std::string& path);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    static constexpr int kSchemaVersion = 11;
    int schema_version() const;
    const std::string& last_error() const { return error_; } // a message key, e.g. "err.store.db"
    const std::string& last_error_detail() const { return detail_; } // SQLite's text, for logs
    sqlite3* handle() const { return db_; } // for tests that read pragmas back
    // The database file ("" for a store in memory): another thread opens its own Store on it.
    std::string file() const;

    // -- Damage ------------------------------------------------------------------
    // PRAGMA quick_check (full: integrity_check, slower): every page, index and free list read
    // back. A quick check of a terminal's store takes well under a second.
    IntegrityReport check_integrity(bool full = false) const;
    // From now on every write fails with "err.store.damaged" (SQLite's query_only): nothing more
    // is recorded into a damaged file, while look-ups still read what is there.
    bool refuse_writes();
    bool writes_refused() const { return refused_; }
    // Copies the database file (and its WAL) beside it as `<path>.damaged-<UTC time>` for
    // recovery; returns the copy's path, or "" if it could not be made.
    static std::string keep_copy(const std::string& path, TimeMs now);

    // Runs `fn` in one IMMEDIATE transaction; rolls back if it returns false (or throws).
    // Nested calls, and the store's own writes inside `fn`, become savepoints of the outer one.
    bool transaction(const std::function<bool()>& fn);

    // -- Settings -------------------------------------------------------------
    std::optional<std::string> setting(std::string_view key) const;
    bool set_setting(std::string_view key, std::string_view value);

    // -- Reference data (upsert by id; tombstones remove) ----------------------
    bool upsert_campaign(const Campaign& c);
    bool upsert_fair(const Fair& f);
    bool upsert_employer(const Employer& e);
    // A listing is collected once: a new row takes `collected_at` when given (the hub's time),
    // else the current instant (first stored here); a stored row keeps the earlier of its own
    // time and a given one, so re-importing or re-downloading it never moves it to a later week.
    bool upsert_listing(const JobListing& l);
    // Many listings in one transaction (or in the caller's), all or none: for imports. Each
    // listing costs one row and its index entries; a batch of a few hundred commits in a few ms.
    bool upsert_listings(const std::vector<JobListing>& listings);
    bool delete_listing(std::string_view id);
    bool upsert_attendee(const Attendee& a);
    bool delete_attendee(std::string_view id);
    // Forgets every person the terminal holds, for a revoked terminal: the attendee registry, the
    // event log and its projections (walk-up bodies name people; placements carry names). Events
    // the hub acknowledged are dropped (their sequence numbers stay counted, so the log goes on
    // where it was); events still waiting are destroyed too, and their number is returned in
    // `destroyed_pending` for the caller to log. Then the file is rebuilt (VACUUM) and the WAL
    // checkpointed and truncated, so no free page, WAL frame or journal keeps an older copy.
    // Must be called outside a transaction.
    bool wipe_personal_data(int64_t* destroyed_pending = nullptr);
    bool delete_campaign(std::string_view id);
    bool delete_fair(std::string_view id);
    bool delete_employer(std::string_view id);
    bool add_revocation(std::string_view credential_id, std::string_view reason);
    bool is_revoked(std::string_view credential_id) const;
    // Public halves of the keys that sign attendee and employer credentials (key id → 32 bytes).
    // A hub key vouches for any credential; a terminal key (an enrolled terminal's own key, which
    // the hub publishes) only for the attendee codes it issued at walk-up, for its own fair.
    bool upsert_issuer_key(std::string_view key_id, const Bytes& public_key); // a hub key
    bool upsert_terminal_key(std::string_view key_id, const Bytes& public_key,
                             std::string_view fair_id);
    bool delete_issuer_key(std::string_view key_id);
    std::map<std::string, Bytes> issuer_keys() const;              // every kind
    std::map<std::string, std::string> terminal_key_fairs() const; // terminal key id → its fair

    std::vector<Campaign> campaigns() const;
    std::optional<Campaign> campaign(std::string_view id) const;
    std::vector<Fair> fairs() const;
    std::optional<Fair> fair(std::string_view id) const;
    std::vector<Employer> employers() const;
    std::optional<Employer> employer(std::string_view id) const;
    std::optional<JobListing> listing(std::string_view id) const;
    // The stored listings among `ids`, read in one snapshot (ids not stored are left out): an
    // import compares a batch with what is stored without a read transaction per row.
    std::vector<JobListing> listings(const std::vector<std::string>& ids) const;
    std::optional<Attendee> attendee(std::string_view id) const;
    int64_t count_attendees() const;

    // Station notices from the hub (the notices stream): upsert by id, refusing what
    // check_notice refuses; a tombstone removes one. current_notices(): those a station of
    // `fair_id` named `terminal_id` shows at `now` (the terminal's clock), by start then id.
    bool upsert_notice(const StationNotice& n);
    bool delete_notice(std::string_view id);
    std::vector<StationNotice> notices() const; // every stored one, in force or not
    std::vector<StationNotice> current_notices(std::string_view fair_id,
                                               std::string_view terminal_id, TimeMs now) const;
    // Look-up for people without a code, on the masked numbers and initials (indexed).
    std::vector<Attendee> find_attendees(const PersonQuery& q, int limit = 20) const;

    // -- Listing search --------------------------------------------------------
    std::vector<JobListing> search_listings(const ListingQuery& q) const;
    int64_t count_listings(const ListingQuery& q) const;
    // How many listings the table holds at most (its largest rowid: no scan). A screen counts at
    // once below some size and on a StoreReader (store_reader.hpp) above it.
    int64_t listing_rows_at_most() const;
    std::vector<std::string> industries(Date today) const; // distinct 行业类别 of open listings
    std::vector<std::string> locations(Date today) const;  // distinct 工作地点 of open listings

    // -- Event log ---------------------------------------------------------------
    // Records a check-in attempt (any verdict). For verdict CheckedIn, a second accepted scan of
    // the same attendee at the same fair writes nothing and returns the first (duplicate=true).
    // The uuid, seq and device_time of `draft.h` are assigned here; `draft.h.device_time` is kept
    // if non-zero. Durable when this returns ok (inside transaction(): when that commits).
    // AlreadyCheckedIn is not accepted as a draft: the store decides it.
    CheckInOutcome record_check_in(CheckIn draft, const EventSigner& signer);
    // Records a placement version (original, correction or void). Returns the stored version
    // (uuid, seq, placement_id assigned) or nullopt with last_error() set. A correction or void
    // must name the current version of its placement in `corrects` (a stale one is refused);
    // a void carries the voided version's 附件6 fields, whatever the draft holds.
    std::optional<Placement> record_placement(Placement draft, const EventSigner& signer);
    // Records a walk-up registration (the attendee must hold sealed numbers only, and consent must
    // be given). Returns the stored event or nullopt with last_error() set. The caller stores the
    // attendee row in the same transaction(); one registration per attendee.
    std::optional<Registration> record_registration(Registration draft, const EventSigner& signer);

    // The person's accepted check-in at the fair that was not undone.
    std::optional<CheckIn> accepted_check_in(std::string_view attendee_id,
                                             std::string_view fair_id) const;
    // Every check-in attempt at the fair, undone ones included (the log keeps them; see
    // check_in_undos()).
    std::vector<CheckIn> check_ins(std::string_view fair_id) const;

    // -- The fair day ------------------------------------------------------------
    // A booth intent: attendee, fair and employer required, `note` one of kIntentNotes. The same
    // level for the same person, employer and fair again writes nothing and returns the first
    // (a second tap); another level is a new intent. nullopt and last_error() when refused.
    std::optional<BoothIntent> record_intent(BoothIntent draft, const EventSigner& signer);
    // Undoes the accepted check-in `draft.check_in_uuid` (not undone before) for a reason of
    // kUndoReasons; attendee and fair are copied from the check-in. The check-in stays in the log.
    std::optional<CheckInUndo> record_check_in_undo(CheckInUndo draft, const EventSigner& signer);
    // A station's service: with the person's id, or anonymous (empty id) with their key groups.
    std::optional<ServiceGiven> record_service(ServiceGiven draft, const EventSigner& signer);
    // The fair's records in sequence order (an employer's intents only, when given).
    std::vector<BoothIntent> intents(std::string_view fair_id,
                                     std::string_view employer_id = {}) const;
    std::vector<CheckInUndo> check_in_undos(std::string_view fair_id) const;
    std::vector<ServiceGiven> services(std::string_view fair_id) const;
    // The seekers' needs list: a known person's choices at the fair (needs_ok, not empty). The
    // same choices as the person's latest list write nothing and return it; other choices are a
    // new list that replaces it (both stay in the log).
    std::optional<SeekerNeeds> record_needs(SeekerNeeds draft, const EventSigner& signer);
    // The person's latest list at the fair.
    std::optional<SeekerNeeds> latest_needs(std::string_view attendee_id,
                                            std::string_view fair_id) const;
    // Every list recorded at the fair, in sequence order (a person's later lists after earlier).
    std::vector<SeekerNeeds> needs(std::string_view fair_id) const;
    // Every stored version, in sequence order.
    std::vector<Placement> placement_versions(std::string_view placement_id = {}) const;
    // The current version of each placement (corrections applied, voids included with action Void).
    std::vector<Placement> current_placements(std::string_view fair_id = {}) const;

    // The outbox: events after `seq` in sequence order, at most `limit`.
    std::vector<OutboxEvent> events_after(int64_t seq, size_t limit) const;
    bool mark_acknowledged(int64_t up_to_seq); // never moves backwards
    // The hub lost what it had acknowledged after `seq` (it was restored from a backup): those
    // events wait again. The one way the acknowledged sequence moves back; never below 0.
    bool resend_after(int64_t seq);
    int64_t acknowledged_seq() const;
    int64_t last_seq() const;
    int64_t pending_events() const { return last_seq() - acknowledged_seq(); }

    struct Impl; // statement cache and transaction depth (store.cpp)

  private:
    Store() = default;
    static std::unique_ptr<Store> open_file(const std::string& path, std::string* error);
    bool fail(std::string_view key) const;
    bool put_listing(const JobListing& l);
    bool unindex_listing(int64_t pk, std::string_view title, std::string_view description,
                         std::string_view employer_name);
    sqlite3* db_ = nullptr;
    bool refused_ = false;
    mutable std::string error_, detail_;
    std::unique_ptr<Impl> impl_;
};

} // namespace jf
