// `jobfair-kiosk report [KIND...]`: the union's forms (附件5, 附件6, insurance list, 春风行动 and,
// with targets, 附件1) from this terminal's own records into a folder, as XLSX and CSV. The
// terminal cannot open sealed numbers, so ID and phone numbers are masked; the hub's `report`
// gives the complete forms.
#include "kiosk/app/commands.hpp"
#include "kiosk/domain/clock.hpp"

#include "kiosk/forms/cli_text.hpp"
#include "kiosk/forms/export.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace jf::app {
namespace {

int cmd_report(const Args& args) {
    auto t = forms::load_cli_translations(option(args, "--lang"));
    forms::ExportOptions opt;
    std::vector<std::string> kinds;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i].rfind("--", 0) == 0) {
            if (args[i].find('=') == std::string::npos) ++i;
            continue;
        }
        auto k = forms::parse_report_kind(args[i]);
        if (!k) {
            std::fprintf(stderr, "%s\n", t.tr("err.report.kind").c_str());
            return 2;
        }
        opt.kinds.push_back(*k);
    }
    std::string dir = option(args, "--data-dir");
    if (dir.empty()) {
        std::fprintf(
            stderr, "usage: jobfair-kiosk report [KIND...] --data-dir DIR [--week 2024-W08] ...\n");
        return 2;
    }
    TimeMs now = now_ms();
    auto period = period_or_this_week(option(args, "--period", option(args, "--week")), now);
    if (!period) {
        std::fprintf(stderr, "%s\n", t.tr("err.report.period").c_str());
        return 2;
    }
    std::string format = option(args, "--format", "both");
    if (format != "xlsx" && format != "csv" && format != "both") {
        std::fprintf(stderr, "%s\n", t.tr("err.report.format").c_str());
        return 2;
    }
    opt.xlsx = format != "csv";
    opt.csv = format != "xlsx";
    opt.union_unit = option(args, "--union");
    if (std::string tf = option(args, "--targets"); !tf.empty()) {
        auto r = forms::import_targets(tf);
        for (auto& p : r.problems)
            std::fprintf(stderr, "%s\n", forms::describe_problem(t, p).c_str());
        if (!r.ok) return 1;
        opt.targets = r.targets;
    }
    std::string err;
    auto store = Store::open(dir + "/kiosk.db", &err);
    if (!store) {
        std::fprintf(stderr, "%s\n", t.format("err.report.store", {message_text(err)}).c_str());
        return 1;
    }
    std::string out = option(args, "--out", dir + "/reports");
    std::printf("%s %s\n", period->label.c_str(), period->describe().c_str());
    auto r = forms::export_reports(*store, out, *period, opt);
    for (auto& f : r.files)
        std::printf("%s\n", t.format("report.written", {f}).c_str());
    for (auto& [kind, why] : r.refused)
        std::fprintf(stderr, "%s: %s\n", forms::report_kind_name(kind),
                     forms::describe_refusal(t, why).c_str());
    if (!r.error.empty()) {
        std::fprintf(stderr, "%s\n", t.format(r.error, {r.detail}).c_str());
        return 1;
    }
    if (!r.files.empty()) std::printf("%s\n", t.tr("report.masked").c_str());
    bool summary = opt.kinds.empty() || std::find(opt.kinds.begin(), opt.kinds.end(),
                                                  forms::ReportKind::Summary) != opt.kinds.end();
    if (r.ok && summary) {
        ReportOptions ro;
        ro.union_unit = opt.union_unit;
        auto s = build_summary(forms::load_report_input(*store), *period, ro);
        std::printf("%s\n", forms::describe_collected(t, s).c_str());
    }
    return r.ok ? 0 : 1;
}

RegisterCommand reg{
    {"report", "write the union's weekly forms (附件5, 附件6, …) from this terminal's records",
     "usage: jobfair-kiosk report [KIND...] --data-dir DIR [--week 2024-W08 | --period "
     "FROM-UNTIL]\n"
     "                            [--union U] [--format xlsx|csv|both] [--out FOLDER]\n"
     "                            [--targets FILE] [--lang zh|en]\n"
     "  KIND      summary (附件5), detail (附件6), insurance, spring (武汉春风行动), progress "
     "(附件1);\n"
     "            all of them when none is named (progress only with targets)\n"
     "  --week    the report due that Thursday 10:00 (China Standard Time), covering the seven "
     "days\n"
     "            since the previous Thursday 10:00; default: the report now being collected\n"
     "  --period  whole days instead: 20240201-20240229 or 2024-02-01..2024-02-29\n"
     "  --out     folder for the files (default DIR/reports)\n"
     "  --targets the 附件1 目标任务分解表 (else the one saved by import-targets)\n"
     "附件5 and 附件6 are written only when their counts agree (the form's note 6).\n"
     "ID and phone numbers are masked here; the hub's report command gives the complete forms.",
     cmd_report}};

} // namespace
} // namespace jf::app
