// Validation of what people type and what files bring (docs/DESIGN.md §3): exact rules.
//
// Index
// - Check            a result value carrying a message key (translated in assets/i18n)
// - Identity numbers resident ID (GB 11643), unified social credit code (GB 32100)
// - Phones           mainland mobile numbers, normalised
// - Listings         附件4 required fields and deadline
// - Masking          what a screen may show of an ID or phone number
#pragma once

#include "kiosk/domain/records.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace jf {

// A validation outcome. `key` is a message key such as "err.id.checksum"; empty means valid.
// `field` names the column or form field it concerns, so imports and forms can point at it.
struct Check {
    std::string key;
    std::string field;
    bool ok() const { return key.empty(); }
    explicit operator bool() const { return ok(); }
    static Check pass() { return {}; }
    static Check fail(std::string key, std::string field = {}) {
        return {std::move(key), std::move(field)};
    }
};

// Removes spaces (also U+3000), dashes and a leading +86/0086 and folds full-width digits; the
// rest must be 11 digits 1[3-9]xxxxxxxxx.
std::string normalize_mobile(std::string_view text);
Check check_mobile(std::string_view text);

// 18 characters, the GB 11643 check digit (X for 10) and a real birth date not in the future
// relative to `today`. Legacy 15-digit numbers are accepted and upgraded by upgrade_resident_id.
// normalize_resident_id gives the form that is checked, sealed and hashed: separators dropped,
// full-width characters folded, x upper-cased ("3402 0219 9001 0112 3x" is a valid way to type).
std::string normalize_resident_id(std::string_view text);
Check check_resident_id(std::string_view text, Date today = Date{2200, 1, 1});
std::string upgrade_resident_id(std::string_view fifteen); // "" when not 15 digits
char resident_id_check_char(std::string_view first17);     // 0 when input is not 17 digits

// GB 32100: 18 characters from 0-9 A-H J-N P-R T U W-Y, weighted check character.
Check check_credit_code(std::string_view text);

// Contact numbers on listings (附件4 联系电话), kept as written: the form only asks that one be
// given, so the text passes when it contains at least one plausible number — a mobile, a 7-8
// digit local number with an optional 0xxx area code (also "(0553)3888888"), a 400/800 service
// number. Extensions ("0553-3888888转8001"), several numbers ("13855381234/13955310000") and
// words around them are fine.
Check check_contact_phone(std::string_view text);

// All problems with a listing row (empty when it is fit to publish).
std::vector<Check> check_listing(const JobListing& l);

// Display masks: 138****5678 and 3402**********1234.
std::string mask_mobile(std::string_view normalized);
std::string mask_resident_id(std::string_view id);
// A name for a public screen: 张* / 张*伟 (first character, then stars, keeping the last of 3+).
std::string mask_name(std::string_view name);

// UTF-8 helpers used by validation and masking.
std::vector<std::string> utf8_chars(std::string_view s);
std::string trim(std::string_view s); // also U+3000 and the no-break space U+00A0
// Full-width ASCII forms (０-９, Ａ-Ｚ, －, ／, ．, …) as ASCII, U+3000 and U+00A0 as spaces; the
// rest unchanged. What people type with a Chinese input method, read as the digits it means.
std::string fold_fullwidth(std::string_view s);

} // namespace jf
