// The union's form layouts: each report becomes a FormSheet laid out like the printed form
// (title, 单位 and date line, the form's header rows with their merged cells, 总计, notes).
#pragma once

#include "kiosk/domain/reports.hpp"
#include "kiosk/forms/sheet.hpp"

#include <optional>
#include <string>

namespace jf::forms {

struct FormContext {
    std::string union_unit; // 单位 line; empty = every union
    Date filled_on;         // 填报日期
};

FormSheet detail_sheet(const DetailReport& r, const FormContext& ctx);       // 附件6
FormSheet summary_sheet(const SummaryReport& r, const FormContext& ctx);     // 附件5
FormSheet progress_sheet(const ProgressReport& r, const FormContext& ctx);   // 附件1
FormSheet insurance_sheet(const InsuranceReport& r, const FormContext& ctx); // 互助保障名单
FormSheet spring_breeze_sheet(const SpringBreezeReport& r, const FormContext& ctx); // 武汉 附件2
// 求职者需求清单, for people: titles, the union's wording, a total per union and service.
FormSheet needs_sheet(const NeedsReport& r, const FormContext& ctx);
// The same lists for machines: one header row of field names, one row per list, the codes as
// the events carry them, lists joined with ';' (what `report needs --format csv` writes).
FormSheet needs_table(const NeedsReport& r);
// The union's wording of a needs list's codes: "中级工", "特种作业操作证", "技能培训"; "" unknown.
const char* needs_label(std::string_view code);

// Report kinds as the command line names them.
enum class ReportKind { Detail, Summary, Progress, Insurance, SpringBreeze, Needs };
std::optional<ReportKind> parse_report_kind(std::string_view name); // "detail"/"附件6", …
const char* report_kind_name(ReportKind k);                         // "detail", …
// "附件6_明细表_2024-W08" (no extension), for file names staff recognise.
std::string report_file_stem(ReportKind k, const ReportPeriod& period, const std::string& unit);

// Builds the report of `kind` and lays it out. Refuses (nullopt, `why` set) a 附件5/附件6 whose
// numbers break note 6, a 附件1 without targets or campaign.
std::optional<FormSheet> build_form(const ReportInput& in, ReportKind kind,
                                    const ReportPeriod& period, const ReportOptions& opt,
                                    const std::vector<Target>& targets, Date filled_on, Check* why);

// The form's date notation: 2024年2月22日.
std::string chinese_date(Date d);

} // namespace jf::forms
