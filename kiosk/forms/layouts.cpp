// Form layouts for 附件1, 附件5, 附件6, the insurance list and the Wuhan 春风行动 table. Titles,
// column names and notes are the forms' own wording (the forms are Chinese whatever the UI
// language is).
#include "kiosk/forms/layouts.hpp"

#include <cstdio>

namespace jf::forms {

std::string chinese_date(Date d) {
    if (!d.valid()) return "    年  月  日";
    char b[48];
    std::snprintf(b, sizeof b, "%d年%d月%d日", d.year, d.month, d.day);
    return b;
}

namespace {

using C = FormCell;

// The 单位 / 统计时间 / 填报日期 line, spread over the width of the form.
void info_line(FormSheet& s, const std::string& unit, const std::string& when, Date filled_on) {
    int n = s.columns, a = std::max(1, n / 3), b = std::max(a + 1, 2 * n / 3);
    std::vector<C> cells(static_cast<size_t>(n));
    cells[0] = C::str("单位：" + (unit.empty() ? std::string("全部单位") : unit));
    if (a < n) cells[static_cast<size_t>(a)] = C::str(when);
    if (b < n) cells[static_cast<size_t>(b)] = C::str("填报日期：" + chinese_date(filled_on));
    int r = s.add(RowStyle::Info, std::move(cells));
    if (a > 1) s.merge(r, 0, r, a - 1);
    if (b - 1 > a) s.merge(r, a, r, b - 1);
    if (n - 1 > b) s.merge(r, b, r, n - 1);
}

std::string week_suffix(const ReportPeriod& p) {
    return p.weekly ? "（周报）" : "";
}

} // namespace

// -----------------------------------------------------------------------------
// 附件6 明细表
// -----------------------------------------------------------------------------

FormSheet detail_sheet(const DetailReport& r, const FormContext& ctx) {
    FormSheet s;
    s.sheet_name = "明细表";
    auto cols = detail_columns(r.prev_year);
    s.columns = static_cast<int>(cols.size());
    s.add_spanning(RowStyle::Title,
                   "“工会送岗位 乐业在江淮”就业援助行动明细表" + week_suffix(r.period));
    info_line(s, ctx.union_unit, "统计时间：" + r.period.describe(), ctx.filled_on);
    std::vector<C> header;
    for (auto& c : cols)
        header.push_back(C::str(c));
    s.add(RowStyle::Header, header);
    s.header_rows_end = static_cast<int>(s.rows.size());
    for (auto& d : r.rows)
        s.add(RowStyle::Data,
              {C::integer(d.seq), C::str(d.person_name), C::str(d.resident_id), C::str(d.phone),
               C::str(d.work_place), C::str(d.employer_name), C::str(d.prev_year_work_place),
               C::str(d.employment_form), C::str(d.contract_form), C::str(d.participation),
               C::str(d.start_date.to_string())});
    s.add_spanning(RowStyle::Note,
                   "备注：1.零活用工指的是不超过3个月的短期用工和新就业形态用工。"
                   "2.落实就业日期应以实际到岗上班为准。"
                   "3.“签订劳动关系文书形式”中的录取通知书包括纸质通知书和手机短信、微信等形式的"
                   "电子录取通知书。"
                   "4.“参与形式”是指通过线上招聘会还是线下招聘会了解到招聘信息并完成就业的。"
                   "5.此表从通知下发开始，由各县市区、开发区总工会联络员每周四上午10点前报送市总"
                   "职工服务中心。"
                   "6.注意周报汇总表和明细表之间的逻辑关系，汇总表中的稳定就业人数和明细表中的填报"
                   "的人员总数应相对应。");
    if (r.masked)
        s.add_spanning(RowStyle::Note,
                       "本表身份证号码、手机号码为脱敏显示；完整表格请由中心服务器导出。");
    if (!r.conflicts.empty())
        s.add_spanning(RowStyle::Note, "有" + std::to_string(r.conflicts.size()) +
                                           "条就业记录存在相互冲突的更正，暂按最后一次无争议的版本"
                                           "统计，请人工确认。");
    s.fit_widths();
    return s;
}

// -----------------------------------------------------------------------------
// 附件5 汇总表
// -----------------------------------------------------------------------------

static std::vector<C> summary_cells(const SummaryRow& x) {
    std::vector<C> v{C::str(x.union_unit),       C::integer(x.employers),     C::integer(x.jobs),
                     C::integer(x.fairs_online), C::integer(x.fairs_offline), C::integer(x.placed)};
    for (auto g : x.groups)
        v.push_back(C::integer(g));
    return v;
}

FormSheet summary_sheet(const SummaryReport& r, const FormContext& ctx) {
    FormSheet s;
    s.sheet_name = "汇总表";
    s.columns = 11;
    s.add_spanning(RowStyle::Title, std::to_string(r.period.last_day.year) +
                                        "年“工会送岗位 乐业在江淮”就业援助行动汇总表" +
                                        week_suffix(r.period));
    info_line(s, ctx.union_unit, "统计时间：" + r.period.describe(), ctx.filled_on);
    int h1 = s.add(RowStyle::Header,
                   {C::str("单位(总工会)"), C::str("归集企业数(家)"), C::str("归集岗位数(人)"),
                    C::str("举办招聘会场次"), C{}, C::str("实现稳定就业人员(人)"),
                    C::str("其中，重点群体稳定就业人员"), C{}, C{}, C{}, C{}});
    int h2 =
        s.add(RowStyle::Header,
              {C{}, C{}, C{}, C::str("线上(场)"), C::str("线下(场)"), C{},
               C::str("外出务工人员(农民工)(人)"), C::str("新就业形态劳动者(人)"),
               C::str("困难职工及家庭成员(人)"), C::str("高校毕业生(人)"), C::str("残疾人(人)")});
    for (int c : {0, 1, 2, 5})
        s.merge(h1, c, h2, c);
    s.merge(h1, 3, h1, 4);
    s.merge(h1, 6, h1, 10);
    s.header_rows_end = h2 + 1;
    for (auto& x : r.rows)
        s.add(RowStyle::Data, summary_cells(x));
    s.add(RowStyle::Total, summary_cells(r.total));
    s.add_spanning(RowStyle::Note,
                   "注：集中行动期间，此表由各县市区、开发区总工会联络员每周四上午10点"
                   "前报送市总职工服务中心。实现稳定就业人员合计" +
                       std::to_string(r.total.placed) + "人，与同期明细表人数一致。");
    s.fit_widths();
    return s;
}

// -----------------------------------------------------------------------------
// 附件1 目标任务完成情况
// -----------------------------------------------------------------------------

static std::vector<C> progress_cells(const ProgressRow& x) {
    std::vector<C> v{C::str(x.unit)};
    for (int m = 0; m < kTargetMeasures; ++m) {
        auto tm = static_cast<TargetMeasure>(m);
        v.push_back(x.target ? C::integer(x.target->figures[m]) : C{});
        v.push_back(C::integer(x.achieved[m]));
        v.push_back(C::percent(x.percent(tm)));
    }
    return v;
}

FormSheet progress_sheet(const ProgressReport& r, const FormContext& ctx) {
    FormSheet s;
    s.sheet_name = "目标任务完成情况";
    s.columns = 1 + 3 * kTargetMeasures;
    s.add_spanning(RowStyle::Title, "“工会送岗位 乐业在江淮”就业援助行动目标任务完成情况");
    std::string phase = "集中行动阶段 " + r.phase_from.to_iso() + " 至 " + r.phase_until.to_iso();
    info_line(s, ctx.union_unit, "统计截至：" + chinese_date(r.as_of) + "（" + phase + "）",
              ctx.filled_on);
    std::vector<C> top{C::str("单位")}, sub{C{}};
    for (int m = 0; m < kTargetMeasures; ++m) {
        top.push_back(C::str(target_column(static_cast<TargetMeasure>(m))));
        top.push_back(C{});
        top.push_back(C{});
        sub.push_back(C::str("目标"));
        sub.push_back(C::str("完成"));
        sub.push_back(C::str("完成率"));
    }
    int h1 = s.add(RowStyle::Header, top), h2 = s.add(RowStyle::Header, sub);
    s.merge(h1, 0, h2, 0);
    for (int m = 0; m < kTargetMeasures; ++m)
        s.merge(h1, 1 + 3 * m, h1, 3 + 3 * m);
    s.header_rows_end = h2 + 1;
    for (auto& x : r.rows)
        s.add(RowStyle::Data, progress_cells(x));
    s.add(RowStyle::Total, progress_cells(r.total));
    s.add_spanning(RowStyle::Note,
                   "说明：归集企业数、归集岗位数按岗位归集（导入）时间计，每个岗位只计一次；"
                   "促进稳定就业人数按落实就业日期计，已作废的记录不计。");
    s.fit_widths();
    return s;
}

// -----------------------------------------------------------------------------
// Insurance list
// -----------------------------------------------------------------------------

FormSheet insurance_sheet(const InsuranceReport& r, const FormContext& ctx) {
    FormSheet s;
    s.sheet_name = "意外伤害互助保障名单";
    s.columns = 11;
    s.add_spanning(RowStyle::Title, "集中行动期间签订劳动合同人员意外伤害互助保障计划名单");
    info_line(s, ctx.union_unit, "统计时间：" + r.period.describe(), ctx.filled_on);
    s.add(RowStyle::Header,
          {C::str("序号"), C::str("单位"), C::str("姓名"), C::str("身份证号码"), C::str("手机号码"),
           C::str("就业单位名称"), C::str("签订劳动合同日期"), C::str("落实就业日期"),
           C::str("保障金额(元)"), C::str("省总工会承担(元)"), C::str("市总工会承担(元)")});
    s.header_rows_end = static_cast<int>(s.rows.size());
    for (auto& x : r.rows)
        s.add(RowStyle::Data,
              {C::integer(x.seq), C::str(x.union_unit), C::str(x.person_name),
               C::str(x.resident_id), C::str(x.phone), C::str(x.employer_name),
               C::str(x.signed_date.to_string()), C::str(x.start_date.to_string()),
               C::integer(x.yuan), C::integer(x.province_yuan), C::integer(x.city_yuan)});
    s.add(RowStyle::Total,
          {C::str("合计"), C::str(std::to_string(r.rows.size()) + "人"), C{}, C{}, C{}, C{}, C{},
           C{}, C::integer(r.total_yuan), C::integer(r.total_province), C::integer(r.total_city)});
    s.add_spanning(RowStyle::Note,
                   "注：集中行动期间，对签订劳动合同的劳动者由省、市两级总工会赠送每人" +
                       std::to_string(kInsuranceYuan) +
                       "元意外伤害互助保障计划，省、市按1:1分担经费。");
    if (r.masked)
        s.add_spanning(RowStyle::Note,
                       "本表身份证号码、手机号码为脱敏显示；完整表格请由中心服务器导出。");
    s.fit_widths();
    return s;
}

// -----------------------------------------------------------------------------
// Wuhan 春风行动 (工会组织)
// -----------------------------------------------------------------------------

static std::vector<C> spring_cells(const SpringBreezeRow& x) {
    std::vector<C> v{C::str(x.unit)};
    for (auto& f : x.figures)
        v.push_back(f ? C::integer(*f) : C{});
    return v;
}

FormSheet spring_breeze_sheet(const SpringBreezeReport& r, const FormContext& ctx) {
    FormSheet s;
    s.sheet_name = "春风行动统计表";
    s.columns = 1 + kSpringBreezeColumns;
    s.add_spanning(RowStyle::Title, "武汉市" + std::to_string(r.period.last_day.year) +
                                        "年“春风行动”工作情况统计表");
    s.add_spanning(RowStyle::Subtitle, "（工会组织）");
    {
        std::vector<C> cells(static_cast<size_t>(s.columns));
        cells[0] = C::str((ctx.union_unit.empty() ? std::string("        ") : ctx.union_unit) +
                          "总工会　　统计时间：" + r.period.describe());
        cells[static_cast<size_t>(s.columns - 1)] = C::str("单位：人");
        int row = s.add(RowStyle::Info, cells);
        s.merge(row, 0, row, s.columns - 2);
    }
    std::vector<C> top{C{}}, sub(static_cast<size_t>(s.columns));
    for (int i = 0; i < kSpringBreezeColumns; ++i)
        top.push_back(i == 6 ? C{} : C::str(spring_breeze_column(i)));
    sub[7] = C::str(spring_breeze_column(6));
    int h1 = s.add(RowStyle::Header, top), h2 = s.add(RowStyle::Header, sub);
    for (int c = 0; c < s.columns; ++c)
        if (c != 6 && c != 7) s.merge(h1, c, h2, c);
    s.merge(h1, 6, h1, 7);
    std::vector<C> numbers{C::str("甲")};
    for (int i = 1; i <= kSpringBreezeColumns; ++i)
        numbers.push_back(C::str(std::to_string(i)));
    s.add(RowStyle::Header, numbers);
    s.header_rows_end = static_cast<int>(s.rows.size());
    s.add(RowStyle::Total, spring_cells(r.total));
    for (auto& x : r.rows)
        s.add(RowStyle::Data, spring_cells(x));
    s.add_spanning(RowStyle::Note,
                   "单位负责人签章：　　　　填表人签章：　　　　联系电话：　　　　填报日期：" +
                       chinese_date(ctx.filled_on));
    s.add_spanning(RowStyle::Note,
                   "说明：第2栏为统计期内举办的专场招聘会次数，第3栏为签到、登记就业或接受免费"
                   "职业服务的不重复人数，第5栏为落实就业的农村劳动者（含外出务工人员）人数，"
                   "第6、8、12栏为驿站登记的培训报名、创业服务和维权法律援助人数；第9栏为培训报名"
                   "者中需求清单就业意向为家政（居民服务）的人数，第11栏为培训报名者中需求清单要"
                   "创业服务的人数；其余栏目系统无从统计，留空由工作人员据实填写。");
    s.fit_widths();
    return s;
}

// -----------------------------------------------------------------------------
// 求职者需求清单 (the seekers' needs list)
// -----------------------------------------------------------------------------

const char* needs_label(std::string_view code) {
    static constexpr std::pair<const char*, const char*> labels[] = {
        {"none", "无技能等级"},
        {"junior", "初级工"},
        {"intermediate", "中级工"},
        {"senior", "高级工"},
        {"technician", "技师及以上"},
        {"special_ops", "特种作业操作证"},
        {"driving", "机动车驾驶证"},
        {"health", "健康证"},
        {"legal_aid", "劳动维权和法律援助"},
        {"training", "职业技能培训"},
        {"entrepreneurship", "创业服务"},
        {"job_service", "职业指导"}};
    for (auto& [c, l] : labels)
        if (code == c) return l;
    return "";
}

static std::string joined(const std::vector<std::string>& v, const char* sep, bool labels) {
    std::string out;
    for (auto& x : v) {
        if (!out.empty()) out += sep;
        out += labels ? needs_label(x) : x;
    }
    return out;
}

// "2024-02-20 10:02" (China Standard Time), as staff read it.
static std::string recorded_at(TimeMs t) {
    std::string s = cst_iso(t).substr(0, 16);
    if (s.size() > 10) s[10] = ' ';
    return s;
}

static constexpr const char* kNeedsServiceColumns[4] = {"要劳动维权和法律援助", "要职业技能培训",
                                                        "要创业服务", "要职业指导"};

FormSheet needs_sheet(const NeedsReport& r, const FormContext& ctx) {
    FormSheet s;
    s.sheet_name = "求职者需求清单";
    s.columns = 9;
    s.add_spanning(RowStyle::Title, "求职者需求清单");
    info_line(s, ctx.union_unit, "统计时间：" + r.period.describe(), ctx.filled_on);
    std::vector<C> header;
    for (auto* c : {"序号", "单位", "招聘会", "登记时间", "人员编号", "就业意向（行业）",
                    "技能水平", "证书", "服务需求"})
        header.push_back(C::str(c));
    s.add(RowStyle::Header, header);
    s.header_rows_end = static_cast<int>(s.rows.size());
    int seq = 0;
    for (auto& row : r.rows) {
        const SeekerNeeds& n = *row.needs;
        s.add(RowStyle::Data,
              {C::integer(++seq), C::str(row.union_unit), C::str(row.fair_name),
               C::str(recorded_at(n.h.device_time)), C::str(n.attendee_id),
               C::str(joined(n.industries, "、", false)), C::str(needs_label(n.skill)),
               C::str(joined(n.certificates, "、", true)), C::str(joined(n.services, "、", true))});
    }
    // The totals: people, and people asking for each service, per union.
    std::vector<C> th{C::str("单位"), C::str("登记人数")};
    for (auto* c : kNeedsServiceColumns)
        th.push_back(C::str(c));
    s.add(RowStyle::Header, th);
    auto totals = [&](const NeedsUnitTotals& t, RowStyle style) {
        std::vector<C> v{C::str(t.union_unit), C::integer(t.people)};
        for (auto n : t.services)
            v.push_back(C::integer(n));
        s.add(style, v);
    };
    for (auto& t : r.units)
        totals(t, RowStyle::Data);
    totals(r.total, RowStyle::Total);
    s.add_spanning(RowStyle::Note,
                   "说明：每人每场招聘会以最后一次登记的需求清单为准；清单只记录所选项目，"
                   "不含姓名、证件号码和手机号码。");
    s.fit_widths();
    return s;
}

FormSheet needs_table(const NeedsReport& r) {
    FormSheet s;
    s.sheet_name = "needs";
    s.columns = 10;
    std::vector<C> header;
    for (auto* c : {"union", "fair_id", "attendee_id", "recorded_at", "terminal_id", "uuid",
                    "industries", "skill", "certificates", "services"})
        header.push_back(C::str(c));
    s.add(RowStyle::Header, header);
    s.header_rows_end = 1;
    for (auto& row : r.rows) {
        const SeekerNeeds& n = *row.needs;
        s.add(RowStyle::Data,
              {C::str(row.union_unit), C::str(n.fair_id), C::str(n.attendee_id),
               C::str(cst_iso(n.h.device_time)), C::str(n.h.terminal_id), C::str(n.h.uuid),
               C::str(joined(n.industries, ";", false)), C::str(n.skill),
               C::str(joined(n.certificates, ";", false)), C::str(joined(n.services, ";", false))});
    }
    s.fit_widths();
    return s;
}

// -----------------------------------------------------------------------------
// Building
// -----------------------------------------------------------------------------

std::optional<FormSheet> build_form(const ReportInput& in, ReportKind kind,
                                    const ReportPeriod& period, const ReportOptions& opt,
                                    const std::vector<Target>& targets, Date filled_on,
                                    Check* why) {
    FormContext ctx{opt.union_unit, filled_on};
    Check ok;
    auto done = [&](FormSheet s) -> std::optional<FormSheet> {
        if (why) *why = Check::pass();
        return s;
    };
    switch (kind) {
    case ReportKind::Detail:
    case ReportKind::Summary: {
        // 附件5 and 附件6 are one pair: neither leaves when they disagree (note 6).
        auto pair = build_weekly_pair(in, period, opt, &ok);
        if (!pair) break;
        return done(kind == ReportKind::Detail ? detail_sheet(pair->detail, ctx)
                                               : summary_sheet(pair->summary, ctx));
    }
    case ReportKind::Progress: {
        if (targets.empty()) {
            ok = Check::fail("err.report.no_targets");
            break;
        }
        auto p = build_progress(in, targets, period, opt, &ok);
        if (!p) break;
        return done(progress_sheet(*p, ctx));
    }
    case ReportKind::Insurance:
        // Without a campaign nothing can qualify: an empty list would hide the reason.
        if (in.campaigns.empty()) {
            ok = Check::fail("err.report.no_campaign");
            break;
        }
        return done(insurance_sheet(build_insurance(in, period, opt), ctx));
    case ReportKind::SpringBreeze:
        return done(spring_breeze_sheet(build_spring_breeze(in, period, opt), ctx));
    case ReportKind::Needs:
        return done(needs_sheet(build_needs(in, period, opt), ctx));
    }
    if (why) *why = ok;
    return std::nullopt;
}

// -----------------------------------------------------------------------------
// Kinds and file names
// -----------------------------------------------------------------------------

std::optional<ReportKind> parse_report_kind(std::string_view n) {
    if (n == "detail" || n == "附件6" || n == "明细表") return ReportKind::Detail;
    if (n == "summary" || n == "附件5" || n == "汇总表") return ReportKind::Summary;
    if (n == "progress" || n == "targets" || n == "附件1") return ReportKind::Progress;
    if (n == "insurance" || n == "保障") return ReportKind::Insurance;
    if (n == "spring" || n == "spring-breeze" || n == "春风行动") return ReportKind::SpringBreeze;
    if (n == "needs" || n == "需求清单") return ReportKind::Needs;
    return std::nullopt;
}

const char* report_kind_name(ReportKind k) {
    switch (k) {
    case ReportKind::Detail:
        return "detail";
    case ReportKind::Summary:
        return "summary";
    case ReportKind::Progress:
        return "progress";
    case ReportKind::Insurance:
        return "insurance";
    case ReportKind::SpringBreeze:
        return "spring";
    case ReportKind::Needs:
        return "needs";
    }
    return "";
}

std::string report_file_stem(ReportKind k, const ReportPeriod& period, const std::string& unit) {
    const char* name = "";
    switch (k) {
    case ReportKind::Detail:
        name = "附件6_明细表";
        break;
    case ReportKind::Summary:
        name = "附件5_汇总表";
        break;
    case ReportKind::Progress:
        name = "附件1_目标任务完成情况";
        break;
    case ReportKind::Insurance:
        name = "意外伤害互助保障名单";
        break;
    case ReportKind::SpringBreeze:
        name = "春风行动统计表";
        break;
    case ReportKind::Needs:
        name = "求职者需求清单";
        break;
    }
    std::string stem = std::string(name) + "_" + period.label;
    if (!unit.empty()) stem += "_" + unit_key(unit);
    for (auto& c : stem)
        if (c == '/' || c == '\\' || c == ':') c = '_';
    return stem;
}

} // namespace jf::forms
