// The whole fair's numbers at a terminal, with real parts: a real `jobfair-hub serve` over TLS,
// two terminals of one fair recording check-ins, intents, a placement and a station service and
// syncing with the real engine, and the admin screen of one of them driven headlessly: after its
// sync it shows the fair's totals, the other terminal's records included (docs/fair-day.md).
#include <catch2/catch.hpp>

#include "sync/engine/engine.hpp"
#include "sync/hub/hub_reports.hpp"
#include "tests/sync/sync_trial.hpp"
#include "kiosk/ui/driver.hpp"
#include "kiosk/ui/pin.hpp"

using namespace jf;
using namespace jf::test;

namespace {

CheckIn checked_in(const std::string& who, Verdict v = Verdict::CheckedIn) {
    CheckIn c;
    c.attendee_id = who;
    c.fair_id = "F1";
    c.verdict = v;
    c.credential_id = "cred-" + who;
    return c;
}

// The admin screen of `store`'s terminal, unlocked, on its fair-day page.
struct AdminScreen {
    Translations tr;
    TerminalIdentity id;
    std::unique_ptr<ui::Driver> driver;
    AdminScreen(Store& store, const std::string& data_dir) : id(identity_of(store)) {
        REQUIRE(tr.load(JF_ASSETS_DIR "/i18n"));
        REQUIRE(ui::PinGuard(store).set("2468"));
        ui::Context ctx;
        ctx.tr = &tr;
        ctx.store = &store;
        ctx.identity = &id;
        ctx.fair_id = id.fair_id;
        ctx.data_dir = data_dir;
        driver = std::make_unique<ui::Driver>(std::move(ctx));
        auto& d = *driver;
        d.app().show("admin");
        d.frames(2);
        for (char c : std::string("2468"))
            REQUIRE(d.tap(std::string("pin:") + c));
        REQUIRE(d.tap("pin:ok"));
        REQUIRE(d.tap("admin.fairday"));
        REQUIRE(d.state()["page"] == "fairday");
    }
    std::map<std::string, std::string> numbers() {
        driver->frames(2);
        return driver->state();
    }
};

} // namespace

TEST_CASE("after a sync, the admin screen shows the whole fair's numbers, other terminals' "
          "records included") {
    Trial t;
    auto a = t.terminal("A");
    auto b = t.terminal("B");
    auto ida = identity_of(*a), idb = identity_of(*b);
    REQUIRE(ida.fair_id == "F1");

    // A, at the door: P1, P2 and P3 in, P5's expired code refused; an anonymous legal-aid service.
    for (const char* who : {"P1", "P2", "P3"})
        REQUIRE(a->record_check_in(checked_in(who), ida.signer()).ok);
    REQUIRE(a->record_check_in(checked_in("P5", Verdict::Expired), ida.signer()).ok);
    ServiceGiven aid;
    aid.fair_id = "F1";
    aid.service = ServiceKind::LegalAid;
    aid.key_groups = kMigrantWorker;
    REQUIRE(a->record_service(aid, ida.signer()));
    // B: P1 in again (another door), intents for P1 and P2, a placement for P4.
    REQUIRE(b->record_check_in(checked_in("P1"), idb.signer()).ok);
    for (const char* who : {"P1", "P2"}) {
        BoothIntent i;
        i.attendee_id = who;
        i.fair_id = "F1";
        i.employer_id = "E1";
        i.level = IntentLevel::Interview;
        REQUIRE(b->record_intent(i, idb.signer()));
    }
    REQUIRE(b->record_placement(placement_draft("F1", 4), idb.signer()));

    AdminScreen screen(*a, t.dir.str("a-data"));
    auto s = screen.numbers();
    // Before any sync: this terminal's own numbers, and no fair's.
    CHECK(s["check_ins"] == "3");
    CHECK(s["services"] == "1");
    CHECK(s["fair_check_ins"] == "");
    CHECK_FALSE(sync::last_fair_totals(*a));

    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    s = screen.numbers();
    CHECK(s["fair_check_ins"] == "3"); // the hub holds only A's so far
    CHECK(s["fair_people_in"] == "3");
    CHECK(s["fair_intents"] == "0");
    CHECK(s["fair_services"] == "1");

    REQUIRE(sync::sync_once(*b, fast_options(), st));
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    s = screen.numbers();
    // This terminal's own numbers are unchanged…
    CHECK(s["check_ins"] == "3");
    CHECK(s["intents"] == "0");
    CHECK(s["placements"] == "0");
    CHECK(s["services"] == "1");
    // …and the fair's, by hand: check-ins P1, P2, P3 at A and P1 at B (P5's refused scan is not
    // one); people in P1, P2, P3; intents P1 and P2; P4's placement; A's service.
    CHECK(s["fair_check_ins"] == "4");
    CHECK(s["fair_people_in"] == "3");
    CHECK(s["fair_intents"] == "2");
    CHECK(s["fair_with_intent"] == "2");
    CHECK(s["fair_placements"] == "1");
    CHECK(s["fair_services"] == "1");
    auto seen = sync::last_fair_totals(*a);
    REQUIRE(seen);
    CHECK(seen->totals.fair_id == "F1");
    CHECK(seen->at > 0);
    // B sees the same fair.
    auto mine_b = sync::last_fair_totals(*b);
    REQUIRE(mine_b);
    CHECK(mine_b->totals.check_ins == 4);

    // P3's and P1's check-ins undone at A's door: after the next sync the fair counts P3 out,
    // and P1 still in (checked in at B too).
    for (const char* who : {"P3", "P1"}) {
        auto c = a->accepted_check_in(who, "F1");
        REQUIRE(c);
        CheckInUndo u;
        u.check_in_uuid = c->h.uuid;
        u.reason = "test_scan";
        REQUIRE(a->record_check_in_undo(u, ida.signer()));
    }
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    s = screen.numbers();
    CHECK(s["check_ins"] == "1");
    CHECK(s["fair_check_ins"] == "2"); // P2 at A, P1 at B
    CHECK(s["fair_people_in"] == "2");
    // The hub's console counts the same (its Today page reads the one function), and so would
    // reading every record of the hub.
    auto hub = t.hub_view();
    auto n = hub::fair_totals(*hub, "F1");
    CHECK(n.check_ins == 2);
    CHECK(n.people_in == 2);
    CHECK(n.undone == 2);
    CHECK(n.with_intent == 2);
    auto all = count_fair_day(hub::hub_report_input(*hub, nullptr), "F1");
    CHECK(n.check_ins == all.check_ins);
    CHECK(n.people_in == all.people_in);
    CHECK(n.intents == all.intents);
    CHECK(n.with_intent == all.with_intent);
    CHECK(n.placements == all.placements);
    CHECK(n.services == all.services);
}
