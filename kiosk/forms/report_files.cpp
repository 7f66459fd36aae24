// Writing report forms to a folder: the file names staff recognise, XLSX and CSV side by side,
// and nothing at all for a form its checks refuse.
#include "kiosk/forms/report_files.hpp"

#include "kiosk/forms/sheet.hpp"

#include <filesystem>

namespace jf::forms {

ExportResult write_reports(const ReportInput& in, const std::string& folder,
                           const ReportPeriod& period, const ExportOptions& opt) {
    namespace fs = std::filesystem;
    ExportResult out;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (!fs::is_directory(folder, ec)) {
        out.error = "err.report.write";
        out.detail = folder;
        return out;
    }
    std::vector<ReportKind> kinds = opt.kinds;
    if (kinds.empty()) {
        kinds = {ReportKind::Summary, ReportKind::Detail, ReportKind::SpringBreeze};
        // The insurance list needs a campaign, progress targets too; asked for by name, they
        // say which is missing.
        if (!in.campaigns.empty()) kinds.push_back(ReportKind::Insurance);
        if (!opt.targets.empty() && !in.campaigns.empty()) kinds.push_back(ReportKind::Progress);
    }
    ReportOptions ro;
    ro.union_unit = opt.union_unit;
    for (auto& t : opt.targets)
        ro.units.push_back(t.unit);
    Date filled = opt.filled_on.valid() ? opt.filled_on : period.last_day;
    for (ReportKind k : kinds) {
        Check why;
        auto sheet = build_form(in, k, period, ro, opt.targets, filled, &why);
        if (!sheet) {
            out.refused.emplace_back(k, why);
            continue;
        }
        std::string base =
            (fs::path(folder) / report_file_stem(k, period, opt.union_unit)).string();
        std::string err;
        if (opt.xlsx) {
            if (!write_xlsx(*sheet, base + ".xlsx", &err)) {
                out.error = "err.report.write";
                out.detail = err;
                return out;
            }
            out.files.push_back(base + ".xlsx");
        }
        if (opt.csv) {
            if (!write_csv(*sheet, base + ".csv", &err)) {
                out.error = "err.report.write";
                out.detail = err;
                return out;
            }
            out.files.push_back(base + ".csv");
        }
    }
    out.ok = out.refused.empty();
    return out;
}

} // namespace jf::forms
