// Shared parts of the staff commands: the hub store named by --data-dir / --config.
#include "hub_cli.hpp"

#include <cstdio>

namespace jf::hub {

bool config_from_args(const Args& args, ServeConfig& cfg, std::string* error) {
    auto file = option(args, "--config");
    if (!file.empty() && !load_config(file, cfg, error)) return false;
    try {
        cfg.listen = option(args, "--listen", cfg.listen);
        cfg.port = std::stoi(option(args, "--port", std::to_string(cfg.port)));
        cfg.cert = option(args, "--cert", cfg.cert);
        cfg.key = option(args, "--key", cfg.key);
        cfg.data_dir = option(args, "--data-dir", cfg.data_dir);
        cfg.workers = std::stoi(option(args, "--workers", std::to_string(cfg.workers)));
        cfg.metrics_listen = option(args, "--metrics-listen", cfg.metrics_listen);
        if (auto m = option(args, "--metrics-port"); !m.empty()) {
            cfg.metrics_port = std::stoi(m);
            cfg.metrics_port_set = true;
        }
    } catch (...) {
        if (error) *error = "--port, --workers and --metrics-port need numbers";
        return false;
    }
    return true;
}

std::unique_ptr<HubStore> open_store_from_args(const Args& args) {
    ServeConfig cfg;
    std::string err;
    if (!config_from_args(args, cfg, &err)) {
        std::fprintf(stderr, "jobfair-hub: %s\n", err.c_str());
        return nullptr;
    }
    auto store = open_hub_store(cfg.data_dir, &err);
    if (!store) std::fprintf(stderr, "jobfair-hub: %s\n", err.c_str());
    return store;
}

} // namespace jf::hub
