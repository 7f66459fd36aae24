// Job seekers registering on their own phones (docs/phone.md), without HTML: the pages under /m/
// (web/phone.cpp) are a thin layer over this.
//
// Index
// - SmsSender        how one-time codes leave the hub; LogSmsSender (development) writes them to
//                    the hub's log; a provider's adapter implements the same interface
// - PhoneSettings    limits: codes per number and per address, attempts, lifetimes, challenge
// - PhoneSignup      register → one-time code → verify → the person's signed code; coming back
//                    with the number → one-time code → verify → the same code; the challenge
//
// Recipe: register() checks the form exactly as a walk-up registration (desk::check_walk_up),
// seals the numbers at once (seal_attendee) and keeps only the sealed person with a ticket; it
// sends a one-time code to the number. verify(ticket, code) stores the person and their
// hub-signed code in one transaction (HubStore::add_phone_registration) and returns it. A number
// already registered gets the same answers, the same code page after proof, and no new person:
// nothing a page says depends on whether a number is registered. Nothing here logs a number.
#pragma once

#include "kiosk/desk/registration.hpp"
#include "sync/hub/hub_guard.hpp"
#include "sync/hub/hub_store.hpp"
#include "sync/protocol/credential.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace jf::hub {

class SmsSender {
  public:
    virtual ~SmsSender() = default;
    // Sends `text` to the mainland mobile number `phone` (11 digits); false when it failed.
    virtual bool send(const std::string& phone, const std::string& text) = 0;
};

// Development sender: writes {"event":"sms_dev","to":"138****5678","text":…} to the hub's log.
class LogSmsSender : public SmsSender {
  public:
    bool send(const std::string& phone, const std::string& text) override;
};

// "log" → LogSmsSender; anything else is a provider adapter not built into this hub (null, and
// `error` says so).
std::unique_ptr<SmsSender> make_sms_sender(const std::string& name, std::string* error);

struct PhoneSettings {
    // One-time codes sent to one number: `sms_burst_per_number` at once, then one every
    // `sms_interval_per_number_s`; the same from one client address with its own numbers.
    int sms_burst_per_number = 3;
    int sms_interval_per_number_s = 600;
    int sms_burst_per_address = 20;
    int sms_interval_per_address_s = 60;
    int otp_lifetime_s = 600;
    int otp_attempts = 5;
    size_t max_pending = 20000; // tickets waiting for their code (oldest dropped first)
    // Registrations a minute (hub-wide) above which every registration needs a proof of work.
    int challenge_per_minute = 30;
    int challenge_bits = 16;
};

// What a person typed on the registration page.
struct PhoneForm {
    desk::WalkUpForm person;
    std::string fair_id;
    bool id_consent = false;    // separate consent for the ID number (PIPL, sensitive data)
    std::string challenge, pow; // the challenge seed and its answer, when one was asked
};

// The challenge a page must carry while registrations run high.
struct Challenge {
    bool active = false;
    std::string seed;
    int bits = 0;
};

// A person's check-in code for a fair as the hub signs it, for a phone sign-up and in the
// console: an attendee credential scoped to the fair, valid from `today` to the end of the fair's
// campaign year (or the fair's day when that is later).
Credential fair_code(const std::string& attendee_id, const Fair& fair,
                     const std::vector<Campaign>& campaigns, Date today);

class PhoneSignup {
  public:
    PhoneSignup(HubStore& store, SigningKey issuer, std::unique_ptr<SmsSender> sms,
                PhoneSettings settings = {});
    ~PhoneSignup(); // sends what is queued, then stops the sending thread
    PhoneSignup(const PhoneSignup&) = delete;
    PhoneSignup& operator=(const PhoneSignup&) = delete;

    // The fairs a person may register for (not over, or undated), soonest first.
    std::vector<Fair> open_fairs(TimeMs now);

    Challenge challenge(TimeMs now);

    struct Outcome {
        int status = 200;            // 400: problems; 429: limited; 503: not available
        std::vector<Check> problems; // message keys with their field
        std::string error_key;       // one message for the whole request
        std::string ticket;          // the code was (or would have been) sent
    };
    // Checks and seals; sends a one-time code (to a registered number too: the same answer).
    Outcome register_person(PhoneForm form, const std::string& address, TimeMs now);
    // Coming back: sends a one-time code when the number has a phone registration (the same
    // answer when it has none).
    Outcome request_code(const std::string& phone, const std::string& address, TimeMs now);

    struct Verified {
        int status = 200;
        std::string error_key;
        std::optional<PhoneCode> code;
        Attendee person; // as stored (masked)
        std::optional<Fair> fair;
    };
    // The one-time code for `ticket`: right → the person's code (stored now for a new person).
    Verified verify(const std::string& ticket, const std::string& otp, TimeMs now);

    const SigningKey& issuer() const { return issuer_; }

    // One-time codes leave from a thread of their own, after the answer: a provider may take a
    // second to answer, and a page that waited for it only when a number is registered would
    // tell by its time. Waits until every code asked for so far has been handed to the sender.
    void flush_sent();

  private:
    struct Pending {
        TimeMs expires = 0;
        int attempts = 0;
        std::string otp_hash;
        std::optional<Attendee> person; // a new person, sealed (register)
        std::string fair_id;
        std::optional<Attendee> existing; // the person the number already belongs to
        bool sent = false;                // false: nobody to send to (coming back, unknown number)
    };
    // The person with this number (opening the sealed numbers of those with its mask).
    std::optional<Attendee> find_by_phone(const std::string& normalised);
    bool limited(const std::string& phone, const std::string& address, TimeMs now);
    std::string new_ticket(Pending p, const std::string& phone, TimeMs now, bool send);
    bool challenge_passed(const PhoneForm& f, TimeMs now);
    std::string seed_for(int64_t minute) const;

    HubStore& store_;
    SigningKey issuer_;
    std::unique_ptr<SmsSender> sms_;
    PhoneSettings s_;
    Bytes secret_; // this process's key for OTP hashes, rate-limit keys and challenge seeds
    RateLimiter per_number_, per_address_;
    std::mutex mu_;
    std::map<std::string, Pending> pending_;                 // ticket → pending
    std::deque<std::pair<TimeMs, std::string>> pending_age_; // oldest first
    std::deque<TimeMs> recent_;                              // registration attempts, 1 minute
    std::set<std::string> used_answers_;                     // challenge answers already used
    int64_t used_minute_ = 0;

    void send_later(const std::string& phone, std::string text);
    void sender_loop();
    std::mutex send_mu_;
    std::condition_variable send_cv_;
    std::deque<std::pair<std::string, std::string>> outgoing_; // number, text
    bool in_flight_ = false, stopping_ = false;
    std::thread sender_; // last: started when everything above is ready
};

} // namespace jf::hub
