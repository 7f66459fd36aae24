// The hub at a province's volume, SQLite and PostgreSQL side by side (PostgreSQL: a cluster the
// benchmark starts itself, tests/sync/pg_cluster.hpp), one JSON line per backend and figure set:
// - hub_scale.pages_<backend>: a 500-row download page of the listings stream (the first, and one
//   in the middle) and an empty poll (cursor at the end), at a small and at a large table
//   (10,000 and 1,000,000 listings; --quick: 2,000 and 20,000). Targets: a page under 5 ms and a
//   poll under 1 ms at the large size; "growth" is large-table time over small-table time.
// - hub_scale.county_download_<backend>: a new terminal of one county's fair downloads the
//   listings its union offers (a 60th of the large table), pages of 500. Target: under 10 s.
// - hub_scale.ingest_<backend>: signed check-ins and placements uploaded through HubService
//   (decode, Ed25519 check, one transaction per 500-event batch), events per second, and the
//   database's bytes per 100,000 events; store_events_per_s: the same events written by the
//   store alone (HubStore::ingest), what the database takes apart from the hub's checks.
// --quick runs small sizes (ctest); --sqlite-only skips PostgreSQL; --large N sets the large size.
#include "sync/hub/hub_service.hpp"
#include "kiosk/domain/clock.hpp"
#include "tests/sync/pg_cluster.hpp"
#include "tests/sync/sync_test_util.hpp"
#include "sync/wire/wire.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

using namespace jf;
using namespace jf::test;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

JobListing listing(int i) {
    JobListing l;
    l.id = "L-" + std::to_string(i);
    l.employer_id = "E-" + std::to_string(i % 5000);
    l.employer_name = "芜湖示范有限公司" + std::to_string(i % 5000);
    l.union_unit = "县" + std::to_string(i % 60);
    l.title = "装配操作工";
    l.headcount = 1 + i % 30;
    l.work_location = "芜湖";
    l.industry = "制造业";
    l.salary = "5000元/月起";
    l.contact_phone = "0553-6100000";
    l.description = "身体健康，能吃苦耐劳，适应两班倒，提供食宿。";
    l.deadline = {2030, 1, 1};
    return l;
}

// Fills the store up to `n` listings (from `have`), in imports of 5,000.
bool fill(hub::HubStore& store, int have, int n) {
    for (int i = have; i < n; i += 5000) {
        std::vector<JobListing> batch;
        for (int k = i; k < std::min(n, i + 5000); ++k)
            batch.push_back(listing(k));
        if (!store.upsert_listings({}, batch)) {
            std::fprintf(stderr, "import failed: %s\n", store.last_error().c_str());
            return false;
        }
    }
    return true;
}

struct PageCost {
    double first_ms = 0, middle_ms = 0, poll_ms = 0;
};

PageCost page_cost(hub::HubStore& store, int rows, int repeats) {
    // The version at the end of the stream, and one in the middle.
    int64_t end = 0;
    bool more = true;
    for (int64_t after = 0; more;) {
        auto page = store.changes(wire::Stream::Listings, after, 100000, &more);
        if (page.empty()) break;
        after = end = page.back().version;
    }
    int64_t middle = end - rows / 2;
    std::vector<double> first, mid, poll;
    for (int r = 0; r < repeats; ++r) {
        auto t0 = Clock::now();
        store.changes(wire::Stream::Listings, 0, 500, &more);
        first.push_back(ms_since(t0));
        t0 = Clock::now();
        store.changes(wire::Stream::Listings, middle, 500, &more);
        mid.push_back(ms_since(t0));
        t0 = Clock::now();
        auto none = store.changes(wire::Stream::Listings, end, 500, &more);
        poll.push_back(ms_since(t0));
        if (!none.empty()) std::fprintf(stderr, "the poll at the end returned rows\n");
    }
    return {percentile(first, 50), percentile(mid, 50), percentile(poll, 50)};
}

int bench_pages(const std::string& backend, hub::HubStore& store, int small, int large) {
    const int repeats = 30;
    if (!fill(store, 0, small)) return 1;
    auto a = page_cost(store, small, repeats);
    if (!fill(store, small, large)) return 1;
    auto b = page_cost(store, large, repeats);
    std::printf("{\"bench\":\"hub_scale.pages_%s\",\"small\":%d,\"large\":%d,"
                "\"page_small_ms\":%.3f,\"page_ms\":%.3f,\"middle_page_ms\":%.3f,"
                "\"poll_small_ms\":%.3f,\"poll_ms\":%.3f,\"page_growth\":%.2f,"
                "\"poll_growth\":%.2f}\n",
                backend.c_str(), small, large, a.first_ms, b.first_ms, b.middle_ms, a.poll_ms,
                b.poll_ms, b.first_ms / std::max(a.first_ms, 1e-3),
                b.poll_ms / std::max(a.poll_ms, 1e-3));
    std::fflush(stdout);
    return 0;
}

// A new terminal of one county's fair (the listings are spread over 60 counties) downloads the
// listings its union offers, through HubService as over the wire: pages of 500 until none is
// left. Its cost follows the county's share, not the province's table.
int bench_county_download(const std::string& backend, hub::HubStore& store, int large) {
    for (int c = 0; c < 60; ++c)
        if (!store.upsert_union({"县" + std::to_string(c), "安徽省",
                                 "县" + std::to_string(c) + "总工会", "county"}))
            return 1;
    Fair f;
    f.id = "F-县7";
    f.name = "县7招聘会";
    f.union_unit = "县7";
    f.date = {2030, 3, 1};
    if (!store.upsert_fair(f)) return 1;
    hub::HubService svc(store, "");
    auto code = hub::new_enrol_code();
    store.add_enrol_code(hub::code_hash(code), f.id, "entrance", jf::now_ms() + 60000);
    auto key = SigningKey::generate();
    auto r = wire::decode_enroll_response(
        svc.enroll(wire::encode(wire::EnrollRequest{1, code, key.public_key, "county"})).body);
    if (!r) return 1;
    // The hub's periodic storage check runs at a service's first request (a whole-file
    // quick_check on SQLite): done here, before the clock starts, as a running hub has done it.
    svc.status(r->access_token, "");
    size_t rows = 0;
    int pages = 0;
    int64_t cursor = 0;
    auto t0 = Clock::now();
    for (;;) {
        auto p = wire::decode_pull_page(
            svc.pull(r->access_token, "listings", std::to_string(cursor), "", "500").body);
        if (!p) return 1;
        rows += p->items.size();
        ++pages;
        cursor = p->cursor;
        if (!p->more) break;
    }
    double ms = ms_since(t0);
    size_t expected = static_cast<size_t>(large / 60 + (large % 60 > 7 ? 1 : 0));
    std::printf("{\"bench\":\"hub_scale.county_download_%s\",\"listings\":%d,\"rows\":%zu,"
                "\"pages\":%d,\"download_ms\":%.1f}\n",
                backend.c_str(), large, rows, pages, ms);
    std::fflush(stdout);
    if (rows != expected)
        std::fprintf(stderr, "county download: %zu rows, not %zu\n", rows, expected);
    return rows == expected ? 0 : 1;
}

int64_t database_bytes(const std::string& data, const std::string& url) {
    if (url.empty()) {
        std::error_code ec;
        int64_t n = 0;
        for (auto s : {"/hub.db", "/hub.db-wal"})
            if (auto z = std::filesystem::file_size(data + s, ec); !ec)
                n += static_cast<int64_t>(z);
        return n;
    }
    PGconn* c = PQconnectdb(url.c_str());
    PGresult* r = PQexec(c, "SELECT pg_database_size(current_database())");
    int64_t n = PQresultStatus(r) == PGRES_TUPLES_OK ? std::atoll(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    PQfinish(c);
    return n;
}

int bench_ingest(const std::string& backend, hub::HubStore& store, const std::string& data,
                 const std::string& url, const TempDir& dir, int events) {
    hub::HubService svc(store, "");
    auto code = hub::new_enrol_code();
    store.add_enrol_code(hub::code_hash(code), "F1", "entrance", jf::now_ms() + 60000);
    TerminalIdentity id;
    id.key = SigningKey::generate();
    auto r = wire::decode_enroll_response(
        svc.enroll(wire::encode(wire::EnrollRequest{1, code, id.key.public_key, "bench"})).body);
    if (!r) return 1;
    id.terminal_id = r->terminal_id;
    id.hub_seal_public_key = r->hub_seal_public_key;
    id.fair_id = "F1";
    id.mode = "entrance";
    auto terminal = Store::open(dir.str("terminal-" + backend + ".db"));
    save_identity(*terminal, id);
    record_events(*terminal, id, events);
    std::vector<std::string> bodies;
    for (int64_t after = 0;;) {
        auto evs = terminal->events_after(after, 500);
        if (evs.empty()) break;
        wire::UploadRequest q;
        q.terminal_id = id.terminal_id;
        q.device_now = jf::now_ms();
        for (auto& e : evs)
            q.events.push_back({e.seq, e.uuid, e.kind, e.body, e.signature, e.device_time});
        bodies.push_back(wire::encode(q));
        after = evs.back().seq;
    }
    int64_t bytes0 = database_bytes(data, url);
    std::vector<double> batch_ms;
    int stored = 0;
    auto t0 = Clock::now();
    for (auto& b : bodies) {
        auto s = Clock::now();
        auto a = wire::decode_upload_response(svc.upload(r->access_token, b).body);
        batch_ms.push_back(ms_since(s));
        if (a) stored += a->stored;
    }
    double seconds = ms_since(t0) / 1000;
    int64_t bytes = database_bytes(data, url) - bytes0;
    // The store alone: the same events as the hub judged them (decoded; signatures already
    // checked), written by HubStore::ingest for a second terminal, 500 per batch.
    code = hub::new_enrol_code();
    store.add_enrol_code(hub::code_hash(code), "F1", "entrance", jf::now_ms() + 60000);
    auto key2 = SigningKey::generate();
    auto r2 = wire::decode_enroll_response(
        svc.enroll(wire::encode(wire::EnrollRequest{1, code, key2.public_key, "bench2"})).body);
    if (!r2) return 1;
    std::vector<std::vector<hub::IngestItem>> batches(1);
    for (auto& e : terminal->events_after(0, static_cast<size_t>(events))) {
        if (batches.back().size() == 500) batches.emplace_back();
        hub::IngestItem it;
        it.event = {e.seq, e.uuid + "-2", e.kind, e.body, e.signature, e.device_time};
        std::string_view text(reinterpret_cast<const char*>(e.body.data()), e.body.size());
        if (e.kind == "checkin")
            it.check_in = decode_check_in(text);
        else
            it.placement = decode_placement(text);
        batches.back().push_back(std::move(it));
    }
    int store_stored = 0;
    auto s0 = Clock::now();
    for (auto& b : batches)
        store_stored += store.ingest(r2->terminal_id, b, jf::now_ms()).stored;
    double store_seconds = ms_since(s0) / 1000;
    std::printf("{\"bench\":\"hub_scale.ingest_%s\",\"events\":%d,\"stored\":%d,"
                "\"events_per_s\":%.0f,\"batch_p50_ms\":%.1f,\"batch_p99_ms\":%.1f,"
                "\"store_events_per_s\":%.0f,\"bytes_per_100k_events\":%.0f}\n",
                backend.c_str(), events, stored, events / seconds, percentile(batch_ms, 50),
                percentile(batch_ms, 99), store_stored / store_seconds,
                static_cast<double>(bytes) * 100000.0 / events);
    std::fflush(stdout);
    return stored == events && store_stored == events ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    bool quick = false, sqlite_only = false;
    int large_flag = 0;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--quick")) quick = true;
        if (!std::strcmp(argv[i], "--sqlite-only")) sqlite_only = true;
        if (!std::strcmp(argv[i], "--large") && i + 1 < argc) large_flag = std::atoi(argv[++i]);
    }
    crypto_init();
    const int small = quick ? 2000 : 10000;
    const int large = large_flag > 0 ? large_flag : quick ? 20000 : 1000000;
    const int events = quick ? 2000 : 50000;
    TempDir dir;
    int status = 0;
    std::vector<std::string> backends = {"sqlite"};
    if (!sqlite_only) backends.push_back("postgresql");
    for (auto& backend : backends) {
        std::string url;
        if (backend == "postgresql") {
            url = PgCluster::instance().new_database();
            if (url.empty()) {
                std::fprintf(stderr, "PostgreSQL: %s\n", PgCluster::instance().error().c_str());
                return 1;
            }
        }
        std::string data = dir.str("hub-" + backend), err;
        auto store = hub::open_hub_store(data, &err, url);
        if (!store) {
            std::fprintf(stderr, "%s: %s\n", backend.c_str(), err.c_str());
            return 1;
        }
        status |= bench_pages(backend, *store, small, large);
        status |= bench_county_download(backend, *store, large);
        status |= bench_ingest(backend, *store, data, url, dir, events);
    }
    return status;
}
