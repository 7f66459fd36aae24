// Sealing and masking of attendee identity numbers, and look-up queries on the masks.
#include "kiosk/store/people.hpp"

namespace jf {

std::string normalize_initials(std::string_view typed) {
    std::string out;
    for (char c : typed) {
        if (c >= 'A' && c <= 'Z')
            out += static_cast<char>(c - 'A' + 'a');
        else if (c >= 'a' && c <= 'z')
            out += c;
    }
    return out.substr(0, 16);
}

Attendee seal_attendee(const AttendeeInput& in, const Bytes& hub_pk, Check* problem) {
    auto refuse = [&](Check c) {
        if (problem) *problem = std::move(c);
        return Attendee{};
    };
    if (hub_pk.size() != 32) return refuse(Check::fail("err.identity.invalid"));
    Attendee a;
    a.name = trim(in.name);
    if (a.name.empty()) return refuse(Check::fail("err.store.name_missing", "name"));
    if (a.key_groups = in.key_groups; a.key_groups > kAllKeyGroups)
        return refuse(Check::fail("err.store.attendee_groups", "key_groups"));
    if (!trim(in.phone).empty()) {
        if (auto c = check_mobile(in.phone); !c) return refuse(c);
        std::string phone = normalize_mobile(in.phone);
        a.phone_masked = mask_mobile(phone);
        a.sealed_phone = base64(seal(hub_pk, phone));
    }
    if (!trim(in.resident_id).empty()) {
        if (auto c = check_resident_id(in.resident_id); !c) return refuse(c);
        std::string id = normalize_resident_id(in.resident_id);
        if (id.size() == 15) id = upgrade_resident_id(id);
        a.id_masked = mask_resident_id(id);
        a.sealed_id = base64(seal(hub_pk, id));
    }
    a.id = in.id.empty() ? new_uuid() : in.id;
    a.gender = in.gender;
    a.name_initials = normalize_initials(in.name_initials);
    a.union_unit = in.union_unit;
    a.campaign_id = in.campaign_id;
    if (problem) *problem = Check::pass();
    return a;
}

PersonQuery person_query(std::string_view phone_or_tail, std::string_view id_tail,
                         std::string_view initials) {
    PersonQuery q;
    std::string digits = normalize_mobile(phone_or_tail);
    if (digits.size() == 11 && check_mobile(digits))
        q.phone_masked = mask_mobile(digits);
    else if (digits.size() == 4 && digits.find_first_not_of("0123456789") == std::string::npos)
        q.phone_tail = digits;
    std::string tail = normalize_resident_id(id_tail);
    if (tail.size() == 4 && tail.find_first_not_of("0123456789X") == std::string::npos &&
        tail.find('X') >= 3)
        q.id_tail = tail;
    q.initials = normalize_initials(initials);
    return q;
}

} // namespace jf
