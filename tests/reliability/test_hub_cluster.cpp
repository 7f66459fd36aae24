// The province's deployment under fire: two `jobfair-hub serve` processes on one real PostgreSQL
// (started by the test, tests/sync/pg_cluster.hpp) behind the shipped HAProxy configuration
// (platform/linux/haproxy/jobfair-hub.cfg). Three terminals record signed events and upload
// them through the balancer with the real upload client while hub processes are killed with
// SIGKILL at random and restarted. Whenever a hub is down, every event a terminal has marked
// acknowledged is in the database exactly once; at the end, after a clean sync, every event of
// every terminal is there exactly once, byte for byte, and nothing is quarantined.
// JF_CLUSTER_KILLS=500 runs a longer campaign by hand.
#include <catch2/catch.hpp>

#include "sync/hub/hub_keyfile.hpp"
#include "tests/sync/sync_trial.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>

using namespace jf;
using namespace jf::test;

namespace {

int cluster_kills() {
    const char* env = std::getenv("JF_CLUSTER_KILLS");
    int n = env ? std::atoi(env) : 0;
    return n > 0 ? n : 12;
}

// HAProxy on the shipped configuration, in the foreground, addresses from the environment.
class Balancer {
  public:
    Balancer(int port, int hub1, int hub2, const std::string& log) : port_(port) {
        auto addr = [](int p) { return "127.0.0.1:" + std::to_string(p); };
        ::setenv("JF_LB_BIND", addr(port).c_str(), 1);
        ::setenv("JF_HUB1", addr(hub1).c_str(), 1);
        ::setenv("JF_HUB2", addr(hub2).c_str(), 1);
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        pid_ = spawn({"/usr/sbin/haproxy", "-db", "-f",
                      JF_SOURCE_DIR "/platform/linux/haproxy/jobfair-hub.cfg"},
                     fd);
        ::close(fd);
    }
    ~Balancer() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            int st;
            ::waitpid(pid_, &st, 0);
        }
    }
    bool ready() const {
        for (int i = 0; i < 5000; ++i) {
            if (port_open(port_)) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return false;
    }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }

  private:
    int port_;
    pid_t pid_ = -1;
};

struct Uploader {
    std::string path;
    TerminalIdentity id;
    std::atomic<bool> stop{false}, cancel{false};
    std::atomic<int64_t> recorded{0}, failures{0};
    std::thread recorder, uploader;

    void start() {
        recorder = std::thread([this] {
            auto store = Store::open(path);
            int next = 0;
            while (store && !stop) {
                if (store->pending_events() < 40) {
                    if (record_events(*store, id, 15, next) == 15)
                        recorded += 15;
                    else
                        ++failures;
                    next += 15;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(15));
            }
        });
        uploader = std::thread([this] {
            auto store = Store::open(path);
            auto opt = fast_options();
            opt.batch_events = 15;
            opt.connect_timeout_ms = 500;
            while (store && !stop) {
                sync::SyncStatus st;
                bool ok = sync::sync_once(*store, opt, st, &cancel);
                std::this_thread::sleep_for(std::chrono::milliseconds(ok ? 5 : 2));
            }
        });
    }
    void halt() {
        stop = true;
        cancel = true;
        if (recorder.joinable()) recorder.join();
        if (uploader.joinable()) uploader.join();
    }
    ~Uploader() { halt(); }
};

// Events of the terminal in the database with seq <= acked, and their distinct uuids.
std::pair<int64_t, int64_t> held(hub::HubStore& hub, const std::string& terminal, int64_t acked) {
    std::set<std::string> uuids;
    int64_t n = 0;
    for (auto& e : hub.events(terminal))
        if (e.seq <= acked) ++n, uuids.insert(e.uuid);
    return {n, static_cast<int64_t>(uuids.size())};
}

} // namespace

TEST_CASE("two hub processes on PostgreSQL behind HAProxy, killed at random while three "
          "terminals upload: every acknowledged event stored exactly once") {
    if (!std::filesystem::exists("/usr/sbin/haproxy")) FAIL("haproxy is not installed");
    ::setenv("JF_HUB_BACKEND", "postgresql", 1);
    Trial t; // the first hub process and the database (fair, listings) as in every sync test
    REQUIRE(!t.database.empty());
    // The second process: its own data directory holding a copy of the sealing key file.
    std::string data2 = t.dir.str("hub2");
    std::filesystem::create_directories(data2);
    std::filesystem::permissions(data2, std::filesystem::perms::owner_all);
    std::filesystem::copy_file(hub::seal_key_path(t.data), hub::seal_key_path(data2));
    HubProcess hub2(data2, t.cert, t.key, free_port());
    REQUIRE(hub2.start());
    Balancer lb(free_port(), t.hub.port(), hub2.port(), t.dir.str("haproxy.log"));
    REQUIRE(lb.ready());

    std::vector<std::unique_ptr<Uploader>> terms;
    std::vector<std::unique_ptr<Store>> views;
    for (const char* name : {"entrance", "booth", "station"}) {
        auto store = t.terminal(name, lb.url());
        auto u = std::make_unique<Uploader>();
        u->path = t.dir.str(std::string(name) + ".db");
        u->id = identity_of(*store);
        views.push_back(std::move(store));
        terms.push_back(std::move(u));
    }
    for (auto& u : terms)
        u->start();

    std::random_device rd;
    const uint32_t seed = rd();
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    HubProcess* hubs[] = {&t.hub, &hub2};
    auto view = t.hub_view();
    for (int k = 0, kills = cluster_kills(); k < kills; ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 120));
        // One process dies (now and then both): the other keeps serving, or none does.
        bool both = rng() % 5 == 0;
        HubProcess* victim = hubs[rng() % 2];
        victim->kill_hard();
        if (both) hubs[0]->kill_hard(), hubs[1]->kill_hard();
        if (both) {
            // Nothing can be acknowledged now: what the terminals hold as acknowledged is in the
            // database, once.
            std::this_thread::sleep_for(std::chrono::milliseconds(3));
            for (size_t i = 0; i < terms.size(); ++i) {
                int64_t acked = views[i]->acknowledged_seq();
                auto [n, distinct] = held(*view, terms[i]->id.terminal_id, acked);
                INFO("kill " << k + 1 << " " << terms[i]->id.terminal_id << " acked " << acked);
                REQUIRE(n == acked);
                REQUIRE(distinct == acked);
            }
        }
        REQUIRE(t.hub.start());
        REQUIRE(hub2.start());
    }
    for (auto& u : terms) {
        u->halt();
        CHECK(u->failures == 0);
        CHECK(u->recorded > 0);
    }
    // A last clean sync through the balancer: everything there, once, byte for byte.
    for (auto& v : views) {
        sync::SyncStatus st;
        bool synced = false;
        for (int i = 0; i < 20 && !synced; ++i)
            synced = sync::sync_once(*v, fast_options(), st) && st.events_waiting == 0;
        INFO(st.last_error << " " << st.last_error_detail);
        REQUIRE(synced);
        require_all_on_hub(*view, *v);
    }
    CHECK(view->quarantine().empty());
    ::unsetenv("JF_HUB_BACKEND");
}
