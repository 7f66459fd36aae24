// The interim 附件4 CSV reader behind `jobfair-hub import-listings`, the attendee registry CSV
// reader behind `jobfair-hub import-attendees`, and time formatting for the staff commands.
#include "hub_cli.hpp"

#include "domain/validate.hpp"
#include "store/people.hpp"

#include <fstream>
#include <map>
#include <sstream>

namespace jf::hub {

std::string format_time(TimeMs t) {
    if (t == 0) return "-";
    auto iso = cst_iso(t); // 2024-02-23T10:02:05+08:00
    return iso.substr(0, 10) + " " + iso.substr(11, 8);
}

namespace {
// RFC 4180 fields: quotes, doubled quotes, commas and line breaks inside quotes.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false, any = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
                field += '"', ++i;
            else if (c == '"')
                quoted = false;
            else
                field += c;
        } else if (c == '"') {
            quoted = any = true;
        } else if (c == ',') {
            rows.back().push_back(trim(field));
            field.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            rows.back().push_back(trim(field));
            field.clear();
            rows.emplace_back();
        } else {
            field += c;
            any = true;
        }
    }
    if (!field.empty() || !rows.back().empty()) rows.back().push_back(trim(field));
    (void)any;
    while (!rows.empty() &&
           (rows.back().empty() || (rows.back().size() == 1 && rows.back()[0].empty())))
        rows.pop_back();
    return rows;
}
} // namespace

ListingImport read_listings_csv(const std::string& path, const std::string& union_unit) {
    ListingImport out;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        out.problems.push_back(path + ": err.import.unreadable");
        return out;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    auto rows = parse_csv(text);
    // 附件4 columns in order; a header row (starting 序号) is skipped.
    size_t first =
        (!rows.empty() && !rows[0].empty() && rows[0][0].find("序号") != std::string::npos) ? 1 : 0;
    std::map<std::string, std::string> employer_ids;
    for (size_t r = first; r < rows.size(); ++r) {
        auto& f = rows[r];
        auto col = [&](size_t i) { return i < f.size() ? f[i] : std::string(); };
        JobListing l;
        l.employer_name = col(1);
        l.title = col(2);
        if (!col(3).empty()) {
            try {
                l.headcount = std::stoi(col(3));
            } catch (...) {
                out.problems.push_back("row " + std::to_string(r + 1) +
                                       ": 招聘人数: err.listing.headcount");
                continue;
            }
        }
        l.work_location = col(4);
        l.industry = col(5);
        l.salary = col(6);
        l.gender_requirement = col(7);
        l.education = col(8);
        l.contact_name = col(9);
        l.contact_phone = col(10);
        l.email = col(11);
        l.description = col(12);
        l.experience = col(13);
        l.deadline = Date::parse(col(14)).value_or(Date{});
        l.remarks = col(15);
        l.union_unit = union_unit;
        auto problems = check_listing(l);
        if (!problems.empty()) {
            for (auto& p : problems)
                out.problems.push_back("row " + std::to_string(r + 1) + ": " + p.field + ": " +
                                       p.key);
            continue;
        }
        // Stable identity: the same employer, title and place is the same listing when re-imported.
        auto& eid = employer_ids[l.employer_name];
        if (eid.empty()) {
            eid =
                "E-" + keyed_hash(Bytes(32, 0), "jf.employer-id.v1", l.employer_name).substr(0, 12);
            Employer e;
            e.id = eid;
            e.name = l.employer_name;
            e.union_unit = union_unit;
            e.contact_name = l.contact_name;
            e.contact_phone = l.contact_phone;
            out.employers.push_back(e);
        }
        l.employer_id = eid;
        l.id = "L-" + keyed_hash(Bytes(32, 0), "jf.listing-id.v1",
                                 l.employer_name + "\x1f" + l.title + "\x1f" + l.work_location)
                          .substr(0, 16);
        out.listings.push_back(std::move(l));
    }
    return out;
}

namespace {
std::optional<std::string> read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    return text;
}
} // namespace

AttendeeImport read_attendees_csv(const std::string& path, const Bytes& seal_public_key) {
    AttendeeImport out;
    auto text = read_text(path);
    if (!text) {
        out.problems.push_back(path + ": err.import.unreadable");
        return out;
    }
    auto rows = parse_csv(*text);
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
    for (size_t i = 0; i < rows[0].size(); ++i)
        for (auto& [zh, en] : names)
            if (rows[0][i] == zh || rows[0][i] == en) col[en] = i;
    if (!col.count("id") || !col.count("name")) {
        out.problems.push_back("row 1: err.import.header");
        return out;
    }
    const std::pair<const char*, KeyGroup> groups[] = {
        {"农民工", kMigrantWorker},       {"外出务工", kMigrantWorker},
        {"新就业形态", kNewFormWorker},   {"困难职工", kHardshipFamily},
        {"高校毕业生", kCollegeGraduate}, {"残疾", kDisabled}, // 残疾人, the plan's 残疾职工
        {"农村劳动者", kRuralLabourer}};
    for (size_t r = 1; r < rows.size(); ++r) {
        auto get = [&](const char* k) {
            auto it = col.find(k);
            return it != col.end() && it->second < rows[r].size() ? rows[r][it->second]
                                                                  : std::string();
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
            out.problems.push_back("row " + std::to_string(r + 1) + ": err.store.id_missing");
            continue;
        }
        Check problem;
        auto a = seal_attendee(in, seal_public_key, &problem);
        if (a.id.empty()) {
            out.problems.push_back("row " + std::to_string(r + 1) + ": " +
                                   (problem.key.empty() ? "err.import.row" : problem.key));
            continue;
        }
        out.attendees.push_back(std::move(a));
    }
    return out;
}

} // namespace jf::hub
