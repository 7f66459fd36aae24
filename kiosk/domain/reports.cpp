// Report builders for 附件1, 附件5, 附件6, the insurance list and the Wuhan 春风行动 table.
//
// Index
// - Periods            ReportWeek arithmetic (ISO weeks, Thursday 10:00 CST), ranges, parsing
// - Resolution         current placement versions, reporting unions
// - 附件6 / 附件5       detail rows, the per-union summary, note 6
// - 附件1               progress against targets
// - Insurance, 春风行动
#include "kiosk/domain/reports.hpp"
#include "kiosk/domain/numbers.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace jf {

// -----------------------------------------------------------------------------
// Periods
// -----------------------------------------------------------------------------

static constexpr int64_t kDayMs = 86400000LL;

TimeMs cst_midnight(Date d) {
    return d.days_since_epoch() * kDayMs - kCstOffsetMs;
}

bool ReportPeriod::contains(Date d) const {
    return d.valid() && contains(cst_midnight(d));
}

static std::string iso_hhmm(TimeMs t) {
    return cst_date(t).to_iso() + " " + cst_hhmm(t);
}

std::string ReportPeriod::describe() const {
    if (weekly) return iso_hhmm(begin) + " 至 " + iso_hhmm(end);
    return first_day.to_iso() + " 至 " + last_day.to_iso();
}

// Monday = 0 … Sunday = 6; 1970-01-01 was a Thursday.
static int weekday(int64_t days) {
    return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

static ReportWeek week_of_thursday(Date thu) {
    int64_t jan1 = Date{thu.year, 1, 1}.days_since_epoch();
    return ReportWeek{thu.year, static_cast<int>((thu.days_since_epoch() - jan1) / 7 + 1)};
}

Date ReportWeek::thursday() const {
    int64_t jan4 = Date{iso_year, 1, 4}.days_since_epoch();
    int64_t monday1 = jan4 - weekday(jan4);
    return Date::from_days(monday1 + 7LL * (iso_week - 1) + 3);
}

TimeMs ReportWeek::cut() const {
    return cst_midnight(thursday()) + 10LL * 3600 * 1000;
}

ReportPeriod ReportWeek::period() const {
    ReportPeriod p;
    p.end = cut();
    p.begin = p.end - 7 * kDayMs;
    p.last_day = thursday();
    p.first_day = Date::from_days(p.last_day.days_since_epoch() - 6);
    p.label = label();
    p.weekly = true;
    return p;
}

std::string ReportWeek::label() const {
    char b[16];
    std::snprintf(b, sizeof b, "%04d-W%02d", iso_year, iso_week);
    return b;
}

ReportWeek ReportWeek::containing(TimeMs t) {
    int64_t days = cst_date(t).days_since_epoch();
    int64_t thu = days - weekday(days) + 3;
    ReportWeek w = week_of_thursday(Date::from_days(thu));
    if (t >= w.cut()) w = week_of_thursday(Date::from_days(thu + 7));
    return w;
}

static bool parse_num(std::string_view s, int& out) {
    auto v = parse_int<int>(s);
    if (v) out = *v;
    return v.has_value();
}

std::optional<ReportWeek> ReportWeek::parse(std::string_view t) {
    std::string s = trim(t);
    auto w = s.find_first_of("Ww");
    if (w == std::string::npos) return std::nullopt;
    std::string_view year = std::string_view(s).substr(0, w);
    if (!year.empty() && year.back() == '-') year.remove_suffix(1);
    ReportWeek r;
    if (year.size() != 4 || !parse_num(year, r.iso_year) ||
        !parse_num(std::string_view(s).substr(w + 1), r.iso_week))
        return std::nullopt;
    if (r.iso_year < 1900 || r.iso_year > 2199 || r.iso_week < 1 || r.iso_week > 53)
        return std::nullopt;
    // Week 53 exists only in some years: the week's Thursday must lie in the same ISO year.
    if (week_of_thursday(r.thursday()) != r) return std::nullopt;
    return r;
}

ReportPeriod date_range(Date from, Date until) {
    ReportPeriod p;
    p.first_day = from;
    p.last_day = until;
    p.begin = cst_midnight(from);
    p.end = cst_midnight(until) + kDayMs;
    p.label = from.to_string() + "-" + until.to_string();
    return p;
}

std::optional<ReportPeriod> period_or_this_week(std::string_view text, TimeMs now) {
    if (text.empty()) return ReportWeek::containing(now).period();
    return parse_period(text);
}

std::optional<ReportPeriod> parse_period(std::string_view text) {
    std::string s = trim(text);
    if (auto w = ReportWeek::parse(s)) return w->period();
    std::string a, b;
    if (auto p = s.find(".."); p != std::string::npos)
        a = s.substr(0, p), b = s.substr(p + 2);
    else if (auto q = s.find('~'); q != std::string::npos)
        a = s.substr(0, q), b = s.substr(q + 1);
    else if (s.size() == 17 && s[8] == '-')
        a = s.substr(0, 8), b = s.substr(9);
    else
        return std::nullopt;
    auto from = Date::parse(a), until = Date::parse(b);
    if (!from || !until || *until < *from) return std::nullopt;
    return date_range(*from, *until);
}

// -----------------------------------------------------------------------------
// Resolution
// -----------------------------------------------------------------------------

std::string unit_key(std::string_view unit) {
    std::string out;
    out.reserve(unit.size());
    for (size_t i = 0; i < unit.size(); ++i) {
        char c = unit[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
        if (unit.substr(i, 3) == "\xE3\x80\x80") { // ideographic space
            i += 2;
            continue;
        }
        out += c;
    }
    return out;
}

std::string clean_label(std::string_view cell) {
    std::string out;
    bool gap = false;
    for (auto& ch : utf8_chars(cell)) {
        if (ch == " " || ch == "\t" || ch == "\n" || ch == "\r" || ch == "\xE3\x80\x80" ||
            ch == "\xC2\xA0") {
            gap = !out.empty();
            continue;
        }
        // A gap survives only between two Latin letters or digits ("Unit 3", not "三山 经开区").
        if (gap && ch.size() == 1 && static_cast<unsigned char>(out.back()) < 0x80 &&
            std::isalnum(static_cast<unsigned char>(out.back())) &&
            std::isalnum(static_cast<unsigned char>(ch[0])))
            out += ' ';
        gap = false;
        out += ch;
    }
    return out;
}

const std::vector<std::string> kPlanUnitOrder = {"无为市",     "南陵县",        "镜湖区", "鸠江区",
                                                 "弋江区",     "湾沚区",        "繁昌区", "经开区",
                                                 "三山经开区", "市职工服务中心"};

ResolvedPlacements resolve_placements(const std::vector<Placement>& versions) {
    ResolvedPlacements out;
    std::unordered_map<std::string_view, std::vector<const Placement*>> by_id;
    std::vector<std::string_view> order;
    for (auto& v : versions) {
        std::string_view id = v.placement_id.empty() ? v.h.uuid : v.placement_id;
        auto& g = by_id[id];
        if (g.empty()) order.push_back(id);
        g.push_back(&v);
    }
    for (auto id_view : order) {
        const std::string id(id_view);
        auto& vs = by_id[id_view];
        if (vs.size() == 1) { // an original never corrected: by far the usual case
            if (vs[0]->action == PlacementAction::Void) {
                ++out.voided;
                continue;
            }
            out.current.push_back(*vs[0]);
            out.current.back().placement_id = id;
            out.recorded.push_back(vs[0]->h.device_time);
            continue;
        }
        // When it was first recorded: the original's time (the earliest version's without it).
        TimeMs first = vs[0]->h.device_time;
        for (auto* v : vs)
            first = std::min(first, v->h.device_time);
        for (auto* v : vs)
            if (v->action == PlacementAction::Original) first = v->h.device_time;
        std::unordered_map<std::string, const Placement*> by_uuid;
        std::unordered_set<std::string> replaced;
        for (auto* v : vs) {
            by_uuid[v->h.uuid] = v;
            if (!v->corrects.empty()) replaced.insert(v->corrects);
        }
        std::vector<const Placement*> leaves;
        for (auto* v : vs)
            if (!replaced.count(v->h.uuid)) leaves.push_back(v);
        if (leaves.empty()) continue; // a cycle: nothing trustworthy to count
        const Placement* current = leaves.front();
        if (leaves.size() > 1) {
            // The chain from each leaf back to the original; the last version all chains share
            // is the undisputed one.
            auto chain = [&](const Placement* v) {
                std::vector<const Placement*> c;
                for (size_t guard = 0; v && guard <= vs.size(); ++guard) {
                    c.push_back(v);
                    auto it = v->corrects.empty() ? by_uuid.end() : by_uuid.find(v->corrects);
                    v = it == by_uuid.end() ? nullptr : it->second;
                }
                std::reverse(c.begin(), c.end());
                return c;
            };
            std::vector<const Placement*> common = chain(leaves.front());
            for (size_t i = 1; i < leaves.size(); ++i) {
                auto c = chain(leaves[i]);
                size_t n = 0;
                while (n < common.size() && n < c.size() && common[n] == c[n])
                    ++n;
                common.resize(n);
            }
            out.conflicts.push_back(id);
            if (common.empty()) continue;
            current = common.back();
        }
        if (current->action == PlacementAction::Void) {
            ++out.voided;
            continue;
        }
        Placement p = *current;
        p.placement_id = id;
        out.current.push_back(std::move(p));
        out.recorded.push_back(first);
    }
    return out;
}

namespace {

// Look-up tables over one ReportInput.
struct Index {
    std::unordered_map<std::string, const Fair*> fairs;
    std::unordered_map<std::string, const Employer*> employers;
    std::unordered_map<std::string, const JobListing*> listings;
    std::unordered_map<std::string, const Campaign*> campaigns;
    explicit Index(const ReportInput& in) {
        for (auto& f : in.fairs)
            fairs[f.id] = &f;
        for (auto& e : in.employers)
            employers[e.id] = &e;
        for (auto& l : in.listings)
            listings[l.id] = &l;
        for (auto& c : in.campaigns)
            campaigns[c.id] = &c;
    }
    std::string unit_of(const Placement& p) const {
        if (auto it = fairs.find(p.fair_id); it != fairs.end() && !it->second->union_unit.empty())
            return it->second->union_unit;
        if (auto it = employers.find(p.employer_id);
            it != employers.end() && !it->second->union_unit.empty())
            return it->second->union_unit;
        if (auto it = listings.find(p.listing_id); it != listings.end())
            return it->second->union_unit;
        return {};
    }
    std::string unit_of(const JobListing& l) const {
        if (!l.union_unit.empty()) return l.union_unit;
        if (auto it = employers.find(l.employer_id); it != employers.end())
            return it->second->union_unit;
        return {};
    }
    const Campaign* campaign_of(const Placement& p) const {
        auto f = fairs.find(p.fair_id);
        if (f == fairs.end()) return nullptr;
        auto c = campaigns.find(f->second->campaign_id);
        return c == campaigns.end() ? nullptr : c->second;
    }
};

bool unit_selected(const ReportOptions& opt, std::string_view unit) {
    if (opt.union_unit.empty()) return true;
    std::string key = unit_key(unit);
    if (unit_key(opt.union_unit) == key) return true;
    for (auto& u : opt.below)
        if (unit_key(u) == key) return true;
    return false;
}

const Campaign* choose_campaign(const ReportInput& in, const ReportPeriod& period,
                                const ReportOptions& opt) {
    if (!opt.campaign_id.empty()) {
        for (auto& c : in.campaigns)
            if (c.id == opt.campaign_id) return &c;
        return nullptr;
    }
    for (auto& c : in.campaigns)
        if (!(period.last_day < c.year_from) && !(c.year_until < period.last_day)) return &c;
    for (auto& c : in.campaigns)
        if (!(period.first_day < c.year_from) && !(c.year_until < period.first_day)) return &c;
    return in.campaigns.empty() ? nullptr : &in.campaigns.front();
}

bool before(const Placement& a, const Placement& b, const std::string& ua, const std::string& ub) {
    if (a.start_date != b.start_date) return a.start_date < b.start_date;
    if (ua != ub) return ua < ub;
    if (a.h.terminal_id != b.h.terminal_id) return a.h.terminal_id < b.h.terminal_id;
    if (a.h.seq != b.h.seq) return a.h.seq < b.h.seq;
    return a.placement_id < b.placement_id;
}

// A placed person's ID and phone numbers as the forms show them: opened where the hub could open
// them, masked otherwise, blank where the person has none (someone without an ID number is not
// "masked"). False when a number the person has is shown masked.
bool reveal(const ReportInput& in, const Placement& p, std::string& resident_id,
            std::string& phone) {
    auto it = in.revealed.find(p.attendee_id);
    const RevealedContact* open = it == in.revealed.end() ? nullptr : &it->second;
    std::optional<RevealedContact> opened;
    if (!open && in.open_contact && !p.attendee_id.empty())
        if ((opened = in.open_contact(p.attendee_id))) open = &*opened;
    bool complete = true;
    auto one = [&](const std::string& masked, const std::string* plain, std::string& out) {
        if (plain && !plain->empty())
            out = *plain;
        else if (!masked.empty())
            out = masked, complete = false;
        else
            out.clear();
    };
    one(p.id_masked, open ? &open->resident_id : nullptr, resident_id);
    one(p.phone_masked, open ? &open->phone : nullptr, phone);
    return complete;
}

std::string employer_key(const JobListing& l) {
    std::string k = unit_key(l.employer_name);
    return k.empty() ? "#" + l.employer_id : k;
}

} // namespace

bool counts_in(const ReportPeriod& period, Date day, TimeMs recorded) {
    if (!day.valid()) return false;
    if (!period.weekly || recorded <= 0) return period.contains(day);
    return period.contains(std::max(cst_midnight(day), recorded));
}

bool collected_in(const ReportPeriod& period, const JobListing& l) {
    return l.collected_at > 0 && period.contains(l.collected_at);
}

std::string placement_unit(const Placement& p, const ReportInput& in) {
    return Index(in).unit_of(p);
}

// -----------------------------------------------------------------------------
// 附件6 明细表
// -----------------------------------------------------------------------------

std::vector<std::string> detail_columns(int prev_year) {
    return {"序号",
            "实现就业人员姓名",
            "身份证号码",
            "手机号码",
            "就业地",
            "就业单位名称",
            std::to_string(prev_year) + "年就业地",
            "就业形式",
            "签订劳动关系文书形式",
            "参与形式",
            "落实就业日期"};
}

DetailReport build_detail(const ReportInput& in, const ReportPeriod& period,
                          const ReportOptions& opt) {
    Index ix(in);
    DetailReport r;
    r.period = period;
    r.union_unit = opt.union_unit;
    const Campaign* c = choose_campaign(in, period, opt);
    r.prev_year = (c && c->year_from.valid() ? c->year_from.year : period.last_day.year) - 1;
    auto resolved = resolve_placements(in.placements);
    struct Item {
        const Placement* p;
        std::string unit;
    };
    std::vector<Item> items;
    for (size_t i = 0; i < resolved.current.size(); ++i) {
        const Placement& p = resolved.current[i];
        if (!counts_in(period, p.start_date, resolved.recorded[i])) continue;
        std::string unit = ix.unit_of(p);
        if (!unit_selected(opt, unit)) continue;
        items.push_back({&p, std::move(unit)});
    }
    for (auto& id : resolved.conflicts)
        r.conflicts.push_back(id);
    std::sort(items.begin(), items.end(),
              [](const Item& a, const Item& b) { return before(*a.p, *b.p, a.unit, b.unit); });
    bool all_revealed = true; // false once a row shows a masked number
    for (auto& [p, unit] : items) {
        DetailRow row;
        row.seq = static_cast<int>(r.rows.size()) + 1;
        row.person_name = p->person_name;
        if (!reveal(in, *p, row.resident_id, row.phone)) all_revealed = false;
        row.work_place = p->work_place;
        row.employer_name = p->employer_name;
        row.prev_year_work_place = p->prev_year_work_place;
        row.employment_form = form_label(p->employment_form);
        row.contract_form = form_label(p->contract_form);
        row.participation = form_label(p->participation);
        row.start_date = p->start_date;
        row.union_unit = unit;
        row.placement_id = p->placement_id;
        row.key_groups = p->key_groups;
        r.rows.push_back(std::move(row));
    }
    r.masked = !all_revealed;
    return r;
}

// -----------------------------------------------------------------------------
// 附件5 汇总表
// -----------------------------------------------------------------------------

// Rows in the targets' order (every target unit, even without figures); without targets, the
// units seen in the plan's order; any others after them. Labels on one line.
static std::vector<std::string> ordered_units(const std::set<std::string>& seen,
                                              const ReportOptions& opt) {
    std::vector<std::string> out;
    std::set<std::string> taken;
    if (!opt.units.empty()) {
        for (auto& u : opt.units) {
            if (!unit_selected(opt, u) || !taken.insert(unit_key(u)).second) continue;
            out.push_back(clean_label(u));
        }
    } else {
        std::set<std::string> seen_keys;
        for (auto& u : seen)
            seen_keys.insert(unit_key(u));
        for (auto& u : kPlanUnitOrder)
            if (seen_keys.count(unit_key(u)) && taken.insert(unit_key(u)).second) out.push_back(u);
    }
    for (auto& u : seen)
        if (taken.insert(unit_key(u)).second) out.push_back(clean_label(u));
    return out;
}

// The summary's placement columns come from the detail rows themselves.
static SummaryReport summary_from(const ReportInput& in, const ReportPeriod& period,
                                  const ReportOptions& opt, const DetailReport& detail) {
    Index ix(in);
    SummaryReport r;
    r.period = period;
    std::map<std::string, SummaryRow> rows; // by unit_key
    std::map<std::string, std::set<std::string>> employers;
    std::set<std::string> seen;
    auto row = [&](const std::string& unit) -> SummaryRow& {
        auto& x = rows[unit_key(unit)];
        if (x.union_unit.empty()) x.union_unit = unit;
        seen.insert(unit);
        return x;
    };
    std::map<std::string, std::set<std::string>> open_employers;
    std::set<std::string> listing_ids;
    for (auto& l : in.listings) {
        if (!listing_ids.insert(l.id).second) continue;
        // Open: held by the period's end (or of unknown time) and not closed before it began.
        bool collected = collected_in(period, l),
             open = !(l.deadline < period.first_day) && l.collected_at < period.end;
        if (!collected && !open) continue;
        std::string unit = ix.unit_of(l);
        if (!unit_selected(opt, unit)) continue;
        SummaryRow& x = row(unit);
        if (collected) {
            x.jobs += l.headcount.value_or(1);
            employers[unit_key(unit)].insert(employer_key(l));
        }
        if (open) {
            x.open_jobs += l.headcount.value_or(1);
            open_employers[unit_key(unit)].insert(employer_key(l));
        }
    }
    for (auto& [k, set] : employers)
        rows[k].employers = static_cast<int64_t>(set.size());
    for (auto& [k, set] : open_employers)
        rows[k].open_employers = static_cast<int64_t>(set.size());
    for (auto& f : in.fairs) {
        if (!period.contains(f.date) || !unit_selected(opt, f.union_unit)) continue;
        (f.online ? row(f.union_unit).fairs_online : row(f.union_unit).fairs_offline)++;
    }
    for (auto& d : detail.rows) {
        SummaryRow& x = row(d.union_unit);
        ++x.placed;
        for (int g = 0; g < 5; ++g)
            if (d.key_groups & kSummaryGroups[g]) ++x.groups[g];
    }
    for (auto& u : ordered_units(seen, opt)) {
        SummaryRow x;
        if (auto it = rows.find(unit_key(u)); it != rows.end()) x = it->second;
        x.union_unit = u.empty() ? "（未注明单位）" : u;
        r.rows.push_back(x);
    }
    r.total.union_unit = "总计";
    for (auto& x : r.rows) {
        r.total.employers += x.employers;
        r.total.jobs += x.jobs;
        r.total.open_employers += x.open_employers;
        r.total.open_jobs += x.open_jobs;
        r.total.fairs_online += x.fairs_online;
        r.total.fairs_offline += x.fairs_offline;
        r.total.placed += x.placed;
        for (int g = 0; g < 5; ++g)
            r.total.groups[g] += x.groups[g];
    }
    return r;
}

SummaryReport build_summary(const ReportInput& in, const ReportPeriod& period,
                            const ReportOptions& opt) {
    return summary_from(in, period, opt, build_detail(in, period, opt));
}

Check check_note6(const SummaryReport& summary, const DetailReport& detail) {
    if (summary.total.placed != static_cast<int64_t>(detail.rows.size()))
        return Check::fail("err.report.note6", "总计");
    std::map<std::string, int64_t> detail_by_unit;
    for (auto& d : detail.rows)
        ++detail_by_unit[unit_key(d.union_unit.empty() ? "（未注明单位）" : d.union_unit)];
    int64_t sum = 0;
    for (auto& row : summary.rows) {
        sum += row.placed;
        auto it = detail_by_unit.find(unit_key(row.union_unit));
        int64_t n = it == detail_by_unit.end() ? 0 : it->second;
        if (n != row.placed) return Check::fail("err.report.note6", row.union_unit);
    }
    if (sum != summary.total.placed) return Check::fail("err.report.note6", "总计");
    return Check::pass();
}

std::optional<WeeklyPair> build_weekly_pair(const ReportInput& in, const ReportPeriod& period,
                                            const ReportOptions& opt, Check* why) {
    DetailReport detail = build_detail(in, period, opt);
    WeeklyPair pair{summary_from(in, period, opt, detail), std::move(detail)};
    Check c = check_note6(pair.summary, pair.detail);
    if (why) *why = c;
    if (!c) return std::nullopt;
    return pair;
}

// -----------------------------------------------------------------------------
// 附件1 progress
// -----------------------------------------------------------------------------

const char* target_column(TargetMeasure m) {
    switch (m) {
    case kEmployersPhase:
        return "集中行动归集企业数（家）";
    case kEmployersYear:
        return "全年归集企业数（家）";
    case kJobsPhase:
        return "集中行动归集岗位数（个）";
    case kJobsYear:
        return "全年归集岗位数（个）";
    case kPlacedPhase:
        return "集中行动促进稳定就业人数（人）";
    case kPlacedYear:
        return "全年促进稳定就业人数（人）";
    case kTargetMeasures:
        break;
    }
    return "";
}

std::optional<double> ProgressRow::percent(TargetMeasure m) const {
    if (!target || target->figures[m] <= 0) return std::nullopt;
    return 100.0 * static_cast<double>(achieved[m]) / static_cast<double>(target->figures[m]);
}

std::optional<ProgressReport> build_progress(const ReportInput& in,
                                             const std::vector<Target>& targets,
                                             const ReportPeriod& period, const ReportOptions& opt,
                                             Check* why) {
    const Campaign* c = choose_campaign(in, period, opt);
    if (!c) {
        if (why) *why = Check::fail("err.report.no_campaign");
        return std::nullopt;
    }
    Index ix(in);
    ProgressReport r;
    r.campaign_name = c->name;
    r.as_of = period.last_day;
    r.phase_from = c->concentrated_from;
    r.phase_until = std::min(c->concentrated_until, period.last_day);
    r.year_from = c->year_from;
    r.year_until = std::min(c->year_until, period.last_day);
    auto in_window = [](Date d, Date from, Date until) { return !(d < from) && !(until < d); };

    std::map<std::string, ProgressRow> rows; // by unit_key
    std::set<std::string> seen;
    auto row = [&](const std::string& unit) -> ProgressRow& {
        auto& x = rows[unit_key(unit)];
        if (x.unit.empty()) x.unit = unit;
        seen.insert(unit);
        return x;
    };
    std::map<std::string, std::set<std::string>> emp_phase, emp_year;
    std::set<std::string> listing_ids;
    // Collected in the window, up to the period's end (a weekly report's cut on its Thursday).
    auto window = [&](Date from, Date until) {
        ReportPeriod w = date_range(from, until);
        w.end = std::min(w.end, period.end);
        return w;
    };
    const ReportPeriod phase = window(r.phase_from, r.phase_until),
                       year = window(r.year_from, r.year_until);
    for (auto& l : in.listings) {
        if (!listing_ids.insert(l.id).second) continue;
        bool in_phase = collected_in(phase, l), in_year = collected_in(year, l);
        if (!in_phase && !in_year) continue;
        std::string unit = ix.unit_of(l);
        if (!unit_selected(opt, unit)) continue;
        int64_t posts = l.headcount.value_or(1);
        if (in_phase) {
            row(unit).achieved[kJobsPhase] += posts;
            emp_phase[unit_key(unit)].insert(employer_key(l));
        }
        if (in_year) {
            row(unit).achieved[kJobsYear] += posts;
            emp_year[unit_key(unit)].insert(employer_key(l));
        }
    }
    for (auto& [k, s] : emp_phase)
        rows[k].achieved[kEmployersPhase] = static_cast<int64_t>(s.size());
    for (auto& [k, s] : emp_year)
        rows[k].achieved[kEmployersYear] = static_cast<int64_t>(s.size());
    for (auto& p : resolve_placements(in.placements).current) {
        std::string unit = ix.unit_of(p);
        if (!unit_selected(opt, unit)) continue;
        if (in_window(p.start_date, r.phase_from, r.phase_until))
            ++row(unit).achieved[kPlacedPhase];
        if (in_window(p.start_date, r.year_from, r.year_until)) ++row(unit).achieved[kPlacedYear];
    }

    std::set<std::string> taken;
    bool any_target = false;
    r.total.unit = "合计";
    for (auto& t : targets) {
        if (!unit_selected(opt, t.unit) || !taken.insert(unit_key(t.unit)).second) continue;
        ProgressRow x;
        if (auto it = rows.find(unit_key(t.unit)); it != rows.end()) x = it->second;
        x.unit = clean_label(t.unit);
        x.target = t;
        r.rows.push_back(x);
        any_target = true;
    }
    for (auto& u : seen) {
        if (!taken.insert(unit_key(u)).second) continue;
        ProgressRow x = rows[unit_key(u)];
        x.unit = u.empty() ? "（未注明单位）" : clean_label(u);
        r.rows.push_back(x);
    }
    if (any_target) r.total.target = Target{"合计", {}};
    for (auto& x : r.rows)
        for (int m = 0; m < kTargetMeasures; ++m) {
            r.total.achieved[m] += x.achieved[m];
            if (x.target) r.total.target->figures[m] += x.target->figures[m];
        }
    if (why) *why = Check::pass();
    return r;
}

// -----------------------------------------------------------------------------
// Insurance list
// -----------------------------------------------------------------------------

InsuranceReport build_insurance(const ReportInput& in, const ReportPeriod& period,
                                const ReportOptions& opt) {
    Index ix(in);
    InsuranceReport r;
    r.period = period;
    const Campaign* fallback = choose_campaign(in, period, opt);
    if (fallback) r.campaign_name = fallback->name;
    auto resolved = resolve_placements(in.placements);
    struct Item {
        const Placement* p;
        std::string unit;
    };
    // Each person is insured once in a campaign: by their first qualifying contract, which is
    // listed in the period it counts in; later contracts of the same person are not listed.
    std::map<std::pair<const Campaign*, std::string>, size_t> first; // (campaign, person) → index
    for (size_t i = 0; i < resolved.current.size(); ++i) {
        const Placement& p = resolved.current[i];
        const Campaign* c = ix.campaign_of(p);
        if (!c) c = fallback;
        if (!c || !qualifies_for_insurance(p, *c)) continue;
        std::string person = p.attendee_id.empty() ? "#" + p.placement_id : p.attendee_id;
        auto [it, fresh] = first.emplace(std::make_pair(c, person), i);
        if (fresh) continue;
        const Placement& q = resolved.current[it->second];
        if (p.signed_date < q.signed_date ||
            (p.signed_date == q.signed_date &&
             resolved.recorded[i] < resolved.recorded[it->second]) ||
            (p.signed_date == q.signed_date &&
             resolved.recorded[i] == resolved.recorded[it->second] &&
             p.placement_id < q.placement_id))
            it->second = i;
    }
    std::vector<Item> items;
    for (auto& [key, i] : first) {
        const Placement& p = resolved.current[i];
        if (!counts_in(period, p.signed_date, resolved.recorded[i])) continue;
        std::string unit = ix.unit_of(p);
        if (!unit_selected(opt, unit)) continue;
        items.push_back({&p, std::move(unit)});
    }
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
        if (a.p->signed_date != b.p->signed_date) return a.p->signed_date < b.p->signed_date;
        return before(*a.p, *b.p, a.unit, b.unit);
    });
    bool all_revealed = true; // false once a row shows a masked number
    for (auto& [p, unit] : items) {
        InsuranceRow row;
        row.seq = static_cast<int>(r.rows.size()) + 1;
        row.union_unit = unit;
        row.person_name = p->person_name;
        if (!reveal(in, *p, row.resident_id, row.phone)) all_revealed = false;
        row.employer_name = p->employer_name;
        row.signed_date = p->signed_date;
        row.start_date = p->start_date;
        r.total_yuan += row.yuan;
        r.total_province += row.province_yuan;
        r.total_city += row.city_yuan;
        r.rows.push_back(std::move(row));
    }
    r.masked = !all_revealed;
    return r;
}

// -----------------------------------------------------------------------------
// Wuhan 春风行动 (工会组织)
// -----------------------------------------------------------------------------

const char* spring_breeze_column(int i) {
    static const char* names[kSpringBreezeColumns] = {
        "发放宣传资料份数",           "组织专场招聘会次数",
        "提供免费服务人数",           "跨地区有组织劳务输出人数",
        "成功介绍农村劳动者就业人数", "组织参加职业技能培训人数",
        "其中：享受培训补贴人数",     "接受创业服务人数",
        "组织家政服务培训人数",       "提供小额担保贷款金额（万元）",
        "组织参加创业培训人数",       "提供劳动维权服务和法律援助人数"};
    return i >= 0 && i < kSpringBreezeColumns ? names[i] : "";
}

// The columns the records can count; every other column stays blank.
static constexpr int kSbSpecialFairs = 1, kSbServed = 2, kSbRuralPlaced = 4, kSbTraining = 5,
                     kSbEntrepreneurship = 7, kSbHousekeepingTraining = 8, kSbStartupTraining = 10,
                     kSbLegalAid = 11;
static constexpr int kSbCounted[] = {
    kSbSpecialFairs,         kSbServed,          kSbRuralPlaced, kSbTraining, kSbEntrepreneurship,
    kSbHousekeepingTraining, kSbStartupTraining, kSbLegalAid};

std::set<std::string> undone_check_ins(const std::vector<CheckInUndo>& undos) {
    std::set<std::string> out;
    for (auto& u : undos)
        out.insert(u.check_in_uuid);
    return out;
}

SpringBreezeReport build_spring_breeze(const ReportInput& in, const ReportPeriod& period,
                                       const ReportOptions& opt) {
    Index ix(in);
    SpringBreezeReport r;
    r.period = period;
    std::map<std::string, int64_t> special;
    std::map<std::string, std::set<std::string>> served;
    std::map<std::string, int64_t> rural;
    // Station services per column: people named by their code once, anonymous ones each.
    std::map<int, std::map<std::string, std::set<std::string>>> service_people;
    std::map<int, std::map<std::string, int64_t>> service_anonymous;
    std::map<std::string, std::string> names;
    auto note = [&](const std::string& unit) { names.emplace(unit_key(unit), unit); };
    auto fair_unit = [&](const std::string& fair_id) {
        auto f = ix.fairs.find(fair_id);
        return f == ix.fairs.end() ? std::string() : f->second->union_unit;
    };
    for (auto& f : in.fairs) {
        if (!f.special || !period.contains(f.date) || !unit_selected(opt, f.union_unit)) continue;
        ++special[unit_key(f.union_unit)];
        note(f.union_unit);
    }
    auto undone = undone_check_ins(in.undos);
    auto lists = latest_needs_lists(in.needs, period.end);
    for (auto& c : in.check_ins) {
        if (c.verdict != Verdict::CheckedIn || c.attendee_id.empty() ||
            !period.contains(c.h.device_time) || undone.count(c.h.uuid))
            continue;
        std::string unit = fair_unit(c.fair_id);
        if (!unit_selected(opt, unit)) continue;
        served[unit_key(unit)].insert(c.attendee_id);
        note(unit);
    }
    for (auto& sv : in.services) {
        if (!period.contains(sv.h.device_time)) continue;
        std::string unit = fair_unit(sv.fair_id);
        if (!unit_selected(opt, unit)) continue;
        int column = sv.service == ServiceKind::LegalAid           ? kSbLegalAid
                     : sv.service == ServiceKind::Training         ? kSbTraining
                     : sv.service == ServiceKind::Entrepreneurship ? kSbEntrepreneurship
                                                                   : kSbServed;
        if (sv.attendee_id.empty())
            ++service_anonymous[column][unit_key(unit)];
        else if (column == kSbServed)
            served[unit_key(unit)].insert(sv.attendee_id);
        else
            service_people[column][unit_key(unit)].insert(sv.attendee_id);
        // A training sign-up of a person whose needs list says what training it is.
        if (column == kSbTraining && !sv.attendee_id.empty()) {
            auto l = lists.find({sv.fair_id, sv.attendee_id});
            if (l != lists.end()) {
                const SeekerNeeds& n = *l->second;
                if (wants_housekeeping(n))
                    service_people[kSbHousekeepingTraining][unit_key(unit)].insert(sv.attendee_id);
                if (std::find(n.services.begin(), n.services.end(),
                              code(ServiceKind::Entrepreneurship)) != n.services.end())
                    service_people[kSbStartupTraining][unit_key(unit)].insert(sv.attendee_id);
            }
        }
        note(unit);
    }
    auto resolved = resolve_placements(in.placements);
    for (size_t i = 0; i < resolved.current.size(); ++i) {
        const Placement& p = resolved.current[i];
        std::string unit = ix.unit_of(p);
        if (!unit_selected(opt, unit)) continue;
        if (counts_in(period, p.signed_date, resolved.recorded[i]) && !p.attendee_id.empty()) {
            served[unit_key(unit)].insert(p.attendee_id);
            note(unit);
        }
        // 外出务工人员(农民工) are rural labourers by definition.
        if (counts_in(period, p.start_date, resolved.recorded[i]) &&
            (p.key_groups & (kRuralLabourer | kMigrantWorker))) {
            ++rural[unit_key(unit)];
            note(unit);
        }
    }
    std::set<std::string> seen;
    for (auto& [k, n] : names)
        seen.insert(n);
    r.total.unit = "总计";
    for (int i : kSbCounted)
        r.total.figures[i] = 0;
    auto get = [](auto& m, const std::string& k) -> int64_t {
        auto it = m.find(k);
        return it == m.end() ? 0 : it->second;
    };
    for (auto& u : ordered_units(seen, opt)) {
        SpringBreezeRow row;
        row.unit = u.empty() ? "（未注明单位）" : u;
        std::string k = unit_key(u);
        row.figures[kSbSpecialFairs] = get(special, k);
        row.figures[kSbServed] = static_cast<int64_t>(served.count(k) ? served[k].size() : 0) +
                                 get(service_anonymous[kSbServed], k);
        row.figures[kSbRuralPlaced] = get(rural, k);
        for (int col : {kSbTraining, kSbEntrepreneurship, kSbHousekeepingTraining,
                        kSbStartupTraining, kSbLegalAid}) {
            auto& people = service_people[col];
            row.figures[col] = static_cast<int64_t>(people.count(k) ? people[k].size() : 0) +
                               get(service_anonymous[col], k);
        }
        for (int i : kSbCounted)
            *r.total.figures[i] += *row.figures[i];
        r.rows.push_back(row);
    }
    return r;
}

// -----------------------------------------------------------------------------
// The fair day
// -----------------------------------------------------------------------------

FairDayCounts count_fair_day(const ReportInput& in, std::string_view fair_id) {
    FairDayCounts n;
    auto undone = undone_check_ins(in.undos);
    std::set<std::string> in_people, intent_people, placed_people;
    for (auto& c : in.check_ins) {
        if (c.fair_id != fair_id || c.verdict != Verdict::CheckedIn) continue;
        if (undone.count(c.h.uuid)) {
            ++n.undone;
            continue;
        }
        ++n.check_ins;
        in_people.insert(c.attendee_id);
    }
    for (auto& i : in.intents) {
        if (i.fair_id != fair_id) continue;
        ++n.intents;
        intent_people.insert(i.attendee_id);
    }
    for (auto& p : resolve_placements(in.placements).current) {
        if (p.fair_id != fair_id) continue;
        ++n.placements;
        placed_people.insert(p.attendee_id.empty() ? "placement:" + p.placement_id : p.attendee_id);
    }
    for (auto& s : in.services)
        if (s.fair_id == fair_id) ++n.services;
    n.people_in = static_cast<int64_t>(in_people.size());
    n.with_intent = static_cast<int64_t>(intent_people.size());
    n.placed = static_cast<int64_t>(placed_people.size());
    return n;
}

// -----------------------------------------------------------------------------
// The seekers' needs list
// -----------------------------------------------------------------------------

std::map<std::pair<std::string, std::string>, const SeekerNeeds*>
latest_needs_lists(const std::vector<SeekerNeeds>& lists, TimeMs before) {
    std::map<std::pair<std::string, std::string>, const SeekerNeeds*> out;
    for (auto& n : lists) {
        if (n.h.device_time >= before) continue;
        auto& slot = out[{n.fair_id, n.attendee_id}];
        if (!slot || slot->h.device_time <= n.h.device_time) slot = &n;
    }
    return out;
}

bool wants_housekeeping(const SeekerNeeds& n) {
    for (auto& i : n.industries)
        if (i == "居民服务" || i.find("家政") != std::string::npos) return true;
    return false;
}

NeedsReport build_needs(const ReportInput& in, const ReportPeriod& period,
                        const ReportOptions& opt) {
    Index ix(in);
    NeedsReport r;
    r.period = period;
    std::map<std::string, std::vector<NeedsRow>> by_unit; // unit_key → rows
    std::set<std::string> seen;
    for (auto& [key, n] : latest_needs_lists(in.needs, period.end)) {
        if (!period.contains(n->h.device_time)) continue;
        NeedsRow row;
        row.fair_id = n->fair_id;
        if (auto f = ix.fairs.find(n->fair_id); f != ix.fairs.end()) {
            row.union_unit = f->second->union_unit;
            row.fair_name = f->second->name;
        }
        if (!unit_selected(opt, row.union_unit)) continue;
        row.needs = n;
        seen.insert(row.union_unit);
        by_unit[unit_key(row.union_unit)].push_back(std::move(row));
    }
    r.total.union_unit = "合计";
    for (auto& u : ordered_units(seen, opt)) {
        auto it = by_unit.find(unit_key(u));
        if (it == by_unit.end()) continue;
        auto& rows = it->second;
        std::stable_sort(rows.begin(), rows.end(), [](auto& a, auto& b) {
            return a.needs->h.device_time < b.needs->h.device_time;
        });
        NeedsUnitTotals t;
        t.union_unit = u.empty() ? "（未注明单位）" : u;
        for (auto& row : rows) {
            ++t.people;
            for (int k = 0; k < 4; ++k) {
                auto& sv = row.needs->services;
                if (std::find(sv.begin(), sv.end(), code(static_cast<ServiceKind>(k))) != sv.end())
                    ++t.services[k];
            }
            r.rows.push_back(row);
        }
        r.total.people += t.people;
        for (int k = 0; k < 4; ++k)
            r.total.services[k] += t.services[k];
        r.units.push_back(std::move(t));
    }
    return r;
}

} // namespace jf
