// The hub server's guards, each against a real `jobfair-hub serve` over TLS on loopback:
// - one hub per data directory: a second `serve` on it is refused with a clear message, and a
//   second hub on the same port cannot start (the port is never shared);
// - the token is checked before any body byte is read; header count and size are capped;
// - connections per client address are capped, and other addresses are still served;
// - rate limits per terminal and per address answer 429 with Retry-After, and the terminal's sync
//   engine waits at least that long before trying again;
// - /metrics on its own loopback listener, scraped and parsed as Prometheus text.
#include <catch2/catch.hpp>

#include "tests/sync/hub_attack.hpp"
#include "tests/sync/sync_trial.hpp"

#include <curl/curl.h>

#include <fstream>
#include <map>
#include <regex>

using namespace jf;
using namespace jf::test;
using Clock = std::chrono::steady_clock;

namespace {

// Runs `jobfair-hub ARGS...` for at most `limit_ms`; its exit status (-1: still running, killed).
int run_hub_bounded(std::vector<std::string> args, int limit_ms, std::string* out) {
    args.insert(args.begin(), hub_binary());
    int p[2];
    REQUIRE(::pipe(p) == 0);
    pid_t pid = spawn(args, p[1]);
    ::close(p[1]);
    ::fcntl(p[0], F_SETFL, O_NONBLOCK);
    auto end = Clock::now() + std::chrono::milliseconds(limit_ms);
    int st = 0, rc = -1;
    char buf[4096];
    for (;;) {
        ssize_t n;
        while ((n = ::read(p[0], buf, sizeof buf)) > 0)
            out->append(buf, static_cast<size_t>(n));
        if (::waitpid(pid, &st, WNOHANG) == pid) {
            rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
            break;
        }
        if (Clock::now() > end) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &st, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    while (::read(p[0], buf, sizeof buf) > 0) {
    }
    ::close(p[0]);
    return rc;
}

struct Answer {
    long status = 0;
    std::string body, headers;
};
size_t collect(char* p, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(p, size * n);
    return size * n;
}
// One GET with libcurl, from `source` (a loopback address) when given.
Answer get(const std::string& url, const std::string& ca, const std::string& token = {},
           const std::string& source = {}) {
    Answer a;
    CURL* c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    if (!ca.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (!source.empty()) curl_easy_setopt(c, CURLOPT_INTERFACE, source.c_str());
    curl_slist* hs = nullptr;
    std::string auth = "Authorization: Bearer " + token;
    if (!token.empty()) hs = curl_slist_append(hs, auth.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &a.headers);
    curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
    curl_slist_free_all(hs);
    curl_easy_cleanup(c);
    return a;
}

// The metrics port the hub printed on its output ("metrics http://127.0.0.1:N/metrics").
int metrics_port_of(const std::string& log_path) {
    int port = -1;
    wait_for(
        [&] {
            auto log = read_file(log_path);
            auto at = log.rfind("metrics http://127.0.0.1:");
            if (at == std::string::npos) return false;
            port = std::atoi(log.c_str() + at + 25);
            return port > 0;
        },
        3000);
    return port;
}

// Prometheus text: every sample line "name{labels} value", keyed by "name{labels}".
std::map<std::string, double> parse_metrics(const std::string& text, std::string* bad) {
    static const std::regex sample(
        R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.eE+-]+|\+Inf|NaN)$)");
    static const std::regex comment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
    std::map<std::string, double> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_match(line, m, sample))
            out[m[1].str() + m[2].str()] = std::stod(m[3].str());
        else if (!std::regex_match(line, comment))
            *bad += line + "\n";
    }
    return out;
}

std::string write_config(const TempDir& dir, const std::string& name, const std::string& text) {
    auto path = dir.str(name);
    std::ofstream(path) << text;
    return path;
}

} // namespace

TEST_CASE("one hub per data directory, and the port is never shared") {
    Trial t;
    std::string out;
    // The same data directory on another port: refused, with the reason and the holder.
    int rc = run_hub_bounded({"serve", "--data-dir", t.data, "--cert", t.cert, "--key", t.key,
                              "--port", std::to_string(free_port()), "--metrics-port", "-1"},
                             5000, &out);
    INFO(out);
    CHECK(rc == 1);
    CHECK(out.find("already serving the data directory") != std::string::npos);
    CHECK(out.find("pid " + std::to_string(t.hub.pid())) != std::string::npos);
    // Another data directory on the running hub's port: the bind fails, nothing is shared.
    out.clear();
    rc = run_hub_bounded({"serve", "--data-dir", t.dir.str("other"), "--cert", t.cert, "--key",
                          t.key, "--port", std::to_string(t.hub.port()), "--metrics-port", "-1"},
                         5000, &out);
    CHECK(rc == 1);
    CHECK(out.find("cannot listen") != std::string::npos);
    // The first hub is unharmed; once it stops, the directory is free again (even after SIGKILL).
    auto a = t.terminal("a");
    sync::SyncStatus st;
    CHECK(sync::sync_once(*a, fast_options(), st));
    t.hub.kill_hard();
    REQUIRE(t.hub.start());
    CHECK(sync::sync_once(*a, fast_options(), st));
}

TEST_CASE("tokens are checked before bodies; header count and size are capped") {
    Trial t;
    // 16 MiB announced, no token, only the header sent: the answer comes at once, not after a
    // body the hub would have had to read.
    TlsClient c;
    REQUIRE(c.connect("127.0.0.1", t.hub.port()));
    auto t0 = Clock::now();
    REQUIRE(c.send("POST /v1/events HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
                   "Content-Length: 16777216\r\n\r\n{\"protocol\":1,"));
    auto got = c.receive(3000, 1024);
    double s = std::chrono::duration<double>(Clock::now() - t0).count();
    INFO(got);
    CHECK(got.rfind("HTTP/1.1 401", 0) == 0);
    CHECK(got.find("\"unauthorised\"") != std::string::npos);
    CHECK(s < 2.0);
    // A token that is no terminal's: the same.
    REQUIRE(c.connect("127.0.0.1", t.hub.port()));
    REQUIRE(c.send("POST /v1/events HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer nobody\r\n"
                   "Content-Length: 16777216\r\n\r\n"));
    CHECK(c.receive(3000, 1024).rfind("HTTP/1.1 401", 0) == 0);

    // 100 short headers (well under the byte limit): too many.
    std::string many = "GET /v1/status HTTP/1.1\r\nHost: hub\r\n";
    for (int i = 0; i < 100; ++i)
        many += "X-" + std::to_string(i) + ": 1\r\n";
    REQUIRE(c.connect("127.0.0.1", t.hub.port()));
    REQUIRE(c.send(many + "\r\n"));
    got = c.receive(3000, 1024);
    CHECK(got.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(got.find("too_many_headers") != std::string::npos);
    // Header lines without end: refused once the header passes the limit, connection closed.
    REQUIRE(c.connect("127.0.0.1", t.hub.port()));
    std::string lines;
    while (lines.size() < 64 * 1024)
        lines += "a:b\r\n";
    c.send("GET /v1/status HTTP/1.1\r\n" + lines);
    got = c.receive(3000, 1024);
    CHECK(got.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(got.find("header_too_large") != std::string::npos);
    // The refusals are logged by class.
    auto log = read_file(t.hub.log_path());
    CHECK(log.find("\"event\":\"refused\"") != std::string::npos);
    CHECK(log.find("\"reason\":\"too_many_headers\"") != std::string::npos);
}

TEST_CASE("connections per client address are capped; other addresses are still served") {
    Trial t;
    t.hub.stop();
    t.hub.extra_args = {"--metrics-port", "0", "--config",
                        write_config(t.dir, "hub.conf",
                                     "max_connections_per_address = 8\nheader_timeout = 30\n"
                                     "handshake_timeout = 30\n")};
    REQUIRE(t.hub.start());
    std::vector<int> held;
    for (int i = 0; i < 8; ++i) {
        int fd = connect_from("127.0.0.7", t.hub.port());
        REQUIRE(fd >= 0);
        held.push_back(fd);
    }
    // The ninth from the same address is closed at once; the eight stay open.
    int extra = connect_from("127.0.0.7", t.hub.port());
    REQUIRE(extra >= 0);
    pollfd p{extra, POLLIN, 0};
    CHECK(::poll(&p, 1, 2000) == 1);
    char x;
    CHECK(::recv(extra, &x, 1, 0) <= 0);
    ::close(extra);
    for (int fd : held) {
        pollfd q{fd, POLLIN, 0};
        CHECK(::poll(&q, 1, 0) == 0);
    }
    // A terminal from another address syncs meanwhile.
    auto a = t.terminal("a");
    sync::SyncStatus st;
    CHECK(sync::sync_once(*a, fast_options(), st));
    for (int fd : held)
        ::close(fd);
    auto text =
        get("http://127.0.0.1:" + std::to_string(metrics_port_of(t.hub.log_path())) + "/metrics",
            "")
            .body;
    CHECK(text.find("jobfair_hub_refused_total{reason=\"connections_per_address\"} 1") !=
          std::string::npos);
}

TEST_CASE("rate limits answer 429 with Retry-After, and the sync engine waits that long") {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    Trial t;
    auto a = t.terminal("a");
    const auto id = identity_of(*a);
    const std::string token = *a->setting("sync.token");
    t.hub.stop();
    t.hub.extra_args = {
        "--metrics-port", "-1", "--config",
        write_config(t.dir, "hub.conf", "rate_per_terminal = 0.2\nburst_per_terminal = 3\n")};
    REQUIRE(t.hub.start());

    SECTION("per terminal") {
        std::vector<long> codes;
        Answer limited;
        for (int i = 0; i < 6; ++i) {
            auto r = get(t.hub.url() + "/v1/status", t.cert, token);
            codes.push_back(r.status);
            if (r.status == 429) limited = r;
        }
        CHECK(std::count(codes.begin(), codes.end(), 200) == 3);
        CHECK(std::count(codes.begin(), codes.end(), 429) == 3);
        CHECK(limited.body.find("\"rate_limited\"") != std::string::npos);
        std::smatch m;
        REQUIRE(std::regex_search(limited.headers, m, std::regex("Retry-After: ([0-9]+)")));
        CHECK(std::stoi(m[1].str()) >= 1);
        CHECK(std::stoi(m[1].str()) <= 5);
        // The terminal's engine hears it, says so, and waits at least that long.
        REQUIRE(record_events(*a, id, 3) == 3);
        sync::SyncEngine engine(t.dir.str("a.db"), fast_options());
        REQUIRE(engine.start());
        REQUIRE(
            wait_for([&] { return engine.status().last_error == "sync.err.rate_limited"; }, 5000));
        auto s = engine.status();
        CHECK(s.retry_after_ms >= 1000);
        CHECK(s.next_attempt - s.last_attempt >= s.retry_after_ms);
        // ... and then gets everything through (fast_options would retry every 20-200 ms).
        CHECK(wait_for([&] { return engine.status().events_waiting == 0; }, 30000));
        engine.stop();
        auto log = read_file(t.hub.log_path());
        CHECK(log.find("\"event\":\"rate_limited\"") != std::string::npos);
        CHECK(log.find("\"scope\":\"terminal\"") != std::string::npos);
    }

    SECTION("per address, before any token is looked at") {
        t.hub.stop();
        t.hub.extra_args = {
            "--metrics-port", "-1", "--config",
            write_config(t.dir, "hub2.conf", "rate_per_address = 0.2\nburst_per_address = 4\n")};
        REQUIRE(t.hub.start());
        int limited = 0;
        for (int i = 0; i < 8; ++i)
            if (get(t.hub.url() + "/v1/status", t.cert, "guess" + std::to_string(i), "127.0.0.9")
                    .status == 429)
                ++limited;
        CHECK(limited == 4);
        // Another address is not affected.
        CHECK(get(t.hub.url() + "/v1/status", t.cert, token, "127.0.0.10").status == 200);
        CHECK(read_file(t.hub.log_path()).find("\"scope\":\"address\"") != std::string::npos);
    }
}

TEST_CASE("metrics: a loopback listener in Prometheus text format") {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    Trial t;
    t.hub.stop();
    t.hub.extra_args = {"--metrics-port", "0"};
    REQUIRE(t.hub.start());
    const int mport = metrics_port_of(t.hub.log_path());
    REQUIRE(mport > 0);
    auto a = t.terminal("a");
    const auto id = identity_of(*a);
    REQUIRE(record_events(*a, id, 7) == 7);
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    CHECK(get(t.hub.url() + "/v1/status", t.cert).status == 401);

    auto r = get("http://127.0.0.1:" + std::to_string(mport) + "/metrics", "");
    REQUIRE(r.status == 200);
    std::string bad;
    auto m = parse_metrics(r.body, &bad);
    INFO(r.body);
    CHECK(bad.empty());
    CHECK(m["jobfair_hub_requests_total{endpoint=\"events\",status=\"200\"}"] >= 1);
    CHECK(m["jobfair_hub_requests_total{endpoint=\"pull\",status=\"200\"}"] >= 1);
    CHECK(m["jobfair_hub_requests_total{endpoint=\"status\",status=\"401\"}"] == 1);
    CHECK(m["jobfair_hub_events_ingested_total"] == 7);
    CHECK(m["jobfair_hub_events_quarantined_total"] == 0);
    CHECK(m["jobfair_hub_terminals_seen{window=\"5m\"}"] == 1);
    CHECK(m["jobfair_hub_terminals_enrolled"] == 1);
    CHECK(m["jobfair_hub_database_bytes"] > 4096);
    CHECK(m.count("jobfair_hub_connections_open") == 1);
    CHECK(m["jobfair_hub_refused_total{reason=\"unauthorised\"}"] == 1);
    // Histograms: buckets never decrease, +Inf equals the count.
    for (std::string ep : {"events", "pull", "status", "enroll"}) {
        INFO(ep);
        std::string p = "jobfair_hub_request_duration_seconds";
        double last = 0;
        for (const char* le : {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
                               "5", "10", "30"}) {
            auto key = p + "_bucket{endpoint=\"" + ep + "\",le=\"" + le + "\"}";
            REQUIRE(m.count(key) == 1);
            CHECK(m[key] >= last);
            last = m[key];
        }
        double inf = m[p + "_bucket{endpoint=\"" + ep + "\",le=\"+Inf\"}"];
        CHECK(inf >= last);
        CHECK(inf == m[p + "_count{endpoint=\"" + ep + "\"}"]);
        CHECK(inf >= 1);
    }
    // Only on loopback's 127.0.0.1, and not on the terminals' port.
    int loop = connect_from("127.0.0.1", mport);
    CHECK(loop >= 0);
    ::close(loop);
    int other = -1;
    {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in dst{};
        dst.sin_family = AF_INET;
        dst.sin_port = htons(static_cast<uint16_t>(mport));
        inet_pton(AF_INET, "127.0.0.2", &dst.sin_addr);
        other = ::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst);
        ::close(fd);
    }
    CHECK(other != 0);
    CHECK(get(t.hub.url() + "/metrics", t.cert).status == 404);
}
