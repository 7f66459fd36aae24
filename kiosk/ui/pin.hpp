// The admin PIN: a salted, slow hash (libsodium crypto_pwhash, Argon2id) in the store's settings,
// and a lock-out after repeated failures that survives a restart because it is stored too.
#pragma once

#include "kiosk/domain/records.hpp"

#include <string>
#include <string_view>

namespace jf {
class Store;
}

namespace jf::ui {

constexpr int kPinMaxTries = 5;
constexpr TimeMs kPinLockMs = 5 * 60 * 1000;

struct PinCheck {
    enum Result { Ok, Wrong, Locked, NotSet, Error } result = Error;
    int tries_left = 0;      // after a Wrong
    TimeMs locked_until = 0; // for Locked (and the Wrong that caused it)
};

class PinGuard {
  public:
    explicit PinGuard(Store& store) : store_(store) {}
    bool is_set() const;
    // 4 to 8 digits; false (and nothing stored) otherwise.
    bool set(std::string_view pin);
    static bool acceptable(std::string_view pin);
    // Counts the attempt durably before comparing, so killing the app mid-check gains nothing.
    PinCheck check(std::string_view pin, TimeMs now);
    // Locked right now? (without trying a PIN)
    bool locked(TimeMs now, TimeMs* until = nullptr) const;

  private:
    Store& store_;
};

} // namespace jf::ui
