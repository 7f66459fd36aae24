// The union's forms from the hub's data (hub_reports.hpp).
#include "sync/hub/hub_reports.hpp"

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
            auto unseal = [&](const std::string& sealed) -> std::string {
                auto b = from_base64(sealed);
                if (b)
                    for (auto& key : seals_)
                        if (!key.secret_key.empty())
                            if (auto plain = open_sealed(key, *b)) return *plain;
                return {};
            };
            c.resident_id = unseal(a->sealed_id);
            c.phone = unseal(a->sealed_phone);
            if (!c.resident_id.empty() || !c.phone.empty()) it->second = std::move(c), ++people_;
        }
    }
    return it->second;
}

ReportInput hub_report_input(HubStore& store, ContactOpener* opener) {
    ReportInput in;
    in.campaigns = store.campaigns();
    in.fairs = store.fairs();
    in.employers = store.employers();
    in.listings = store.listings();
    for (auto& p : store.placement_versions())
        in.placements.push_back(std::move(p.record));
    for (auto& c : store.check_ins())
        in.check_ins.push_back(std::move(c.record));
    auto day = store.fair_day();
    in.intents = std::move(day.intents);
    in.undos = std::move(day.undos);
    in.services = std::move(day.services);
    in.needs = std::move(day.needs);
    if (opener) in.open_contact = std::ref(*opener);
    return in;
}

ReportInput hub_report_input(HubStore& store, ContactOpener* opener, forms::ReportKind kind,
                             const ReportPeriod& period) {
    if (kind != forms::ReportKind::Detail && kind != forms::ReportKind::Summary)
        return hub_report_input(store, opener);
    // The weekly pair counts placements alone, and only those of the period.
    ReportInput in;
    in.campaigns = store.campaigns();
    in.fairs = store.fairs();
    in.employers = store.employers();
    for (auto& p : store.period_placement_versions(period))
        in.placements.push_back(std::move(p.record));
    if (kind == forms::ReportKind::Detail) {
        std::set<std::string> named; // 附件6 prints the listings its placements name
        for (auto& p : in.placements)
            if (!p.listing_id.empty()) named.insert(p.listing_id);
        in.listings = store.listings(std::vector<std::string>(named.begin(), named.end()));
    } else {
        in.listings = store.listings(); // 归集企业数 and 岗位数
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

FairDayCounts fair_totals(HubStore& store, const std::string& fair_id,
                          std::array<int64_t, 24>* per_hour) {
    auto indexed = store.fair_counts(fair_id);
    auto day = store.fair_day_figures(fair_id);
    FairDayCounts n;
    n.intents = day.intents;
    n.with_intent = day.with_intent;
    n.services = day.services;
    n.people_in = indexed.people;
    n.check_ins = indexed.check_ins;
    n.placements = indexed.placements;
    n.placed = 0;
    if (per_hour) *per_hour = indexed.per_hour;
    // Check-ins undone at the door: only their people's accepted check-ins are read. A person
    // stays in while one of theirs is not undone.
    auto undone = undone_check_ins(day.undos);
    std::map<std::string, int64_t> left; // per person named by an undo: check-ins not undone
    for (auto& [person, uuid] : day.undone_people_check_ins) {
        bool out = undone.count(uuid) > 0;
        left[person] += out ? 0 : 1;
        n.undone += out ? 1 : 0;
    }
    n.check_ins -= n.undone;
    for (auto& [person, count] : left)
        if (count == 0) --n.people_in;
    // The chart's hours leave the undone check-ins out too (a fair with undos only).
    if (per_hour && n.undone > 0)
        for (auto& c : store.check_ins(fair_id))
            if (c.record.verdict == Verdict::CheckedIn && undone.count(c.record.h.uuid)) {
                auto hour = ((c.record.h.device_time + 8 * 3600000) / 3600000) % 24;
                if (hour >= 0 && hour < 24 && (*per_hour)[static_cast<size_t>(hour)] > 0)
                    --(*per_hour)[static_cast<size_t>(hour)];
            }
    return n;
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
