// The union's forms from the hub's data (hub_reports.hpp).
#include "hub_reports.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <functional>

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

FairDayCounts fair_totals(HubStore& store, const std::string& fair_id) {
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
