// What the hub refused reaches the kiosk's screens: a terminal running from a copy of an earlier
// disk (its new records reuse sequence numbers the hub holds) says so on the status line of every
// screen and on the admin screen, with what staff should do, and never "all uploaded". Real parts:
// a `jobfair-hub serve` process over TLS, the terminal's engine started by SyncLink as in the
// kiosk, and the screens driven headlessly.
#include <catch2/catch.hpp>

#include "tests/admin/admin_fixture.hpp"

#include "kiosk/store/identity.hpp"

#include <sqlite3.h>

using namespace jf;
using namespace jf::test;

TEST_CASE("admin: a terminal restored from a copy says so on its status line and admin screen") {
    HubTrial t;
    AdminKiosk k("restored-copy");
    auto& d = k.d();
    sync::EnrollOptions o;
    o.ca_file = t.cert;
    o.device = "kiosk";
    auto r = sync::enroll(k.store(), t.hub.url(), t.new_code().code, o);
    INFO(r.error << " " << r.detail);
    REQUIRE(r.ok);
    auto id = load_identity(k.store());
    REQUIRE(id);
    REQUIRE(record_events(k.store(), *id, 3) == 3);
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(k.store(), slow_retry_options(), st));

    // The disk is copied now. The original goes on elsewhere and uploads two more records.
    std::string orig_path = k.fx->dir + "/original.db";
    REQUIRE(sqlite3_exec(k.store().handle(), ("VACUUM INTO '" + orig_path + "'").c_str(), nullptr,
                         nullptr, nullptr) == SQLITE_OK);
    {
        auto orig = Store::open(orig_path);
        REQUIRE(orig);
        REQUIRE(record_events(*orig, *id, 2, 100) == 2);
        sync::SyncStatus os;
        REQUIRE(sync::sync_once(*orig, slow_retry_options(), os));
        CHECK_FALSE(os.restored_copy);
    }

    // This kiosk is the copy: two records of its own, under numbers the hub already holds.
    REQUIRE(record_events(k.store(), *id, 2, 200) == 2);
    d.app().show("station");
    d.frames(2);
    CHECK_FALSE(d.visible("status.restored_copy"));
    k.follow_status();
    REQUIRE(k.link->start_if_enrolled(k.store()));
    REQUIRE(k.pump_until([&] { return d.ctx().sync.restored_copy; }));
    d.frames(2);
    CHECK(d.ctx().sync.waiting == 0); // acknowledged, and yet not "all uploaded":
    CHECK(d.ctx().sync.refused == 2);
    CHECK(d.visible("status.restored_copy"));
    for (auto lang : {Lang::ZhCN, Lang::EnUS}) {
        CHECK(d.ctx().tr->tr("ui.status.restored_copy", lang) != "ui.status.restored_copy");
        CHECK(d.ctx().tr->tr("admin.sync.restored.what", lang) != "admin.sync.restored.what");
    }

    // The admin screen names it with what staff should do.
    k.open_admin();
    CHECK(d.visible("admin.sync.restored"));
    CHECK(d.visible("status.restored_copy"));

    // The hub names it too.
    std::string out;
    REQUIRE(run_hub({"terminals", "--data-dir", t.data}, &out) == 0);
    INFO(out);
    CHECK(out.find("RESTORED FROM A COPY") != std::string::npos);
}
