// HTTPS routes of the hub. TCP_NODELAY is on: without it every keep-alive request waits ~40 ms for
// the peer's delayed ACK. Payload size, keep-alive count and timeouts are set explicitly.
#include "hub_server.hpp"

#include "hub_service.hpp"
#include "hub_tls.hpp"
#include "log/log.hpp"

#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

namespace jf::hub {

bool load_config(const std::string& path, ServeConfig& cfg, std::string* error) {
    std::ifstream in(path);
    if (!in) {
        if (error) *error = "cannot read " + path;
        return false;
    }
    auto trim = [](std::string s) {
        auto a = s.find_first_not_of(" \t\r");
        auto b = s.find_last_not_of(" \t\r");
        return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
    };
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        line = trim(line.substr(0, line.find('#')));
        if (line.empty()) continue;
        auto eq = line.find('=');
        auto where = path + ":" + std::to_string(n) + ": ";
        if (eq == std::string::npos) {
            if (error) *error = where + "expected key = value";
            return false;
        }
        std::string k = trim(line.substr(0, eq)), v = trim(line.substr(eq + 1));
        try {
            if (k == "listen")
                cfg.listen = v;
            else if (k == "port")
                cfg.port = std::stoi(v);
            else if (k == "cert")
                cfg.cert = v;
            else if (k == "key")
                cfg.key = v;
            else if (k == "data_dir")
                cfg.data_dir = v;
            else if (k == "workers")
                cfg.workers = std::stoi(v);
            else if (k == "max_payload")
                cfg.max_payload = std::stoul(v);
            else if (k == "keep_alive_max")
                cfg.keep_alive_max = std::stoi(v);
            else if (k == "keep_alive_timeout")
                cfg.keep_alive_timeout_s = std::stoi(v);
            else if (k == "read_timeout")
                cfg.read_timeout_s = std::stoi(v);
            else if (k == "write_timeout")
                cfg.write_timeout_s = std::stoi(v);
            else {
                if (error) *error = where + "unknown setting '" + k + "'";
                return false;
            }
        } catch (...) {
            if (error) *error = where + "'" + k + "' needs a number";
            return false;
        }
    }
    return true;
}

namespace {
std::string http_date() {
    std::time_t t = std::time(nullptr);
    std::tm g{};
    gmtime_r(&t, &g);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &g);
    return buf;
}

std::string bearer_of(const httplib::Request& req) {
    auto h = req.get_header_value("Authorization");
    if (h.rfind("Bearer ", 0) != 0) return {};
    return h.substr(7);
}

void send(httplib::Response& res, const Reply& r) {
    res.status = r.status;
    res.set_content(r.body, "application/json");
}
} // namespace

namespace {
// cpp-httplib listens with a backlog of 5 (compiled into Debian's library): a venue's terminals
// reconnecting together overflow it and their SYNs wait a second for the retry. Calling listen()
// again on the bound socket raises the backlog (Linux allows it).
void widen_listen_backlog(int port) {
    std::error_code ec;
    for (auto& e : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
        int fd = std::atoi(e.path().filename().c_str());
        int listening = 0;
        socklen_t len = sizeof listening;
        if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening)
            continue;
        sockaddr_storage addr{};
        socklen_t alen = sizeof addr;
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) continue;
        int p = addr.ss_family == AF_INET6
                    ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                    : ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
        if (p == port) ::listen(fd, 1024);
    }
}
} // namespace

struct HubServer::Impl {
    std::unique_ptr<HubStore> store;
    std::unique_ptr<HubService> service;
    std::unique_ptr<httplib::SSLServer> server;
    std::string pin;
    int port = 0;
};

HubServer::HubServer() : impl_(std::make_unique<Impl>()) {}
HubServer::~HubServer() = default;

bool HubServer::start(const ServeConfig& cfg, std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        return false;
    };
    if (cfg.cert.empty() || cfg.key.empty())
        return fail("a certificate and key are needed (--cert, --key; `jobfair-hub dev-cert` makes "
                    "a pair)");
    std::string why;
    impl_->pin = public_key_pin(cfg.cert, &why);
    if (impl_->pin.empty()) return fail(why);
    impl_->store = open_hub_store(cfg.data_dir, &why);
    if (!impl_->store) return fail("cannot open the hub store: " + why);
    impl_->service = std::make_unique<HubService>(*impl_->store, impl_->pin);
    impl_->server = std::make_unique<httplib::SSLServer>(cfg.cert.c_str(), cfg.key.c_str());
    auto& svr = *impl_->server;
    if (!svr.is_valid())
        return fail("cannot load the certificate or key (" + cfg.cert + ", " + cfg.key + ")");

    svr.set_tcp_nodelay(true);
    svr.set_payload_max_length(cfg.max_payload);
    svr.set_keep_alive_max_count(static_cast<size_t>(cfg.keep_alive_max));
    svr.set_keep_alive_timeout(cfg.keep_alive_timeout_s);
    svr.set_read_timeout(cfg.read_timeout_s, 0);
    svr.set_write_timeout(cfg.write_timeout_s, 0);
    int workers = std::max(2, cfg.workers);
    svr.new_task_queue = [workers] {
        return new httplib::ThreadPool(static_cast<size_t>(workers));
    };
    // Terminals compare their clocks with this at every sync.
    svr.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
        res.set_header("Date", http_date());
    });

    // Runs before any body is read. cpp-httplib enforces the payload limit only on a declared
    // Content-Length, so a chunked body would be read into memory whatever its size, before the
    // token is even looked at: uploads must declare their length (libcurl always does).
    svr.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!req.has_header("Transfer-Encoding"))
            return httplib::Server::HandlerResponse::Unhandled;
        res.status = 411;
        res.set_header("Connection", "close");
        res.set_content(wire::encode(wire::ErrorReply{"length_required",
                                                      "send the body with a Content-Length"}),
                        "application/json");
        return httplib::Server::HandlerResponse::Handled;
    });

    auto* service = impl_->service.get();
    svr.Post("/v1/enroll", [service](const httplib::Request& req, httplib::Response& res) {
        send(res, service->enroll(req.body, req.remote_addr));
    });
    svr.Post("/v1/events", [service](const httplib::Request& req, httplib::Response& res) {
        send(res, service->upload(bearer_of(req), req.body));
    });
    svr.Get("/v1/pull", [service](const httplib::Request& req, httplib::Response& res) {
        send(res, service->pull(bearer_of(req), req.get_param_value("stream"),
                                req.get_param_value("cursor"), req.get_param_value("epoch"),
                                req.get_param_value("limit")));
    });
    svr.Get("/v1/status", [service](const httplib::Request& req, httplib::Response& res) {
        send(res, service->status(bearer_of(req), req.get_header_value("X-Device-Time")));
    });
    svr.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("{\"ok\":true}", "application/json");
    });
    svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        // A known path asked with another method is 405 with the method it takes, not 404.
        static const std::map<std::string, std::string> routes = {{"/v1/enroll", "POST"},
                                                                  {"/v1/events", "POST"},
                                                                  {"/v1/pull", "GET"},
                                                                  {"/v1/status", "GET"},
                                                                  {"/healthz", "GET"}};
        auto route = routes.find(req.path);
        if (res.status == 404 && route != routes.end() && route->second != req.method) {
            res.status = 405;
            res.set_header("Allow", route->second);
        }
        if (res.body.empty()) {
            auto code = res.status == 404   ? "not_found"
                        : res.status == 405 ? "method_not_allowed"
                        : res.status == 413 ? "too_large"
                                            : "bad_request";
            res.set_content(
                wire::encode(wire::ErrorReply{code, "HTTP " + std::to_string(res.status)}),
                "application/json");
        }
    });

    if (cfg.port == 0) {
        impl_->port = svr.bind_to_any_port(cfg.listen);
        if (impl_->port <= 0) return fail("cannot listen on " + cfg.listen);
    } else {
        if (!svr.bind_to_port(cfg.listen, cfg.port))
            return fail("cannot listen on " + cfg.listen + ":" + std::to_string(cfg.port));
        impl_->port = cfg.port;
    }
    widen_listen_backlog(impl_->port);
    return true;
}

int HubServer::port() const {
    return impl_->port;
}
const std::string& HubServer::pin() const {
    return impl_->pin;
}
void HubServer::run() {
    impl_->server->listen_after_bind();
}
void HubServer::stop() {
    if (impl_->server) impl_->server->stop();
}

} // namespace jf::hub
