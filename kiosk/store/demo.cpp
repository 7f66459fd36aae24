// Reading assets/demo and seeding a store from it.
//
// Index
// - Reading      JSON helpers, relative dates, key groups
// - Files        fair.json, employers.json, listings.json, attendees.json, DEMO-ONLY-keys.json
// - Seeding      everything validated first, then written in one transaction
#include "kiosk/store/demo.hpp"

#include "kiosk/domain/validate.hpp"
#include "kiosk/i18n/i18n.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/people.hpp"

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>

namespace jf {

using json = nlohmann::json;

std::string default_demo_dir() {
    return assets_dir() + "/demo";
}

namespace {

// -----------------------------------------------------------------------------
// Reading
// -----------------------------------------------------------------------------

std::optional<json> read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

// Lenient field access: a missing or mistyped field sets `ok` false instead of throwing.
struct Fields {
    const json& j;
    bool& ok;
    std::string str(const char* k, bool required = true) const {
        auto it = j.find(k);
        if (it != j.end() && it->is_string()) return it->get<std::string>();
        if (required || (it != j.end() && !it->is_null())) ok = false;
        return {};
    }
    bool flag(const char* k) const {
        auto it = j.find(k);
        if (it != j.end() && it->is_boolean()) return it->get<bool>();
        ok = false;
        return false;
    }
};

// "+N" / "-N" days from today, or a literal YYYYMMDD.
std::optional<Date> demo_date(const std::string& s, Date today) {
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        int n = 0;
        auto [p, ec] = std::from_chars(s.data() + 1, s.data() + s.size(), n);
        if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
        return Date::from_days(today.days_since_epoch() + (s[0] == '-' ? -n : n));
    }
    return Date::parse(s);
}

std::string with_year(std::string s, Date today) {
    if (auto p = s.find("{year}"); p != std::string::npos)
        s.replace(p, 6, std::to_string(today.year));
    return s;
}

std::optional<uint32_t> key_groups(const json& names) {
    static const std::pair<const char*, uint32_t> kGroups[] = {
        {"外出务工人员(农民工)", kMigrantWorker},
        {"新就业形态劳动者", kNewFormWorker},
        {"困难职工及家庭成员", kHardshipFamily},
        {"高校毕业生", kCollegeGraduate},
        {"残疾人", kDisabled},
        {"农村劳动者", kRuralLabourer}};
    if (!names.is_array()) return std::nullopt;
    uint32_t bits = 0;
    for (auto& n : names) {
        if (!n.is_string()) return std::nullopt;
        bool found = false;
        for (auto& [name, bit] : kGroups)
            if (n.get<std::string>() == name) bits |= bit, found = true;
        if (!found) return std::nullopt;
    }
    return bits;
}

const json* rows(const json& j) {
    auto it = j.find("rows");
    return it != j.end() && it->is_array() ? &*it : nullptr;
}

// -----------------------------------------------------------------------------
// Files
// -----------------------------------------------------------------------------

struct Demo {
    Campaign campaign;
    std::vector<Fair> fairs;
    std::vector<Employer> employers;
    std::vector<JobListing> listings;
    std::vector<AttendeeInput> attendees;
    std::string terminal_id, terminal_mode, terminal_fair;
};

bool read_fair(const std::string& dir, Date today, Demo& d) {
    auto j = read_json(dir + "/fair.json");
    if (!j || !j->is_object() || !j->contains("campaign") || !j->contains("fairs") ||
        !j->contains("terminal"))
        return false;
    bool ok = true;
    Fields c{(*j)["campaign"], ok};
    d.campaign.id = c.str("id");
    d.campaign.name = with_year(c.str("名称"), today);
    auto cf = demo_date(c.str("集中行动开始"), today), cu = demo_date(c.str("集中行动结束"), today);
    auto yf = demo_date(c.str("全年开始"), today), yu = demo_date(c.str("全年结束"), today);
    if (!cf || !cu || !yf || !yu) return false;
    d.campaign.concentrated_from = *cf;
    d.campaign.concentrated_until = *cu;
    d.campaign.year_from = *yf;
    d.campaign.year_until = *yu;
    if (!(*j)["fairs"].is_array()) return false;
    for (auto& fj : (*j)["fairs"]) {
        Fields f{fj, ok};
        Fair fair;
        fair.id = f.str("id");
        fair.campaign_id = d.campaign.id;
        fair.name = with_year(f.str("名称"), today);
        fair.union_unit = f.str("单位");
        fair.venue = f.str("场地");
        auto date = demo_date(f.str("日期"), today);
        if (!date) return false;
        fair.date = *date;
        fair.online = f.flag("线上");
        fair.special = f.flag("专场");
        d.fairs.push_back(std::move(fair));
    }
    Fields t{(*j)["terminal"], ok};
    d.terminal_id = t.str("id");
    d.terminal_mode = t.str("mode");
    d.terminal_fair = t.str("fair");
    return ok && !d.fairs.empty();
}

bool read_employers(const std::string& dir, Demo& d) {
    auto j = read_json(dir + "/employers.json");
    const json* rs = j ? rows(*j) : nullptr;
    if (!rs) return false;
    bool ok = true;
    for (auto& r : *rs) {
        Fields f{r, ok};
        d.employers.push_back(Employer{f.str("id"), f.str("单位名称"),
                                       f.str("统一社会信用代码", false), f.str("所属工会", false),
                                       f.str("联系人", false), f.str("联系电话", false)});
    }
    return ok;
}

bool read_listings(const std::string& dir, Date today, Demo& d) {
    auto j = read_json(dir + "/listings.json");
    const json* rs = j ? rows(*j) : nullptr;
    if (!rs) return false;
    bool ok = true;
    for (auto& r : *rs) {
        Fields f{r, ok};
        JobListing l;
        l.id = f.str("id");
        l.employer_id = f.str("employer_id", false);
        l.union_unit = f.str("所属工会", false);
        l.employer_name = f.str("单位名称");
        l.title = f.str("岗位名称");
        if (auto it = r.find("招聘人数"); it != r.end() && it->is_number_integer())
            l.headcount = it->get<int>();
        l.work_location = f.str("工作地点");
        l.industry = f.str("行业类别", false);
        l.salary = f.str("薪资", false);
        l.gender_requirement = f.str("性别要求", false);
        l.education = f.str("学历要求", false);
        l.contact_name = f.str("联系人", false);
        l.contact_phone = f.str("联系电话");
        l.email = f.str("邮箱", false);
        l.description = f.str("职位描述及要求", false);
        l.experience = f.str("工作经验要求", false);
        auto deadline = demo_date(f.str("招聘截止日期"), today);
        if (!deadline) return false;
        l.deadline = *deadline;
        l.remarks = f.str("备注", false);
        if (!check_listing(l).empty()) return false;
        d.listings.push_back(std::move(l));
    }
    return ok;
}

bool read_attendees(const std::string& dir, Demo& d) {
    auto j = read_json(dir + "/attendees.json");
    const json* rs = j ? rows(*j) : nullptr;
    if (!rs) return false;
    bool ok = true;
    for (auto& r : *rs) {
        Fields f{r, ok};
        AttendeeInput in;
        in.id = f.str("id");
        in.name = f.str("姓名");
        in.name_initials = f.str("拼音首字母", false);
        std::string gender = f.str("性别", false);
        in.gender = gender == "男"   ? Gender::Male
                    : gender == "女" ? Gender::Female
                                     : Gender::Unknown;
        auto groups =
            r.contains("重点群体") ? key_groups(r["重点群体"]) : std::optional<uint32_t>(0);
        if (!groups) return false;
        in.key_groups = *groups;
        in.phone = f.str("手机号码", false);
        in.resident_id = f.str("身份证号码", false);
        in.union_unit = f.str("所属工会", false);
        d.attendees.push_back(std::move(in));
    }
    return ok;
}


} // namespace

std::optional<DemoKeys> load_demo_keys(const std::string& dir, std::string* error) {
    auto fail = [&]() -> std::optional<DemoKeys> {
        if (error) *error = "err.demo.keys";
        return std::nullopt;
    };
    if (!crypto_init()) return fail();
    auto j = read_json(dir + "/DEMO-ONLY-keys.json");
    if (!j || !j->is_object()) return fail();
    bool ok = true;
    auto hex_of = [&](const json& obj, const char* k) -> Bytes {
        if (!obj.is_object()) return ok = false, Bytes{};
        auto b = from_hex(Fields{obj, ok}.str(k));
        if (!b) ok = false;
        return b.value_or(Bytes{});
    };
    DemoKeys k;
    auto issuer = SigningKey::from_secret(hex_of((*j)["issuer"], "secret_key_hex"));
    k.hub_seal.public_key = hex_of((*j)["hub_seal"], "public_key_hex");
    k.hub_seal.secret_key = hex_of((*j)["hub_seal"], "secret_key_hex");
    if (!ok || !issuer || k.hub_seal.public_key.size() != 32 || k.hub_seal.secret_key.size() != 32)
        return fail();
    k.issuer = std::move(*issuer);
    return k;
}

// -----------------------------------------------------------------------------
// Seeding
// -----------------------------------------------------------------------------

bool seed_demo(Store& store, const std::string& dir, Date today, std::string* error) {
    auto fail = [&](const char* key) {
        if (error) *error = key;
        return false;
    };
    if (!today.valid()) return fail("err.demo.file");
    auto keys = load_demo_keys(dir, error);
    if (!keys) return false;
    Demo d;
    if (!read_fair(dir, today, d) || !read_employers(dir, d) || !read_listings(dir, today, d) ||
        !read_attendees(dir, d))
        return fail("err.demo.file");
    // Seal every attendee before writing, so a bad row stops the seeding before it starts.
    std::vector<Attendee> attendees;
    for (auto& in : d.attendees) {
        Check problem;
        attendees.push_back(seal_attendee(in, keys->hub_seal.public_key, &problem));
        if (!problem.ok()) return fail("err.demo.file");
    }

    bool ok = store.transaction([&] {
        auto have = store.campaign(d.campaign.id);
        if (!have || have->concentrated_from != d.campaign.concentrated_from ||
            have->name != d.campaign.name ||
            have->concentrated_until != d.campaign.concentrated_until ||
            have->year_from != d.campaign.year_from || have->year_until != d.campaign.year_until)
            if (!store.upsert_campaign(d.campaign)) return false;
        for (auto& f : d.fairs) {
            auto old = store.fair(f.id);
            if (!old || old->name != f.name || old->date != f.date || old->venue != f.venue ||
                old->union_unit != f.union_unit || old->online != f.online ||
                old->special != f.special)
                if (!store.upsert_fair(f)) return false;
        }
        for (auto& e : d.employers)
            if (!store.employer(e.id) && !store.upsert_employer(e)) return false;
        // Rewriting an unchanged listing would still churn the search index; skip those.
        for (auto& l : d.listings) {
            auto old = store.listing(l.id);
            if ((!old || !old->same_posting(l)) && !store.upsert_listing(l)) return false;
        }
        auto trusted = store.issuer_keys();
        if (trusted[keys->issuer.key_id()] != keys->issuer.public_key &&
            !store.upsert_issuer_key(keys->issuer.key_id(), keys->issuer.public_key))
            return false;
        // People and the terminal are made once: their sealed data and keys are random each time.
        for (auto& a : attendees)
            if (!store.attendee(a.id) && !store.upsert_attendee(a)) return false;
        if (!load_identity(store)) {
            TerminalIdentity t;
            t.terminal_id = d.terminal_id;
            t.key = SigningKey::generate();
            t.hub_seal_public_key = keys->hub_seal.public_key;
            t.fair_id = d.terminal_fair;
            t.mode = d.terminal_mode;
            if (!save_identity(store, t)) return false;
        }
        if (!store.setting("demo.seeded_on"))
            return store.set_setting("demo.seeded_on", today.to_string());
        return true;
    });
    if (!ok) return fail(store.last_error().empty() ? "err.store.db" : store.last_error().c_str());
    return true;
}

} // namespace jf
