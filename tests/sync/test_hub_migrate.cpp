// `jobfair-hub migrate`: two counties' hubs (SQLite, real `serve` processes, enrolled terminals
// with events, listings, accounts and sessions) moved into one PostgreSQL database that the test
// starts; the same terminals then sync with a hub on that database, download only what they
// lacked and upload only what they had not sent; a second run is refused and changes nothing;
// a clash of ids refuses the move whole.
#include <catch2/catch.hpp>

#include "sync/hub/hub_reports.hpp"
#include "sync/hub/hub_service.hpp"
#include "tests/sync/sync_trial.hpp"

#include <libpq-fe.h>

#include <fstream>

using namespace jf;
using namespace jf::test;

namespace {

// A county's hub on its own hub.db with its fair and `listings` listings of its union.
struct County {
    std::string data;
    HubProcess hub;
    std::string fair;
    County(TempDir& dir, const std::string& name, const std::string& cert, const std::string& key,
           const std::string& fair_id, const std::string& unit, int listings)
        : data(dir.str(name)), hub(data, cert, key, free_port()), fair(fair_id) {
        REQUIRE(run_hub({"add-fair", "--id", fair_id, "--name", unit + "春风行动招聘会", "--date",
                         "20240223", "--unit", unit, "--data-dir", data}) == 0);
        std::string csv = dir.str(name + "-listings.csv");
        write_listings(csv, unit + "某制造公司", listings);
        REQUIRE(run_hub({"import-listings", csv, "--union", unit, "--data-dir", data}) == 0);
        REQUIRE(hub.start());
    }
    static void write_listings(const std::string& path, const std::string& employer, int n) {
        std::ofstream out(path);
        out << "序号,单位名称,岗位名称,招聘人数,工作地点,行业类别,薪资,性别要求,学历要求,联系人,"
               "联系电话,邮箱,职位描述及要求,工作经验要求,招聘截止日期,备注\n";
        for (int i = 1; i <= n; ++i)
            out << i << "," << employer << ",岗位" << i << ",2,芜湖,制造,6000,不限,高中,王女士,"
                << "1385538" << 1000 + i << ",,,,20300410,\n";
    }
    std::string new_code() {
        std::string out;
        REQUIRE(run_hub({"enroll", "--fair", fair, "--mode", "entrance", "--data-dir", data, "--qr",
                         data + "-enrol.png"},
                        &out) == 0);
        auto at = out.find("enrolment code ");
        REQUIRE(at != std::string::npos);
        return out.substr(at + 15, 19);
    }
    std::unique_ptr<Store> terminal(TempDir& dir, const std::string& name,
                                    const std::string& cert) {
        auto store = Store::open(dir.str(name + ".db"));
        REQUIRE(store);
        sync::EnrollOptions o;
        o.ca_file = cert;
        o.device = name;
        auto r = sync::enroll(*store, hub.url(), new_code(), o);
        INFO(r.error << " " << r.detail);
        REQUIRE(r.ok);
        return store;
    }
};

int64_t listings_of(const Store& s) {
    ListingQuery q;
    q.today = {2024, 2, 23};
    return s.count_listings(q);
}

int64_t count(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    PGresult* r = PQexec(c, sql.c_str());
    int64_t n = PQresultStatus(r) == PGRES_TUPLES_OK ? std::atoll(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    PQfinish(c);
    return n;
}

} // namespace

TEST_CASE("two counties moved into one PostgreSQL database: their terminals keep their place") {
    crypto_init();
    ::unsetenv("JF_HUB_DATABASE");
    auto url = PgCluster::instance().new_database();
    INFO(PgCluster::instance().error());
    REQUIRE(!url.empty());
    TempDir dir("jf-migrate");
    std::string cert = dir.str("hub-cert.pem"), key = dir.str("hub-key.pem");
    REQUIRE(run_hub({"dev-cert", "--cert", cert, "--key", key}) == 0);

    // The province's database holds the province's own listings before any county arrives:
    // every county's terminal is offered them.
    std::string province = dir.str("province");
    std::string csv = dir.str("province.csv");
    County::write_listings(csv, "安徽省某集团", 3);
    REQUIRE(run_hub({"import-listings", csv, "--union", "安徽省", "--data-dir", province,
                     "--database", url}) == 0);

    County wuwei(dir, "wuwei", cert, key, "F1", "无为市", 40);
    County nanling(dir, "nanling", cert, key, "F2", "南陵县", 30);
    auto a = wuwei.terminal(dir, "a", cert);
    auto b = nanling.terminal(dir, "b", cert);
    sync::SyncStatus st;
    REQUIRE(record_events(*a, identity_of(*a), 200) == 200);
    REQUIRE(record_events(*b, identity_of(*b), 120) == 120);
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    REQUIRE(sync::sync_once(*b, fast_options(), st));
    REQUIRE(listings_of(*a) == 40);
    REQUIRE(listings_of(*b) == 30);

    // After its last sync: terminal a records offline, and its county adds two listings.
    REQUIRE(record_events(*a, identity_of(*a), 50, 1000) == 50);
    csv = dir.str("wuwei-more.csv");
    County::write_listings(csv, "无为市某新公司", 2);
    REQUIRE(run_hub({"import-listings", csv, "--union", "无为市", "--data-dir", wuwei.data}) == 0);
    // Staff of the county: an account and its signed-in session.
    {
        auto hub = hub::open_hub_store(wuwei.data);
        REQUIRE(hub);
        hub::AccountRow acc;
        acc.name = "wuwei-admin";
        acc.union_id = "无为市";
        acc.role = "admin";
        acc.password_hash = "$argon2id$placeholder";
        REQUIRE(hub->upsert_account(acc));
        REQUIRE(hub->add_session({"session-hash-1", "wuwei-admin", 1000, 2000}));
    }
    int64_t events_a = hub::open_hub_store(wuwei.data)->event_count();
    int64_t events_b = hub::open_hub_store(nanling.data)->event_count();
    REQUIRE(events_a == 200);
    REQUIRE(events_b == 120);

    // A county whose hub still runs is not moved.
    std::string out;
    CHECK(
        run_hub({"migrate", "--from", wuwei.data + "/hub.db", "--to", url, "--data-dir", province},
                &out) == 1);
    CHECK(out.find("stop it first") != std::string::npos);
    CHECK(count(url, "SELECT count(*) FROM events") == 0);
    // A dry run may look while it runs: it counts what would move and changes nothing.
    CHECK(run_hub({"migrate", "--from", wuwei.data + "/hub.db", "--to", url, "--data-dir", province,
                   "--dry-run"},
                  &out) == 0);
    INFO(out);
    CHECK(out.find("would move") != std::string::npos);
    CHECK(out.find("events 200") != std::string::npos);
    CHECK(count(url, "SELECT count(*) FROM events") == 0);
    CHECK(count(url, "SELECT count(*) FROM moved_hubs") == 0);
    CHECK((!std::filesystem::exists(province + "/moved-keys") ||
           std::filesystem::is_empty(province + "/moved-keys")));

    wuwei.hub.stop();
    nanling.hub.stop();
    for (auto* c : {&wuwei, &nanling}) {
        INFO(out);
        REQUIRE(
            run_hub({"migrate", "--from", c->data + "/hub.db", "--to", url, "--data-dir", province},
                    &out) == 0);
    }
    CHECK(count(url, "SELECT count(*) FROM events") == events_a + events_b);
    CHECK(count(url, "SELECT count(*) FROM moved_hubs") == 2);
    // Moving a county again is refused and changes nothing.
    CHECK(
        run_hub({"migrate", "--from", wuwei.data + "/hub.db", "--to", url, "--data-dir", province},
                &out) == 3);
    CHECK(out.find("moved into this database before") != std::string::npos);
    CHECK(count(url, "SELECT count(*) FROM events") == events_a + events_b);
    CHECK(count(url, "SELECT count(*) FROM listings") == 3 + 42 + 30);
    CHECK(count(url, "SELECT count(*) FROM terminals") == 2);

    // One hub on the province's database, serving each county's terminals where they knew their
    // hub (the same address and certificate: they keep their pin).
    ::setenv("JF_HUB_DATABASE", url.c_str(), 1);
    {
        HubProcess hub(province, cert, key, wuwei.hub.port());
        REQUIRE(hub.start());
        // Pages of two: the catch-up on the province's listings spans pages.
        auto opt = fast_options();
        opt.page_items = 2;
        sync::SyncStatus sa;
        REQUIRE(sync::sync_once(*a, opt, sa));
        // Only the 50 events recorded offline go up; only what it lacked comes down: the
        // province's 3 listings and their employer, the county's 2 new listings and their
        // employer, the other county's fair, employer, hub key and terminal key (its 30
        // listings of 南陵县 are not offered to 无为市), and the province hub's own key. None of
        // the 40 listings, the fair or the keys it held.
        CHECK(sa.uploaded == 50);
        CHECK(sa.downloaded == (3 + 1) + (2 + 1) + (1 + 1 + 2) + 1);
        CHECK(listings_of(*a) == 40 + 2 + 3);
        CHECK(a->fair("F1"));
        auto view = hub::open_hub_store(province, nullptr, url);
        REQUIRE(view);
        require_all_on_hub(*view, *a);
        // A second sync has nothing to fetch or send.
        sync::SyncStatus again;
        REQUIRE(sync::sync_once(*a, fast_options(), again));
        CHECK(again.uploaded == 0);
        CHECK(again.downloaded == 0);
        // The county's staff account and session are there.
        auto acc = view->account("wuwei-admin");
        REQUIRE(acc);
        CHECK(acc->union_id == "无为市");
        CHECK(view->session("session-hash-1"));
        hub.stop();
    }
    {
        HubProcess hub(province, cert, key, nanling.hub.port());
        REQUIRE(hub.start());
        REQUIRE(record_events(*b, identity_of(*b), 30, 2000) == 30);
        sync::SyncStatus sb;
        REQUIRE(sync::sync_once(*b, fast_options(), sb));
        CHECK(sb.uploaded == 30);
        // The province's 3 listings, their employer and its hub key; 无为市's fair, 2 employers,
        // hub key and terminal key.
        CHECK(sb.downloaded == (3 + 1 + 1) + (1 + 2 + 2));
        CHECK(listings_of(*b) == 30 + 3);
        auto view = hub::open_hub_store(province, nullptr, url);
        REQUIRE(view);
        require_all_on_hub(*view, *b);
        require_all_on_hub(*view, *a);
        hub.stop();
    }
    ::unsetenv("JF_HUB_DATABASE");
}

TEST_CASE("a county whose ids another county uses for other records is refused whole") {
    crypto_init();
    ::unsetenv("JF_HUB_DATABASE");
    auto url = PgCluster::instance().new_database();
    REQUIRE(!url.empty());
    TempDir dir("jf-migrate");
    std::string cert = dir.str("hub-cert.pem"), key = dir.str("hub-key.pem");
    REQUIRE(run_hub({"dev-cert", "--cert", cert, "--key", key}) == 0);
    std::string province = dir.str("province");
    County wuwei(dir, "wuwei", cert, key, "F1", "无为市", 5);
    County fanchang(dir, "fanchang", cert, key, "F9", "繁昌区", 5);
    wuwei.hub.stop();
    fanchang.hub.stop();
    // A person whose numbers are sealed to 无为市's hub key.
    std::ofstream(dir.str("people.csv")) << "姓名,编号,手机号码,身份证号码\n"
                                            "张伟,P1,138 5538 5678,11010519491231002X\n";
    REQUIRE(run_hub({"import-attendees", dir.str("people.csv"), "--data-dir", wuwei.data}) == 0);
    // 繁昌区 holds a listing under an id 无为市 uses for another listing.
    {
        auto w = hub::open_hub_store(wuwei.data);
        auto f = hub::open_hub_store(fanchang.data);
        REQUIRE(w);
        REQUIRE(f);
        auto l = w->listings().at(0);
        l.title = "另一个岗位";
        l.union_unit = "繁昌区";
        REQUIRE(f->upsert_listing(l));
    }
    std::string out;
    REQUIRE(
        run_hub({"migrate", "--from", wuwei.data + "/hub.db", "--to", url, "--data-dir", province},
                &out) == 0);
    // The province's reports open the county's people with the county's key, now in its ring.
    {
        auto view = hub::open_hub_store(province, nullptr, url);
        REQUIRE(view);
        auto keys = view->keys();
        REQUIRE(keys.moved_seals.size() == 1);
        hub::ContactOpener opener(*view, keys);
        auto c = opener("P1");
        REQUIRE(c);
        CHECK(c->phone == "13855385678");
        CHECK(c->resident_id == "11010519491231002X");
        keys.moved_seals.clear();
        hub::ContactOpener own_key_only(*view, keys);
        CHECK_FALSE(own_key_only("P1"));
    }
    int64_t listings = count(url, "SELECT count(*) FROM listings");
    int64_t counter = count(url, "SELECT value FROM change_counter");
    // A dry run names the clash as the move would.
    CHECK(run_hub({"migrate", "--from", fanchang.data + "/hub.db", "--to", url, "--data-dir",
                   province, "--dry-run"},
                  &out) == 1);
    CHECK(out.find("listings ") != std::string::npos);
    CHECK(run_hub(
              {"migrate", "--from", fanchang.data + "/hub.db", "--to", url, "--data-dir", province},
              &out) == 1);
    CHECK(out.find("listings ") != std::string::npos);
    CHECK(out.find("Nothing was moved") != std::string::npos);
    CHECK(count(url, "SELECT count(*) FROM listings") == listings);
    CHECK(count(url, "SELECT value FROM change_counter") == counter);
    CHECK(count(url, "SELECT count(*) FROM fairs WHERE id='F9'") == 0);
    CHECK(count(url, "SELECT count(*) FROM moved_hubs") == 1);
}

TEST_CASE("a moved terminal's quarantine quota counts from where staff last released it") {
    crypto_init();
    ::unsetenv("JF_HUB_DATABASE");
    auto url = PgCluster::instance().new_database();
    REQUIRE(!url.empty());
    TempDir dir("jf-migrate");
    std::string province = dir.str("province");
    // Each county's terminal sends events the hub refuses; 无为市's staff released its quota
    // after the first three.
    auto county = [&](const std::string& name, const std::string& fair, int before_release,
                      int after_release, int64_t* bytes) {
        std::string data = dir.str(name);
        auto hub = hub::open_hub_store(data);
        REQUIRE(hub);
        REQUIRE(hub->upsert_fair(Fair{fair, "", "招聘会", name, "", Date{2024, 2, 23}}));
        hub::HubService svc(*hub, "");
        auto code = hub::new_enrol_code();
        REQUIRE(hub->add_enrol_code(hub::code_hash(code), fair, "entrance", now_ms() + 60000));
        auto key = SigningKey::generate();
        auto r = wire::decode_enroll_response(
            svc.enroll(wire::encode(wire::EnrollRequest{1, code, key.public_key, name})).body);
        REQUIRE(r);
        int64_t seq = 0;
        auto refuse = [&](int n) {
            std::vector<hub::IngestItem> items;
            for (int i = 0; i < n; ++i) {
                hub::IngestItem it;
                it.event = {++seq, new_uuid(), "checkin", to_bytes("{}"), {}, now_ms()};
                it.quarantine_reason = "bad_signature";
                items.push_back(it);
            }
            REQUIRE(hub->ingest(r->terminal_id, items, now_ms()).ok);
        };
        refuse(before_release);
        if (after_release >= 0) {
            REQUIRE(hub->release_quarantine_quota(r->terminal_id));
            refuse(after_release);
        }
        int64_t events = 0;
        hub->quarantine_use(r->terminal_id, &events, bytes);
        return std::make_pair(r->terminal_id, events);
    };
    int64_t bytes_y = 0, bytes_x = 0;
    auto [ty, held_y] = county("南陵县", "F2", 4, -1, &bytes_y);
    auto [tx, held_x] = county("无为市", "F1", 3, 2, &bytes_x);
    REQUIRE(held_y == 4);
    REQUIRE(held_x == 2);
    for (const char* name : {"南陵县", "无为市"})
        REQUIRE(run_hub({"migrate", "--from", dir.str(name) + "/hub.db", "--to", url, "--data-dir",
                         province}) == 0);
    auto view = hub::open_hub_store(province, nullptr, url);
    REQUIRE(view);
    CHECK(view->quarantine().size() == 4 + 3 + 2);
    int64_t events = 0, bytes = 0;
    view->quarantine_use(tx, &events, &bytes);
    CHECK(events == 2);
    CHECK(bytes == bytes_x);
    view->quarantine_use(ty, &events, &bytes);
    CHECK(events == 4);
    CHECK(bytes == bytes_y);
}
