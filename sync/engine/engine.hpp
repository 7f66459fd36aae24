// The terminal's sync engine: a background worker that uploads the event log (outbox) to the hub
// and downloads reference data, over HTTPS with the hub's public key pinned. The screen never
// waits on it: it reads status() (a copy made under a short lock) and may call wake().
//
// Index
// - Status      what the admin screen and the online indicator show
// - Options     timeouts and backoff (tests shorten them)
// - Enrolment   enroll(): one-time code → identity, token, pin, keys (one transaction)
// - Engine      SyncEngine (own thread, own Store connection), sync_once() for the CLI
//
// It includes no UI code. Error texts are translation keys (assets/i18n/sync).
#pragma once

#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"
#include "sync/wire/wire.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace jf::sync {

// -----------------------------------------------------------------------------
// Status
// -----------------------------------------------------------------------------
struct SyncStatus {
    bool enrolled = false;
    bool online = false;     // the last attempt reached the hub
    bool syncing = false;    // a cycle is running now
    bool revoked = false;    // the hub refused this terminal for good
    TimeMs last_success = 0; // end of the last complete cycle (survives restarts)
    TimeMs last_attempt = 0;
    TimeMs next_attempt = 0;       // when the worker tries again (0: idle until woken)
    int64_t events_waiting = 0;    // recorded but not yet acknowledged by the hub
    std::string last_error;        // translation key ("sync.err.offline"), empty when fine
    std::string last_error_detail; // technical text for the log and the admin screen's details
    bool clock_known = false;
    int64_t clock_offset_ms = 0; // this terminal's clock minus the hub's (from its Date header)
    bool clock_off = false;      // beyond ±2 minutes: the admin screen warns
    int64_t uploaded = 0, downloaded = 0; // since start
    // Records the hub acknowledged but put in quarantine instead of storing (kept across
    // restarts until the terminal is enrolled again): never "all uploaded" while non-zero.
    int64_t refused = 0;
    // The hub refused new records as reusing sequence numbers it already holds: this terminal
    // runs from a copy of an earlier disk (restored or cloned). Staff must enrol it again.
    bool restored_copy = false;
    bool quarantine_full = false; // the hub takes nothing more from this terminal for now
    int64_t retry_after_ms = 0; // the hub asked to wait this long before the next try (429)
};

// -----------------------------------------------------------------------------
// Options
// -----------------------------------------------------------------------------
struct SyncOptions {
    long connect_timeout_ms = 10000;
    long low_speed_time_s = 20;       // a hub sending < 1 byte/s this long is given up
    long request_timeout_ms = 120000; // whole request, as a last resort
    int backoff_min_ms = 1000, backoff_max_ms = 300000;
    int poll_interval_ms = 60000; // a cycle even with nothing to upload (new listings)
    size_t batch_events = 1000;   // the most the hub takes in one batch (wire::kMaxBatchEvents)
    size_t page_items = 500;
};

constexpr int64_t kClockToleranceMs = 2 * 60 * 1000;
// A downloaded page is written in transactions of at most this many items (a few milliseconds
// each), so a check-in or placement at the terminal never waits for a whole page.
constexpr size_t kDownloadCommitItems = 50;

// -----------------------------------------------------------------------------
// Enrolment
// -----------------------------------------------------------------------------
struct EnrollOptions {
    std::string
        ca_file;     // PEM to trust for the hub (a self-signed trial certificate); else system CAs
    std::string pin; // expected pin (from the enrolment QR); the hub's answer must match it
    std::string device;   // name shown to staff; the host name by default
    bool replace = false; // enrol again although already enrolled (keeps the event log)
    SyncOptions net;
};
struct EnrollResult {
    bool ok = false;
    std::string error;  // translation key
    std::string detail; // technical text
    std::string terminal_id, fair_id, mode;
};
// Makes the terminal's key pair, redeems the one-time code and saves identity, access token, pin,
// issuer keys and trusted certificate in one transaction. Nothing is saved on failure.
EnrollResult enroll(Store& store, const std::string& hub_url, const std::string& code,
                    const EnrollOptions& options = {});

// The enrolment QR text "JFENROL1|<code>|<hub url>|<pin>".
struct EnrolQr {
    std::string code, hub_url, pin;
};
std::optional<EnrolQr> parse_enrol_qr(std::string_view text);

// -----------------------------------------------------------------------------
// Engine
// -----------------------------------------------------------------------------

// One full cycle (upload everything, then download every stream) on the calling thread. Used by
// the worker and by `jobfair-kiosk sync --once`. Returns true when the cycle completed. When
// `cancel` becomes true the cycle ends after the request in flight (what was acknowledged stays).
// `progress` is called after each acknowledged batch and after each committed part of a page.
bool sync_once(Store& store, const SyncOptions& options, SyncStatus& status,
               const std::atomic<bool>* cancel = nullptr,
               const std::function<void(const SyncStatus&)>& progress = {});

// What the terminal knows without the network: events waiting, last success, enrolment,
// revocation and what the hub refused (for `jobfair-kiosk sync --status`).
SyncStatus local_status(Store& store);

// The whole fair's totals the hub sent with its last status answer, and that answer's hub time;
// nullopt before the first sync with a hub that sends them. The admin screen shows them beside
// the terminal's own numbers (docs/fair-day.md).
struct FairTotalsSeen {
    wire::FairTotals totals;
    TimeMs at = 0;
};
std::optional<FairTotalsSeen> last_fair_totals(const Store& store);
// Keeps the fair's totals of a status answer given at hub time `at` (one transaction).
bool save_fair_totals(Store& store, const wire::FairTotals& totals, TimeMs at);

class SyncEngine {
  public:
    explicit SyncEngine(std::string store_path, SyncOptions options = {});
    ~SyncEngine(); // stops the worker
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    bool start(); // false when the store cannot be opened (status().last_error says why)
    void stop();  // returns after the worker's current request ends (bounded by the timeouts)
    void wake();  // sync now: something was recorded, or an operator pressed "sync now"
    SyncStatus status() const;

  private:
    void run();
    std::string path_;
    SyncOptions opt_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false, woken_ = false;
    std::atomic<bool> cancel_{false};
    SyncStatus status_;
    std::thread thread_;
};

} // namespace jf::sync
