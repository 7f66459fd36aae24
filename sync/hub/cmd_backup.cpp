// `jobfair-hub backup` (a consistent copy while the hub serves) and `jobfair-hub restore`.
#include "sync/hub/commands.hpp"
#include "sync/hub/hub_cli.hpp"
#include "platform/log/log.hpp"

#include <cstdio>

namespace jf::hub {
namespace {

int run_backup(const Args& args) {
    auto out = option(args, "--out");
    if (out.empty()) {
        std::fprintf(stderr, "jobfair-hub backup: needs --out FILE\n");
        return 2;
    }
    ServeConfig cfg;
    std::string err;
    if (!config_from_args(args, cfg, &err)) {
        std::fprintf(stderr, "jobfair-hub backup: %s\n", err.c_str());
        return 2;
    }
    if (is_database_url(cfg.database)) {
        std::fprintf(stderr, "jobfair-hub backup: the hub's store is a PostgreSQL database: back "
                             "it up with pg_dump or base backups (docs/scale.md)\n");
        return 2;
    }
    bool logged = open_staff_log(args);
    BackupInfo info;
    if (!backup_hub_store(cfg.data_dir, out, &err, &info)) {
        if (logged) log::error("hub", "backup_failed", {{"error", err}});
        std::fprintf(stderr, "jobfair-hub backup: %s\n", err.c_str());
        return 1;
    }
    if (logged)
        log::info("hub", "backup_made",
                  {{"file", out},
                   {"events", std::to_string(info.events)},
                   {"bytes", std::to_string(info.bytes)}});
    std::printf("backup %s: %lld events, %lld terminals, %lld bytes; checked (quick_check ok)\n"
                "It holds personal data (sealed numbers, names): keep it 0600, off the hub's "
                "disk, and practise restoring it.\n",
                out.c_str(), static_cast<long long>(info.events),
                static_cast<long long>(info.terminals), static_cast<long long>(info.bytes));
    return 0;
}

int run_restore(const Args& args) {
    auto from = option(args, "--from");
    if (from.empty()) {
        std::fprintf(stderr,
                     "jobfair-hub restore: needs --from FILE (made by jobfair-hub backup)\n");
        return 2;
    }
    ServeConfig cfg;
    std::string err;
    if (!config_from_args(args, cfg, &err)) {
        std::fprintf(stderr, "jobfair-hub restore: %s\n", err.c_str());
        return 2;
    }
    if (is_database_url(cfg.database)) {
        std::fprintf(stderr, "jobfair-hub restore: the hub's store is a PostgreSQL database: "
                             "restore it with pg_restore, then run `jobfair-hub new-epoch` "
                             "(docs/scale.md)\n");
        return 2;
    }
    bool logged = open_staff_log(args);
    BackupInfo info;
    if (!restore_hub_store(cfg.data_dir, from, &err, &info)) {
        if (logged) log::error("hub", "restore_failed", {{"error", err}});
        std::fprintf(stderr, "jobfair-hub restore: %s\n", err.c_str());
        return 1;
    }
    if (logged)
        log::warn(
            "hub", "restored",
            {{"file", from}, {"events", std::to_string(info.events)}, {"replaced", info.replaced}});
    std::printf("restored %s into %s/hub.db: %lld events, %lld terminals\n", from.c_str(),
                cfg.data_dir.c_str(), static_cast<long long>(info.events),
                static_cast<long long>(info.terminals));
    if (!info.replaced.empty())
        std::printf("the database it replaced is kept as %s (delete it once the hub runs well)\n",
                    info.replaced.c_str());
    std::printf(
        "new dataset epoch: at their next sync terminals take a fresh snapshot and send "
        "again what the backup lacks. Start the hub again (systemctl start jobfair-hub).\n");
    return 0;
}

RegisterCommand backup_cmd(
    {"backup", "copy the hub's database consistently while it serves",
     "usage: jobfair-hub backup --out FILE [--data-dir DIR | --config FILE] [--log-dir DIR]\n"
     "  SQLite's online backup: one committed state, taken while terminals upload. The copy is\n"
     "  quick_checked and written 0600; an existing FILE is never overwritten.",
     run_backup});
RegisterCommand restore_cmd(
    {"restore", "put a backup back (hub stopped) and start a new dataset epoch",
     "usage: jobfair-hub restore --from FILE [--data-dir DIR | --config FILE] [--log-dir DIR]\n"
     "  Stop the hub first. The backup must pass quick_check. The database it replaces is kept\n"
     "  beside it. Terminals download afresh and resend the events the backup lacks.",
     run_restore});

} // namespace
} // namespace jf::hub
