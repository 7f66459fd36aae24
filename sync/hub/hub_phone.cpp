// Job seekers registering on their own phones (hub_phone.hpp).
#include "sync/hub/hub_phone.hpp"

#include "kiosk/domain/validate.hpp"
#include "platform/input/pinyin.hpp"
#include "platform/log/log.hpp"
#include "sync/protocol/credential.hpp"
#include "kiosk/store/people.hpp"

#include <sodium.h>

#include <algorithm>

namespace jf::hub {

bool LogSmsSender::send(const std::string& phone, const std::string& text) {
    // Development only: the code goes to the log for whoever runs the hub. The number is masked
    // (log::scrub would mask it anyway).
    log::info("phone", "sms_dev", {{"to", mask_mobile(phone)}, {"text", text}});
    return true;
}

std::unique_ptr<SmsSender> make_sms_sender(const std::string& name, std::string* error) {
    if (name == "log") return std::make_unique<LogSmsSender>();
    if (error)
        *error = "sms_sender '" + name +
                 "': no such sender in this hub (\"log\" writes codes to the hub's log; a "
                 "provider's adapter implements SmsSender, sync/hub/hub_phone.hpp)";
    return nullptr;
}

namespace {

SteadyTime steady(TimeMs t) {
    return SteadyTime(std::chrono::milliseconds(t));
}

std::string random_digits(int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += static_cast<char>('0' + randombytes_uniform(10));
    return out;
}

int leading_zero_bits(const unsigned char* d, size_t n) {
    int bits = 0;
    for (size_t i = 0; i < n; ++i) {
        if (d[i] == 0) {
            bits += 8;
            continue;
        }
        for (unsigned m = 0x80; m && !(d[i] & m); m >>= 1)
            ++bits;
        break;
    }
    return bits;
}

} // namespace

Credential fair_code(const std::string& attendee_id, const Fair& fair,
                     const std::vector<Campaign>& campaigns, Date today) {
    Credential c;
    c.kind = CredentialKind::Attendee;
    c.holder_id = attendee_id;
    c.scope = CredentialScope::Fair;
    c.scope_id = fair.id;
    c.valid_from = today;
    c.valid_until = today;
    for (auto& cp : campaigns)
        if (cp.id == fair.campaign_id && today < cp.year_until) c.valid_until = cp.year_until;
    if (fair.date.valid() && c.valid_until < fair.date) c.valid_until = fair.date;
    return c;
}

PhoneSignup::PhoneSignup(HubStore& store, SigningKey issuer, std::unique_ptr<SmsSender> sms,
                         PhoneSettings settings)
    : store_(store), issuer_(std::move(issuer)), sms_(std::move(sms)), s_(settings),
      secret_(random_bytes(32)),
      per_number_(1.0 / std::max(1, s_.sms_interval_per_number_s), s_.sms_burst_per_number),
      per_address_(1.0 / std::max(1, s_.sms_interval_per_address_s), s_.sms_burst_per_address) {
    sender_ = std::thread([this] { sender_loop(); });
}

PhoneSignup::~PhoneSignup() {
    {
        std::lock_guard lock(send_mu_);
        stopping_ = true;
    }
    send_cv_.notify_all();
    if (sender_.joinable()) sender_.join();
}

void PhoneSignup::send_later(const std::string& phone, std::string text) {
    {
        std::lock_guard lock(send_mu_);
        outgoing_.emplace_back(phone, std::move(text));
    }
    send_cv_.notify_all();
}

void PhoneSignup::sender_loop() {
    std::unique_lock lock(send_mu_);
    for (;;) {
        send_cv_.wait(lock, [&] { return stopping_ || !outgoing_.empty(); });
        if (outgoing_.empty()) return; // stopping, and everything was sent
        auto [phone, text] = std::move(outgoing_.front());
        outgoing_.pop_front();
        in_flight_ = true;
        lock.unlock();
        if (!sms_->send(phone, text)) log::warn("phone", "sms_failed");
        sodium_memzero(phone.data(), phone.size());
        sodium_memzero(text.data(), text.size());
        lock.lock();
        in_flight_ = false;
        send_cv_.notify_all();
    }
}

void PhoneSignup::flush_sent() {
    std::unique_lock lock(send_mu_);
    send_cv_.wait(lock, [&] { return outgoing_.empty() && !in_flight_; });
}

std::vector<Fair> PhoneSignup::open_fairs(TimeMs now) {
    Date today = cst_date(now);
    std::vector<Fair> out;
    for (auto& f : store_.fairs())
        if (!f.date.valid() || !(f.date < today)) out.push_back(f);
    std::sort(out.begin(), out.end(), [](const Fair& a, const Fair& b) {
        return std::pair(a.date.yyyymmdd(), a.id) < std::pair(b.date.yyyymmdd(), b.id);
    });
    return out;
}

// -----------------------------------------------------------------------------
// The challenge: SHA-256(seed ":" answer) with `bits` leading zero bits. A seed names its minute
// and carries this process's MAC of it, so the hub keeps no state per page; an answer works once.
// -----------------------------------------------------------------------------

std::string PhoneSignup::seed_for(int64_t minute) const {
    return std::to_string(minute) + "." +
           keyed_hash(secret_, "jf.phone.challenge", std::to_string(minute)).substr(0, 16);
}

Challenge PhoneSignup::challenge(TimeMs now) {
    std::lock_guard lock(mu_);
    while (!recent_.empty() && recent_.front() <= now - 60'000)
        recent_.pop_front();
    Challenge c;
    c.active = static_cast<int>(recent_.size()) >= s_.challenge_per_minute;
    if (c.active) {
        c.seed = seed_for(now / 60'000);
        c.bits = s_.challenge_bits;
    }
    return c;
}

bool PhoneSignup::challenge_passed(const PhoneForm& f, TimeMs now) {
    // Seeds of the last 10 minutes are good (a slow phone, a person thinking).
    auto dot = f.challenge.find('.');
    if (dot == std::string::npos || f.pow.empty() || f.pow.size() > 20) return false;
    int64_t minute = 0;
    try {
        minute = std::stoll(f.challenge.substr(0, dot));
    } catch (...) {
        return false;
    }
    int64_t current = now / 60'000;
    if (minute > current || minute < current - 10 || seed_for(minute) != f.challenge) return false;
    std::string line = f.challenge + ":" + f.pow;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(line.data()), line.size());
    if (leading_zero_bits(digest, sizeof digest) < s_.challenge_bits) return false;
    if (used_minute_ != current) { // answers older than the seeds still good are forgotten
        std::erase_if(used_answers_, [&](const std::string& a) {
            return std::stoll(a.substr(0, a.find('.'))) < current - 10;
        });
        used_minute_ = current;
    }
    return used_answers_.insert(line).second;
}

// -----------------------------------------------------------------------------
// One-time codes
// -----------------------------------------------------------------------------

// True when this number or this address has had its codes for now. The number is a key of
// this process's keyed hash, never stored.
bool PhoneSignup::limited(const std::string& phone, const std::string& address, TimeMs now) {
    auto key = keyed_hash(secret_, "jf.phone.rate", phone);
    if (per_address_.take(address, steady(now)) != 0) return true;
    return per_number_.take(key, steady(now)) != 0;
}

std::string PhoneSignup::new_ticket(Pending p, const std::string& phone, TimeMs now, bool send) {
    std::string ticket = base32(random_bytes(20));
    std::string otp = random_digits(6);
    p.expires = now + s_.otp_lifetime_s * 1000LL;
    p.otp_hash = keyed_hash(secret_, "jf.phone.otp", ticket + ":" + otp);
    p.sent = send;
    {
        std::lock_guard lock(mu_);
        while (!pending_age_.empty() &&
               (pending_age_.front().first < now || pending_.size() >= s_.max_pending)) {
            pending_.erase(pending_age_.front().second);
            pending_age_.pop_front();
        }
        pending_age_.emplace_back(p.expires, ticket);
        pending_[ticket] = std::move(p);
    }
    if (send) // the text names no person; the code alone is what the page asks for
        send_later(phone, "【工会就业服务】验证码 " + otp + "，" +
                              std::to_string(s_.otp_lifetime_s / 60) +
                              " 分钟内有效。请勿告诉他人。Your code: " + otp);
    sodium_memzero(otp.data(), otp.size());
    return ticket;
}

std::optional<Attendee> PhoneSignup::find_by_phone(const std::string& normalised) {
    auto keys = store_.keys();
    if (keys.seal.secret_key.empty()) return std::nullopt;
    for (auto& a : store_.attendees_by_phone_mask(mask_mobile(normalised))) {
        auto sealed = from_base64(a.sealed_phone);
        if (!sealed) continue;
        auto plain = open_sealed(keys.seal, *sealed);
        bool same = plain && *plain == normalised;
        if (plain) sodium_memzero(plain->data(), plain->size());
        if (same) return a;
    }
    return std::nullopt;
}

PhoneSignup::Outcome PhoneSignup::register_person(PhoneForm form, const std::string& address,
                                                  TimeMs now) {
    Outcome out;
    auto forget = [&] {
        form.person.forget();
        sodium_memzero(form.pow.data(), form.pow.size());
    };
    Challenge ch = challenge(now);
    {
        std::lock_guard lock(mu_);
        recent_.push_back(now);
    }
    if (ch.active) {
        std::lock_guard lock(mu_);
        if (!challenge_passed(form, now)) {
            forget();
            out.status = 400;
            out.error_key = "phone.err.challenge";
            return out;
        }
    }
    Date today = cst_date(now);
    out.problems = desk::check_walk_up(form.person, today);
    bool has_id = !trim(form.person.resident_id).empty();
    if (has_id && !form.id_consent)
        out.problems.push_back(Check::fail("phone.err.id_consent", "id_consent"));
    std::optional<Fair> fair;
    for (auto& f : open_fairs(now))
        if (f.id == form.fair_id) fair = f;
    if (!fair) out.problems.push_back(Check::fail("phone.err.fair", "fair"));
    if (!out.problems.empty()) {
        forget();
        out.status = 400;
        return out;
    }
    auto keys = store_.keys();
    if (keys.seal.public_key.empty() || keys.seal.secret_key.empty()) {
        forget();
        out.status = 503;
        out.error_key = "phone.err.unavailable";
        return out;
    }
    std::string phone = normalize_mobile(form.person.phone);
    if (limited(phone, address, now)) {
        sodium_memzero(phone.data(), phone.size());
        forget();
        out.status = 429;
        out.error_key = "phone.err.sms_limited";
        return out;
    }

    // Sealed and masked exactly as at the entrance (seal_attendee), for this fair's campaign.
    AttendeeInput in;
    in.name = trim(form.person.name);
    in.phone = form.person.phone;
    in.resident_id = trim(form.person.resident_id);
    in.gender = form.person.gender;
    in.key_groups = form.person.key_groups;
    in.name_initials = input::pinyin_initials(in.name);
    in.union_unit = fair->union_unit;
    in.campaign_id = fair->campaign_id;
    Check problem;
    Attendee a = seal_attendee(in, keys.seal.public_key, &problem);
    sodium_memzero(in.phone.data(), in.phone.size());
    sodium_memzero(in.resident_id.data(), in.resident_id.size());
    if (a.id.empty()) {
        sodium_memzero(phone.data(), phone.size());
        forget();
        out.status = 400;
        out.problems.push_back(
            Check::fail(problem.key.empty() ? "desk.err.register" : problem.key, problem.field));
        return out;
    }
    Pending p;
    p.fair_id = fair->id;
    if (auto existing = find_by_phone(phone))
        p.existing = std::move(existing); // the same answer; after proof, their own code
    else
        p.person = std::move(a);
    out.ticket = new_ticket(std::move(p), phone, now, true);
    sodium_memzero(phone.data(), phone.size());
    forget();
    return out;
}

PhoneSignup::Outcome PhoneSignup::request_code(const std::string& typed, const std::string& address,
                                               TimeMs now) {
    Outcome out;
    if (Check c = check_mobile(typed); !c) {
        out.status = 400;
        out.problems.push_back(Check::fail(c.key, "phone"));
        return out;
    }
    std::string phone = normalize_mobile(typed);
    if (limited(phone, address, now)) {
        sodium_memzero(phone.data(), phone.size());
        out.status = 429;
        out.error_key = "phone.err.sms_limited";
        return out;
    }
    Pending p;
    auto existing = find_by_phone(phone);
    bool known = existing && store_.phone_code(existing->id).has_value();
    if (known) p.existing = std::move(existing);
    out.ticket = new_ticket(std::move(p), phone, now, known);
    sodium_memzero(phone.data(), phone.size());
    return out;
}

PhoneSignup::Verified PhoneSignup::verify(const std::string& ticket, const std::string& otp_typed,
                                          TimeMs now) {
    Verified v;
    std::string otp;
    for (char c : otp_typed)
        if (c >= '0' && c <= '9') otp += c;
    Pending p;
    {
        std::lock_guard lock(mu_);
        auto it = pending_.find(ticket);
        if (it == pending_.end() || it->second.expires < now) {
            if (it != pending_.end()) pending_.erase(it);
            v.status = 400;
            v.error_key = "phone.err.otp_expired";
            return v;
        }
        auto& q = it->second;
        bool right = q.sent && otp.size() == 6 &&
                     sodium_memcmp(keyed_hash(secret_, "jf.phone.otp", ticket + ":" + otp).data(),
                                   q.otp_hash.data(), q.otp_hash.size()) == 0;
        if (!right) {
            if (++q.attempts >= s_.otp_attempts) {
                pending_.erase(it);
                v.status = 400;
                v.error_key = "phone.err.otp_attempts";
            } else {
                v.status = 400;
                v.error_key = "phone.err.otp_wrong";
            }
            return v;
        }
        p = std::move(q);
        pending_.erase(it);
    }

    if (p.existing) {
        auto existing = store_.phone_code(p.existing->id);
        Attendee person = *p.existing;
        if (!existing && !p.fair_id.empty()) {
            // Known to the registry (a terminal or an import) but never signed up by phone:
            // their first phone code, for the fair they chose; no second person.
            p.person = person;
        } else if (existing) {
            v.code = existing;
            v.person = person;
            v.fair = store_.fair(existing->fair_id);
            return v;
        } else {
            v.status = 400;
            v.error_key = "phone.err.otp_expired";
            return v;
        }
    }
    if (!p.person) {
        v.status = 400;
        v.error_key = "phone.err.otp_expired";
        return v;
    }
    auto fair = store_.fair(p.fair_id);
    if (!fair) {
        v.status = 400;
        v.error_key = "phone.err.fair";
        return v;
    }
    auto issued = issue(fair_code(p.person->id, *fair, store_.campaigns(), cst_date(now)), issuer_);
    if (!issued) {
        v.status = 500;
        v.error_key = "desk.err.register";
        return v;
    }
    PhoneCode code{p.person->id, fair->id, encode(*issued), now};
    if (!store_.add_phone_registration(*p.person, code)) {
        log::error("phone", "store_failed", {{"error", store_.last_error()}});
        v.status = 500;
        v.error_key = "desk.err.store";
        return v;
    }
    log::info("phone", "registered", {{"fair", fair->id}, {"credential", issued->credential_id()}});
    v.code = code;
    v.person = *p.person;
    v.fair = fair;
    return v;
}

} // namespace jf::hub
