// What a code shown at the entrance or the employer's booth means here: the credential checked
// offline against the trusted issuer keys and the revocation list, then the person or employer
// it names looked up in the store. Entrance attempts are recorded whatever the verdict.
#pragma once

#include "domain/records.hpp"
#include "store/identity.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace jf::desk {

struct CodeResult {
    Verdict verdict = Verdict::NotOurCode;
    std::optional<Attendee> attendee; // entrance and seeker codes
    std::optional<Employer> employer; // badges
    TimeMs first_time = 0;            // AlreadyCheckedIn: when the first check-in was
    std::string message_key;          // "entrance.verdict.<code>"
};

// The entrance: verify, look up, record the check-in attempt (durable before returning).
CodeResult present_at_entrance(Store& store, const TerminalIdentity& identity,
                               std::string_view text, ScanMethod method, TimeMs now);
// People without a code (phone look-up, walk-up registration): the same record, no credential.
CodeResult check_in_attendee(Store& store, const TerminalIdentity& identity,
                             std::string_view attendee_id, ScanMethod method, TimeMs now);
// The booth: the employer's badge, then the seeker's code (WrongKind when swapped).
CodeResult read_employer_badge(const Store& store, const TerminalIdentity& identity,
                               std::string_view text, TimeMs now);
CodeResult read_seeker_code(const Store& store, const TerminalIdentity& identity,
                            std::string_view text, TimeMs now);

} // namespace jf::desk
