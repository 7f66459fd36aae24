// `jobfair-kiosk import-listings FILE` and `import-targets FILE`: the union's 附件4 listings and
// 附件1 targets into the terminal's own store, for venues without a hub. Bad rows are listed
// with row number, column and reason; the good rows are imported; importing again changes nothing.
#include "kiosk/app/commands.hpp"

#include "kiosk/forms/cli_text.hpp"
#include "kiosk/forms/export.hpp"

#include <cstdio>

namespace jf::app {
namespace {

std::vector<std::string> positional(const Args& args) {
    std::vector<std::string> out;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i].rfind("--", 0) == 0) {
            if (args[i].find('=') == std::string::npos && args[i] != "--dry-run") ++i;
            continue;
        }
        out.push_back(args[i]);
    }
    return out;
}

std::unique_ptr<Store> open_store(const Args& args, const Translations& t) {
    std::string dir = option(args, "--data-dir");
    if (dir.empty()) {
        std::fprintf(stderr, "--data-dir DIR is required\n");
        return nullptr;
    }
    std::string err;
    auto store = Store::open(dir + "/kiosk.db", &err);
    if (!store)
        std::fprintf(stderr, "%s\n", t.format("err.report.store", {message_text(err)}).c_str());
    return store;
}

int cmd_import_listings(const Args& args) {
    auto t = forms::load_cli_translations(option(args, "--lang"));
    auto files = positional(args);
    if (files.size() != 1) {
        std::fprintf(
            stderr,
            "usage: jobfair-kiosk import-listings FILE --data-dir DIR [--union U] [--dry-run]\n");
        return 2;
    }
    forms::ListingImportOptions opt;
    opt.union_unit = option(args, "--union");
    if (has_flag(args, "--dry-run")) {
        auto r =
            forms::import_listings(files[0], opt, [](std::vector<JobListing>&) { return true; });
        forms::print_import(t, r);
        if (!r.ok) return 1;
        return r.problems.empty() ? 0 : 3;
    }
    auto store = open_store(args, t);
    if (!store) return 1;
    auto r = forms::import_listings_into(*store, files[0], opt);
    forms::print_import(t, r.file);
    if (!r.file.ok) return 1;
    if (!r.applied.ok) {
        std::fprintf(stderr, "%s\n", t.tr(r.applied.error).c_str());
        return 1;
    }
    std::printf("%s\n", t.format("import.applied", {std::to_string(r.applied.added),
                                                    std::to_string(r.applied.updated),
                                                    std::to_string(r.applied.unchanged)})
                            .c_str());
    return r.file.problems.empty() ? 0 : 3;
}

int cmd_import_targets(const Args& args) {
    auto t = forms::load_cli_translations(option(args, "--lang"));
    auto files = positional(args);
    if (files.size() != 1) {
        std::fprintf(stderr, "usage: jobfair-kiosk import-targets FILE --data-dir DIR\n");
        return 2;
    }
    auto r = forms::import_targets(files[0]);
    for (auto& p : r.problems)
        std::fprintf(stderr, "%s\n", forms::describe_problem(t, p).c_str());
    if (!r.ok) return 1;
    auto store = open_store(args, t);
    if (!store || !forms::save_targets(*store, r.targets)) return 1;
    std::printf("%s\n",
                t.format("import.targets_saved", {std::to_string(r.targets.size())}).c_str());
    return 0;
}

RegisterCommand reg_listings{
    {"import-listings", "import job listings (附件4) from XLSX, XLS or CSV into this terminal",
     "usage: jobfair-kiosk import-listings FILE --data-dir DIR [--union U] [--dry-run] [--lang "
     "zh|en]\n"
     "  FILE      the union's 岗位招聘信息采集表 (附件4) as .xlsx, .xls or .csv (UTF-8 or GBK)\n"
     "  --union   the reporting union the listings are collected for (附件5 单位)\n"
     "  --dry-run check the file and list its problems without importing\n"
     "Bad rows are listed with row number, column and reason; good rows are imported.\n"
     "Importing the same file again changes nothing. Exit status: 0 all rows imported,\n"
     "3 some rows had problems (the others were imported), 1 the file could not be read.",
     cmd_import_listings}};

RegisterCommand reg_targets{
    {"import-targets", "load the 附件1 targets table so reports show progress",
     "usage: jobfair-kiosk import-targets FILE --data-dir DIR [--lang zh|en]\n"
     "  FILE  the 目标任务分解表 (附件1): 单位 and the six target columns, .xlsx/.xls/.csv",
     cmd_import_targets}};

} // namespace
} // namespace jf::app
