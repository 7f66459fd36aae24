#include "kiosk/desk/needs_flow.hpp"

#include <algorithm>
#include <bit>

namespace jf::desk {

void NeedsSelection::start(const Store& store, std::string attendee, std::string fair, Date today) {
    *this = {};
    attendee_id = std::move(attendee);
    fair_id = std::move(fair);
    offered = store.industries(today);
    if (offered.size() > kNeedsOfferedIndustries) offered.resize(kNeedsOfferedIndustries);
    auto last = store.latest_needs(attendee_id, fair_id);
    if (!last) return;
    for (auto& i : last->industries) {
        auto it = std::find(offered.begin(), offered.end(), i);
        if (it == offered.end() && offered.size() < 32) it = offered.insert(offered.end(), i);
        if (it != offered.end()) industries |= 1u << (it - offered.begin());
    }
    for (int i = 0; i < 6; ++i)
        if (last->skill == kSkillLevels[i]) skill = i;
    for (int i = 0; i < 3; ++i)
        if (std::find(last->certificates.begin(), last->certificates.end(), kCertificates[i]) !=
            last->certificates.end())
            certificates |= 1u << i;
    for (int i = 0; i < kNeedsServices; ++i)
        if (std::find(last->services.begin(), last->services.end(),
                      code(static_cast<ServiceKind>(i))) != last->services.end())
            services |= 1u << i;
}

bool NeedsSelection::empty() const {
    return industries == 0 && skill == 0 && certificates == 0 && services == 0;
}

int NeedsSelection::industry_count() const {
    return std::popcount(industries);
}

SeekerNeeds NeedsSelection::draft() const {
    SeekerNeeds n;
    n.attendee_id = attendee_id;
    n.fair_id = fair_id;
    for (size_t i = 0; i < offered.size() && i < 32; ++i)
        if (industries & (1u << i)) n.industries.push_back(offered[i]);
    if (skill > 0 && skill < 6) n.skill = kSkillLevels[skill];
    for (int i = 0; i < 3; ++i)
        if (certificates & (1u << i)) n.certificates.push_back(kCertificates[i]);
    for (int i = 0; i < kNeedsServices; ++i)
        if (services & (1u << i)) n.services.push_back(code(static_cast<ServiceKind>(i)));
    normalise_needs(n);
    return n;
}

std::optional<SeekerNeeds> save_needs(Store& store, const TerminalIdentity& identity,
                                      const NeedsSelection& sel, TimeMs now,
                                      std::string* error_key) {
    if (error_key) error_key->clear();
    if (sel.empty()) return std::nullopt;
    if (sel.industry_count() > static_cast<int>(kMaxNeedsIndustries)) {
        if (error_key) *error_key = "entrance.needs.too_many";
        return std::nullopt;
    }
    SeekerNeeds d = sel.draft();
    d.h.device_time = now;
    auto r = store.record_needs(d, identity.signer());
    if (!r && error_key) *error_key = store.last_error();
    return r;
}

} // namespace jf::desk
