// `jobfair-hub report detail` (附件6) at a province's volume, SQLite and PostgreSQL side by side
// (PostgreSQL: a cluster the benchmark starts itself, tests/sync/pg_cluster.hpp). The hub holds
// 100,000 placements (--quick: 10,000) of 2024, spread evenly over its weeks and over five
// cities' fairs, each person registered with sealed ID and phone numbers. The real command runs
// as a child process, its wall time and maximum resident size measured (wait4):
// - week_city: one city's 附件6 of one week (2024-W20), the weekly report. Target: under 1 s.
// - year_all: the whole year's 附件6 of every union, every placement printed and every person's
//   numbers opened. Targets (issue 19): under 3 s and under 200 MB.
// One JSON line per backend: report_scale.detail_<backend>.
// --quick: small size (ctest); --sqlite-only skips PostgreSQL; --placements N sets the size.
#include "sync/hub/hub_service.hpp"
#include "sync/hub/hub_store.hpp"
#include "kiosk/domain/clock.hpp"
#include "kiosk/domain/event_codec.hpp"
#include "tests/sync/hub_process.hpp"
#include "tests/sync/pg_cluster.hpp"
#include "sync/wire/wire.hpp"

#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

using namespace jf;
using namespace jf::test;
using Clock = std::chrono::steady_clock;

namespace {

const char* kCities[] = {"芜湖市", "合肥市", "蚌埠市", "淮南市", "马鞍山市"};

// Fills the hub with `n` placements and their people, in batches of one transaction.
bool fill(hub::HubStore& store, int n) {
    auto keys = store.keys();
    const int fairs = 250;
    for (int f = 0; f < fairs; ++f) {
        Fair fair;
        fair.id = "F" + std::to_string(f);
        fair.name = "春风行动招聘会" + std::to_string(f);
        fair.union_unit = kCities[f % 5];
        fair.date =
            cst_date(cst_midnight(Date{2024, 1, 1}) + int64_t{f} * 86400000LL * 366 / fairs);
        if (!store.upsert_fair(fair)) return false;
    }
    // One terminal records them all, enrolled as any terminal is.
    hub::HubService svc(store, "");
    auto code = hub::new_enrol_code();
    store.add_enrol_code(hub::code_hash(code), "F0", "entrance", now_ms() + 60000);
    auto key = SigningKey::generate();
    auto enrolled = wire::decode_enroll_response(
        svc.enroll(wire::encode(wire::EnrollRequest{1, code, key.public_key, "bench"})).body);
    if (!enrolled) return false;
    const std::string terminal = enrolled->terminal_id;
    const TimeMs year0 = cst_midnight(Date{2024, 1, 1});
    const int64_t year_ms = 365LL * 86400000;
    std::vector<hub::IngestItem> batch;
    int64_t seq = 0;
    auto flush = [&] {
        bool ok = batch.empty() || store.ingest(terminal, batch, now_ms()).ok;
        batch.clear();
        return ok;
    };
    for (int i = 0; i < n; ++i) {
        TimeMs at = year0 + year_ms * i / n + 9 * 3600000;
        std::string fair =
            "F" + std::to_string(static_cast<int64_t>(i) * fairs / n / 5 * 5 + i % 5);
        std::string person = "P" + std::to_string(i);
        Registration r;
        r.h = {new_uuid(), terminal, ++seq, at};
        r.attendee.id = person;
        r.attendee.name = "张" + std::to_string(i);
        r.attendee.gender = Gender::Male;
        r.attendee.phone_masked = "138****5678";
        r.attendee.id_masked = "3402**********1232";
        r.attendee.sealed_phone = base64(seal(keys.seal.public_key, "13855385678"));
        r.attendee.sealed_id = base64(seal(keys.seal.public_key, "340299198503121232"));
        r.fair_id = fair;
        r.credential_id = "C" + std::to_string(i);
        r.consent = true;
        hub::IngestItem reg;
        reg.event = {seq, r.h.uuid, "registration", to_bytes(encode(r)), {}, at};
        reg.registration = r;
        batch.push_back(std::move(reg));
        Placement p;
        p.h = {new_uuid(), terminal, ++seq, at};
        p.placement_id = p.h.uuid;
        p.attendee_id = person;
        p.fair_id = fair;
        p.employer_name = "芜湖示范有限公司" + std::to_string(i % 5000);
        p.person_name = r.attendee.name;
        p.id_masked = r.attendee.id_masked;
        p.phone_masked = r.attendee.phone_masked;
        p.work_place = "芜湖";
        p.prev_year_work_place = "芜湖";
        p.start_date = p.signed_date = cst_date(at);
        p.key_groups = kMigrantWorker;
        hub::IngestItem it;
        it.event = {seq, p.h.uuid, "placement", to_bytes(encode(p)), {}, at};
        it.placement = p;
        batch.push_back(std::move(it));
        if (batch.size() >= 1000 && !flush()) return false;
    }
    return flush();
}

struct Run {
    double ms = 0;
    double rss_mb = 0;
    int status = -1;
};

// The real command as a child: its wall time and maximum resident size.
Run report(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {hub_binary(), "report", "detail"};
    argv.insert(argv.end(), args.begin(), args.end());
    int devnull = ::open("/dev/null", O_WRONLY);
    auto t0 = Clock::now();
    pid_t pid = spawn(argv, devnull);
    ::close(devnull);
    int st = 0;
    struct rusage ru {};
    ::wait4(pid, &st, 0, &ru);
    Run r;
    r.ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    r.rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

bool bench(const std::string& backend, const std::string& url, int n) {
    TempDir dir("jf-bench-report");
    std::string data = dir.str("hub");
    std::string err;
    {
        auto store = hub::open_hub_store(data, &err, url);
        if (!store) {
            std::fprintf(stderr, "%s: %s\n", backend.c_str(), err.c_str());
            return false;
        }
        auto t0 = Clock::now();
        if (!fill(*store, n)) {
            std::fprintf(stderr, "%s: fill failed: %s\n", backend.c_str(),
                         store->last_error().c_str());
            return false;
        }
        std::fprintf(stderr, "%s: %d placements in %.1f s\n", backend.c_str(), n,
                     std::chrono::duration<double>(Clock::now() - t0).count());
    }
    std::vector<std::string> where = {"--data-dir", data};
    if (!url.empty()) where.insert(where.end(), {"--database", url});
    auto args = [&](std::vector<std::string> a) {
        a.insert(a.end(), where.begin(), where.end());
        return a;
    };
    auto week =
        report(args({"--week", "2024-W20", "--union", "芜湖市", "--out", dir.str("week.xlsx")}));
    auto year = report(args({"--period", "20240101-20241231", "--out", dir.str("year.xlsx")}));
    // How many rows the week's form holds (its CSV: a line per row after the title lines).
    report(args({"--week", "2024-W20", "--union", "芜湖市", "--format", "csv", "--out",
                 dir.str("week.csv")}));
    int week_rows = 0;
    {
        std::ifstream in(dir.str("week.csv"));
        for (std::string line; std::getline(in, line);)
            week_rows += line.find("芜湖示范有限公司") != std::string::npos;
    }
    if (const char* keep = std::getenv("JF_BENCH_KEEP"); keep && *keep)
        std::filesystem::copy(data, keep, std::filesystem::copy_options::recursive);
    std::printf("{\"bench\":\"report_scale.detail_%s\",\"placements\":%d,"
                "\"week_city_rows\":%d,\"week_city_ms\":%.0f,\"week_city_rss_mb\":%.1f,"
                "\"year_all_ms\":%.0f,\"year_all_rss_mb\":%.1f,\"ok\":%s}\n",
                backend.c_str(), n, week_rows, week.ms, week.rss_mb, year.ms, year.rss_mb,
                week.status == 0 && year.status == 0 ? "true" : "false");
    std::fflush(stdout);
    return week.status == 0 && year.status == 0;
}

} // namespace

int main(int argc, char** argv) {
    crypto_init();
    bool quick = false, sqlite_only = false;
    int n = 100000;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--quick")) quick = true, n = 10000;
        if (!std::strcmp(argv[i], "--sqlite-only")) sqlite_only = true;
        if (!std::strcmp(argv[i], "--placements") && i + 1 < argc) n = std::atoi(argv[++i]);
    }
    (void)quick;
    bool ok = bench("sqlite", "", n);
    if (!sqlite_only) {
        auto url = PgCluster::instance().new_database();
        if (url.empty()) {
            std::fprintf(stderr, "postgresql: %s\n", PgCluster::instance().error().c_str());
            return 1;
        }
        ok = bench("postgresql", url, n) && ok;
    }
    return ok ? 0 : 1;
}
