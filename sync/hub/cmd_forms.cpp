// `jobfair-hub import-listings FILE` and `jobfair-hub report KIND`: the union's spreadsheets in
// and out on the hub. Listings (附件4, XLSX/XLS/CSV) go to every terminal at its next sync; reports
// cover every terminal and fair of a union, with the ID and phone numbers the hub alone can open.
#include "sync/hub/commands.hpp"
#include "kiosk/domain/clock.hpp"
#include "sync/hub/hub_audit.hpp"
#include "sync/hub/hub_cli.hpp"
#include "sync/hub/hub_listings.hpp"
#include "sync/hub/hub_reports.hpp"
#include "sync/hub/hub_store.hpp"

#include "kiosk/forms/cli_text.hpp"
#include "kiosk/forms/import.hpp"
#include "kiosk/forms/layouts.hpp"
#include "kiosk/forms/sheet.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

namespace jf::hub {
namespace {

const char* kFormsStoreFlags =
    "  [--data-dir DIR | --config FILE] [--database URL]   the hub's data (as for serve)";

std::vector<std::string> positional(const Args& args) {
    static const std::set<std::string> bare = {"--dry-run"};
    std::vector<std::string> out;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i].rfind("--", 0) == 0) {
            if (args[i].find('=') == std::string::npos && !bare.count(args[i])) ++i;
            continue;
        }
        out.push_back(args[i]);
    }
    return out;
}

int run_import_listings(const Args& args) {
    crypto_init();
    auto t = forms::load_cli_translations(option(args, "--lang"));
    auto files = positional(args);
    if (files.size() != 1) {
        std::fprintf(stderr, "usage: jobfair-hub import-listings FILE [--union U] [--dry-run]\n");
        return 2;
    }
    forms::ListingImportOptions opt;
    opt.union_unit = option(args, "--union", option(args, "--unit"));
    if (has_flag(args, "--dry-run")) {
        auto r =
            forms::import_listings(files[0], opt, [](std::vector<JobListing>&) { return true; });
        forms::print_import(t, r);
        if (!r.ok) return 1;
        return r.problems.empty() ? 0 : 3;
    }
    auto store = open_store_from_args(args);
    if (!store) return 1;
    // A terminal receives the listings of its union and the unions above it (docs/scale.md):
    // listings under a name the union tree does not hold would reach no county's terminal.
    if (!opt.union_unit.empty()) {
        std::string names;
        bool known = false;
        for (auto& u : store->unions()) {
            known = known || u.id == opt.union_unit;
            names += (names.empty() ? "" : "、") + u.id;
        }
        if (!known) {
            std::fprintf(stderr, "%s\n",
                         t.format("err.import.union", {opt.union_unit, names}).c_str());
            return 2;
        }
    }

    ListingWriter writer(*store);
    bool store_failed = false;
    // The file is checked whole first (nothing is written when it cannot be read); then each
    // batch of rows is one transaction.
    auto r = forms::import_listings(files[0], opt, [&](std::vector<JobListing>& batch) {
        if (writer.write(batch)) return true;
        store_failed = true;
        return false;
    });
    forms::print_import(t, r);
    if (!r.ok) return 1;
    if (store_failed) {
        std::fprintf(stderr, "jobfair-hub: %s\n", store->last_error().c_str());
        return 1;
    }
    std::printf("%s\n", t.format("import.applied",
                                 {std::to_string(writer.added), std::to_string(writer.updated),
                                  std::to_string(writer.unchanged)})
                            .c_str());
    return r.problems.empty() ? 0 : 3;
}

int run_report(const Args& args) {
    crypto_init();
    auto t = forms::load_cli_translations(option(args, "--lang"));
    auto kinds = positional(args);
    if (kinds.size() != 1) {
        std::fprintf(stderr, "usage: jobfair-hub report KIND --union U --week 2024-W08 "
                             "--format xlsx|csv --out FILE\n");
        return 2;
    }
    auto kind = forms::parse_report_kind(kinds[0]);
    if (!kind) {
        std::fprintf(stderr, "%s\n", t.tr("err.report.kind").c_str());
        return 2;
    }
    TimeMs now = now_ms();
    auto period = period_or_this_week(option(args, "--period", option(args, "--week")), now);
    if (!period) {
        std::fprintf(stderr, "%s\n", t.tr("err.report.period").c_str());
        return 2;
    }
    std::string out = option(args, "--out");
    std::string format = option(args, "--format");
    if (format.empty()) {
        std::string ext = std::filesystem::path(out).extension().string();
        format = ext == ".csv" ? "csv" : "xlsx";
    }
    if (format != "xlsx" && format != "csv") {
        std::fprintf(stderr, "%s\n", t.tr("err.report.format").c_str());
        return 2;
    }
    std::string unit = option(args, "--union");
    if (out.empty()) out = forms::report_file_stem(*kind, *period, unit) + "." + format;
    std::optional<std::vector<Target>> targets; // else those uploaded in the console
    if (std::string tf = option(args, "--targets"); !tf.empty()) {
        auto r = forms::import_targets(tf);
        for (auto& p : r.problems)
            std::fprintf(stderr, "%s\n", forms::describe_problem(t, p).c_str());
        if (!r.ok) return 1;
        targets = r.targets;
    }
    auto store = open_store_from_args(args);
    if (!store) return 1;
    bool needs = *kind == forms::ReportKind::Needs; // no numbers: choices and ids only
    if (auto k = store->keys(); !needs && k.seal.secret_key.empty()) { // numbers opened
        std::fprintf(stderr, "jobfair-hub: %s\n", k.seal_problem.c_str());
        return 1;
    }
    ContactOpener opener(*store, store->keys());
    auto form = build_hub_form(*store, *kind, *period, unit, needs ? nullptr : &opener,
                               cst_date(now), targets ? &*targets : nullptr);
    // The needs list as CSV is for machines: field names and codes, no form around them.
    if (form.sheet && needs && format == "csv")
        form.sheet = forms::needs_table(build_needs(form.input, *period, form.options));
    if (!form.sheet) {
        std::fprintf(stderr, "%s\n", forms::describe_refusal(t, form.why).c_str());
        return 1;
    }
    // What the form was made from is not needed while it is written (附件5 counts it again
    // below for its 归集 line).
    if (*kind != forms::ReportKind::Summary) form.input = ReportInput{};
    const auto& sheet = form.sheet;
    std::string err;
    bool ok = format == "xlsx" ? forms::write_xlsx(*sheet, out, &err)
                               : forms::write_csv(*sheet, out, &err);
    // Opened numbers are accounted for: the file 0600 and an audit record, or no file at all.
    if (ok && opener.people() > 0)
        ok = account_for_opening(*store, kinds[0], out, opener.people(), &err);
    if (!ok) {
        std::fprintf(stderr, "%s\n", t.format("err.report.write", {err}).c_str());
        return 1;
    }
    std::printf("%s %s\n", period->label.c_str(), period->describe().c_str());
    std::printf("%s\n", t.format("report.written", {out}).c_str());
    if (*kind == forms::ReportKind::Summary)
        std::printf(
            "%s\n",
            forms::describe_collected(t, build_summary(form.input, *period, form.options)).c_str());
    return 0;
}

// A campaign (活动) the reports count against: its year and its concentrated phase (集中行动阶段,
// inside which 劳动合同 placements are insured). Without one, 附件1 progress and the insurance
// list cannot be made. Saving the same id again updates it.
int run_add_campaign(const Args& args) {
    auto t = forms::load_cli_translations(option(args, "--lang"));
    Campaign c;
    c.id = option(args, "--id");
    c.name = option(args, "--name");
    auto year_from = Date::parse(option(args, "--year-from"));
    auto year_until = Date::parse(option(args, "--year-until"));
    if (c.id.empty() || c.name.empty() || !year_from || !year_until) {
        std::fprintf(stderr, "%s\n", t.tr("err.campaign.args").c_str());
        return 2;
    }
    c.year_from = *year_from;
    c.year_until = *year_until;
    // The phase defaults to the whole year when not given.
    std::string pf = option(args, "--phase-from"), pu = option(args, "--phase-until");
    auto phase_from = pf.empty() ? year_from : Date::parse(pf);
    auto phase_until = pu.empty() ? year_until : Date::parse(pu);
    std::string bad;
    if (!phase_from)
        bad = "--phase-from " + pf;
    else if (!phase_until)
        bad = "--phase-until " + pu;
    else if (c.year_until < c.year_from)
        bad = "--year-until < --year-from";
    else if (*phase_until < *phase_from)
        bad = "--phase-until < --phase-from";
    else if (*phase_from < c.year_from || c.year_until < *phase_until)
        bad = "--phase-from/--phase-until";
    if (!bad.empty()) {
        std::fprintf(stderr, "%s\n", t.format("err.campaign.dates", {bad}).c_str());
        return 2;
    }
    c.concentrated_from = *phase_from;
    c.concentrated_until = *phase_until;
    auto store = open_store_from_args(args);
    if (!store) return 1;
    if (!store->upsert_campaign(c)) {
        std::fprintf(stderr, "jobfair-hub add-campaign: %s\n", store->last_error().c_str());
        return 1;
    }
    std::printf("%s\n", t.format("campaign.saved",
                                 {c.id, c.year_from.to_iso(), c.year_until.to_iso(),
                                  c.concentrated_from.to_iso(), c.concentrated_until.to_iso()})
                            .c_str());
    return 0;
}

RegisterCommand campaign_cmd{
    {"add-campaign",
     "add or update a campaign (its year and concentrated phase) that reports count against",
     std::string(
         "usage: jobfair-hub add-campaign --id ID --name NAME --year-from YYYYMMDD\n"
         "                             --year-until YYYYMMDD [--phase-from YYYYMMDD]\n"
         "                             [--phase-until YYYYMMDD] [--lang zh|en]\n"
         "  e.g. --id 2024 --name \"2024年工会送岗位 乐业在江淮\" --year-from 20240101\n"
         "       --year-until 20241231 --phase-from 20240101 --phase-until 20240410\n"
         "  The concentrated phase (集中行动阶段) lies inside the year (default: all of it);\n"
         "  附件1 progress and the insurance list need a campaign. Terminals receive it\n"
         "  at their next sync.\n") +
         kFormsStoreFlags,
     run_add_campaign}};

RegisterCommand import_cmd{
    {"import-listings",
     "import job listings (附件4) from XLSX, XLS or CSV; terminals receive them at their next sync",
     std::string(
         "usage: jobfair-hub import-listings FILE [--union U] [--dry-run] [--lang zh|en]\n"
         "  FILE      the 岗位招聘信息采集表 (附件4) as .xlsx, .xls or .csv (UTF-8 or GBK)\n"
         "  --union   the reporting union the listings are collected for (also --unit)\n"
         "  --dry-run check the file and list its problems without importing\n"
         "Every bad row is reported with its row number, column and reason; the good rows\n"
         "are imported; importing the same file again changes nothing. Exit status 3 when\n"
         "some rows were bad, 1 when the file could not be read.\n") +
         kFormsStoreFlags,
     run_import_listings}};

RegisterCommand report_cmd{
    {"report",
     "write one of the union's forms (附件5, 附件6, 附件1, insurance, 春风行动, needs list) as "
     "XLSX or CSV",
     std::string(
         "usage: jobfair-hub report KIND [--union U] [--week 2024-W08 | --period FROM-UNTIL]\n"
         "                       [--format xlsx|csv] [--out FILE] [--targets FILE] [--lang zh|en]\n"
         "  KIND      summary (附件5 汇总表), detail (附件6 明细表), progress (附件1, needs "
         "--targets),\n"
         "            insurance (意外伤害互助保障名单), spring (武汉春风行动统计表),\n"
         "            needs (求职者需求清单: XLSX for people, CSV of codes for machines)\n"
         "  --union   one reporting union (every terminal and fair of it), and the unions\n"
         "            below it each as a row of its own; default: all unions\n"
         "  --week    the report due that Thursday 10:00 China Standard Time (the seven days "
         "since\n"
         "            the previous Thursday 10:00); default: the report now being collected\n"
         "  --period  whole days instead: 20240201-20240229 or 2024-02-01..2024-02-29\n"
         "  --format  xlsx (default) or csv (UTF-8 with BOM); --out defaults to a name like\n"
         "            附件5_汇总表_2024-W08.xlsx\n"
         "附件5 and 附件6 are refused when their counts disagree (the form's note 6). ID and "
         "phone\n"
         "numbers are opened with the hub's key: the complete forms.\n") +
         kFormsStoreFlags,
     run_report}};

} // namespace
} // namespace jf::hub
