// Turning what a person types (name, phone, ID number) into what the terminal may keep:
// sealed copies only the hub can open, display masks, and keyed hashes for look-up (DESIGN.md §3).
// The plain numbers live only in the caller's memory for the moment of registration.
#pragma once

#include "domain/records.hpp"
#include "domain/validate.hpp"
#include "crypto/crypto.hpp"

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
Attendee seal_attendee(const AttendeeInput& in, const Bytes& hub_seal_pk, const Bytes& lookup_key,
                       Check* problem = nullptr);

// Keyed hashes for a look-up, computed the same way as seal_attendee's. `phone_or_tail` is a full
// mobile number (→ phone_hash) or its last 4 digits (→ phone_tail_hash); `id_tail` is the last 4
// characters of the ID number. Unusable input gives an empty hash, which matches nothing.
struct LookupHashes {
    std::string phone_hash, phone_tail_hash, id_tail_hash;
};
LookupHashes lookup_hashes(std::string_view phone_or_tail, std::string_view id_tail,
                           const Bytes& lookup_key);

// Lower-case ASCII letters only: what Store accepts as name initials.
std::string normalize_initials(std::string_view typed);

} // namespace jf
