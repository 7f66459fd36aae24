// The entrance for people without a code: look-up by phone number, its last four digits, the
// ID number's last four or pinyin initials (operator assisted), and walk-up registration that
// stores a sealed attendee and issues a credential signed by this terminal.
//
// Index
// - look_up_attendees   what the operator typed → matching attendees (masked fields only)
// - WalkUpForm          what the person gives: name, phone, optional ID number, key groups, consent
// - register_walk_up    checks, seals, stores and issues the code to show as a QR
//
// The plain phone and ID numbers live only in the form for the moment of registration; callers
// clear the form afterwards. Nothing here logs them.
#pragma once

#include "kiosk/domain/records.hpp"
#include "kiosk/domain/validate.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace jf::desk {

// `typed` mixes digits and letters as an operator would: "13855385678", "5678", "zw",
// "zw 5678". Eleven digits look up the phone by the 7 digits its mask shows (the screen lists
// every match by masked name: the terminal cannot confirm the 4 hidden digits, by design); four
// digits the phone's or the ID number's tail (an X counts as a digit there); letters the pinyin
// initials (a prefix). All given must match.
std::vector<Attendee> look_up_attendees(const Store& store, std::string_view typed, int limit = 20);

struct WalkUpForm {
    std::string name;
    std::string phone;       // required: how the union reaches the person about a job
    std::string resident_id; // optional
    Gender gender = Gender::Unknown;
    uint32_t key_groups = 0;
    bool consent = false; // 同意: the person agreed to the union keeping these details
    void forget();        // wipes the plain numbers from memory
};

// Problems with the form, each naming its field; empty when it can be registered.
std::vector<Check> check_walk_up(const WalkUpForm& form, Date today);

struct WalkUpResult {
    Attendee attendee;           // as stored: sealed, masked, hashed
    std::string credential_text; // "JF1:…", to show as a QR and print
    std::string credential_id;
    Date valid_from, valid_until; // as the code says, for the printed slip
};

// Issues an attendee credential for the terminal's fair, valid from today until the fair's
// campaign year ends, and stores in one transaction the sealed attendee, this terminal's key as
// the (terminal-kind) issuer of that code, and the signed registration event for the hub.
// nullopt and the message key on any problem (nothing stored).
std::optional<WalkUpResult> register_walk_up(Store& store, const TerminalIdentity& identity,
                                             const WalkUpForm& form, TimeMs now,
                                             std::string* error_key = nullptr);

} // namespace jf::desk
