// Staff command for the accountability of opened numbers: audit (see hub_audit.hpp and
// docs/privacy.md).
#include "sync/hub/commands.hpp"
#include "sync/hub/hub_cli.hpp"

#include <cstdio>

namespace jf::hub {
namespace {

int run_audit(const Args& args) {
    auto store = open_store_from_args(args);
    if (!store) return 1;
    auto rows = store->openings();
    for (auto& r : rows)
        std::printf("#%lld %s %s opened %lld person(s)' numbers: %s -> %s\n",
                    static_cast<long long>(r.id), format_time(r.at).c_str(), r.who.c_str(),
                    static_cast<long long>(r.people), r.form.c_str(), r.file.c_str());
    std::printf("%zu opening(s) of ID and phone numbers recorded\n", rows.size());
    return 0;
}

RegisterCommand audit_cmd(
    {"audit", "list every report or export written with opened ID and phone numbers",
     std::string("usage: jobfair-hub audit\n"
                 "  One line per opening: when (CST), who ran it, how many people's numbers,\n"
                 "  which form and which file. Written by `report`; never edited.\n"
                 "  [--data-dir DIR | --config FILE] [--database URL]"),
     run_audit});

} // namespace
} // namespace jf::hub
