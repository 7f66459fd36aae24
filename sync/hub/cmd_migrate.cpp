// `jobfair-hub migrate`: a county's hub.db into the province's PostgreSQL database
// (hub_migrate.hpp, docs/scale.md).
#include "sync/hub/commands.hpp"
#include "sync/hub/hub_cli.hpp"
#include "sync/hub/hub_migrate.hpp"
#include "platform/log/log.hpp"

#include <cstdio>

namespace jf::hub {
namespace {

int run_migrate(const Args& args) {
    crypto_init();
    auto from = option(args, "--from");
    ServeConfig cfg;
    std::string err;
    if (!config_from_args(args, cfg, &err)) {
        std::fprintf(stderr, "jobfair-hub migrate: %s\n", err.c_str());
        return 2;
    }
    std::string to = option(args, "--to", cfg.database);
    if (from.empty() || !is_database_url(to)) {
        std::fprintf(stderr, "usage: jobfair-hub migrate --from COUNTY/hub.db --to "
                             "postgresql://… [--data-dir DIR | --config FILE] [--dry-run]\n");
        return 2;
    }
    bool dry_run = has_flag(args, "--dry-run");
    bool logged = !dry_run && open_staff_log(args);
    MigrateReport rep;
    if (!migrate_hub(from, to, cfg.data_dir, &rep, &err, dry_run)) {
        if (logged) log::error("hub", "migrate_refused", {{"from", from}, {"error", err}});
        std::fprintf(stderr, "jobfair-hub migrate: %s\n", err.c_str());
        size_t shown = 0;
        for (auto& c : rep.clashes)
            if (++shown <= 20) std::fprintf(stderr, "  %s\n", c.c_str());
        if (rep.clashes.size() > 20)
            std::fprintf(stderr, "  … and %zu more\n", rep.clashes.size() - 20);
        if (!rep.clashes.empty())
            std::fprintf(stderr, "Nothing was moved. Rename these ids in the county's hub (or "
                                 "delete the stale rows) and run migrate again.\n");
        return rep.already_moved ? 3 : 1;
    }
    int64_t total = 0;
    std::string counts;
    for (auto& [table, n] : rep.rows) {
        total += n;
        if (n > 0) counts += (counts.empty() ? "" : ", ") + table + " " + std::to_string(n);
    }
    if (dry_run) {
        std::printf("would move %s: %lld rows (%s); no clashes. Nothing was changed.\n",
                    from.c_str(), static_cast<long long>(total), counts.c_str());
        return 0;
    }
    if (logged)
        log::info("hub", "migrated",
                  {{"from", from},
                   {"rows", std::to_string(total)},
                   {"base", std::to_string(rep.base)},
                   {"span", std::to_string(rep.span)}});
    std::printf("moved %s: %lld rows (%s)\n"
                "change versions %lld–%lld; the county's terminals keep their place and download "
                "only what they lack.\n"
                "Copy %s/moved-keys/ to every hub process's data directory and restart them, so "
                "reports open the county's people.\n",
                from.c_str(), static_cast<long long>(total), counts.c_str(),
                static_cast<long long>(rep.base + 1), static_cast<long long>(rep.base + rep.span),
                cfg.data_dir.c_str());
    return 0;
}

RegisterCommand migrate_cmd(
    {"migrate", "move a county's hub.db into the province's PostgreSQL database",
     "usage: jobfair-hub migrate --from COUNTY/hub.db --to postgresql://… [--data-dir DIR | "
     "--config FILE] [--log-dir DIR] [--dry-run]\n"
     "  Stop the county's hub first. One transaction: everything or nothing. The county's\n"
     "  terminals keep their place (cursors translated, uploads continue), several counties may\n"
     "  be moved into one database, each keeping its union. Ids another county already uses for\n"
     "  a different record refuse the move, named. A county moved before is refused (exit 3).\n"
     "  DIR is the province hub's data directory: the county's sealing key joins its key ring.\n"
     "  --dry-run: does and checks everything (clashes named), then changes nothing; the\n"
     "  county's hub may still be running.",
     run_migrate});

} // namespace
} // namespace jf::hub
