// The hub's HTTPS server on Boost.Beast/Asio with OpenSSL: a few I/O threads run every connection
// as a chain of asynchronous steps, each with its own deadline, and a pool of workers runs the
// HubService calls (SQLite, signature checks) so a slow commit never stalls a TLS handshake. A
// connection costs a socket and a few kilobytes whatever its client does; nothing a client sends
// is held beyond the limits of ServeConfig. docs/hub-server.md describes it.
#include "sync/hub/hub_server.hpp"

#include "sync/hub/hub_guard.hpp"
#include "sync/hub/hub_lock.hpp"
#include "sync/hub/hub_service.hpp"
#include "sync/hub/hub_tls.hpp"
#include "platform/cli/cli.hpp"
#include "platform/log/log.hpp"
#include "sync/hub/web/web.hpp"
#include "sync/hub/web/web_context.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <sys/resource.h>

#include <charconv>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <thread>
#include <unordered_set>

namespace jf::hub {

// -----------------------------------------------------------------------------
// Configuration file
// -----------------------------------------------------------------------------

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
    // Each number is checked against a range that a working hub can run with; a value outside
    // it is refused with the line, the setting and the range, in Chinese and English.
    using Setter = std::function<bool(const std::string& key, const std::string& v, std::string*)>;
    // A whole number (an int or a size_t setting) in [min, max].
    auto integer = [](auto& to, long long min, long long max) -> Setter {
        return [&to, min, max](const std::string& k, const std::string& v, std::string* why) {
            auto n = cli::checked_number(k, v, min, max, why);
            if (n) to = static_cast<std::remove_reference_t<decltype(to)>>(*n);
            return n.has_value();
        };
    };
    // Rates and bursts: a decimal from 0 (a rate of 0 turns its limiter off) up to a million.
    auto real = [](double& to) -> Setter {
        return [&to](const std::string& k, const std::string& v, std::string* why) {
            double d = 0;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
            if (ec == std::errc() && p == v.data() + v.size() && d >= 0 && d <= 1e6) {
                to = d;
                return true;
            }
            *why = k + " 应为 0 到 1000000 之间的数（收到 “" + v.substr(0, 40) + "”）\n" + k +
                   " must be a number from 0 to 1000000 (got \"" + v.substr(0, 40) + "\")";
            return false;
        };
    };
    auto text = [](std::string& to) -> Setter {
        return [&to](const std::string&, const std::string& v, std::string*) {
            to = v;
            return true;
        };
    };
    constexpr long long kMaxCount = 1'000'000, kMaxBytes = 1LL << 30;
    const std::map<std::string, Setter> keys = {
        {"listen", text(cfg.listen)},
        {"port", integer(cfg.port, 0, 65535)},
        {"cert", text(cfg.cert)},
        {"key", text(cfg.key)},
        {"data_dir", text(cfg.data_dir)},
        {"database", text(cfg.database)},
        {"workers", integer(cfg.workers, 1, 256)},
        {"io_threads", integer(cfg.io_threads, 1, 256)},
        {"max_payload", integer(cfg.max_payload, 1024, kMaxBytes)},
        {"max_enrol_body", integer(cfg.max_enrol_body, 256, 1 << 24)},
        {"max_header_bytes", integer(cfg.max_header_bytes, 1024, 1 << 20)},
        {"max_header_count", integer(cfg.max_header_count, 8, 1000)},
        {"max_target", integer(cfg.max_target, 64, 1 << 16)},
        {"handshake_timeout", integer(cfg.handshake_timeout_s, 1, 3600)},
        {"header_timeout", integer(cfg.header_timeout_s, 1, 3600)},
        {"keep_alive_timeout", integer(cfg.keep_alive_timeout_s, 1, 3600)},
        {"read_timeout", integer(cfg.read_timeout_s, 1, 3600)},
        {"write_timeout", integer(cfg.write_timeout_s, 1, 3600)},
        {"keep_alive_max", integer(cfg.keep_alive_max, 1, kMaxCount)},
        {"max_connections", integer(cfg.max_connections, 1, kMaxCount)},
        {"max_connections_per_address", integer(cfg.max_connections_per_address, 1, kMaxCount)},
        {"rate_per_address", real(cfg.rate_per_address)},
        {"burst_per_address", real(cfg.burst_per_address)},
        {"connect_rate_per_address", real(cfg.connect_rate_per_address)},
        {"connect_burst_per_address", real(cfg.connect_burst_per_address)},
        {"rate_per_terminal", real(cfg.rate_per_terminal)},
        {"burst_per_terminal", real(cfg.burst_per_terminal)},
        {"metrics_listen", text(cfg.metrics_listen)},
        {"web",
         [&cfg](const std::string& k, const std::string& v, std::string* why) {
             if (v != "on" && v != "off") {
                 *why = k + " 应为 on 或 off（收到 “" + v.substr(0, 40) + "”）\n" + k +
                        " must be on or off (got \"" + v.substr(0, 40) + "\")";
                 return false;
             }
             cfg.web = v == "on";
             return true;
         }},
        {"web_rate_per_address", real(cfg.web_rate_per_address)},
        {"web_burst_per_address", real(cfg.web_burst_per_address)},
        {"public_url", text(cfg.public_url)},
        {"issuer_key", text(cfg.issuer_key)},
        {"sms_sender", text(cfg.sms_sender)},
        {"phone_challenge_per_minute", integer(cfg.phone_challenge_per_minute, 0, kMaxCount)},
        {"phone_challenge_bits", integer(cfg.phone_challenge_bits, 0, 32)},
        {"phone_sms_per_number", integer(cfg.phone_sms_per_number, 1, kMaxCount)},
        {"phone_sms_per_address", integer(cfg.phone_sms_per_address, 1, kMaxCount)},
        {"metrics_port",
         [&cfg, port = integer(cfg.metrics_port, -1, 65535)](
             const std::string& k, const std::string& v, std::string* why) {
             if (!port(k, v, why)) return false;
             cfg.metrics_port_set = true;
             return true;
         }},
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
        auto setter = keys.find(k);
        if (setter == keys.end()) {
            if (error) *error = where + "unknown setting '" + k + "'";
            return false;
        }
        std::string why;
        if (!setter->second(k, v, &why)) {
            if (error) *error = where + why;
            return false;
        }
    }
    return true;
}

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

std::string http_date() {
    std::time_t t = std::time(nullptr);
    std::tm g{};
    gmtime_r(&t, &g);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &g);
    return buf;
}

// -----------------------------------------------------------------------------
// Routes
// -----------------------------------------------------------------------------

enum class Route { Enroll, Events, Pull, Status, Health };
struct RouteInfo {
    const char* path;
    http::verb method;
    const char* allow;
    const char* endpoint; // metrics label
    Route route;
    bool needs_token;
};
constexpr RouteInfo kRoutes[] = {
    {"/v1/enroll", http::verb::post, "POST", "enroll", Route::Enroll, false},
    {"/v1/events", http::verb::post, "POST", "events", Route::Events, true},
    {"/v1/pull", http::verb::get, "GET", "pull", Route::Pull, true},
    {"/v1/status", http::verb::get, "GET", "status", Route::Status, true},
    {"/healthz", http::verb::get, "GET", "healthz", Route::Health, false},
};

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string url_decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 &&
                   hex_digit(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// The value of `name` in a query string ("" when absent).
std::string query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        auto amp = query.find('&');
        auto part = query.substr(0, amp);
        auto eq = part.find('=');
        if (url_decode(part.substr(0, eq)) == name)
            return eq == std::string_view::npos ? std::string() : url_decode(part.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

// -----------------------------------------------------------------------------
// State shared by every connection
// -----------------------------------------------------------------------------

class Session;

struct Shared {
    Shared(const ServeConfig& c)
        : cfg(c), by_address(c.rate_per_address, c.burst_per_address),
          connects(c.connect_rate_per_address, c.connect_burst_per_address),
          by_terminal(c.rate_per_terminal, c.burst_per_terminal),
          web_by_address(c.web_rate_per_address, c.web_burst_per_address),
          conns(c.max_connections_per_address) {}
    ServeConfig cfg;
    HubService* service = nullptr;
    HubStore* store = nullptr;
    asio::thread_pool* pool = nullptr;
    RateLimiter by_address, connects, by_terminal, web_by_address;
    const web::WebApp* web = nullptr; // null: no web pages
    ConnectionCounter conns;
    LogThrottle throttle;
    HubMetrics metrics;
    std::string data_dir;
    int max_connections = 0;
    std::atomic<int> in_service{0};
    std::atomic<bool> stopping{false};
    std::mutex sessions_mu;
    std::unordered_set<Session*> sessions; // open connections, to reset them at shutdown

    // A refusal: counted by class, and logged (at most one line per class and second; the line
    // says how many were held back). Addresses are the clients' (venue routers, attackers), never
    // anything about a person.
    void refused(const std::string& reason, int status, const std::string& endpoint,
                 const std::string& address) {
        metrics.refused(reason);
        uint64_t skipped = 0;
        if (!throttle.allow("refused." + reason, Clock::now(), &skipped)) return;
        log::warn("hub", "refused",
                  {{"reason", reason},
                   {"status", std::to_string(status)},
                   {"endpoint", endpoint},
                   {"address", address},
                   {"skipped", std::to_string(skipped)}});
    }
    void rate_limited(const std::string& scope, const std::string& who, int retry_after,
                      const std::string& endpoint) {
        metrics.rate_limited(scope);
        uint64_t skipped = 0;
        if (!throttle.allow("rate." + scope, Clock::now(), &skipped)) return;
        log::warn("hub", "rate_limited",
                  {{"scope", scope},
                   {scope == "terminal" ? "terminal" : "address", who},
                   {"endpoint", endpoint},
                   {"retry_after_s", std::to_string(retry_after)},
                   {"skipped", std::to_string(skipped)}});
    }
};

// -----------------------------------------------------------------------------
// One terminal connection
// -----------------------------------------------------------------------------

class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket socket, ssl::context& ctx, std::shared_ptr<Shared> shared,
            std::string address)
        : stream_(std::move(socket), ctx), sh_(std::move(shared)), address_(std::move(address)),
          buffer_(sh_->cfg.max_header_bytes + (64u << 10)) {
        std::lock_guard lock(sh_->sessions_mu);
        sh_->sessions.insert(this);
    }
    ~Session() {
        sh_->conns.close(address_);
        std::lock_guard lock(sh_->sessions_mu);
        sh_->sessions.erase(this);
    }

    // At shutdown, once nothing runs any more: the connections still open (idle keep-alive ones)
    // are reset rather than closed, so no TIME_WAIT is left on the hub's port for whatever binds
    // it next.
    void reset() {
        error_code ignored;
        lowest().socket().set_option(asio::socket_base::linger(true, 0), ignored);
        lowest().socket().close(ignored);
    }

    void start() {
        lowest().expires_after(std::chrono::seconds(sh_->cfg.handshake_timeout_s));
        stream_.async_handshake(
            ssl::stream_base::server,
            [self = shared_from_this()](error_code ec) { self->on_handshake(ec); });
    }

  private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

    void on_handshake(error_code ec) {
        if (ec) {
            // Plain HTTP on the TLS port, a scanner, or a client too slow to say hello.
            sh_->refused(ec == beast::error::timeout ? "handshake_timeout" : "tls_handshake", 0, "",
                         address_);
            return close_now();
        }
        read_header();
    }

    void read_header() {
        header_.emplace();
        header_->header_limit(static_cast<std::uint32_t>(sh_->cfg.max_header_bytes));
        header_->body_limit(std::numeric_limits<std::uint64_t>::max()); // decided per route
        lowest().expires_after(std::chrono::seconds(served_ == 0 ? sh_->cfg.header_timeout_s
                                                                 : sh_->cfg.keep_alive_timeout_s));
        http::async_read_header(
            stream_, buffer_, *header_,
            [self = shared_from_this()](error_code ec, size_t) { self->on_header(ec); });
    }

    void on_header(error_code ec) {
        started_ = Clock::now();
        endpoint_ = "other";
        if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
            // The parser takes the request line as soon as it is complete: a request line it
            // never got to the end of is a long URL (414); otherwise the headers are too large.
            if (header_->get().target().empty())
                return refuse(414, "uri_too_long", "request line over the hub's limit", true);
            return refuse(400, "header_too_large",
                          "request headers over the hub's limit (" +
                              std::to_string(sh_->cfg.max_header_bytes) + " bytes)",
                          true);
        }
        if (ec == beast::error::timeout) {
            // Idle keep-alive connections end here quietly; a header left unfinished is a refusal.
            if (buffer_.size() > 0 || served_ == 0 || !header_->get().target().empty())
                sh_->refused("header_timeout", 0, "", address_);
            return close_now();
        }
        if (ec == http::error::end_of_stream || ec == asio::error::eof ||
            ec == asio::ssl::error::stream_truncated || ec == asio::error::connection_reset ||
            ec == asio::error::operation_aborted)
            return close_now();
        if (ec) return refuse(400, "bad_request", "malformed request", true);
        auto& req = header_->get();
        size_t fields = static_cast<size_t>(std::distance(req.begin(), req.end()));
        if (fields > sh_->cfg.max_header_count)
            return refuse(400, "too_many_headers",
                          "more than " + std::to_string(sh_->cfg.max_header_count) + " headers",
                          true);
        auto target = req.target();
        if (target.size() > sh_->cfg.max_target)
            return refuse(414, "uri_too_long", "request target over the hub's limit", true);
        auto q = target.find('?');
        std::string_view path(target.data(), q == std::string_view::npos ? target.size() : q);
        query_ = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
        route_ = nullptr;
        for (auto& r : kRoutes)
            if (path == r.path) route_ = &r;
        endpoint_ = route_ ? route_->endpoint : "other";
        declared_ = header_->content_length().value_or(0);
        body_unread_ = declared_ > 0 || req.count(http::field::transfer_encoding) > 0;
        web_ = false;
        if (!route_ && sh_->web && sh_->web->owns(path)) return on_web_header(std::string(path));
        if (!route_) return refuse(404, "not_found", "no such path", body_unread_);
        if (req.method() != route_->method) {
            extra_ = {"Allow", route_->allow};
            return refuse(405, "method_not_allowed", std::string("use ") + route_->allow,
                          body_unread_);
        }
        // Without a declared length the limit cannot be applied before reading.
        if (req.count(http::field::transfer_encoding) > 0)
            return refuse(411, "length_required", "send the body with a Content-Length", true);
        if (int wait = sh_->by_address.take(address_, Clock::now())) {
            sh_->rate_limited("address", address_, wait, endpoint_);
            extra_ = {"Retry-After", std::to_string(wait)};
            return reply({429, wire::encode(wire::ErrorReply{
                                   "rate_limited", "too many requests from this address; try "
                                                   "again in " +
                                                       std::to_string(wait) + " s"})},
                         body_unread_);
        }
        if (route_->route == Route::Health) return reply({200, "{\"ok\":true}"}, body_unread_);
        std::string bearer;
        auto auth = req[http::field::authorization];
        if (auth.size() > 7 && auth.substr(0, 7) == "Bearer ") bearer = std::string(auth.substr(7));
        if (!route_->needs_token) return after_token(std::nullopt);
        // The token is checked on a worker (it reads the store) before any body byte is read.
        ++sh_->in_service;
        asio::post(*sh_->pool, [self = shared_from_this(), bearer = std::move(bearer)] {
            Reply refusal;
            auto terminal = self->sh_->service->authorise(bearer, &refusal);
            --self->sh_->in_service;
            asio::post(self->stream_.get_executor(),
                       [self, terminal = std::move(terminal), refusal = std::move(refusal)] {
                           if (!terminal) return self->reply(refusal, self->body_unread_);
                           self->after_token(terminal->id);
                       });
        });
    }

    // A web page: same limits as the API up to here, then the web rate, the route's body limit
    // and the WebApp on a worker.
    void on_web_header(std::string path) {
        web_ = true;
        endpoint_ = "web";
        auto& req = header_->get();
        auto field = [&](http::field f) {
            auto v = req[f];
            return std::string(v.data(), v.size());
        };
        web_req_ = {};
        web_req_.method = std::string(req.method_string());
        web_req_.path = std::move(path);
        web_req_.query = query_;
        web_req_.content_type = field(http::field::content_type);
        web_req_.cookie = field(http::field::cookie);
        web_req_.accept_language = field(http::field::accept_language);
        web_req_.user_agent = field(http::field::user_agent);
        web_req_.address = address_;
        if (!sh_->web->allows(web_req_.path, web_req_.method)) {
            extra_ = {"Allow", sh_->web->allows(web_req_.path, "POST") ? "GET, POST" : "GET"};
            return refuse(405, "method_not_allowed", "", body_unread_);
        }
        if (req.count(http::field::transfer_encoding) > 0)
            return refuse(411, "length_required", "", true);
        for (auto* limiter : {&sh_->by_address, &sh_->web_by_address}) {
            if (int wait = limiter->take(address_, Clock::now())) {
                sh_->rate_limited("address", address_, wait, endpoint_);
                extra_ = {"Retry-After", std::to_string(wait)};
                return refuse(429, "rate_limited", "", body_unread_);
            }
        }
        size_t limit = web_req_.method == "POST" ? sh_->web->body_limit(web_req_.path) : 0;
        if (declared_ > limit) return refuse(413, "too_large", "", true);
        read_body(limit);
    }

    void call_web() {
        body_unread_ = false;
        web_req_.body = std::move(body_->get().body());
        ++sh_->in_service;
        asio::post(*sh_->pool, [self = shared_from_this()] {
            auto res = self->sh_->web->handle(std::move(self->web_req_));
            --self->sh_->in_service;
            asio::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable {
                self->reply_web(std::move(res), false);
            });
        });
    }

    void after_token(std::optional<std::string> terminal) {
        if (terminal) {
            terminal_ = *terminal;
            if (int wait = sh_->by_terminal.take(terminal_, Clock::now())) {
                sh_->rate_limited("terminal", terminal_, wait, endpoint_);
                extra_ = {"Retry-After", std::to_string(wait)};
                return reply({429, wire::encode(wire::ErrorReply{
                                       "rate_limited", "too many requests from this terminal; "
                                                       "try again in " +
                                                           std::to_string(wait) + " s"})},
                             body_unread_);
            }
        }
        size_t limit = route_->route == Route::Events   ? sh_->cfg.max_payload
                       : route_->route == Route::Enroll ? sh_->cfg.max_enrol_body
                                                        : 0;
        if (declared_ > limit)
            return refuse(413, "too_large",
                          "request body over the hub's limit (" + std::to_string(limit) + " bytes)",
                          true);
        read_body(limit);
    }

    // Reads a body of at most `limit` bytes (its own deadline), then calls the service or pages.
    void read_body(size_t limit) {
        body_.emplace(std::move(*header_));
        header_.reset();
        body_->body_limit(limit);
        if (declared_ == 0) return web_ ? call_web() : call_service();
        lowest().expires_after(std::chrono::seconds(sh_->cfg.read_timeout_s));
        http::async_read(
            stream_, buffer_, *body_, [self = shared_from_this()](error_code ec, size_t) {
                if (ec == beast::error::timeout) {
                    self->sh_->refused("body_timeout", 0, self->endpoint_, self->address_);
                    return self->close_now();
                }
                if (ec == http::error::body_limit)
                    return self->refuse(413, "too_large", "request body over the hub's limit",
                                        true);
                if (ec) return self->close_now();
                self->body_unread_ = false;
                if (self->web_) return self->call_web();
                self->call_service();
            });
    }

    void call_service() {
        body_unread_ = false;
        ++sh_->in_service;
        asio::post(*sh_->pool, [self = shared_from_this()] {
            auto& req = self->body_->get();
            HubService& svc = *self->sh_->service;
            auto bearer = [&] {
                auto a = req[http::field::authorization];
                return a.size() > 7 && a.substr(0, 7) == "Bearer " ? a.substr(7)
                                                                   : beast::string_view();
            }();
            std::string_view tok(bearer.data(), bearer.size());
            Reply r;
            switch (self->route_->route) {
            case Route::Enroll:
                r = svc.enroll(req.body(), self->address_);
                break;
            case Route::Events:
                r = svc.upload(tok, req.body());
                if (r.status == 200)
                    if (auto a = wire::decode_upload_response(r.body))
                        self->sh_->metrics.ingested(a->stored, a->duplicates, a->quarantined);
                break;
            case Route::Pull: {
                auto& q = self->query_;
                r = svc.pull(tok, query_param(q, "stream"), query_param(q, "cursor"),
                             query_param(q, "epoch"), query_param(q, "limit"));
                break;
            }
            case Route::Status: {
                auto t = req["X-Device-Time"];
                r = svc.status(tok, std::string_view(t.data(), t.size()));
                break;
            }
            case Route::Health:
                r = {200, "{\"ok\":true}"};
                break;
            }
            --self->sh_->in_service;
            asio::post(self->stream_.get_executor(),
                       [self, r = std::move(r)] { self->reply(r, false); });
        });
    }

    // An answer the server gives on its own (before the service): counted and logged as a refusal.
    // On a web path the refusal is the web error page, in the person's language.
    void refuse(int status, const std::string& code, const std::string& message, bool close) {
        if (web_) {
            sh_->refused(code, status, endpoint_, address_);
            auto res = sh_->web->refusal(web_req_, status);
            if (!extra_.first.empty()) res.headers.push_back(extra_);
            extra_ = {};
            return reply_web(std::move(res), close, false);
        }
        reply({status, wire::encode(wire::ErrorReply{code, message})}, close);
    }

    void reply_web(web::Response res, bool close, bool count_refusal = true) {
        if (count_refusal && res.status >= 400 && res.status != 429)
            sh_->refused("web_" + std::to_string(res.status), res.status, endpoint_, address_);
        header_.reset();
        res_.emplace(static_cast<http::status>(res.status), 11);
        res_->set(http::field::date, http_date());
        res_->set(http::field::content_type, res.content_type);
        for (auto& [k, v] : res.headers)
            res_->insert(k, v);
        res_->body() = std::move(res.body);
        write_answer(res.status, close);
    }

    void reply(const Reply& r, bool close) {
        if (r.status >= 400 && r.status != 429) {
            auto e = wire::decode_error(r.body);
            sh_->refused(e ? e->error : "http_" + std::to_string(r.status), r.status, endpoint_,
                         address_);
        }
        header_.reset();
        res_.emplace(static_cast<http::status>(r.status), 11);
        res_->set(http::field::date, http_date());
        res_->set(http::field::content_type, "application/json");
        if (!extra_.first.empty()) res_->set(extra_.first, extra_.second);
        extra_ = {};
        res_->body() = r.body;
        write_answer(r.status, close);
    }

    void write_answer(int status, bool close) {
        close_after_ = close || sh_->stopping || served_ + 1 >= sh_->cfg.keep_alive_max;
        res_->keep_alive(!close_after_);
        res_->prepare_payload();
        status_ = status;
        lowest().expires_after(std::chrono::seconds(sh_->cfg.write_timeout_s));
        http::async_write(stream_, *res_, [self = shared_from_this()](error_code ec, size_t) {
            self->on_written(ec);
        });
    }

    void on_written(error_code ec) {
        double s = std::chrono::duration<double>(Clock::now() - started_).count();
        sh_->metrics.request(endpoint_, status_, s);
        res_.reset();
        body_.reset();
        ++served_;
        if (ec) return close_now();
        if (close_after_) return linger_close();
        started_ = Clock::now();
        read_header();
    }

    // After an answer to a request whose body was not read: stop sending, read and drop what the
    // client still sends for a moment (so it sees the answer instead of a reset), then close.
    void linger_close() {
        error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
        drain_ = std::make_unique<char[]>(kDrainChunk);
        lowest().expires_after(std::chrono::seconds(1));
        drain();
    }
    void drain() {
        lowest().async_read_some(asio::buffer(drain_.get(), kDrainChunk),
                                 [self = shared_from_this()](error_code ec, size_t n) {
                                     self->drained_ += n;
                                     if (ec || self->drained_ > kDrainMax) return self->close_now();
                                     self->drain();
                                 });
    }

    // Closes with a reset, never a FIN of the hub's own: a server that closes first keeps a
    // TIME_WAIT entry on its port for a minute per connection (thousands under a flood), and
    // whatever binds the port next (a restarted hub behind a proxy, a test's stand-in) may be
    // refused. Every caller has either said all it had to say (answer written and drained) or
    // has nothing to say to this client.
    void close_now() { reset(); }

    static constexpr size_t kDrainChunk = 16u << 10, kDrainMax = 256u << 10;

    beast::ssl_stream<beast::tcp_stream> stream_;
    std::shared_ptr<Shared> sh_;
    std::string address_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::empty_body>> header_;
    std::optional<http::request_parser<http::string_body>> body_;
    std::optional<http::response<http::string_body>> res_;
    std::pair<std::string, std::string> extra_;
    const RouteInfo* route_ = nullptr;
    std::string endpoint_ = "other", query_, terminal_;
    Clock::time_point started_ = Clock::now();
    int served_ = 0, status_ = 0;
    uint64_t declared_ = 0; // Content-Length of the request being read
    bool close_after_ = false, body_unread_ = false, web_ = false;
    web::Request web_req_;
    std::unique_ptr<char[]> drain_;
    size_t drained_ = 0;
};

// -----------------------------------------------------------------------------
// The metrics listener (plain HTTP, loopback by default)
// -----------------------------------------------------------------------------

class MetricsSession : public std::enable_shared_from_this<MetricsSession> {
  public:
    MetricsSession(tcp::socket s, std::shared_ptr<Shared> sh)
        : stream_(std::move(s)), sh_(std::move(sh)) {}

    void start() {
        parser_.header_limit(4096);
        parser_.body_limit(0);
        stream_.expires_after(std::chrono::seconds(5));
        http::async_read(stream_, buffer_, parser_,
                         [self = shared_from_this()](error_code ec, size_t) { self->on_read(ec); });
    }

  private:
    void on_read(error_code ec) {
        if (ec) return stream_.close();
        auto& req = parser_.get();
        if (req.method() != http::verb::get || req.target() != "/metrics")
            return answer(404, "not found\n");
        asio::post(*sh_->pool, [self = shared_from_this()] {
            auto& sh = *self->sh_;
            HubMetrics::Gauges g;
            g.connections_open = sh.conns.total();
            TimeMs now = now_ms();
            for (auto& t : sh.store->terminals()) {
                if (t.revoked()) continue;
                ++g.terminals_enrolled;
                if (t.last_contact >= now - 5 * 60 * 1000) ++g.terminals_seen_5m;
            }
            std::error_code fe;
            for (const char* f : {"hub.db", "hub.db-wal"}) {
                auto n = std::filesystem::file_size(std::filesystem::path(sh.data_dir) / f, fe);
                if (!fe) g.database_bytes += static_cast<int64_t>(n);
            }
            auto text = sh.metrics.render(g);
            asio::post(self->stream_.get_executor(),
                       [self, text = std::move(text)] { self->answer(200, text); });
        });
    }

    void answer(int status, std::string body) {
        res_.result(static_cast<http::status>(status));
        res_.version(11);
        res_.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        res_.body() = std::move(body);
        res_.keep_alive(false);
        res_.prepare_payload();
        http::async_write(stream_, res_, [self = shared_from_this()](error_code, size_t) {
            error_code ignored;
            self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
            self->stream_.close();
        });
    }

    beast::tcp_stream stream_;
    std::shared_ptr<Shared> sh_;
    beast::flat_buffer buffer_{8192};
    http::request_parser<http::empty_body> parser_;
    http::response<http::string_body> res_;
};

// Binds without SO_REUSEPORT (a second hub on the same port must fail, never share it);
// SO_REUSEADDR only lets a restarted hub take its port back from connections in TIME_WAIT.
bool bind_acceptor(tcp::acceptor& a, const std::string& host, int port, int* bound,
                   std::string* why) {
    error_code ec;
    auto addr = asio::ip::make_address(host, ec);
    if (ec) {
        *why = "'" + host + "' is not an IP address";
        return false;
    }
    tcp::endpoint ep(addr, static_cast<unsigned short>(port));
    a.open(ep.protocol(), ec);
    if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(ep, ec);
    if (!ec) a.listen(1024, ec);
    if (ec) {
        *why = "cannot listen on " + host + ":" + std::to_string(port) + " (" + ec.message() + ")";
        error_code ignored;
        a.close(ignored);
        return false;
    }
    *bound = a.local_endpoint().port();
    return true;
}

} // namespace

// -----------------------------------------------------------------------------
// HubServer
// -----------------------------------------------------------------------------

struct HubServer::Impl {
    std::unique_ptr<DataDirLock> lock;
    std::unique_ptr<HubStore> store;
    std::unique_ptr<HubService> service;
    std::unique_ptr<web::WebContext> web_ctx;
    std::unique_ptr<web::WebApp> web;
    std::string pin;
    int port = 0, metrics_port = -1;
    // Order matters for destruction: handlers queued in the io_context hold sessions, which use
    // the TLS context and the shared state.
    std::shared_ptr<Shared> shared;
    ssl::context tls{ssl::context::tls_server};
    std::unique_ptr<asio::thread_pool> pool;
    asio::io_context ioc;
    // The listeners live on one strand: accepting and closing them never run at once.
    asio::strand<asio::io_context::executor_type> listeners{ioc.get_executor()};
    tcp::acceptor acceptor{listeners}, metrics{listeners};
    asio::steady_timer retry{listeners};

    void accept() {
        acceptor.async_accept(asio::make_strand(ioc), [this](error_code ec, tcp::socket s) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
            if (ec) {
                // Out of descriptors (or memory): say so, pause, and go on accepting.
                shared->refused("accept_failed", 0, "", ec.message());
                retry.expires_after(std::chrono::milliseconds(100));
                retry.async_wait([this](error_code e) {
                    if (!e) accept();
                });
                return;
            }
            admit(std::move(s));
            accept();
        });
    }

    void admit(tcp::socket s) {
        error_code ec;
        auto remote = s.remote_endpoint(ec);
        if (ec) return;
        std::string address = remote.address().to_string();
        shared->metrics.connection_accepted();
        if (shared->conns.total() >= shared->max_connections) {
            shared->refused("connections_total", 0, "", address);
            return;
        }
        // A client reconnecting without end (a flooder refused a moment ago) is turned away before
        // any TLS work; terminals keep their connections open and reconnect rarely.
        if (shared->connects.take(address, Clock::now()) != 0) {
            shared->refused("connection_rate", 0, "", address);
            return;
        }
        if (!shared->conns.open(address)) {
            shared->refused("connections_per_address", 0, "", address);
            return;
        }
        s.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(s), tls, shared, std::move(address))->start();
    }

    // Stops the I/O threads once no request is with the service (or at `deadline`), leaving the
    // answers just posted a moment to be written.
    void finish(Clock::time_point deadline) {
        bool idle = shared->in_service == 0 || Clock::now() > deadline;
        retry.expires_after(std::chrono::milliseconds(idle ? 50 : 20));
        retry.async_wait([this, idle, deadline](error_code ec) {
            if (ec) return;
            if (idle)
                ioc.stop();
            else
                finish(deadline);
        });
    }

    void accept_metrics() {
        metrics.async_accept(asio::make_strand(ioc), [this](error_code ec, tcp::socket s) {
            if (ec == asio::error::operation_aborted || !metrics.is_open()) return;
            if (!ec) std::make_shared<MetricsSession>(std::move(s), shared)->start();
            accept_metrics();
        });
    }
};

HubServer::HubServer() : impl_(std::make_unique<Impl>()) {}
HubServer::~HubServer() {
    if (impl_->pool) impl_->pool->join();
}

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
    impl_->lock = DataDirLock::acquire(cfg.data_dir, &why);
    if (!impl_->lock) return fail(why);
    impl_->store = open_hub_store(cfg.data_dir, &why, cfg.database);
    if (!impl_->store) return fail("cannot open the hub store: " + why);
    impl_->service = std::make_unique<HubService>(*impl_->store, impl_->pin);

    auto& tls = impl_->tls;
    error_code ec;
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                        ssl::context::single_dh_use,
                    ec);
    tls.use_certificate_chain_file(cfg.cert, ec);
    if (!ec) tls.use_private_key_file(cfg.key, ssl::context::pem, ec);
    if (ec) return fail("cannot load the certificate or key (" + cfg.cert + ", " + cfg.key + ")");
    // Idle connections give their TLS read and write buffers back (1,000 idle clients ≈ 30 MB
    // less).
    SSL_CTX_set_mode(tls.native_handle(), SSL_MODE_RELEASE_BUFFERS);

    // Every connection is a descriptor: take what the system allows, and keep some for the store
    // and the log.
    rlimit nofile{};
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
        nofile.rlim_cur = nofile.rlim_max;
        setrlimit(RLIMIT_NOFILE, &nofile);
    }
    getrlimit(RLIMIT_NOFILE, &nofile);
    auto shared = std::make_shared<Shared>(cfg);
    shared->max_connections = static_cast<int>(
        std::min<rlim_t>(static_cast<rlim_t>(std::max(1, cfg.max_connections)),
                         nofile.rlim_cur > 128 ? nofile.rlim_cur - 64 : nofile.rlim_cur / 2));
    shared->service = impl_->service.get();
    shared->store = impl_->store.get();
    shared->data_dir = cfg.data_dir;
    if (cfg.web) {
        impl_->web_ctx = std::make_unique<web::WebContext>(
            web::WebContext{*impl_->store, *impl_->service, shared->cfg});
        impl_->web = std::make_unique<web::WebApp>(assets_dir());
        try {
            web::install_web_modules(*impl_->web, *impl_->web_ctx);
        } catch (const std::exception& e) {
            return fail(std::string("web pages: ") + e.what());
        }
        if (!impl_->web->load(&why)) return fail("web pages: " + why);
        shared->web = impl_->web.get();
    }
    impl_->pool =
        std::make_unique<asio::thread_pool>(static_cast<size_t>(std::max(2, cfg.workers)));
    shared->pool = impl_->pool.get();
    impl_->shared = shared;

    if (!bind_acceptor(impl_->acceptor, cfg.listen, cfg.port, &impl_->port, &why)) return fail(why);
    if (cfg.metrics_port >= 0) {
        if (bind_acceptor(impl_->metrics, cfg.metrics_listen, cfg.metrics_port,
                          &impl_->metrics_port, &why)) {
        } else if (cfg.metrics_port_set) {
            return fail("metrics: " + why);
        } else {
            impl_->metrics_port = -1;
            log::warn("hub", "metrics_off", {{"reason", why}});
        }
    }
    return true;
}

int HubServer::port() const {
    return impl_->port;
}
int HubServer::metrics_port() const {
    return impl_->metrics_port;
}
const std::string& HubServer::pin() const {
    return impl_->pin;
}

void HubServer::run() {
    auto& im = *impl_;
    asio::signal_set signals(im.ioc, SIGINT, SIGTERM);
    signals.async_wait([this](error_code ec, int) {
        if (!ec) stop();
    });
    im.accept();
    if (im.metrics_port >= 0) im.accept_metrics();
    int n = im.shared->cfg.io_threads > 0
                ? im.shared->cfg.io_threads
                : static_cast<int>(std::max(4u, std::thread::hardware_concurrency()));
    std::vector<std::thread> threads;
    for (int i = 1; i < n; ++i)
        threads.emplace_back([&im] { im.ioc.run(); });
    im.ioc.run();
    for (auto& t : threads)
        t.join();
    im.pool->join();
    std::lock_guard lock(im.shared->sessions_mu);
    for (auto* s : im.shared->sessions)
        s->reset();
}

void HubServer::stop() {
    auto* im = impl_.get();
    asio::post(im->listeners, [im] {
        im->shared->stopping = true;
        error_code ignored;
        im->acceptor.close(ignored);
        im->metrics.close(ignored);
        // Requests already with the service get their answer; then everything ends.
        im->finish(Clock::now() + std::chrono::seconds(5));
    });
}

} // namespace jf::hub
