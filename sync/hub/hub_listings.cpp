// The attendee registry behind `jobfair-hub import-attendees` (read by the forms' one table
// reader, kiosk/forms/table.hpp, like every spreadsheet the programs read), and time formatting
// for the staff commands.
#include "sync/hub/hub_cli.hpp"
#include "sync/hub/hub_listings.hpp"

#include "kiosk/domain/reports.hpp"
#include "kiosk/domain/validate.hpp"
#include "kiosk/forms/table.hpp"
#include "kiosk/store/people.hpp"

#include <map>

namespace jf::hub {

std::string format_time(TimeMs t) {
    if (t == 0) return "-";
    auto iso = cst_iso(t); // 2024-02-23T10:02:05+08:00
    return iso.substr(0, 10) + " " + iso.substr(11, 8);
}

AttendeeImport read_attendees_csv(const std::string& path, const Bytes& seal_public_key) {
    AttendeeImport out;
    std::vector<std::pair<int64_t, std::vector<std::string>>> rows;
    auto read = forms::read_table(path, [&](int64_t row, std::vector<std::string>& cells) {
        for (auto& c : cells)
            c = trim(c);
        rows.emplace_back(row, cells);
        return true;
    });
    if (!read.ok) {
        out.problems.push_back(path + ": " + read.error_key);
        return out;
    }
    if (rows.empty()) return out;
    std::map<std::string, size_t> col;
    const std::pair<const char*, const char*> names[] = {{"编号", "id"},
                                                         {"姓名", "name"},
                                                         {"手机号码", "phone"},
                                                         {"身份证号码", "resident_id"},
                                                         {"性别", "gender"},
                                                         {"拼音首字母", "initials"},
                                                         {"重点群体", "key_groups"},
                                                         {"单位", "unit"},
                                                         {"活动", "campaign"}};
    const auto& header = rows[0].second;
    for (size_t i = 0; i < header.size(); ++i)
        for (auto& [zh, en] : names)
            if (header[i] == zh || header[i] == en) col[en] = i;
    if (!col.count("id") || !col.count("name")) {
        out.problems.push_back("row " + std::to_string(rows[0].first) + ": err.import.header");
        return out;
    }
    const std::pair<const char*, KeyGroup> groups[] = {
        {"农民工", kMigrantWorker},       {"外出务工", kMigrantWorker},
        {"新就业形态", kNewFormWorker},   {"困难职工", kHardshipFamily},
        {"高校毕业生", kCollegeGraduate}, {"残疾", kDisabled}, // 残疾人, the plan's 残疾职工
        {"农村劳动者", kRuralLabourer}};
    for (size_t r = 1; r < rows.size(); ++r) {
        const auto& cells = rows[r].second;
        const std::string where = "row " + std::to_string(rows[r].first) + ": ";
        auto get = [&](const char* k) {
            auto it = col.find(k);
            return it != col.end() && it->second < cells.size() ? cells[it->second] : std::string();
        };
        AttendeeInput in;
        in.id = get("id");
        in.name = get("name");
        in.phone = get("phone");
        in.resident_id = get("resident_id");
        auto g = get("gender");
        in.gender = g == "男" ? Gender::Male : g == "女" ? Gender::Female : Gender::Unknown;
        in.name_initials = normalize_initials(get("initials"));
        auto kg = get("key_groups");
        for (auto& [word, bit] : groups)
            if (kg.find(word) != std::string::npos) in.key_groups |= bit;
        in.union_unit = get("unit");
        in.campaign_id = get("campaign");
        if (in.id.empty()) {
            out.problems.push_back(where + "err.store.id_missing");
            continue;
        }
        Check problem;
        auto a = seal_attendee(in, seal_public_key, &problem);
        if (a.id.empty()) {
            out.problems.push_back(where + (problem.key.empty() ? "err.import.row" : problem.key));
            continue;
        }
        out.attendees.push_back(std::move(a));
    }
    return out;
}

ListingWriter::ListingWriter(HubStore& store, bool dry) : store_(store), dry_(dry) {
    for (auto& e : store_.employers())
        employer_by_name_.emplace(unit_key(e.name), e.id);
}

bool ListingWriter::write(std::vector<JobListing>& batch) {
    // The stored rows are read batch by batch: memory stays flat however many listings the hub
    // holds.
    std::map<std::string, JobListing> existing;
    {
        std::vector<std::string> ids;
        ids.reserve(batch.size());
        for (auto& l : batch)
            ids.push_back(l.id);
        for (auto& l : store_.listings(ids))
            existing.emplace(l.id, std::move(l));
    }
    std::vector<Employer> new_employers;
    size_t keep = 0;
    int64_t a = 0, u = 0, same = 0;
    for (JobListing& l : batch) {
        auto& eid = employer_by_name_[unit_key(l.employer_name)];
        if (eid.empty()) {
            Employer e;
            e.id =
                "E-" + keyed_hash(Bytes(32, 0), "jf.employer-id.v1", l.employer_name).substr(0, 12);
            e.name = l.employer_name;
            e.union_unit = l.union_unit;
            e.contact_name = l.contact_name;
            e.contact_phone = l.contact_phone;
            eid = e.id;
            new_employers.push_back(std::move(e));
        }
        l.employer_id = eid;
        auto old = existing.find(l.id);
        if (old != existing.end()) {
            if (l.union_unit.empty()) l.union_unit = old->second.union_unit;
            if (old->second.same_posting(l)) {
                ++same;
                continue;
            }
        }
        ++(old == existing.end() ? a : u);
        if (&batch[keep] != &l) batch[keep] = std::move(l);
        ++keep;
    }
    batch.resize(keep);
    if (!dry_ && !store_.upsert_listings(new_employers, batch)) {
        // The batch's new employers were not written: forget their ids.
        for (auto& e : new_employers)
            employer_by_name_.erase(unit_key(e.name));
        return false;
    }
    added += a;
    updated += u;
    unchanged += same;
    return true;
}

} // namespace jf::hub
