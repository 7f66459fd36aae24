// A real trial for the sync tests and the reliability tests: a `jobfair-hub serve` process over
// TLS on loopback with a fair and listings, terminals enrolled with it, and the checks that every
// terminal event is on the hub exactly once, byte for byte.
#pragma once

#include <catch2/catch.hpp>

#include "sync/engine/engine.hpp"
#include "tests/sync/hub_process.hpp"
#include "sync/hub/hub_store.hpp"
#include "tests/sync/pg_cluster.hpp"

#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace jf::test {

inline sync::SyncOptions fast_options() {
    sync::SyncOptions o;
    o.connect_timeout_ms = 1000;
    o.low_speed_time_s = 1;
    o.request_timeout_ms = 10000;
    o.backoff_min_ms = 20;
    o.backoff_max_ms = 200;
    o.poll_interval_ms = 200;
    return o;
}

// A hub with a fair, listings and a dev certificate, and terminals enrolled with it.
struct Trial {
    TempDir dir;
    std::string cert = dir.str("hub-cert.pem"), key = dir.str("hub-key.pem"), data = dir.str("hub");
    HubProcess hub{data, cert, key, free_port()};

    std::string database; // the PostgreSQL database when the run is on it (JF_HUB_BACKEND)

    Trial() {
        crypto_init();
        // Every hub command and `serve` of this trial reaches the database through the
        // environment, as a deployment's EnvironmentFile would give it.
        if (pg_backend()) {
            database = PgCluster::instance().new_database();
            INFO(PgCluster::instance().error());
            REQUIRE(!database.empty());
            ::setenv("JF_HUB_DATABASE", database.c_str(), 1);
        }
        REQUIRE(run_hub({"dev-cert", "--cert", cert, "--key", key}) == 0);
        REQUIRE(run_hub({"add-fair", "--id", "F1", "--name", "2024年无为市工会送岗位招聘会",
                         "--date", "20240223", "--unit", "无为市", "--data-dir", data}) == 0);
        std::ofstream(dir.str("listings.csv"))
            << "序号,单位名称,岗位名称,招聘人数,工作地点,行业类别,薪资,性别要求,学历要求,联系人,"
               "联系电话,"
               "邮箱,职位描述及要求,工作经验要求,招聘截止日期,备注\n"
               "1,奇瑞汽车股份有限公司,产品经理,3,芜湖,IT,8000,不限,本科及以上,孙女士,13855380000,,"
               ",,20300410,\n"
               "2,芜湖某物流公司,司机,2,芜湖,物流,7000,,,,13855380001,,,,20300410,\n";
        REQUIRE(run_hub({"import-listings", dir.str("listings.csv"), "--data-dir", data}) == 0);
        REQUIRE(hub.start());
    }

    std::string new_code(const std::string& mode = "entrance") {
        std::string out;
        REQUIRE(run_hub({"enroll", "--fair", "F1", "--mode", mode, "--data-dir", data, "--qr",
                         dir.str("enrol.png")},
                        &out) == 0);
        auto at = out.find("enrolment code ");
        REQUIRE(at != std::string::npos);
        return out.substr(at + 15, 19);
    }

    // A terminal store enrolled through `url` (the hub, or a proxy in front of it).
    std::unique_ptr<Store> terminal(const std::string& name, const std::string& url = {}) {
        auto store = Store::open(dir.str(name + ".db"));
        REQUIRE(store);
        sync::EnrollOptions o;
        o.ca_file = cert;
        o.device = name;
        auto r = sync::enroll(*store, url.empty() ? hub.url() : url, new_code(), o);
        INFO(r.error << " " << r.detail);
        REQUIRE(r.ok);
        return store;
    }

    // The hub's own view, read from its database by a second connection (as staff commands do).
    std::unique_ptr<hub::HubStore> hub_view() {
        std::string err;
        auto s = hub::open_hub_store(data, &err, database);
        INFO(err);
        REQUIRE(s);
        return s;
    }
    ~Trial() {
        if (!database.empty()) ::unsetenv("JF_HUB_DATABASE");
    }
};

inline TerminalIdentity identity_of(const Store& s) {
    auto id = load_identity(s);
    REQUIRE(id);
    return *id;
}

// Every event of the terminal is on the hub exactly once, byte for byte, with a valid signature.
inline void require_all_on_hub(hub::HubStore& hub, const Store& terminal) {
    auto id = identity_of(terminal);
    auto local = terminal.events_after(0, 1000000);
    auto remote = hub.events(id.terminal_id);
    REQUIRE(remote.size() == local.size());
    std::set<std::string> uuids;
    for (size_t i = 0; i < local.size(); ++i) {
        CHECK(remote[i].uuid == local[i].uuid);
        CHECK(remote[i].seq == local[i].seq);
        CHECK(remote[i].body == local[i].body);
        CHECK(verify(id.key.public_key, signature_domain(remote[i].kind), remote[i].body,
                     remote[i].signature));
        uuids.insert(remote[i].uuid);
    }
    CHECK(uuids.size() == local.size());
    CHECK(terminal.acknowledged_seq() == terminal.last_seq());
    // The fair day's events are in the hub's projection once each, as the terminal holds them.
    auto day = hub.fair_day(id.fair_id);
    auto mine = [&](const auto& records) {
        std::vector<std::string> out;
        for (auto& r : records)
            if (r.h.terminal_id == id.terminal_id) out.push_back(r.h.uuid);
        return out;
    };
    auto uuids_of = [](const auto& records) {
        std::vector<std::string> out;
        for (auto& r : records)
            out.push_back(r.h.uuid);
        return out;
    };
    CHECK(mine(day.intents) == uuids_of(terminal.intents(id.fair_id)));
    CHECK(mine(day.undos) == uuids_of(terminal.check_in_undos(id.fair_id)));
    CHECK(mine(day.services) == uuids_of(terminal.services(id.fair_id)));
    CHECK(mine(day.needs) == uuids_of(terminal.needs(id.fair_id)));
}

inline bool wait_for(const std::function<bool()>& cond, int ms) {
    using Clock = std::chrono::steady_clock;
    auto end = Clock::now() + std::chrono::milliseconds(ms);
    while (Clock::now() < end) {
        if (cond()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return cond();
}

} // namespace jf::test
