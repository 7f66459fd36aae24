// The seekers' needs list at the entrance (docs/fair-day.md): one skippable screen after a
// walk-up registration or a check-in. What the screen offers and what the person chose, as bits
// over fixed lists, without UI; saving turns the choices into a signed `needs` event.
#pragma once

#include "kiosk/domain/needs.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace jf::desk {

// At most this many industries are offered (the listings' most common first would need counts;
// the store gives them sorted, and a fair rarely has more).
constexpr size_t kNeedsOfferedIndustries = 16;
constexpr int kNeedsServices = 4; // ServiceKind's order: legal aid, training, entrepreneurship, job

struct NeedsSelection {
    std::string attendee_id, fair_id;
    std::vector<std::string> offered; // the 行业类别 of the listings open today
    uint32_t industries = 0;          // bits over `offered`
    int skill = 0;                    // index into kSkillLevels (0 = not said)
    uint32_t certificates = 0;        // bits over kCertificates
    uint32_t services = 0;            // bits over ServiceKind's order

    // For the person at this fair: the industries on offer, and the choices of their latest
    // list here when they come back to it.
    void start(const Store& store, std::string attendee, std::string fair, Date today);
    bool empty() const;
    // The number of industries chosen; more than kMaxNeedsIndustries cannot be saved.
    int industry_count() const;
    SeekerNeeds draft() const;
};

// Saves the choices as the person's needs list. Nothing chosen is a skip: nothing is stored and
// the result is nullopt with an empty key. Refused: nullopt and the message key.
std::optional<SeekerNeeds> save_needs(Store& store, const TerminalIdentity& identity,
                                      const NeedsSelection& sel, TimeMs now,
                                      std::string* error_key = nullptr);

} // namespace jf::desk
