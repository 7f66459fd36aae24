// Look-up and walk-up registration: the screen masks for search, seal_attendee for storage, the
// credential format of sync/protocol for the code the person takes away, and a signed
// registration event in the outbox so the hub and the other terminals learn of the person.
#include "kiosk/desk/registration.hpp"

#include "sync/protocol/credential.hpp"
#include "platform/input/pinyin.hpp"
#include "kiosk/store/people.hpp"

#include <algorithm>
#include <sodium.h>

namespace jf::desk {

// -----------------------------------------------------------------------------
// Look-up
// -----------------------------------------------------------------------------

std::vector<Attendee> look_up_attendees(const Store& store, std::string_view typed, int limit) {
    std::string digits, letters;
    for (char c : typed) {
        if (c >= '0' && c <= '9')
            digits += c;
        else if (c == 'x' || c == 'X') {
            // An X ends an ID number; among letters it is an initial (肖 xiao, 许 xu).
            if (!digits.empty() && digits.size() == 3)
                digits += 'X';
            else
                letters += 'x';
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            letters += c;
        }
    }
    std::string initials = normalize_initials(letters);
    std::vector<Attendee> out;
    auto merge = [&](std::vector<Attendee> found) {
        for (auto& a : found)
            if (std::none_of(out.begin(), out.end(),
                             [&](const Attendee& b) { return b.id == a.id; }))
                out.push_back(std::move(a));
    };
    if (digits.empty()) {
        if (!initials.empty()) merge(store.find_attendees(person_query({}, {}, initials), limit));
        return out;
    }
    // A full number matches its screen mask: the operator tells the (rare) candidates apart by
    // name, as nothing on the terminal can confirm the hidden digits (docs/privacy.md).
    if (digits.size() == 11) {
        auto q = person_query(digits, {}, initials);
        if (!q.phone_masked.empty()) merge(store.find_attendees(q, limit));
    } else if (digits.size() == 4) {
        auto by_phone = person_query(digits, {}, initials);
        if (!by_phone.phone_tail.empty()) merge(store.find_attendees(by_phone, limit));
        auto by_id = person_query({}, digits, initials);
        if (!by_id.id_tail.empty()) merge(store.find_attendees(by_id, limit));
    }
    if (static_cast<int>(out.size()) > limit) out.resize(limit);
    return out;
}

// -----------------------------------------------------------------------------
// Walk-up registration
// -----------------------------------------------------------------------------

void WalkUpForm::forget() {
    sodium_memzero(phone.data(), phone.size());
    sodium_memzero(resident_id.data(), resident_id.size());
    *this = WalkUpForm{};
}

std::vector<Check> check_walk_up(const WalkUpForm& form, Date today) {
    std::vector<Check> out;
    auto name = trim(form.name);
    auto chars = utf8_chars(name);
    if (chars.empty())
        out.push_back(Check::fail("desk.err.name.empty", "name"));
    else if (chars.size() > 20)
        out.push_back(Check::fail("desk.err.name.long", "name"));
    if (Check c = check_mobile(form.phone); !c) out.push_back(Check::fail(c.key, "phone"));
    if (!trim(form.resident_id).empty())
        if (Check c = check_resident_id(form.resident_id, today); !c)
            out.push_back(Check::fail(c.key, "resident_id"));
    if (form.key_groups & ~kAllKeyGroups)
        out.push_back(Check::fail("desk.err.key_groups", "key_groups"));
    if (!form.consent) out.push_back(Check::fail("desk.err.consent", "consent"));
    return out;
}

std::optional<WalkUpResult> register_walk_up(Store& store, const TerminalIdentity& identity,
                                             const WalkUpForm& form, TimeMs now,
                                             std::string* error_key) {
    auto fail = [&](std::string key) -> std::optional<WalkUpResult> {
        if (error_key) *error_key = std::move(key);
        return std::nullopt;
    };
    Date today = cst_date(now);
    auto problems = check_walk_up(form, today);
    if (!problems.empty()) return fail(problems.front().key);
    auto fair = store.fair(identity.fair_id);
    if (!fair) return fail("desk.err.no_fair");
    auto campaign = store.campaign(fair->campaign_id);

    AttendeeInput in;
    in.name = trim(form.name);
    in.phone = form.phone;
    in.resident_id = trim(form.resident_id);
    in.gender = form.gender;
    in.key_groups = form.key_groups;
    in.name_initials = input::pinyin_initials(in.name);
    in.union_unit = fair->union_unit;
    in.campaign_id = fair->campaign_id;
    Check problem;
    Attendee a = seal_attendee(in, identity.hub_seal_public_key, &problem);
    sodium_memzero(in.phone.data(), in.phone.size());
    sodium_memzero(in.resident_id.data(), in.resident_id.size());
    if (a.id.empty()) return fail(problem.key.empty() ? "desk.err.register" : problem.key);

    Credential c;
    c.kind = CredentialKind::Attendee;
    c.holder_id = a.id;
    c.scope = CredentialScope::Fair;
    c.scope_id = fair->id;
    c.valid_from = today;
    c.valid_until = campaign && today < campaign->year_until ? campaign->year_until : today;
    if (fair->date.valid() && c.valid_until < fair->date) c.valid_until = fair->date;
    auto issued = issue(c, identity.key);
    if (!issued) return fail("desk.err.register");

    // One transaction: the person, this terminal's key as the issuer of their code (so they are
    // recognised here straight away) and the signed registration event the hub will receive (so
    // every terminal at the fair recognises and finds them after a sync). All or nothing, before
    // the code is shown.
    Registration reg;
    reg.attendee = a;
    reg.fair_id = fair->id;
    reg.credential_id = issued->credential_id();
    reg.consent = form.consent;
    reg.h.device_time = now;
    bool ok = store.transaction([&] {
        return store.upsert_attendee(a) &&
               store.upsert_terminal_key(identity.key.key_id(), identity.key.public_key,
                                         fair->id) &&
               store.record_registration(reg, identity.signer()).has_value();
    });
    if (!ok) return fail("desk.err.store");
    return WalkUpResult{a, encode(*issued), issued->credential_id(), c.valid_from, c.valid_until};
}

} // namespace jf::desk
