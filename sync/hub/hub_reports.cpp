// The union's forms from the hub's data (hub_reports.hpp).
#include "hub_reports.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <functional>
#include <map>
#include <set>

namespace jf::hub {

std::optional<RevealedContact> ContactOpener::operator()(const std::string& attendee_id) {
    auto [it, fresh] = opened_.try_emplace(attendee_id);
    if (fresh) {
        if (auto a = store_.attendee(attendee_id)) {
            RevealedContact c;
            if (auto b = from_base64(a->sealed_id))
                if (auto plain = open_sealed(seal_, *b)) c.resident_id = *plain;
            if (auto b = from_base64(a->sealed_phone))
                if (auto plain = open_sealed(seal_, *b)) c.phone = *plain;
            if (!c.resident_id.empty() || !c.phone.empty()) it->second = std::move(c), ++people_;
        }
    }
    return it->second;
}

ReportInput hub_report_input(HubStore& store, ContactOpener* opener, forms::ReportKind kind,
                             const ReportPeriod& period) {
    ReportInput in;
    in.campaigns = store.campaigns();
    in.fairs = store.fairs();
    in.employers = store.employers();
    in.listings = store.listings();
    if (kind == forms::ReportKind::Summary || kind == forms::ReportKind::Detail) {
        // The weekly pair counts placements alone, and only those of the period.
        for (auto& p : store.placements_in(period))
            in.placements.push_back(std::move(p.record));
    } else {
        for (auto& p : store.placement_versions())
            in.placements.push_back(std::move(p.record));
        for (auto& c : store.check_ins())
            in.check_ins.push_back(std::move(c.record));
        auto day = store.fair_day();
        in.intents = std::move(day.intents);
        in.undos = std::move(day.undos);
        in.services = std::move(day.services);
    }
    if (opener) in.open_contact = std::ref(*opener);
    return in;
}

ReportOptions report_options(HubStore& store, const std::string& union_unit) {
    ReportOptions ro;
    ro.union_unit = union_unit;
    if (union_unit.empty()) return ro;
    std::multimap<std::string, std::string> children;
    for (auto& u : store.unions())
        children.emplace(u.parent, u.id);
    std::set<std::string> seen{union_unit};
    auto visit = [&](const std::string& id) { // the tree's order, level by level
        auto [from, until] = children.equal_range(id);
        for (auto it = from; it != until; ++it)
            if (seen.insert(it->second).second) ro.below.push_back(it->second);
    };
    visit(union_unit);
    for (size_t i = 0; i < ro.below.size(); ++i)
        visit(ro.below[i]);
    return ro;
}

std::map<std::string, std::string> summary_digests(const SummaryReport& s,
                                                   const ReportOptions& options) {
    std::vector<std::string> unions;
    if (!options.union_unit.empty()) unions.push_back(options.union_unit);
    unions.insert(unions.end(), options.below.begin(), options.below.end());
    for (auto& row : s.rows) // unions outside the tree (a report of every union)
        if (std::find(unions.begin(), unions.end(), row.union_unit) == unions.end())
            unions.push_back(row.union_unit);
    std::map<std::string, std::string> out;
    for (auto& u : unions) {
        SummaryRow x;
        for (auto& row : s.rows)
            if (unit_key(row.union_unit) == unit_key(u)) x = row;
        std::string figures = std::to_string(x.employers) + "," + std::to_string(x.jobs) + "," +
                              std::to_string(x.fairs_online) + "," +
                              std::to_string(x.fairs_offline) + "," + std::to_string(x.placed);
        for (auto g : x.groups)
            figures += "," + std::to_string(g);
        out[u] = keyed_hash(Bytes(32, 0), "jf.summary-row.v1", figures);
    }
    return out;
}

HubForm build_hub_form(HubStore& store, forms::ReportKind kind, const ReportPeriod& period,
                       const std::string& union_unit, ContactOpener* opener, Date filled_on,
                       const std::vector<Target>* targets, const std::set<std::string>* readable) {
    HubForm f;
    f.options = report_options(store, union_unit);
    if (readable)
        std::erase_if(f.options.below, [&](const std::string& u) { return !readable->count(u); });
    f.targets = targets ? *targets : stored_targets(store, period);
    for (auto& x : f.targets)
        f.options.units.push_back(x.unit);
    f.input = hub_report_input(store, opener, kind, period);
    f.sheet = forms::build_form(f.input, kind, period, f.options, f.targets, filled_on, &f.why);
    return f;
}

std::string report_bytes(const forms::FormSheet& sheet, const std::string& format,
                         std::string* error) {
    if (format == "csv") return forms::to_csv(sheet);
    // libxlsxwriter writes files only: a private temporary file, read back and removed.
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path dir = fs::temp_directory_path(ec);
    std::string path = (dir / ("jf-report-" + new_uuid() + ".xlsx")).string();
    std::string out;
    if (forms::write_xlsx(sheet, path, error)) {
        std::ifstream f(path, std::ios::binary);
        out.assign(std::istreambuf_iterator<char>(f), {});
        if (out.empty() && error) *error = path + ": could not be read back";
    }
    ::unlink(path.c_str());
    return out;
}

std::vector<Target> stored_targets(HubStore& store, const ReportPeriod& period,
                                   const std::string& campaign_id) {
    if (!campaign_id.empty()) return store.targets(campaign_id);
    for (auto& c : store.campaigns())
        if (!(period.first_day < c.year_from) && !(c.year_until < period.first_day))
            return store.targets(c.id);
    return {};
}

} // namespace jf::hub
