// The console's heaviest pages, answered by the hub's own WebApp (templates, access rules, store):
// the Today page and the 附件5 preview, p95 over repeated requests, on a hub holding 200
// terminals, 50,000 check-ins and 100,000 placements (--quick: a tenth), the check-ins today's and
// the placements recorded over a season of 14 weeks. One JSON line each.
#include "kiosk/domain/event_codec.hpp"
#include "sync/hub/hub_accounts.hpp"
#include "sync/hub/hub_service.hpp"
#include "sync/hub/hub_store.hpp"
#include "tests/sync/sync_test_util.hpp"
#include "sync/hub/web/web.hpp"
#include "sync/hub/web/web_context.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

using namespace jf;
using namespace jf::hub;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kSeasonWeeks = 14; // January to the concentrated phase's end in April

double p95(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, ms.size() * 95 / 100)];
}

} // namespace

int main(int argc, char** argv) {
    bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    int terminals = quick ? 20 : 200, check_ins = quick ? 5000 : 50000,
        placements = quick ? 10000 : 100000, rounds = quick ? 5 : 20;
    crypto_init();
    jf::test::TempDir dir;
    auto store = open_hub_store(dir.str());
    if (!store) return 1;
    TimeMs now = now_ms();
    Date today = cst_date(now);
    // Ten fairs today, 无为市's and 南陵县's; terminals spread over them.
    std::vector<std::string> fairs, tids;
    for (int i = 0; i < 10; ++i) {
        Fair f;
        f.id = "F" + std::to_string(i);
        f.name = "招聘会 " + std::to_string(i);
        f.union_unit = i % 2 ? "南陵县" : "无为市";
        f.date = today;
        store->upsert_fair(f);
        fairs.push_back(f.id);
    }
    for (int i = 0; i < terminals; ++i) {
        auto code = new_enrol_code();
        store->add_enrol_code(code_hash(code), fairs[i % 10], "entrance", now + 60000);
        RedeemError why;
        auto t = store->redeem_enrol_code(code_hash(code), SigningKey::generate().public_key,
                                          "bench", token_hash(new_uuid()), now, &why);
        if (!t) return 1;
        tids.push_back(t->id);
    }
    std::vector<int64_t> seq(tids.size(), 0);
    auto put = [&](int n, bool placement) {
        std::vector<std::vector<IngestItem>> batch(tids.size());
        for (int i = 0; i < n; ++i) {
            size_t t = static_cast<size_t>(i) % tids.size();
            IngestItem it;
            it.event.seq = ++seq[t];
            it.event.uuid = new_uuid();
            it.event.device_time = now - 3600000 + i;
            std::string fair = fairs[t % 10];
            if (placement) {
                // Placements are recorded over the season's weeks, one week's share in each
                // weekly report (Today counts them by their fair all the same).
                it.event.device_time -= (i % kSeasonWeeks) * 7 * 86400000LL;
                Placement p;
                p.h = {it.event.uuid, tids[t], it.event.seq, it.event.device_time};
                p.placement_id = it.event.uuid;
                p.attendee_id = "A" + std::to_string(i);
                p.fair_id = fair;
                p.employer_name = "单位" + std::to_string(i % 300);
                p.person_name = "张三";
                p.start_date = p.signed_date = cst_date(it.event.device_time);
                it.event.kind = "placement";
                it.event.body = to_bytes(encode(p));
                it.placement = p;
            } else {
                CheckIn c;
                c.h = {it.event.uuid, tids[t], it.event.seq, it.event.device_time};
                c.attendee_id = "A" + std::to_string(i);
                c.fair_id = fair;
                it.event.kind = "checkin";
                it.event.body = to_bytes(encode(c));
                it.check_in = c;
            }
            batch[t].push_back(std::move(it));
            if (batch[t].size() == 500 || i + static_cast<int>(tids.size()) >= n) {
                if (!batch[t].empty() && !store->ingest(tids[t], batch[t], now).ok) return false;
                batch[t].clear();
            }
        }
        for (size_t t = 0; t < batch.size(); ++t)
            if (!batch[t].empty() && !store->ingest(tids[t], batch[t], now).ok) return false;
        return true;
    };
    if (!put(check_ins, false) || !put(placements, true)) {
        std::fprintf(stderr, "bench_console: seeding failed: %s\n", store->last_error().c_str());
        return 1;
    }
    HubService service(*store, "");
    ServeConfig cfg;
    cfg.data_dir = dir.str(); // other areas' pages keep their files there
    web::WebContext ctx{*store, service, cfg};
    web::WebApp app(assets_dir());
    web::install_web_modules(app, ctx);
    std::string why;
    if (!app.load(&why)) {
        std::fprintf(stderr, "bench_console: %s\n", why.c_str());
        return 1;
    }
    // A city supervisor: every county's fairs on Today, and the city's 附件5.
    ConsoleLimits lim;
    lim.pwhash_ops = 1;
    lim.pwhash_mem = 8192;
    Accounts accounts(*store, lim);
    AccountRow a;
    a.name = "bench";
    a.union_id = "芜湖市";
    a.role = "supervisor";
    std::string token, err, who;
    accounts.add_account("bench", a, now, &token, &err);
    accounts.set_password(token, "bench password", now, &who, &err);
    auto sid = accounts.sign_in("bench", "bench password", now).session_id;
    int rc = 0;
    auto measure = [&](const char* name, const std::string& path, const std::string& query) {
        std::vector<double> ms;
        size_t bytes = 0;
        int status = 0;
        for (int i = 0; i < rounds; ++i) {
            web::Request r;
            r.method = "GET";
            r.path = path;
            r.query = query;
            r.cookie = "jf_console=" + sid;
            auto t0 = Clock::now();
            auto res = app.handle(r);
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            bytes = res.body.size();
            status = res.status;
        }
        std::printf("{\"bench\":\"%s\",\"terminals\":%d,\"check_ins\":%d,\"placements\":%d,"
                    "\"status\":%d,\"bytes\":%zu,\"p95_ms\":%.1f}\n",
                    name, terminals, check_ins, placements, status, bytes, p95(ms));
        if (status != 200) rc = 1;
    };
    measure("console_today", "/console/", "");
    // The week now being collected: the placements recorded in it count.
    measure("console_summary_preview", "/console/reports",
            "kind=summary&union=%E8%8A%9C%E6%B9%96%E5%B8%82");
    return rc;
}
