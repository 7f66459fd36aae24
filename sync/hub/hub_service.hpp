// The hub's request handling, independent of HTTP: enrolment, upload, download and status take
// the request text and return the reply (status + JSON). hub_server.cpp puts them behind HTTPS;
// tests and benchmarks can call them directly.
#pragma once

#include "sync/hub/hub_store.hpp"
#include "kiosk/domain/clock.hpp"
#include "sync/wire/wire.hpp"

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace jf::hub {

constexpr TimeMs kEnrolCodeLifetimeMs = 24LL * 3600 * 1000;

struct Reply {
    int status = 200;
    std::string body;
};

// A one-time enrolment code: 16 base32 characters in groups of four (80 random bits), and the
// hash the hub keeps of it (the code itself is never stored).
std::string new_enrol_code();
std::string normalise_code(std::string_view typed); // upper case, no spaces or dashes
std::string code_hash(std::string_view code);
std::string token_hash(std::string_view token);
// The enrolment QR: "JFENROL1|<code>|<hub url>|<pin>" (url and pin may be empty).
std::string enrol_qr_text(const std::string& code, const std::string& url, const std::string& pin);

// Decides each uploaded event: signature over exactly the received bytes, canonical decoding,
// header fields matching the envelope and the terminal. Pure CPU work, done outside the store lock.
IngestItem judge_event(const TerminalRow& terminal, const wire::WireEvent& e);
// Why a (signed, canonical) walk-up registration cannot enter the registry; empty when it can.
std::string registration_problem(const TerminalRow& terminal, const Registration& r);

// Bounds on abuse and the storage checks (the quarantine quota lives in the store, set by staff).
struct HubLimits {
    // Failed enrolment attempts within the window: over `failures_global` every attempt is
    // refused (429 enrol_limited) until the window moves on, so 20,000 guesses take months, not
    // seconds; one code tried more than `failures_per_code` times is refused the same way.
    int64_t enrol_window_ms = 10 * 60 * 1000;
    int enrol_failures_global = 30;
    int enrol_failures_per_code = 5;
    // PRAGMA quick_check again after this long (at the next request); 0: only at start.
    int64_t storage_check_interval_ms = 15 * 60 * 1000;
};

// Data minimisation (docs/privacy.md): narrows a page of the attendees stream to what terminal `t`
// may hold. A station gets no people; an entrance or employer terminal the people of its fair's
// campaign and those registered at its fair (at a terminal or on their own phone), without sealed
// numbers or look-up hashes.
// Tombstones pass. The page's cursor is the caller's (the last change read, kept or not).
void narrow_attendees(HubStore& store, const TerminalRow& t, std::vector<wire::PullItem>& items);

// The unions whose listings terminal `t` is offered (the listings stream, HubStore::changes):
// its fair's union, every union above it in the tree, and "" (listings of no union). Empty,
// meaning every listing, when the fair has no union or its union is not in the tree.
std::vector<std::string> offered_unions(HubStore& store, const TerminalRow& t);

class HubService {
  public:
    // `tls_pin`: the served certificate's public-key pin, handed to terminals at enrolment.
    HubService(HubStore& store, std::string tls_pin, HubLimits limits = {});

    Reply enroll(std::string_view body, std::string_view device_addr = {});
    Reply upload(std::string_view bearer, std::string_view body);
    Reply pull(std::string_view bearer, std::string_view stream, std::string_view cursor,
               std::string_view epoch, std::string_view limit);
    Reply status(std::string_view bearer, std::string_view device_now);

    // Runs PRAGMA quick_check now: false (and the hub refuses uploads from then on) when the
    // database is damaged. Also run by requests once the check interval has passed.
    bool check_storage();

    // The terminal behind a bearer token, or an error reply (unknown token, revoked terminal).
    // Every call above starts with it; the server also calls it before reading a request body.
    std::optional<TerminalRow> authorise(std::string_view bearer, Reply* refusal);

  private:
    // Records a failed enrolment; true when attempts are over the limits now.
    bool enrol_limited(const std::string& hash, TimeMs now, bool failed);
    bool storage_ok(TimeMs now);
    // A download page for a terminal of a county hub moved into this database (hub_service.cpp).
    bool moved_page(const MovedHub& m, int64_t cursor, size_t n,
                    const std::vector<std::string>& unions, wire::PullPage& page);

    HubStore& store_;
    std::string pin_;
    HubLimits limits_;
    std::mutex mu_; // guards the enrolment window and the storage-check state
    std::deque<std::pair<TimeMs, std::string>> enrol_failures_; // time, code hash; oldest first
    std::map<std::string, int> failures_by_code_;
    TimeMs next_check_ = 0;
    bool damaged_ = false;
    bool checking_ = false;
};

Reply error_reply(int status, const std::string& code, const std::string& message);

} // namespace jf::hub
