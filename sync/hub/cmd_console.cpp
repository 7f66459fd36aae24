// Staff command for the web console: add-user (the first admin, or an account reset by the
// server's operator). Accounts are otherwise managed in the console (docs/console.md).
#include "sync/hub/commands.hpp"
#include "kiosk/forms/cli_text.hpp"
#include "sync/hub/hub_accounts.hpp"
#include "sync/hub/hub_audit.hpp"
#include "sync/hub/hub_cli.hpp"
#include "sync/hub/hub_service.hpp"

#include <cstdio>

namespace jf::hub {
namespace {

int run_add_user(const Args& args) {
    crypto_init();
    auto t = forms::load_cli_translations(option(args, "--lang"));
    AccountRow a;
    a.name = option(args, "--name");
    a.union_id = option(args, "--union");
    a.role = option(args, "--role", "admin");
    a.may_open_numbers = has_flag(args, "--open-numbers");
    if (a.name.empty() || a.union_id.empty()) {
        std::fprintf(stderr, "%s\n", t.tr("console.err.add_user_args").c_str());
        return 2;
    }
    auto store = open_store_from_args(args);
    if (!store) return 1;
    Accounts accounts(*store);
    std::string token, err;
    if (!accounts.add_account(current_account(), a, now_ms(), &token, &err)) {
        std::string msg = t.tr(err);
        if (err == "console.err.union") {
            msg += ":";
            for (auto& u : store->unions())
                msg += " " + u.id;
        }
        std::fprintf(stderr, "jobfair-hub add-user: %s\n", msg.c_str());
        return err == "console.err.storage" ? 1 : 2;
    }
    ServeConfig cfg;
    config_from_args(args, cfg, &err);
    auto url = option(args, "--hub-url", "https://" + cfg.listen + ":" + std::to_string(cfg.port));
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    std::printf("%s\n%s/console/setup?token=%s\n",
                t.format("console.user_added",
                         {a.name, a.role, a.union_id,
                          std::to_string(accounts.limits().setup_lifetime_ms / 3600000)})
                    .c_str(),
                url.c_str(), token.c_str());
    return 0;
}

RegisterCommand add_user_cmd{
    {"add-user", "create a console account (the first admin) and print its one-time set-up link",
     "usage: jobfair-hub add-user --name NAME --union UNION [--role admin|supervisor|staff]\n"
     "                           [--open-numbers] [--hub-url https://HOST:PORT] [--lang zh|en]\n"
     "                           [--data-dir DIR | --config FILE]\n"
     "  --union         the account's union in the hub's tree (安徽省, 芜湖市, 无为市, …)\n"
     "  --role          admin (default): accounts and settings; supervisor: also the unions\n"
     "                  below, read-only; staff: the own union's fairs, listings, reports\n"
     "  --open-numbers  may open full ID and phone numbers (each opening is audited)\n"
     "The link works once, for 72 hours: the person opens it and chooses a password.\n"
     "Running it again for the same name resets the account (its password and sessions end).\n",
     run_add_user}};

} // namespace
} // namespace jf::hub
