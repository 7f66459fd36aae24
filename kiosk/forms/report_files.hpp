// Writing a set of report forms into a folder as XLSX and CSV, for the terminal's export and the
// hub's `report` command alike.
#pragma once

#include "kiosk/domain/reports.hpp"
#include "kiosk/forms/layouts.hpp"

#include <string>
#include <utility>
#include <vector>

namespace jf::forms {

struct ExportOptions {
    std::string union_unit;        // empty = every union the terminal knows
    std::vector<ReportKind> kinds; // empty = all (附件1 only when targets exist)
    bool xlsx = true, csv = true;
    Date filled_on;              // 填报日期; invalid = the period's last day
    std::vector<Target> targets; // empty = saved_targets(store)
};

struct ExportResult {
    bool ok = false;                                   // every requested form was written
    std::vector<std::string> files;                    // written, in order
    std::vector<std::pair<ReportKind, Check>> refused; // forms not written and why
    std::string error; // a message key when the folder cannot be written
    std::string detail;
};

// Shared by the terminal and the hub: writes the forms of `kinds` for `in` into `folder`.
ExportResult write_reports(const ReportInput& in, const std::string& folder,
                           const ReportPeriod& period, const ExportOptions& opt);

} // namespace jf::forms
