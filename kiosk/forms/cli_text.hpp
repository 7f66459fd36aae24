// Command-line wording for imports and reports, shared by jobfair-kiosk and jobfair-hub: message
// keys from assets/i18n (forms and the top-level tables) rendered in the operator's language.
#pragma once

#include "kiosk/forms/import.hpp"
#include "kiosk/forms/layouts.hpp"
#include "kiosk/i18n/i18n.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace jf::forms {

// --lang zh|en, else $LANG starting "en" → English, else Chinese (the default).
inline Translations load_cli_translations(const std::string& lang_flag) {
    Translations t;
    t.load(assets_dir() + "/i18n");
    std::string lang = lang_flag;
    if (lang.empty())
        if (const char* env = std::getenv("LANG")) lang = env;
    t.set_lang(lang.rfind("en", 0) == 0 ? Lang::EnUS : Lang::ZhCN);
    return t;
}

inline std::string describe_problem(const Translations& t, const ImportProblem& p) {
    std::string msg = t.format(p.key, p.args);
    if (p.row == 0) return msg;
    if (p.column.empty()) return t.format("import.problem_row", {std::to_string(p.row), msg});
    return t.format("import.problem", {std::to_string(p.row), p.column, msg});
}

// Prints an import's problems (stderr) and its summary line (stdout).
inline void print_import(const Translations& t, const ListingImport& r) {
    for (auto& p : r.problems)
        std::fprintf(stderr, "%s\n", describe_problem(t, p).c_str());
    if (r.ok)
        std::printf("%s\n", t.format("import.summary",
                                     {std::to_string(r.rows_read), std::to_string(r.accepted),
                                      std::to_string(r.problems.size())})
                                .c_str());
}

// After a 附件5: the period's 归集 figures (the listings collected in it, which the form shows)
// beside the listings open in it, for staff comparing with earlier reports (docs/forms.md).
inline std::string describe_collected(const Translations& t, const SummaryReport& s) {
    return t.format("report.collected",
                    {std::to_string(s.total.employers), std::to_string(s.total.jobs),
                     std::to_string(s.total.open_employers), std::to_string(s.total.open_jobs)});
}

inline std::string describe_refusal(const Translations& t, const Check& c) {
    return t.format(c.key, {c.field});
}

} // namespace jf::forms
