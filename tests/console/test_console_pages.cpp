// The console's pages as a browser gets them, answered by the hub's own WebApp over a real SQLite
// store in the test's process: every page counts a fair's people by the reports' rule.
#include "tests/console/console_app.hpp"

#include "sync/hub/hub_reports.hpp"

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
    auto n = fair_totals(*c.store, f.id);
    CHECK(n.people_in == expected.people_in);
    CHECK(n.check_ins == expected.check_ins);
    CHECK(n.placements == expected.placements);
}

namespace {
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (auto& [k, v] : fields)
        out += (out.empty() ? "" : "&") + web::url_encode(k) + "=" + web::url_encode(v);
    return out;
}
} // namespace

TEST_CASE(
    "station notices: staff write their union's, read the ones above, never another county's") {
    ConsoleApp c;
    for (auto [id, unit] : {std::pair{"F-WW", "无为市"}, std::pair{"F-NL", "南陵县"}}) {
        Fair f;
        f.id = id;
        f.name = std::string(unit) + "招聘会";
        f.union_unit = unit;
        f.date = {2030, 3, 1};
        REQUIRE(c.store->upsert_fair(f));
    }
    auto ww = c.sign_in("ww", "无为市");
    auto nl = c.sign_in("nl", "南陵县");
    auto sup = c.sign_in("sup", "芜湖市", "supervisor");
    const std::string xss = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>";
    auto save = [&](const std::string& cookie, std::vector<std::pair<std::string, std::string>> f) {
        f.insert(f.begin(), {"csrf", c.csrf(cookie, "/console/notices")});
        return c.post(cookie, "/console/notices", form_encode(f));
    };
    auto created = save(ww, {{"text", xss + "下一场：3月1日 南陵县体育馆"},
                             {"starts", "2030-02-28 09:00"},
                             {"ends", "2030-03-01T18:00"},
                             {"fair", "F-WW"}});
    REQUIRE(created.status == 303);
    auto stored = c.store->notices();
    REQUIRE(stored.size() == 1);
    auto n = stored[0];
    CHECK(n.union_unit == "无为市");
    CHECK(n.fair_ids == std::vector<std::string>{"F-WW"});
    CHECK(n.starts_at == cst_midnight({2030, 2, 28}) + 9 * 3600000);
    CHECK(n.ends_at == cst_midnight({2030, 3, 1}) + 18 * 3600000);
    // Shown as text: the payload escaped, nothing of it as markup.
    auto page = c.get(ww, "/console/notices").body;
    CHECK(page.find(xss) == std::string::npos);
    CHECK(page.find("&lt;script&gt;document.title=") != std::string::npos);
    CHECK(page.find("2030-02-28 09:00") != std::string::npos);
    // The city's supervisor reads it (read-only: no edit or end); the other county sees nothing.
    auto sup_page = c.get(sup, "/console/notices").body;
    CHECK(sup_page.find("下一场：3月1日") != std::string::npos);
    CHECK(sup_page.find("end-notice") == std::string::npos);
    CHECK(c.get(nl, "/console/notices").body.find("3月1日 南陵县体育馆") == std::string::npos);
    CHECK(c.get(nl, "/console/notices").body.find("class=\"notice-text\"") == std::string::npos);
    CHECK(c.get(nl, "/console/notices", "edit=" + n.id).status == 404);
    CHECK(c.get(sup, "/console/notices", "edit=" + n.id).status == 403);
    // Neither may change or end it.
    auto end = [&](const std::string& cookie) {
        return c.post(cookie, "/console/notices/end",
                      form_encode({{"csrf", c.csrf(cookie, "/console/notices")}, {"id", n.id}}));
    };
    CHECK(save(nl, {{"id", n.id},
                    {"text", "改掉"},
                    {"starts", "2030-02-28 09:00"},
                    {"ends", "2030-03-01 18:00"}})
              .status == 404);
    CHECK(save(sup, {{"id", n.id},
                     {"text", "改掉"},
                     {"starts", "2030-02-28 09:00"},
                     {"ends", "2030-03-01 18:00"}})
              .status == 403);
    CHECK(end(nl).status == 404);
    CHECK(end(sup).status == 403);
    // Another county's fair cannot be named; bad times and empty text are refused.
    CHECK(save(ww, {{"text", "x"},
                    {"starts", "2030-02-28 09:00"},
                    {"ends", "2030-03-01 18:00"},
                    {"fair", "F-NL"}})
              .status == 400);
    CHECK(save(ww, {{"text", "x"}, {"starts", "2030-03-01 09:00"}, {"ends", "2030-02-28 18:00"}})
              .status == 400);
    CHECK(save(ww, {{"text", "x"}, {"starts", "tomorrow"}, {"ends", "2030-02-28 18:00"}}).status ==
          400);
    CHECK(save(ww, {{"text", "  "}, {"starts", "2030-02-28 09:00"}, {"ends", "2030-03-01 18:00"}})
              .status == 400);
    // Without the CSRF token nothing changes.
    CHECK(c.post(ww, "/console/notices/end", form_encode({{"id", n.id}})).status == 403);
    CHECK(c.post(ww, "/console/notices",
                 form_encode({{"text", "伪造"},
                              {"starts", "2030-02-28 09:00"},
                              {"ends", "2030-03-01 18:00"}}))
              .status == 403);
    REQUIRE(c.store->notices().size() == 1);
    CHECK(c.store->notices()[0].text == n.text);
    // Its own staff change it (the edit form is filled in) and end it.
    auto edit = c.get(ww, "/console/notices", "edit=" + n.id);
    REQUIRE(edit.status == 200);
    CHECK(edit.body.find("value=\"2030-02-28T09:00\"") != std::string::npos);
    REQUIRE(save(ww, {{"id", n.id},
                      {"text", "下一场改在：3月2日"},
                      {"starts", "2030-02-28 09:00"},
                      {"ends", "2030-03-02 18:00"}})
                .status == 303);
    REQUIRE(c.store->notices().size() == 1);
    CHECK(c.store->notices()[0].text == "下一场改在：3月2日");
    CHECK(c.store->notices()[0].fair_ids.empty());
    CHECK(end(ww).status == 303);
    CHECK(c.store->notices().empty());
    // Every change is in the audit log.
    int saved = 0, ended = 0;
    for (auto& a : c.store->openings())
        saved += a.form == "notice.save", ended += a.form == "notice.end";
    CHECK(saved == 2);
    CHECK(ended == 1);
}
