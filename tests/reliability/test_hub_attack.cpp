// The hub stays up under hostile clients: against a real `jobfair-hub serve` over TLS on loopback,
// 1,000 slow or idle connections, a 10-client header flood and 64 clients posting 16 MiB bodies
// without a token run at once, and meanwhile a real terminal (the `jobfair-kiosk sync --once`
// process) records and uploads again and again. Every sync completes, the 99th percentile of their
// durations stays under 2 s (plus what a calm sync takes over 0.5 s on a slow host: sanitizers, a
// busy machine), the hub's peak resident memory stays under 300 MB, and every event
// is on the hub exactly once. The flooders were refused (401 before their bodies, the header
// limit), never served.
//
// A few seconds in the suite; JF_HUB_ATTACK_SECONDS=N runs the attack N seconds (a campaign).
#include <catch2/catch.hpp>

#include "tests/sync/hub_attack.hpp"
#include "tests/sync/sync_trial.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>

using namespace jf;
using namespace jf::test;
using Clock = std::chrono::steady_clock;

namespace {

// Peak resident memory of a process in MB (VmHWM), -1 when unreadable.
double peak_rss_mb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
    return -1;
}

// User and system CPU time a process has used, in seconds.
double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i)
        if (i == 14 || i == 15) ticks += std::atof(field.c_str());
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Runs a command with a time limit; its exit status, or -1 when it had to be killed.
int run_bounded(const std::vector<std::string>& argv, int limit_ms, const std::string& log) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    pid_t pid = spawn(argv, fd);
    ::close(fd);
    auto end = Clock::now() + std::chrono::milliseconds(limit_ms);
    int st = 0;
    while (Clock::now() < end) {
        if (::waitpid(pid, &st, WNOHANG) == pid) return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &st, 0);
    return -1;
}

} // namespace

TEST_CASE(
    "the hub serves a terminal while slow, header-flooding and body-flooding clients attack") {
    int seconds = 4;
    if (const char* s = std::getenv("JF_HUB_ATTACK_SECONDS"); s && std::atoi(s) > 0)
        seconds = std::atoi(s);
    raise_fd_limit();
    Trial t;
    // The terminal's own data directory, as `jobfair-kiosk` keeps it.
    const std::string term_dir = t.dir.str("terminal");
    std::filesystem::create_directories(term_dir);
    auto terminal = Store::open(term_dir + "/kiosk.db");
    REQUIRE(terminal);
    {
        sync::EnrollOptions o;
        o.ca_file = t.cert;
        o.device = "entrance-1";
        auto r = sync::enroll(*terminal, t.hub.url(), t.new_code(), o);
        INFO(r.error << " " << r.detail);
        REQUIRE(r.ok);
    }
    const auto id = identity_of(*terminal);
    const std::string kiosk = JF_TEST_BUILD_DIR "/kiosk/app/jobfair-kiosk";
    const std::string sync_log = t.dir.str("sync.log");
    auto sync_once = [&] {
        auto t0 = Clock::now();
        int rc = run_bounded({kiosk, "sync", "--data-dir", term_dir, "--once", "--lang", "en"},
                             10000, sync_log);
        return std::make_pair(rc, std::chrono::duration<double>(Clock::now() - t0).count());
    };
    // A first sync before the attack: the terminal downloads the fair's data.
    REQUIRE(sync_once().first == 0);
    REQUIRE(record_events(*terminal, id, 5, 0) == 5);
    const auto calm = sync_once(); // the same work without the attack, for comparison
    REQUIRE(calm.first == 0);

    Attack attack(t.hub.port(), AttackPlan{});
    attack.start();
    // Let the slow connections build up (all 1,000, or what eight seconds allow).
    wait_for([&] { return attack.slow_open() >= 990; }, 8000);
    const int slow_at_start = attack.slow_open();

    std::vector<double> durations;
    int failures = 0, seq = 5;
    auto end = Clock::now() + std::chrono::seconds(seconds);
    while (Clock::now() < end || durations.size() < 5) {
        // A busy terminal's pace: a sync at most every 250 ms (each is about ten requests; one
        // terminal's token may make 50 a second, and the loop must not be what the hub refuses).
        auto next = Clock::now() + std::chrono::milliseconds(250);
        REQUIRE(record_events(*terminal, id, 5, seq) == 5);
        seq += 5;
        auto [rc, s] = sync_once();
        std::this_thread::sleep_until(next);
        durations.push_back(s);
        if (rc != 0) ++failures;
        if (durations.size() > 2000) break;
    }
    const int slow_at_end = attack.slow_open();
    attack.stop();
    const double rss = peak_rss_mb(t.hub.pid());
    const double hub_cpu = cpu_seconds(t.hub.pid());

    std::sort(durations.begin(), durations.end());
    size_t k =
        std::min(durations.size() - 1, static_cast<size_t>(std::ceil(0.99 * durations.size())) - 1);
    double p99 = durations[k], p50 = durations[durations.size() / 2];
    INFO("without attack " << calm.second << " s; hub CPU " << hub_cpu << " s");
    INFO("syncs " << durations.size() << ", failed " << failures << ", p50 " << p50 << " s, p99 "
                  << p99 << " s; hub peak RSS " << rss << " MB; slow connections " << slow_at_start
                  << " → " << slow_at_end << " (reconnects " << attack.slow_reconnects
                  << "); header flood " << attack.flood_connections << " connections, "
                  << attack.flood_bytes / 1024 << " KiB; body flood " << attack.body_connections
                  << " connections, " << attack.body_bytes / (1 << 20) << " MiB sent, "
                  << attack.body_refused << " answered 401\n"
                  << read_file(sync_log).substr(0, 2000));
    std::printf("hub attack: %zu syncs, %d failed, p50 %.3f s, p99 %.3f s (without attack %.3f s); "
                "hub peak RSS %.1f MB, CPU %.2f s; slow connections %d -> %d\n",
                durations.size(), failures, p50, p99, calm.second, rss, hub_cpu, slow_at_start,
                slow_at_end);
    // The attack was real: the connections were held, the floods ran and were refused early.
    CHECK(slow_at_start >= 900);
    CHECK(slow_at_end >= 900);
    CHECK(attack.flood_connections > 10);
    CHECK(attack.body_connections >= 64);
    CHECK(attack.body_refused >= 64);
    // An unauthenticated body was never read: each flooder got far less than 16 MiB in.
    CHECK(attack.body_bytes < attack.body_connections * (4 << 20));
    // The terminal was served, and fast.
    CHECK(failures == 0);
    // The 2 s are for what the attack adds where a calm sync is quick. Where the machine itself
    // is slow (sanitizer builds, a busy shared host: the same sync without the attack over
    // 0.5 s), the budget grows by that excess, so the test judges the hub, not the host.
    const double budget = 2.0 + std::max(0.0, calm.second - 0.5);
    INFO("p99 budget " << budget << " s");
    CHECK(p99 < budget);
    CHECK(rss > 0);
    CHECK(rss < 300);
    // Nothing acknowledged is lost: every event is on the hub once, byte for byte.
    REQUIRE(t.hub.running());
    require_all_on_hub(*t.hub_view(), *terminal);
    // The floods are in the hub's log as refusals, and the log stayed small.
    auto log = read_file(t.hub.log_path());
    std::string refusals; // the hub's refusal lines, to tell what it made of each attack
    for (size_t at = log.find("\"refused\""); at != std::string::npos && refusals.size() < 4000;
         at = log.find("\"refused\"", at + 1)) {
        size_t begin = log.rfind('\n', at), end = log.find('\n', at);
        refusals += log.substr(begin == std::string::npos ? 0 : begin + 1, end - begin) + "\n";
    }
    INFO("hub refusals:\n" << refusals);
    CHECK(log.find("\"reason\":\"unauthorised\"") != std::string::npos);
    CHECK(log.find("\"reason\":\"header_too_large\"") != std::string::npos);
    CHECK(log.size() < 2u << 20);
}
