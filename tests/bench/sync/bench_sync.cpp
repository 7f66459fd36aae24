// Sync benchmarks, one JSON line per figure set:
// - sync_upload_backlog: a terminal uploads a backlog of 10,000 events to a real hub process over
//   loopback TLS (target < 3 s).
// - sync_ingest: the hub's upload handling (decode, Ed25519 check over the exact bytes, canonical
//   decode, one SQLite transaction per batch), in process (target >= 10,000 events/s).
// - sync_terminals: 50 terminals upload and download at once against the hub process; p95 request
//   latency and errors (target 0).
// - sync_hub_load: 200 terminals upload batches of 50 events at once, first alone, then while the
//   combined attack of tests/sync/hub_attack.hpp runs (1,000 slow connections, a header flood,
//   64 unauthenticated 16 MiB bodies); requests per second and p50/p99 of each, both printed.
// - sync_status: GET /v1/status, which carries the terminal's fair's totals (docs/fair-day.md),
//   on a fair holding `events` events of every kind (undone check-ins included, so the hub counts
//   its people from the fair's check-ins); p50/p95 of one request over loopback TLS.
// --quick runs small sizes (ctest).
#include "sync/engine/engine.hpp"
#include "kiosk/domain/clock.hpp"
#include "sync/engine/http.hpp"
#include "tests/sync/hub_attack.hpp"
#include "tests/sync/hub_process.hpp"
#include "sync/hub/hub_service.hpp"
#include "sync/wire/wire.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace jf;
using namespace jf::test;
using Clock = std::chrono::steady_clock;

namespace {

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string enrol_code(const std::string& data) {
    std::string out;
    run_hub(
        {"enroll", "--fair", "F1", "--mode", "entrance", "--data-dir", data, "--qr", data + ".png"},
        &out);
    auto at = out.find("enrolment code ");
    return at == std::string::npos ? std::string() : out.substr(at + 15, 19);
}

std::unique_ptr<Store> enrolled_terminal(const std::string& path, const std::string& url,
                                         const std::string& data, const std::string& cert) {
    auto store = Store::open(path);
    if (!store) return nullptr;
    sync::EnrollOptions o;
    o.ca_file = cert;
    auto r = sync::enroll(*store, url, enrol_code(data), o);
    if (!r.ok) {
        std::fprintf(stderr, "enrol failed: %s %s\n", r.error.c_str(), r.detail.c_str());
        return nullptr;
    }
    return store;
}

int bench_upload(int events, const TempDir& dir, HubProcess& hub, const std::string& data,
                 const std::string& cert) {
    auto store = enrolled_terminal(dir.str("backlog.db"), hub.url(), data, cert);
    if (!store) return 1;
    auto id = load_identity(*store);
    if (record_events(*store, *id, events) != events) return 1;
    sync::SyncStatus st;
    auto t0 = Clock::now();
    bool ok = sync::sync_once(*store, sync::SyncOptions{}, st);
    double s = seconds_since(t0);
    auto view = hub::open_hub_store(data);
    int64_t on_hub = view->event_count(id->terminal_id);
    std::printf(
        "{\"bench\":\"sync_upload_backlog\",\"events\":%d,\"seconds\":%.3f,\"events_per_s\":%.0f,"
        "\"on_hub\":%lld,\"ok\":%d}\n",
        events, s, events / s, static_cast<long long>(on_hub), ok ? 1 : 0);
    return ok && on_hub == events ? 0 : 1;
}

int bench_ingest(int events, const TempDir& dir) {
    auto hubstore = hub::open_hub_store(dir.str("ingest-hub"));
    hub::HubService svc(*hubstore, "");
    auto code = hub::new_enrol_code();
    hubstore->add_enrol_code(hub::code_hash(code), "F1", "entrance", jf::now_ms() + 60000);
    TerminalIdentity id;
    id.key = SigningKey::generate();
    auto r = wire::decode_enroll_response(
        svc.enroll(wire::encode(wire::EnrollRequest{1, code, id.key.public_key, "bench"})).body);
    if (!r) return 1;
    id.terminal_id = r->terminal_id;
    id.hub_seal_public_key = r->hub_seal_public_key;
    id.fair_id = "F1";
    id.mode = "entrance";
    auto store = Store::open(dir.str("ingest-terminal.db"));
    save_identity(*store, id);
    record_events(*store, id, events);
    std::vector<std::string> bodies;
    for (int64_t after = 0;;) {
        auto evs = store->events_after(after, 500);
        if (evs.empty()) break;
        wire::UploadRequest q;
        q.terminal_id = id.terminal_id;
        q.device_now = jf::now_ms();
        for (auto& e : evs)
            q.events.push_back({e.seq, e.uuid, e.kind, e.body, e.signature, e.device_time});
        bodies.push_back(wire::encode(q));
        after = evs.back().seq;
    }
    auto cpu0 = cpu_seconds();
    auto t0 = Clock::now();
    int stored = 0;
    for (auto& b : bodies) {
        auto reply = svc.upload(r->access_token, b);
        auto a = wire::decode_upload_response(reply.body);
        if (a) stored += a->stored;
    }
    double s = seconds_since(t0);
    double cpu = cpu_seconds() - cpu0;
    // cpu_s: processor time used by the hub code (both cores); on a busy machine wall time is
    // mostly waiting for a core, and events_per_cpu_s shows what the code itself needs.
    std::printf("{\"bench\":\"sync_ingest\",\"events\":%d,\"seconds\":%.3f,\"events_per_s\":%.0f,"
                "\"cpu_s\":%.3f,\"events_per_cpu_s\":%.0f,\"stored\":%d}\n",
                events, s, events / s, cpu, events / cpu, stored);
    return stored == events ? 0 : 1;
}

int bench_terminals(int terminals, int events_each, const TempDir& dir, HubProcess& hub,
                    const std::string& data, const std::string& cert) {
    struct T {
        std::unique_ptr<Store> store;
        TerminalIdentity id;
        std::string token;
    };
    std::vector<T> ts;
    for (int i = 0; i < terminals; ++i) {
        T t;
        t.store =
            enrolled_terminal(dir.str("t" + std::to_string(i) + ".db"), hub.url(), data, cert);
        if (!t.store) return 1;
        t.id = *load_identity(*t.store);
        t.token = *t.store->setting("sync.token");
        record_events(*t.store, t.id, events_each);
        ts.push_back(std::move(t));
    }
    std::string ca;
    {
        std::ifstream in(cert);
        std::stringstream ss;
        ss << in.rdbuf();
        ca = ss.str();
    }
    std::string pin = *ts[0].store->setting("sync.pin");
    std::mutex mu;
    std::vector<double> lat;
    std::atomic<int> errors{0}, requests{0};
    auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (auto& t : ts) {
        threads.emplace_back([&, tp = &t] {
            // Each simulated terminal: its own connection, batches of 50, then every stream.
            sync::HttpClient http(sync::SyncOptions{});
            http.set_trust(ca, pin);
            http.set_token(tp->token);
            std::vector<double> mine;
            auto timed = [&](auto&& fn) {
                auto s = Clock::now();
                auto r = fn();
                mine.push_back(seconds_since(s) * 1000);
                ++requests;
                if (!r.transport_ok || r.status != 200) ++errors;
                return r;
            };
            for (int64_t after = 0;;) {
                auto evs = tp->store->events_after(after, 50);
                if (evs.empty()) break;
                wire::UploadRequest q;
                q.terminal_id = tp->id.terminal_id;
                q.device_now = now_ms();
                for (auto& e : evs)
                    q.events.push_back({e.seq, e.uuid, e.kind, e.body, e.signature, e.device_time});
                auto body = wire::encode(q);
                timed([&] { return http.post(hub.url() + "/v1/events", body); });
                after = evs.back().seq;
            }
            for (auto s : wire::kAllStreams)
                timed([&] {
                    return http.get(hub.url() + "/v1/pull?stream=" + wire::stream_name(s) +
                                    "&cursor=0");
                });
            std::lock_guard lock(mu);
            lat.insert(lat.end(), mine.begin(), mine.end());
        });
    }
    for (auto& th : threads)
        th.join();
    double s = seconds_since(t0);
    std::sort(lat.begin(), lat.end());
    auto pct = [&](double p) {
        return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, size_t(p * lat.size()))];
    };
    auto view = hub::open_hub_store(data);
    int64_t expected = 0, on_hub = 0;
    for (auto& t : ts) {
        expected += t.store->last_seq();
        on_hub += view->event_count(t.id.terminal_id);
    }
    std::printf(
        "{\"bench\":\"sync_terminals\",\"terminals\":%d,\"requests\":%d,\"seconds\":%.3f,"
        "\"p50_ms\":%.1f,\"p95_ms\":%.1f,\"max_ms\":%.1f,\"errors\":%d,\"missing_events\":%lld}\n",
        terminals, requests.load(), s, pct(0.5), pct(0.95), lat.empty() ? 0.0 : lat.back(),
        errors.load(), static_cast<long long>(expected - on_hub));
    return errors == 0 && expected == on_hub ? 0 : 1;
}

int bench_status(int events, int requests, const TempDir& dir, HubProcess& hub,
                 const std::string& data, const std::string& cert) {
    auto store = enrolled_terminal(dir.str("status.db"), hub.url(), data, cert);
    if (!store) return 1;
    auto id = load_identity(*store);
    if (record_events(*store, *id, events) != events) return 1;
    sync::SyncStatus st;
    if (!sync::sync_once(*store, sync::SyncOptions{}, st)) return 1;
    sync::HttpClient http(sync::SyncOptions{});
    http.set_trust(read_file(cert), store->setting("sync.pin").value_or(""));
    http.set_token(store->setting("sync.token").value_or(""));
    std::vector<double> lat;
    int errors = 0;
    int64_t check_ins = -1;
    for (int i = 0; i < requests; ++i) {
        auto t0 = Clock::now();
        auto r = http.get(hub.url() + "/v1/status");
        lat.push_back(seconds_since(t0) * 1000);
        auto s = r.status == 200 ? wire::decode_status_reply(r.body) : std::nullopt;
        if (!s || !s->fair) {
            ++errors;
            continue;
        }
        check_ins = s->fair->check_ins;
    }
    std::sort(lat.begin(), lat.end());
    auto pct = [&](double p) { return lat[std::min(lat.size() - 1, size_t(p * lat.size()))]; };
    std::printf("{\"bench\":\"sync_status\",\"fair_events\":%lld,\"fair_check_ins\":%lld,"
                "\"requests\":%d,\"p50_ms\":%.2f,\"p95_ms\":%.2f,\"errors\":%d}\n",
                static_cast<long long>(hub::open_hub_store(data)->event_count()),
                static_cast<long long>(check_ins), requests, pct(0.5), pct(0.95), errors);
    return errors == 0 ? 0 : 1;
}

// One round: every terminal posts `batches` batches of 50 events on its own connection, all at
// once. Prints requests per second and latency percentiles; true when nothing failed.
struct LoadTerminal {
    std::unique_ptr<Store> store;
    TerminalIdentity id;
    std::string token;
    std::vector<std::string> bodies;
};

bool load_round(std::vector<LoadTerminal>& ts, const std::string& url, const std::string& ca,
                const std::string& pin, const char* attack, int slow_open) {
    std::mutex mu;
    std::vector<double> lat;
    std::atomic<int> errors{0}, requests{0};
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (auto& t : ts) {
        threads.emplace_back([&, tp = &t] {
            sync::HttpClient http(sync::SyncOptions{});
            http.set_trust(ca, pin);
            http.set_token(tp->token);
            http.get(url + "/v1/status"); // connected and ready before the clock starts
            ++ready;
            while (!go)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            std::vector<double> mine;
            for (auto& body : tp->bodies) {
                auto s = Clock::now();
                auto r = http.post(url + "/v1/events", body);
                mine.push_back(seconds_since(s) * 1000);
                ++requests;
                if (!r.transport_ok || r.status != 200) ++errors;
            }
            std::lock_guard lock(mu);
            lat.insert(lat.end(), mine.begin(), mine.end());
        });
    }
    while (ready < static_cast<int>(ts.size()))
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto t0 = Clock::now();
    go = true;
    for (auto& th : threads)
        th.join();
    double s = seconds_since(t0);
    std::sort(lat.begin(), lat.end());
    auto pct = [&](double p) {
        return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, size_t(p * lat.size()))];
    };
    std::printf("{\"bench\":\"sync_hub_load\",\"attack\":\"%s\",\"terminals\":%zu,"
                "\"requests\":%d,\"seconds\":%.3f,\"requests_per_s\":%.0f,\"p50_ms\":%.1f,"
                "\"p99_ms\":%.1f,\"errors\":%d,\"slow_connections\":%d}\n",
                attack, ts.size(), requests.load(), s, requests / s, pct(0.5), pct(0.99),
                errors.load(), slow_open);
    std::fflush(stdout);
    return errors == 0;
}

int bench_hub_load(int terminals, int batches, const AttackPlan& plan, const TempDir& dir,
                   const std::string& cert, const std::string& key) {
    // A hub of its own: 200 terminals from one loopback address stand for a county's venues, so
    // the per-address rate limit (made for one venue behind one router) is set out of the way.
    std::string data = dir.str("load-hub");
    if (run_hub({"add-fair", "--id", "F1", "--name", "bench", "--date", "20240223", "--unit", "u",
                 "--data-dir", data}) != 0)
        return 1;
    std::ofstream(dir.str("load.conf")) << "rate_per_address = 0\nconnect_rate_per_address = 0\n";
    HubProcess hub(data, cert, key, free_port());
    hub.extra_args = {"--metrics-port", "-1", "--config", dir.str("load.conf")};
    if (!hub.start()) return 1;
    std::vector<LoadTerminal> ts;
    for (int i = 0; i < terminals; ++i) {
        LoadTerminal t;
        t.store =
            enrolled_terminal(dir.str("load" + std::to_string(i) + ".db"), hub.url(), data, cert);
        if (!t.store) return 1;
        t.id = *load_identity(*t.store);
        t.token = *t.store->setting("sync.token");
        record_events(*t.store, t.id, 2 * batches * 50);
        for (int64_t after = 0; static_cast<int>(t.bodies.size()) < 2 * batches;) {
            auto evs = t.store->events_after(after, 50);
            if (evs.empty()) break;
            wire::UploadRequest q;
            q.terminal_id = t.id.terminal_id;
            q.device_now = now_ms();
            for (auto& e : evs)
                q.events.push_back({e.seq, e.uuid, e.kind, e.body, e.signature, e.device_time});
            t.bodies.push_back(wire::encode(q));
            after = evs.back().seq;
        }
        ts.push_back(std::move(t));
    }
    std::string ca;
    {
        std::ifstream in(cert);
        std::stringstream ss;
        ss << in.rdbuf();
        ca = ss.str();
    }
    std::string pin = *ts[0].store->setting("sync.pin");
    // First half of each terminal's batches without, second half with the attack.
    std::vector<std::string> all;
    for (auto& t : ts) {
        std::vector<std::string> second(t.bodies.begin() + batches, t.bodies.end());
        t.bodies.resize(static_cast<size_t>(batches));
        all.insert(all.end(), second.begin(), second.end());
    }
    bool ok = load_round(ts, hub.url(), ca, pin, "none", 0);
    size_t k = 0;
    for (auto& t : ts)
        for (int b = 0; b < batches; ++b)
            t.bodies[static_cast<size_t>(b)] = all[k++];
    Attack attack(hub.port(), plan);
    attack.start();
    auto until = Clock::now() + std::chrono::seconds(3);
    while (attack.slow_open() < plan.slow && Clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ok &= load_round(ts, hub.url(), ca, pin, "combined", attack.slow_open());
    attack.stop();
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    bool quick = false;
    std::string only; // --only upload|ingest|terminals|status|load
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--quick")) quick = true;
        if (!std::strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
    }
    auto want = [&](const char* b) { return only.empty() || only == b; };
    crypto_init();
    TempDir dir;
    std::string cert = dir.str("c.pem"), key = dir.str("k.pem"), data = dir.str("hub");
    if (run_hub({"dev-cert", "--cert", cert, "--key", key}) != 0) return 1;
    HubProcess hub(data, cert, key, free_port());
    if (!hub.start()) {
        std::fprintf(stderr, "bench_sync: the hub did not start\n");
        return 1;
    }
    int rc = 0;
    if (want("upload")) rc |= bench_upload(quick ? 1000 : 10000, dir, hub, data, cert);
    if (want("ingest")) rc |= bench_ingest(quick ? 2000 : 20000, dir);
    if (want("terminals"))
        rc |= bench_terminals(quick ? 10 : 50, quick ? 40 : 200, dir, hub, data, cert);
    if (want("status"))
        rc |= bench_status(quick ? 2000 : 20000, quick ? 50 : 200, dir, hub, data, cert);
    if (want("load")) {
        AttackPlan plan;
        if (quick) plan = AttackPlan{200, 2, 8, 16u << 20};
        rc |= bench_hub_load(quick ? 20 : 200, quick ? 2 : 4, plan, dir, cert, key);
    }
    return rc;
}
