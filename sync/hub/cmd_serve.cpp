// `jobfair-hub serve` (the HTTPS server terminals sync with) and `jobfair-hub dev-cert`.
#include "sync/hub/commands.hpp"
#include "sync/hub/hub_cli.hpp"
#include "sync/hub/hub_server.hpp"
#include "sync/hub/hub_tls.hpp"
#include "platform/log/log.hpp"

#include <csignal>
#include <cstdio>
#include <sstream>
#include <thread>

namespace jf::hub {
namespace {

HubServer* g_server = nullptr;
void on_signal(int) {
    if (g_server) g_server->stop();
}

int run_serve(const Args& args) {
    crypto_init();
    ServeConfig cfg;
    std::string err;
    if (!config_from_args(args, cfg, &err)) {
        std::fprintf(stderr, "jobfair-hub serve: %s\n", err.c_str());
        return 2;
    }
    auto logdir = option(args, "--log-dir");
    if (!logdir.empty()) log::open(logdir, "hub");
    HubServer server;
    if (!server.start(cfg, &err)) {
        std::fprintf(stderr, "jobfair-hub serve: %s\n", err.c_str());
        return 1;
    }
    g_server = &server;
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGPIPE, SIG_IGN);
    std::printf("jobfair-hub: serving https://%s:%d (data %s)\npin %s\n", cfg.listen.c_str(),
                server.port(), cfg.data_dir.c_str(), server.pin().c_str());
    if (server.metrics_port() >= 0)
        std::printf("metrics http://%s:%d/metrics\n", cfg.metrics_listen.c_str(),
                    server.metrics_port());
    std::fflush(stdout);
    log::info("hub", "serve",
              {{"listen", cfg.listen},
               {"port", std::to_string(server.port())},
               {"metrics_port", std::to_string(server.metrics_port())}});
    server.run();
    g_server = nullptr;
    log::info("hub", "stopped");
    return 0;
}

int run_dev_cert(const Args& args) {
    crypto_init();
    std::string cert = option(args, "--cert", "hub-cert.pem"),
                key = option(args, "--key", "hub-key.pem");
    std::vector<std::string> hosts;
    std::stringstream ss(option(args, "--hosts"));
    for (std::string h; std::getline(ss, h, ',');)
        if (!h.empty()) hosts.push_back(h);
    std::string err;
    auto days = number_option(args, "--days", 825, 1, 3650, &err);
    if (!days) {
        std::fprintf(stderr, "jobfair-hub dev-cert: %s\n", err.c_str());
        return 2;
    }
    if (!make_dev_certificate(cert, key, hosts, static_cast<int>(*days), &err)) {
        std::fprintf(stderr, "jobfair-hub dev-cert: %s\n", err.c_str());
        return 1;
    }
    std::printf("wrote %s and %s (self-signed, for a local trial)\npin %s\n", cert.c_str(),
                key.c_str(), public_key_pin(cert).c_str());
    return 0;
}

RegisterCommand serve_cmd(
    {"serve", "serve terminals over HTTPS (enrolment, upload, download)",
     "usage: jobfair-hub serve [--config FILE] [--listen ADDR] [--port N]\n"
     "                         [--cert FILE --key FILE] [--data-dir DIR]\n"
     "                         [--database postgresql://…] [--workers N] [--log-dir DIR]\n"
     "                         [--metrics-listen ADDR] [--metrics-port N]\n"
     "  The config file holds `key = value` lines (docs/hub-server.md lists every\n"
     "  limit and deadline): listen, port, cert, key, data_dir, workers, max_payload,\n"
     "  keep_alive_max, keep_alive_timeout, read_timeout, write_timeout, rate and\n"
     "  connection limits, metrics_listen, metrics_port. Flags win over the file.\n"
     "  --port 0 picks a free port. Metrics (Prometheus text) are served on\n"
     "  http://127.0.0.1:9464/metrics unless --metrics-port says otherwise (-1: none).\n"
     "  One hub per data directory: a second serve on it is refused.\n"
     "  database = postgresql://… (or --database): the store is that PostgreSQL\n"
     "  database, which several hub processes may share (docs/scale.md); default:\n"
     "  <data_dir>/hub.db.\n"
     "  SIGINT/SIGTERM stop it after the requests in flight.",
     run_serve});
RegisterCommand
    devcert_cmd({"dev-cert", "make a self-signed certificate and key for a local trial",
                 "usage: jobfair-hub dev-cert [--cert hub-cert.pem] [--key hub-key.pem]\n"
                 "                            [--hosts name,10.0.0.5] [--days 825]\n"
                 "  Always valid for localhost and 127.0.0.1. Prints the public-key pin.",
                 run_dev_cert});

} // namespace
} // namespace jf::hub
