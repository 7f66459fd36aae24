// Turning what a person types (name, phone, ID number) into what the terminal may keep:
// sealed copies only the hub can open and the display masks (docs/DESIGN.md §3). The plain numbers
// live only in the caller's memory for the moment of registration.
//
// No verifier of a full number is kept anywhere on a terminal (docs/privacy.md): no hash of the
// whole phone or ID number, keyed or not, and no look-up key. What the terminal holds of a number
// is what its screen shows (138****5678, 3402**********1234) plus a sealed box, which is
// randomised and so answers no guess. Look-up matches on those visible characters
// (person_query); the operator confirms the person by name among the rare candidates.
#pragma once

#include "kiosk/domain/records.hpp"
#include "kiosk/domain/validate.hpp"
#include "kiosk/crypto/crypto.hpp"
#include "kiosk/store/store.hpp"

#include <string>
#include <string_view>

namespace jf {

struct AttendeeInput {
    std::string id; // empty: a new id is made (walk-up registration)
    std::string name;
    std::string phone;       // as typed: spaces, dashes, +86 are fine
    std::string resident_id; // 18 digits (or legacy 15), as typed
    Gender gender = Gender::Unknown;
    uint32_t key_groups = 0;
    std::string name_initials; // pinyin initials, e.g. "zw" for 张伟
    std::string union_unit;
    std::string campaign_id;
};

// Validates and seals. On bad input (`problem` receives the message key) the returned attendee
// has an empty id, which Store::upsert_attendee refuses. Phone and ID number are each optional,
// but what is given must be valid.
// The retired look-up hash fields of Attendee stay empty.
Attendee seal_attendee(const AttendeeInput& in, const Bytes& hub_seal_pk, Check* problem = nullptr);

// What the operator typed, as the visible characters Store::find_attendees matches on. A full
// mobile number gives its screen mask (13812345678 → 138****5678: the 4 hidden digits are not
// looked at); 4 digits give the phone's last four; `id_tail` 4 characters (digits, or 3 and X)
// the ID number's last four. Unusable input gives empty fields, which match nothing.
PersonQuery person_query(std::string_view phone_or_tail, std::string_view id_tail,
                         std::string_view initials = {});

// Lower-case ASCII letters only: what Store accepts as name initials.
std::string normalize_initials(std::string_view typed);

} // namespace jf
