// Shared parts of the staff commands: the hub store named by --data-dir / --config.
#include "sync/hub/hub_cli.hpp"

#include "platform/log/log.hpp"

#include <cstdio>
#include <cstdlib>

namespace jf::hub {

bool config_from_args(const Args& args, ServeConfig& cfg, std::string* error) {
    auto file = option(args, "--config");
    if (!file.empty() && !load_config(file, cfg, error)) return false;
    cfg.listen = option(args, "--listen", cfg.listen);
    cfg.cert = option(args, "--cert", cfg.cert);
    cfg.key = option(args, "--key", cfg.key);
    cfg.data_dir = option(args, "--data-dir", cfg.data_dir);
    // The database URL may carry a password: JF_HUB_DATABASE (a systemd EnvironmentFile) keeps
    // it off command lines; the flag wins over it, and it over the config file.
    if (const char* env = std::getenv("JF_HUB_DATABASE"); env && *env) cfg.database = env;
    cfg.database = option(args, "--database", cfg.database);
    cfg.metrics_listen = option(args, "--metrics-listen", cfg.metrics_listen);
    // Port 0 picks a free port (tests); workers bound the connections served at once.
    auto port = number_option(args, "--port", cfg.port, 0, 65535, error);
    auto workers = port ? number_option(args, "--workers", cfg.workers, 1, 4096, error) : port;
    if (!port || !workers) return false;
    cfg.port = static_cast<int>(*port);
    cfg.workers = static_cast<int>(*workers);
    if (has_flag(args, "--metrics-port") || !option(args, "--metrics-port").empty()) {
        auto m = number_option(args, "--metrics-port", cfg.metrics_port, -1, 65535, error);
        if (!m) return false;
        cfg.metrics_port = static_cast<int>(*m);
        cfg.metrics_port_set = true;
    }
    return true;
}

bool open_staff_log(const Args& args) {
    auto dir = option(args, "--log-dir");
    return !dir.empty() && log::open(dir, "hub");
}

std::unique_ptr<HubStore> open_store_from_args(const Args& args) {
    ServeConfig cfg;
    std::string err;
    if (!config_from_args(args, cfg, &err)) {
        std::fprintf(stderr, "jobfair-hub: %s\n", err.c_str());
        return nullptr;
    }
    auto store = open_hub_store(cfg.data_dir, &err, cfg.database);
    if (!store) std::fprintf(stderr, "jobfair-hub: %s\n", err.c_str());
    return store;
}

} // namespace jf::hub
