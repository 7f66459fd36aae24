// Admin PIN hashing and lock-out; see pin.hpp.
#include "kiosk/ui/pin.hpp"
#include "kiosk/domain/numbers.hpp"

#include "kiosk/store/store.hpp"

#include <sodium.h>

#include <algorithm>

namespace jf::ui {

namespace {
constexpr const char* kHash = "admin.pin_hash";
constexpr const char* kFailures = "admin.pin_failures";
constexpr const char* kLockedUntil = "admin.pin_locked_until";

int64_t number(const Store& s, const char* key) {
    auto v = s.setting(key);
    return v ? parse_int<int64_t>(*v).value_or(0) : 0;
}
} // namespace

bool PinGuard::acceptable(std::string_view pin) {
    return pin.size() >= 4 && pin.size() <= 8 &&
           std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool PinGuard::is_set() const {
    auto h = store_.setting(kHash);
    return h && !h->empty();
}

bool PinGuard::set(std::string_view pin) {
    if (!acceptable(pin) || sodium_init() < 0) return false;
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return false;
    return store_.transaction([&] {
        return store_.set_setting(kHash, out) && store_.set_setting(kFailures, "0") &&
               store_.set_setting(kLockedUntil, "0");
    });
}

bool PinGuard::locked(TimeMs now, TimeMs* until) const {
    TimeMs u = number(store_, kLockedUntil);
    if (until) *until = u;
    return u > 0 && now < u;
}

PinCheck PinGuard::check(std::string_view pin, TimeMs now) {
    PinCheck r;
    if (!is_set()) {
        r.result = PinCheck::NotSet;
        return r;
    }
    if (locked(now, &r.locked_until)) {
        // A clock set back must not stretch the lock for days: at most one lock period from now.
        if (r.locked_until - now > kPinLockMs) {
            r.locked_until = now + kPinLockMs;
            store_.set_setting(kLockedUntil, std::to_string(r.locked_until));
        }
        r.result = PinCheck::Locked;
        return r;
    }
    int64_t failures = number(store_, kFailures);
    if (number(store_, kLockedUntil) != 0 && now >= number(store_, kLockedUntil))
        failures = 0; // lock served
    if (!store_.transaction([&] {
            return store_.set_setting(kFailures, std::to_string(failures + 1)) &&
                   store_.set_setting(kLockedUntil, "0");
        }))
        return r;
    std::string hash = store_.setting(kHash).value_or("");
    bool ok =
        sodium_init() >= 0 && crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
    if (ok) {
        store_.set_setting(kFailures, "0");
        r.result = PinCheck::Ok;
        return r;
    }
    ++failures;
    r.result = PinCheck::Wrong;
    r.tries_left = static_cast<int>(std::max<int64_t>(0, kPinMaxTries - failures));
    if (failures >= kPinMaxTries) {
        r.locked_until = now + kPinLockMs;
        store_.transaction([&] {
            return store_.set_setting(kLockedUntil, std::to_string(r.locked_until)) &&
                   store_.set_setting(kFailures, "0");
        });
    }
    return r;
}

} // namespace jf::ui
