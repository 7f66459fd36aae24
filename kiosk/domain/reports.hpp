// The union's weekly reports built from records: pure functions over vectors, no I/O, no UI.
//
// Index
// - Reporting periods  ReportWeek (Thursday 10:00 China Standard Time cut), date ranges
// - Input              ReportInput: what a terminal or the hub holds; placement versions resolved
// - 附件6 明细表        DetailReport: one row per placement started in the period
// - 附件5 汇总表        SummaryReport per reporting union, 总计, and the note-6 consistency rule
// - 附件1 progress      Target (from a 附件1 file), ProgressReport for the phase and the year
// - Insurance list      50-yuan accident-injury plan for 劳动合同 signed in the concentrated phase
// - 春风行动 table      Wuhan 附件2 (工会组织): what the records can count, the rest left blank
// - The fair day        FairDayCounts: people in, people with an intent, people placed, services
// - Needs list          NeedsReport: the seekers' needs lists per union (两个清单之二)
//
// Counting rules (the forms' notes, docs/DESIGN.md §2):
// - A placement counts in the period its 落实就业日期 falls in, in its current version
//   (corrections applied); a voided placement counts nowhere.
// - An undone check-in (CheckInUndo) counts nowhere; the person's next check-in counts instead.
// - Timed records (check-ins, intents, services) count at their instant. A placement counts in
//   a weekly report at the later of 00:00 China Standard Time of its 落实就业日期 (签订日期 for
//   the insurance list) and the instant it was first recorded: a placement recorded on Thursday at
//   10:00:01 is in the next report, not in the one cut a second earlier, and one recorded late for
//   an earlier day is in the next report to be cut, so every placement is in exactly one weekly
//   report. Whole-day periods (--period) count placements by their dates alone.
// - A fair has only a day: it counts at 00:00 of that day, so a Thursday fair is in the report
//   cut at 10:00 that Thursday (fairs are announced ahead; the week's report lists them).
// - A reporting union is the fair's 单位; failing that the employer's, then the listing's.
// - 归集企业数/岗位数 count the listings collected in the period: a listing counts at the instant
//   it was collected (JobListing::collected_at), so it is in exactly one weekly report however
//   long it stays open; 附件1 progress counts those collected in the phase and in the year, up to
//   the period's end. 归集岗位数 sums 招聘人数 (a blank count is one post); 归集企业数 counts the
//   distinct employers of those listings. A listing whose time is unknown (0) counts nowhere.
//   The listings open in the period (collected before its end, 招聘截止日期 on or after its first
//   day) are counted beside them (SummaryRow::open_*) for staff to compare, not for the form.
#pragma once

#include "kiosk/domain/needs.hpp"
#include "kiosk/domain/records.hpp"
#include "kiosk/domain/validate.hpp"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace jf {

// -----------------------------------------------------------------------------
// Reporting periods
// -----------------------------------------------------------------------------

// Instants [begin, end) in UTC milliseconds, and the calendar days whose 00:00 CST lies inside.
struct ReportPeriod {
    TimeMs begin = 0, end = 0;
    Date first_day, last_day;
    std::string label; // "2024-W08" or "20240201-20240229"
    bool weekly = false;
    bool contains(TimeMs t) const { return t >= begin && t < end; }
    bool contains(Date d) const;
    std::string describe() const; // "2024-02-15 10:00 至 2024-02-22 10:00" for the forms
};

TimeMs cst_midnight(Date d); // 00:00 China Standard Time of `d`, as UTC milliseconds

// The weekly report due on the Thursday of ISO week `week`, cut at 10:00 CST that Thursday; it
// covers the seven days since the previous cut. "2024-W08" is due Thursday 2024-02-22 10:00.
struct ReportWeek {
    int iso_year = 0, iso_week = 0;
    static std::optional<ReportWeek> parse(std::string_view text); // "2024-W08", "2024W8"
    static ReportWeek containing(TimeMs t); // the report an event at `t` is counted in
    Date thursday() const;
    TimeMs cut() const; // Thursday 10:00 CST
    ReportPeriod period() const;
    std::string label() const;
    auto operator<=>(const ReportWeek&) const = default;
};

ReportPeriod date_range(Date from, Date until); // whole days, both inclusive
// "2024-W08" or "20240201-20240229" / "2024-02-01..2024-02-29"; nullopt when unreadable.
std::optional<ReportPeriod> parse_period(std::string_view text);
// What a report command means by --week/--period: `text` parsed, or the week holding `now` when empty.
std::optional<ReportPeriod> period_or_this_week(std::string_view text, TimeMs now);

// -----------------------------------------------------------------------------
// Input
// -----------------------------------------------------------------------------

// Plain numbers only the hub can open (sealed on terminals); keyed by attendee id.
struct RevealedContact {
    std::string resident_id;
    std::string phone;
};

struct ReportInput {
    std::vector<Campaign> campaigns;
    std::vector<Fair> fairs;
    std::vector<Employer> employers;
    std::vector<JobListing> listings;
    std::vector<Placement> placements; // any versions, in any order: resolved by the builders
    std::vector<CheckIn> check_ins;
    std::vector<CheckInUndo> undos; // check-ins taken back: those count nowhere
    std::vector<BoothIntent> intents;
    std::vector<ServiceGiven> services;
    std::vector<SeekerNeeds> needs; // every list recorded; a person's latest at a fair counts
    std::map<std::string, RevealedContact> revealed; // empty on a terminal: forms show masks
    // The hub opens a person's numbers when a form prints that person (after `revealed`), so a
    // report opens only the people it lists. Unset on a terminal.
    std::function<std::optional<RevealedContact>(const std::string& attendee_id)> open_contact;
};

struct ReportOptions {
    std::string union_unit;         // only this reporting union; empty = every union
    // With union_unit: the unions below it, each counted in its report as a row of its own (a
    // city's 附件5 lists its counties and districts, rolled up into its 总计).
    std::vector<std::string> below;
    std::vector<std::string> units; // row order (the 附件1 units); empty = kPlanUnitOrder
    std::string campaign_id;        // empty = the campaign whose year holds the period
};

// Union names compare without spaces: 附件1 writes "三山 经开区" where fairs say "三山经开区".
std::string unit_key(std::string_view unit);
// A spreadsheet cell as a one-line label: line breaks and spaces a cell wraps with are dropped
// between Chinese characters ("市职工\n服务\n中心" → "市职工服务中心"), runs between Latin
// words become one space, the ends are trimmed.
std::string clean_label(std::string_view cell);

// The reporting units in the order of the plan's 附件1 (芜工发〔2024〕2号), which 附件5 follows:
// rows are listed in this order unless targets give another; other unions follow.
extern const std::vector<std::string> kPlanUnitOrder;

// The current version of every placement: corrections applied, voids dropped. When two
// corrections fork from one version a person must decide, so the last undisputed version counts
// and the fork is listed in `conflicts` (placement ids).
struct ResolvedPlacements {
    std::vector<Placement> current;
    std::vector<TimeMs> recorded; // per `current`: when its first version was recorded
    std::vector<std::string> conflicts;
    size_t voided = 0;
};
ResolvedPlacements resolve_placements(const std::vector<Placement>& versions);

// Whether a placement dated `day` and first recorded at `recorded` counts in `period` (the
// counting rules above; `recorded` 0 = unknown, the day alone decides).
bool counts_in(const ReportPeriod& period, Date day, TimeMs recorded);

// Whether a listing counts in `period`'s 归集 figures: collected at an instant inside it.
bool collected_in(const ReportPeriod& period, const JobListing& l);

// The reporting union a placement belongs to (see the counting rules above).
std::string placement_unit(const Placement& p, const ReportInput& in);

// -----------------------------------------------------------------------------
// 附件6 就业援助行动明细表
// -----------------------------------------------------------------------------

struct DetailRow {
    int seq = 0;                      // 序号
    std::string person_name;          // 实现就业人员姓名
    std::string resident_id;          // 身份证号码 (plain on the hub, masked on a terminal)
    std::string phone;                // 手机号码
    std::string work_place;           // 就业地
    std::string employer_name;        // 就业单位名称
    std::string prev_year_work_place; // {year-1}年就业地
    std::string employment_form;      // 就业形式
    std::string contract_form;        // 签订劳动关系文书形式
    std::string participation;        // 参与形式
    Date start_date;                  // 落实就业日期
    // Not columns of the form; kept for 附件5 and the insurance list.
    std::string union_unit;
    std::string placement_id;
    uint32_t key_groups = 0;
};

struct DetailReport {
    ReportPeriod period;
    std::string union_unit; // empty = every union
    int prev_year = 0;      // the year named in the "2023年就业地" column
    bool masked = true;     // true when any ID or phone number could not be opened
    std::vector<DetailRow> rows;
    std::vector<std::string> conflicts; // placements with forked corrections (see above)
};
DetailReport build_detail(const ReportInput& in, const ReportPeriod& period,
                          const ReportOptions& opt = {});

// The 附件6 column titles in the form's order ("2023年就业地" follows the campaign year).
std::vector<std::string> detail_columns(int prev_year);

// -----------------------------------------------------------------------------
// 附件5 就业援助行动汇总表
// -----------------------------------------------------------------------------

// The key-group columns of 附件5, in the form's order.
constexpr KeyGroup kSummaryGroups[5] = {kMigrantWorker, kNewFormWorker, kHardshipFamily,
                                        kCollegeGraduate, kDisabled};

struct SummaryRow {
    std::string union_unit;                      // 单位 (总工会)
    int64_t employers = 0;                       // 归集企业数 (家): collected in the period
    int64_t jobs = 0;                            // 归集岗位数 (人): collected in the period
    int64_t open_employers = 0, open_jobs = 0;   // open in the period (not on the form)
    int64_t fairs_online = 0, fairs_offline = 0; // 举办招聘会场次 线上/线下 (场)
    int64_t placed = 0;                          // 实现稳定就业人员 (人)
    int64_t groups[5] = {}; // 其中，重点群体稳定就业人员, kSummaryGroups order
};

struct SummaryReport {
    ReportPeriod period;
    std::vector<SummaryRow> rows;
    SummaryRow total; // 总计
};
SummaryReport build_summary(const ReportInput& in, const ReportPeriod& period,
                            const ReportOptions& opt = {});

// Note 6: 实现稳定就业人员 must equal the 明细表's rows, in total and for every union.
// Fails with "err.report.note6" (field = the union whose numbers disagree, or 总计).
Check check_note6(const SummaryReport& summary, const DetailReport& detail);

// The weekly pair, refused (nullopt, `why` set) when note 6 does not hold.
struct WeeklyPair {
    SummaryReport summary;
    DetailReport detail;
};
std::optional<WeeklyPair> build_weekly_pair(const ReportInput& in, const ReportPeriod& period,
                                            const ReportOptions& opt, Check* why);

// -----------------------------------------------------------------------------
// 附件1 目标任务分解表 and progress against it
// -----------------------------------------------------------------------------

// The six figures of 附件1, in the form's column order.
enum TargetMeasure {
    kEmployersPhase,
    kEmployersYear,
    kJobsPhase,
    kJobsYear,
    kPlacedPhase,
    kPlacedYear,
    kTargetMeasures
};
const char* target_column(TargetMeasure m); // "集中行动归集企业数（家）", …

struct Target {
    std::string unit;
    int64_t figures[kTargetMeasures] = {};
};

struct ProgressRow {
    std::string unit;
    std::optional<Target> target; // nullopt: the unit achieved something but has no target row
    int64_t achieved[kTargetMeasures] = {};
    // achieved / target in percent; nullopt when there is no target or it is zero.
    std::optional<double> percent(TargetMeasure m) const;
};

struct ProgressReport {
    std::string campaign_name;
    Date as_of;                   // counts run up to and including this day
    Date phase_from, phase_until; // 集中行动阶段
    Date year_from, year_until;
    std::vector<ProgressRow> rows; // the targets' units in file order, then any others
    ProgressRow total;             // 合计
};
// Fails (nullopt, `why`) when there is no campaign to measure against.
std::optional<ProgressReport> build_progress(const ReportInput& in,
                                             const std::vector<Target>& targets,
                                             const ReportPeriod& period, const ReportOptions& opt,
                                             Check* why);

// -----------------------------------------------------------------------------
// Insurance list (意外伤害互助保障计划)
// -----------------------------------------------------------------------------

struct InsuranceRow {
    int seq = 0;
    std::string union_unit;
    std::string person_name;
    std::string resident_id;
    std::string phone;
    std::string employer_name;
    Date signed_date; // the day the 劳动合同 was signed
    Date start_date;
    int64_t yuan = kInsuranceYuan;
    int64_t province_yuan = kInsuranceYuan / 2; // 1:1 split
    int64_t city_yuan = kInsuranceYuan - kInsuranceYuan / 2;
};

struct InsuranceReport {
    ReportPeriod period;
    std::string campaign_name;
    bool masked = true;
    std::vector<InsuranceRow> rows;
    int64_t total_yuan = 0, total_province = 0, total_city = 0;
};
// Placements (current versions) that qualify_for_insurance and count in `period` by their
// signing day (see counts_in): each person once per campaign, by their first qualifying
// contract, so a second contract is never insured again.
InsuranceReport build_insurance(const ReportInput& in, const ReportPeriod& period,
                                const ReportOptions& opt = {});

// -----------------------------------------------------------------------------
// Wuhan 春风行动 工作情况统计表 (工会组织, 附件2)
// -----------------------------------------------------------------------------

constexpr int kSpringBreezeColumns = 12;
const char* spring_breeze_column(int i); // 0-based: "发放宣传资料份数", …

struct SpringBreezeRow {
    std::string unit;
    // Blank (nullopt) where the records cannot know the figure; staff fill those in.
    std::optional<int64_t> figures[kSpringBreezeColumns];
};

struct SpringBreezeReport {
    ReportPeriod period;
    std::vector<SpringBreezeRow> rows;
    SpringBreezeRow total; // 总计
};
// Filled from the records: 组织专场招聘会次数 (special fairs), 提供免费服务人数 (people checked
// in, placed or given a free job service), 成功介绍农村劳动者就业人数, 组织参加职业技能培训人数
// (training sign-ups), 接受创业服务人数 and 提供劳动维权服务和法律援助人数 (station services).
// A person named by their code counts once per column; an anonymous service counts one each.
// With the seekers' needs lists, two columns split the training sign-ups of people named by their
// code by what their needs list (their latest at that fair, recorded before the period's end)
// says: 组织家政服务培训人数 when the work they want is 居民服务 or names 家政,
// 组织参加创业培训人数 when they ask for entrepreneurship services. A wish alone counts in no
// column: only a service given does. Anonymous sign-ups have no list, so they count in neither.
SpringBreezeReport build_spring_breeze(const ReportInput& in, const ReportPeriod& period,
                                       const ReportOptions& opt = {});

// -----------------------------------------------------------------------------
// The fair day
// -----------------------------------------------------------------------------

// The uuids of the check-ins taken back.
std::set<std::string> undone_check_ins(const std::vector<CheckInUndo>& undos);

// One fair's day as the union counts it. People are distinct attendees: `people_in` checked in
// (undone check-ins not counted), `with_intent` reached an intent at a booth, `placed` hold a
// current placement (voids dropped). `check_ins`, `intents`, `placements`, `services` count
// records (accepted check-ins not undone; placements as current versions, voids dropped).
struct FairDayCounts {
    int64_t people_in = 0, with_intent = 0, placed = 0;
    int64_t check_ins = 0, intents = 0, placements = 0, services = 0, undone = 0;
};
FairDayCounts count_fair_day(const ReportInput& in, std::string_view fair_id);

// -----------------------------------------------------------------------------
// The seekers' needs list (求职者需求清单)
// -----------------------------------------------------------------------------

// Each person's latest list at each fair among `lists` recorded before `before` (device time;
// of two at one instant the later in `lists`), keyed by fair id then attendee id.
std::map<std::pair<std::string, std::string>, const SeekerNeeds*>
latest_needs_lists(const std::vector<SeekerNeeds>& lists, TimeMs before);

// Whether the work a list wants is housekeeping (家政服务): 居民服务 or a 行业类别 naming 家政.
bool wants_housekeeping(const SeekerNeeds& n);

struct NeedsRow {
    std::string union_unit; // the fair's 单位
    std::string fair_id, fair_name;
    const SeekerNeeds* needs = nullptr; // into ReportInput::needs
};
struct NeedsUnitTotals {
    std::string union_unit;
    int64_t people = 0;
    int64_t services[4] = {}; // people asking, in ServiceKind order (legal aid, training, …)
};
struct NeedsReport {
    ReportPeriod period;
    std::vector<NeedsRow> rows;         // by union (plan order), then time recorded
    std::vector<NeedsUnitTotals> units; // the same unions' totals
    NeedsUnitTotals total;              // 合计
};
// Each person's latest list at each fair, when it was recorded inside `period`, for the unions
// selected. Nothing personal beyond the attendee id: no name, no number.
NeedsReport build_needs(const ReportInput& in, const ReportPeriod& period,
                        const ReportOptions& opt = {});

} // namespace jf
