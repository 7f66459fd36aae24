#include "kiosk/domain/needs.hpp"

#include <algorithm>

namespace jf {

const char* const kSkillLevels[6] = {"", "none", "junior", "intermediate", "senior", "technician"};
const char* const kCertificates[3] = {"special_ops", "driving", "health"};

namespace {

constexpr ServiceKind kServiceOrder[] = {ServiceKind::LegalAid, ServiceKind::Training,
                                         ServiceKind::Entrepreneurship, ServiceKind::JobService};
constexpr size_t kIndustryBytes = 64;

template <class List> int rank(const List& list, std::string_view code) {
    int i = 0;
    for (auto& c : list) {
        if (code == std::string_view(c)) return i;
        ++i;
    }
    return -1;
}

int service_rank(std::string_view s) {
    int i = 0;
    for (auto k : kServiceOrder) {
        if (s == code(k)) return i;
        ++i;
    }
    return -1;
}

// Every code known, strictly increasing by rank (so none twice).
template <class Rank> bool ordered(const std::vector<std::string>& v, Rank r) {
    int last = -1;
    for (auto& x : v) {
        int k = r(x);
        if (k <= last) return false;
        last = k;
    }
    return true;
}

template <class Rank> void sort_by(std::vector<std::string>& v, Rank r) {
    std::erase_if(v, [&](const std::string& x) { return r(x) < 0; });
    std::sort(v.begin(), v.end(), [&](auto& a, auto& b) { return r(a) < r(b); });
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

} // namespace

bool needs_ok(const SeekerNeeds& n) {
    if (rank(kSkillLevels, n.skill) < 0) return false;
    if (n.industries.size() > kMaxNeedsIndustries) return false;
    for (size_t i = 0; i < n.industries.size(); ++i) {
        auto& s = n.industries[i];
        if (s.empty() || s.size() > kIndustryBytes) return false;
        for (unsigned char c : s)
            if (c < 0x20 || c == 0x7f) return false;
        if (i > 0 && !(n.industries[i - 1] < s)) return false;
    }
    return ordered(n.certificates, [](auto& c) { return rank(kCertificates, c); }) &&
           ordered(n.services, service_rank);
}

void normalise_needs(SeekerNeeds& n) {
    std::sort(n.industries.begin(), n.industries.end());
    n.industries.erase(std::unique(n.industries.begin(), n.industries.end()), n.industries.end());
    sort_by(n.certificates, [](auto& c) { return rank(kCertificates, c); });
    sort_by(n.services, service_rank);
}

bool needs_empty(const SeekerNeeds& n) {
    return n.industries.empty() && n.skill.empty() && n.certificates.empty() && n.services.empty();
}

} // namespace jf
