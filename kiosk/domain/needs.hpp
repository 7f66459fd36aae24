// The seekers' needs list (the Wuhu plan's second list, 求职者需求清单): what a person wants, in
// choices only. Recorded once a person is known (walk-up registration, or after a check-in at the
// entrance), signed and synced like the fair day's other events (kind "needs"), exported per
// union by the hub (`jobfair-hub report needs`). Nothing typed: every field is a code chosen with
// a tap, so no name or number can slip in. docs/fair-day.md.
#pragma once

#include "kiosk/domain/records.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace jf {

// 技能水平: one of these ("" = not said). Message keys needs.skill.<code>.
extern const char* const kSkillLevels[6]; // "", none, junior, intermediate, senior, technician
// 证书: any of these. Message keys needs.cert.<code>.
extern const char* const kCertificates[3]; // special_ops, driving, health
// 服务需求: the services a person asks for, as the station records them (code(ServiceKind)).
constexpr size_t kMaxNeedsIndustries = 5;

struct SeekerNeeds {
    EventHeader h;
    std::string attendee_id;
    std::string fair_id;
    // 就业意向: the 行业类别 of the listings the terminal offered, sorted (byte order), distinct,
    // at most kMaxNeedsIndustries, each a short non-empty text.
    std::vector<std::string> industries;
    std::string skill;                     // one of kSkillLevels
    std::vector<std::string> certificates; // of kCertificates, in that list's order
    std::vector<std::string> services;     // codes of ServiceKind, in the enum's order
};

// Whether the choices are codes of their lists, in canonical order (the store and the decoder
// refuse anything else).
bool needs_ok(const SeekerNeeds& n);
// The choices put in canonical order (sorted, duplicates dropped), as a screen collects them.
void normalise_needs(SeekerNeeds& n);
// True when nothing was chosen (a skipped screen records nothing).
bool needs_empty(const SeekerNeeds& n);

} // namespace jf
