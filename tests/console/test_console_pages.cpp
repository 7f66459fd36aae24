// The console's pages as a browser gets them, answered by the hub's own WebApp over a real SQLite
// store in the test's process: every page counts a fair's people by the reports' rule.
#include "console_app.hpp"

#include "hub_reports.hpp"

#include <nlohmann/json.hpp>

using namespace jf;
using namespace jf::hub;
using namespace jf::test;

namespace {

// A terminal of `fair` with its own store and identity, its events uploaded to the hub.
void upload_fair_day(ConsoleApp& c, const std::string& fair, int events) {
    auto code = new_enrol_code();
    REQUIRE(c.store->add_enrol_code(code_hash(code), fair, "entrance", now_ms() + 60000));
    TerminalIdentity id;
    id.key = SigningKey::generate();
    auto r =
        c.service->enroll(wire::encode(wire::EnrollRequest{1, code, id.key.public_key, "door"}));
    REQUIRE(r.status == 200);
    auto e = wire::decode_enroll_response(r.body);
    REQUIRE(e);
    id.terminal_id = e->terminal_id;
    id.hub_seal_public_key = e->hub_seal_public_key;
    id.fair_id = e->fair_id;
    id.mode = e->mode;
    id.hub_url = "https://127.0.0.1:1";
    auto store = Store::open(c.dir.str("door.db"));
    REQUIRE(store);
    REQUIRE(save_identity(*store, id));
    REQUIRE(record_events(*store, id, events) == events);
    wire::UploadRequest q;
    q.terminal_id = id.terminal_id;
    q.device_now = now_ms();
    for (auto& ev : store->events_after(0, 1000))
        q.events.push_back({ev.seq, ev.uuid, ev.kind, ev.body, ev.signature, ev.device_time});
    auto up = c.service->upload(e->access_token, wire::encode(q));
    INFO(up.body);
    REQUIRE(up.status == 200);
}

} // namespace

TEST_CASE(
    "every console page counts a fair's people as the reports do: undone check-ins left out") {
    ConsoleApp c;
    Fair f;
    f.id = "F-WW";
    f.name = "无为市春风招聘会";
    f.union_unit = "无为市";
    f.date = cst_date(now_ms()); // today: on the Today page too
    REQUIRE(c.store->upsert_fair(f));
    upload_fair_day(c, f.id, 60);
    // What the reports count (the same records, read whole and counted by count_fair_day).
    auto expected = count_fair_day(hub_report_input(*c.store, nullptr), f.id);
    REQUIRE(expected.undone > 0);
    auto indexed = c.store->fair_counts(f.id);
    REQUIRE(indexed.people > expected.people_in); // the undos make a difference here

    auto ww = c.sign_in("ww", "无为市");
    auto fair = c.get(ww, "/console/fair", "id=F-WW");
    REQUIRE(fair.status == 200);
    CHECK(element_text(fair.body, "fair-people") == std::to_string(expected.people_in));
    CHECK(element_text(fair.body, "fair-check-ins") == std::to_string(expected.check_ins));
    CHECK(element_text(fair.body, "fair-placements") == std::to_string(expected.placements));
    CHECK(element_text(fair.body, "fair-with-intent") == std::to_string(expected.with_intent));
    CHECK(element_text(fair.body, "fair-services") == std::to_string(expected.services));

    auto today = c.get(ww, "/console/");
    REQUIRE(today.status == 200);
    std::smatch m;
    REQUIRE(std::regex_search(today.body, m, std::regex("class=\"fair-people\">([0-9]+)<")));
    CHECK(m[1] == std::to_string(expected.people_in));

    // The Today page's refresh reads the same figures.
    auto json = nlohmann::json::parse(c.get(ww, "/console/today.json").body);
    REQUIRE(json["fairs"].size() == 1);
    CHECK(json["fairs"][0]["people"] == expected.people_in);
    CHECK(json["fairs"][0]["check_ins"] == expected.check_ins);
    int64_t per_hour = 0;
    for (auto& h : json["fairs"][0]["per_hour"])
        per_hour += h.get<int64_t>();
    CHECK(per_hour == expected.check_ins);

    // The one function the pages share.
    auto n = fair_figures(*c.store, f.id);
    CHECK(n.day.people_in == expected.people_in);
    CHECK(n.day.check_ins == expected.check_ins);
    CHECK(n.day.placements == expected.placements);
}
