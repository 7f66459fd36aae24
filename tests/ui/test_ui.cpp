// Headless UI tests: taps and drags go through ImGui's IO frame by frame, as the touchscreen's do,
// against a real SQLite store; assertions are on what the screens hold and show.
#include <catch2/catch.hpp>

#include "tests/ui/fixture.hpp"
#include "platform/gfx/window.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/pin.hpp"
#include "platform/sound/sound.hpp"
#include "platform/sound/speech.hpp"

#include <sqlite3.h>

#include <cctype>
#include <cfloat>
#include <fstream>
#include <set>
#include <thread>

using namespace jf;
using jf::test::UiFixture;

static int num(const std::map<std::string, std::string>& m, const char* k) {
    return std::stoi(m.at(k));
}
static float numf(const std::map<std::string, std::string>& m, const char* k) {
    return std::stof(m.at(k));
}

TEST_CASE("station lists open listings only, with a card per listing on screen") {
    UiFixture f("station", 30, 7);
    CHECK(f.d().screen() == "station");
    auto s = f.d().state();
    CHECK(num(s, "listed") == 30); // the 7 expired ones never appear
    CHECK(f.d().visible("card:L0"));
    CHECK_FALSE(f.d().visible("card:L31"));
    // The footer's hotline and the language toggle are on the screen.
    CHECK(f.d().visible("lang"));
    CHECK(f.d().visible("admin"));
}

TEST_CASE("filter by industry and work location through the pickers") {
    UiFixture f("filter", 30, 0);
    REQUIRE(f.d().tap("filter.industry"));
    CHECK(num(f.d().state(), "picker") == 1);
    auto industries = f.store->industries(cst_date(f.d().wall));
    REQUIRE(industries.size() == 3);
    // pick:0 is "all"; pick:1 the first industry.
    REQUIRE(f.d().tap("pick:1"));
    auto s = f.d().state();
    CHECK(s["industry"] == industries[0]);
    CHECK(num(s, "picker") == 0);
    ListingQuery q;
    q.industry = industries[0];
    q.today = cst_date(f.d().wall);
    CHECK(num(s, "listed") == f.store->count_listings(q));
    CHECK(num(s, "listed") < 30);

    REQUIRE(f.d().tap("filter.location"));
    REQUIRE(f.d().tap("pick:2"));
    s = f.d().state();
    q.location = f.store->locations(q.today)[1];
    CHECK(s["location"] == q.location);
    CHECK(num(s, "listed") == f.store->count_listings(q));

    // Back to all industries.
    REQUIRE(f.d().tap("filter.industry"));
    REQUIRE(f.d().tap("pick:0"));
    CHECK(f.d().state()["industry"].empty());
}

TEST_CASE("a large store's counts and picker values come from a reader thread, not the frame") {
    UiFixture f("reader", 150, 5); // 50 open listings per industry: more than a page of 40
    // A table whose largest rowid is far above kReadAtOnce counts as large: one expired listing
    // moved up there (the screens never list it).
    REQUIRE(sqlite3_exec(f.store->handle(), "UPDATE listings SET pk = 1000000 WHERE id = 'L154'",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    auto wait_for = [&](const char* key, const std::string& value) {
        for (int i = 0; i < 2000 && f.d().state()[key] != value; ++i) {
            f.d().frame();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return f.d().state()[key] == value;
    };
    REQUIRE(f.d().tap("filter.industry"));
    Date today = cst_date(f.d().wall);
    auto industries = f.store->industries(today);
    REQUIRE(industries.size() == 3);
    // The picker fills in from the reader's answer.
    for (int i = 0; i < 2000 && !f.d().visible("pick:3"); ++i) {
        f.d().frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    REQUIRE(f.d().visible("pick:3"));
    // The frame that applies the choice asks the reader and draws on: the count is not in yet.
    ImVec2 at = f.d().center("pick:1");
    f.d().frame(true, at);
    f.d().frame(false, at);
    auto s = f.d().state();
    CHECK(s["industry"] == industries[0]);
    CHECK(s["counted"] == "0");
    CHECK(num(s, "listed") > 0); // the first cards are on screen meanwhile
    REQUIRE(wait_for("counted", "1"));
    ListingQuery q;
    q.industry = industries[0];
    q.today = today;
    CHECK(num(f.d().state(), "listed") == f.store->count_listings(q));
}

TEST_CASE("search narrows the list; quick words come from the listings on offer") {
    UiFixture f("search", 24, 0);
    REQUIRE(f.d().tap("filter.search"));
    CHECK(num(f.d().state(), "picker") == 3);
    REQUIRE(f.d().visible("quick:0"));
    REQUIRE(f.d().tap("quick:0"));
    REQUIRE(f.d().tap("search.go"));
    auto s = f.d().state();
    CHECK_FALSE(s["search"].empty());
    CHECK(num(s, "listed") == 3); // each of the 8 titles appears 3 times in 24 listings
    // Typed text from a hardware keyboard goes into the field too.
    REQUIRE(f.d().tap("filter.search"));
    REQUIRE(f.d().tap("search.reset"));
    CHECK(f.d().state()["search"].empty());
    CHECK(num(f.d().state(), "listed") == 24);
}

TEST_CASE("tap opens a listing's details; a drag scrolls and opens nothing") {
    UiFixture f("browse", 30, 0);
    auto& d = f.d();
    ImVec2 c = d.center("card:L0");
    d.drag(ImVec2(c.x, 900), ImVec2(c.x, 400), 10, 0.25);
    auto s = d.state();
    CHECK(s["detail"].empty());
    float after_drag = numf(s, "offset");
    CHECK(after_drag > 300);
    // Inertia: the list keeps moving after the finger lifts, then stops.
    d.frames(10);
    float coasting = numf(d.state(), "offset");
    CHECK(coasting > after_drag);
    d.frames(240);
    float settled = numf(d.state(), "offset");
    d.frames(10);
    CHECK(numf(d.state(), "offset") == settled);

    std::string first = d.state()["first_id"];
    REQUIRE(!first.empty());
    REQUIRE(d.visible("card:" + first));
    // A tap on a card that is fully on screen.
    std::string target;
    for (auto& h : d.ctx().hits)
        if (h.id.rfind("card:", 0) == 0 && h.min.y > 300 && h.max.y < 950) {
            target = h.id;
            break;
        }
    REQUIRE(!target.empty());
    d.tap(target);
    CHECK("card:" + d.state()["detail"] == target);
    // With the details open, the cards underneath do not react.
    REQUIRE(d.visible("detail.close"));
    REQUIRE(d.tap("detail.close"));
    CHECK(d.state()["detail"].empty());
}

TEST_CASE("no stale hover: the pointer is parked off-screen after a release") {
    UiFixture f("hover", 5, 0);
    f.d().tap(f.d().center("filter.industry"));
    f.d().tap("pick.close");
    f.d().frames(1);
    CHECK(ImGui::GetIO().MousePos.x == -FLT_MAX);
    CHECK_FALSE(ImGui::IsAnyItemHovered());
}

TEST_CASE("the station advances by itself when nobody touches it, smoothly") {
    UiFixture f("advance", 30, 0);
    auto& d = f.d();
    CHECK(numf(d.state(), "offset") == 0);
    auto out = d.frame();
    CHECK_FALSE(out.continuous);      // idle: no continuous frames...
    CHECK(out.wake_at < d.now + 9.5); // ...but a wake-up for the next slide
    d.wait(9.5);
    // Mid-slide the offset is between two cards: it moves, it does not jump.
    d.frames(15);
    float mid = numf(d.state(), "offset");
    CHECK(mid > 0);
    d.frames(60);
    float end = numf(d.state(), "offset");
    CHECK(end > mid);
    CHECK_FALSE(d.frame().continuous);
}

TEST_CASE("language toggle switches every string, and idle returns to the terminal's language") {
    UiFixture f("lang", 5, 0);
    auto& d = f.d();
    CHECK(d.ctx().settings.lang == Lang::ZhCN);
    REQUIRE(d.tap("lang"));
    CHECK(d.ctx().settings.lang == Lang::EnUS);
    CHECK(d.ctx().t("station.search") == "Search");
    REQUIRE(d.tap("lang"));
    CHECK(d.ctx().settings.lang == Lang::ZhCN);
    REQUIRE(d.tap("lang"));
    d.wait(ui::kIdleSeconds + 1);
    CHECK(d.ctx().settings.lang == Lang::ZhCN);
}

TEST_CASE("large text and high contrast change the screen and persist") {
    UiFixture f("display", 5, 0);
    auto& d = f.d();
    float before = ui::font(d.ctx(), ui::FontRole::Body)->FontSize;
    REQUIRE(d.tap("large_text"));
    d.frames(2);
    CHECK(d.ctx().settings.large_text);
    CHECK(ui::font(d.ctx(), ui::FontRole::Body)->FontSize > before * 1.2f);
    CHECK(f.store->setting("ui.large_text").value_or("") == "1");
}

static void enter_pin(ui::Driver& d, const std::string& pin) {
    for (char c : pin)
        REQUIRE(d.tap(std::string("pin:") + c));
    REQUIRE(d.tap("pin:ok"));
}

TEST_CASE("admin PIN: five wrong tries lock it for five minutes, also after a restart") {
    UiFixture f("pin", 5, 0);
    auto& d = f.d();
    ui::PinGuard(*f.store).set("246810");
    REQUIRE(d.tap("admin"));
    CHECK(d.screen() == "admin");
    CHECK(d.state()["page"] == "pin");
    for (int i = 0; i < 4; ++i) {
        enter_pin(d, "1111");
        CHECK(d.state()["page"] == "pin");
        CHECK(d.state()["message"] == "admin.pin.wrong");
    }
    enter_pin(d, "1111"); // fifth
    TimeMs until = 0;
    CHECK(ui::PinGuard(*f.store).locked(d.wall, &until));
    CHECK(until - d.wall > 4 * 60 * 1000);
    // The right PIN does nothing while locked; the keys are dead.
    enter_pin(d, "246810");
    CHECK(d.state()["page"] == "pin");
    // A restart: a new store connection on the same file still sees the lock.
    {
        auto again = Store::open(f.dir + "/kiosk.db");
        REQUIRE(again);
        CHECK(ui::PinGuard(*again).locked(d.wall));
        CHECK(ui::PinGuard(*again).check("246810", d.wall).result == ui::PinCheck::Locked);
    }
    // Five minutes later the right PIN opens the panel.
    d.wall += ui::kPinLockMs + 1000;
    d.frames(1);
    enter_pin(d, "246810");
    CHECK(d.state()["page"] == "panel");
    CHECK(d.visible("admin.quit"));
}

TEST_CASE(
    "admin: first use asks for a new PIN twice; the panel changes mode and quits only on confirm") {
    UiFixture f("pinset", 5, 0);
    auto& d = f.d();
    REQUIRE(d.tap("admin"));
    CHECK(d.state()["page"] == "setpin");
    enter_pin(d, "12"); // too short
    CHECK(d.state()["message"] == "admin.pin.rule");
    enter_pin(d, "4321");
    enter_pin(d, "4322");
    CHECK(d.state()["message"] == "admin.pin.mismatch");
    enter_pin(d, "4321");
    enter_pin(d, "4321");
    CHECK(d.state()["page"] == "panel");
    CHECK(ui::PinGuard(*f.store).check("4321", d.wall).result == ui::PinCheck::Ok);
    REQUIRE(d.tap("mode:entrance"));
    CHECK(d.ctx().settings.mode == ui::Mode::Entrance);
    CHECK(f.store->setting("ui.mode").value_or("") == "entrance");
    REQUIRE(d.tap("mode:station"));
    REQUIRE(d.tap("admin.quit"));
    CHECK(d.state()["page"] == "quit");
    REQUIRE(d.tap("quit.no"));
    CHECK(d.state()["page"] == "panel");
    REQUIRE(d.tap("admin.quit"));
    d.frame(true, d.center("quit.yes"));
    auto out = d.frame(false, d.center("quit.yes"));
    CHECK(out.quit);
}

TEST_CASE("idle: after 60 s without a touch the admin panel locks and the start screen returns") {
    UiFixture f("idle", 5, 0);
    auto& d = f.d();
    ui::PinGuard(*f.store).set("8642");
    REQUIRE(d.tap("admin"));
    enter_pin(d, "8642");
    REQUIRE(d.state()["page"] == "panel");
    d.wait(30);
    CHECK(d.screen() == "admin"); // not yet
    d.wait(31);
    CHECK(d.screen() == "station");
    REQUIRE(d.tap("admin"));
    CHECK(d.state()["page"] == "pin"); // forgotten: the PIN is asked again
}

TEST_CASE("a terminal started on the entrance shows the entrance until 60 s pass untouched") {
    // The kiosk's clock is the machine's monotonic clock, far from zero when the app starts; the
    // idle period is counted from the start, not from zero.
    UiFixture f("start-entrance", 5, 0, ImVec2(1920, 1080), false, ui::Mode::Entrance);
    auto& d = f.d();
    REQUIRE(d.now > ui::kIdleSeconds);
    CHECK(d.screen() == "entrance");
    CHECK_FALSE(d.ctx().idle_fallback);
    d.wait(ui::kIdleSeconds - 10);
    CHECK(d.screen() == "entrance");
    d.wait(11);
    CHECK(d.screen() == "station");
    CHECK(d.ctx().idle_fallback);
}

TEST_CASE("station details are forgotten when idle") {
    UiFixture f("idle2", 8, 0);
    auto& d = f.d();
    REQUIRE(d.tap("card:L0"));
    CHECK(d.state()["detail"] == "L0");
    d.wait(ui::kIdleSeconds + 1);
    CHECK(d.state()["detail"].empty());
}

TEST_CASE("fonts: rare name characters from the database reach the atlas; it fits the GPU limit") {
    UiFixture f("fonts", 8, 0);
    auto& d = f.d();
    ui::Fonts* fonts = d.ctx().fonts;
    ImFont* body = fonts->get(ui::FontRole::Large);
    // 鑫 昊 琦 瑾 梓 are in the employers' names the cards show.
    for (ImWchar c : {0x946B, 0x660A, 0x7426, 0x747E, 0x6893})
        CHECK(body->FindGlyphNoFallback(c) != nullptr);
    // A character that appears later is in the atlas one frame after it was first drawn.
    JobListing l = *f.store->listing("L0");
    l.employer_name = "芜湖燚淼科技有限公司"; // 燚 淼: rare, in no common-character list
    REQUIRE(f.store->upsert_listing(l));
    // The station re-reads its pages on a new query: pick "all industries".
    REQUIRE(d.tap("filter.industry"));
    REQUIRE(d.tap("pick:0"));
    d.frames(2);
    body = fonts->get(ui::FontRole::Large);
    CHECK(body->FindGlyphNoFallback(0x71DA) != nullptr);
    CHECK(body->FindGlyphNoFallback(0x6DFC) != nullptr);
    CHECK(fonts->tex_width() <= 4096);
    CHECK(fonts->tex_height() <= 4096);
    // A small GPU limit: the atlas shrinks to what is shown and still holds it.
    fonts->set_max_texture_size(1024);
    // 龘 靐: in the font, in no translation, so the atlas is stale and must be rebuilt.
    fonts->note(ui::FontRole::Body, "龘靐");
    d.frames(3);
    CHECK(fonts->tex_width() <= 1024);
    CHECK(fonts->tex_height() <= 1024);
    CHECK(fonts->get(ui::FontRole::Large)->FindGlyphNoFallback(0x71DA) != nullptr);
}

TEST_CASE("listings bring their characters a page at a time: one atlas rebuild for many slides") {
    UiFixture f("font-pages", 0, 0);
    auto& d = f.d();
    // 40 listings, each title with a character no other text on screen has (U+9F00…, rare).
    Date today = cst_date(d.wall);
    for (int i = 0; i < 40; ++i) {
        JobListing l;
        l.id = "R" + std::to_string(100 + i);
        l.title = "岗位";
        ui::append_utf8(&l.title, 0x9F00 + i);
        l.employer_name = "芜湖市示例企业";
        l.work_location = "无为";
        l.industry = "制造业";
        l.contact_phone = "0553-6661234";
        l.deadline = Date::from_days(today.days_since_epoch() + 20);
        REQUIRE(f.store->upsert_listing(l));
    }
    d.app().show("admin");
    d.app().show("station"); // a fresh start of the list: the first page comes from the store
    d.frames(3);
    REQUIRE(d.state()["listed"] == "40");
    ui::Fonts* fonts = d.ctx().fonts;
    int builds = fonts->builds();
    for (int slide = 0; slide < 8; ++slide) {
        d.wait(9.5);
        d.frames(60);
    }
    CHECK(numf(d.state(), "offset") > 0);
    CHECK(fonts->builds() - builds <= 1); // before: one rebuild per row sliding in
    // And every character of the page is there already, shown or about to be.
    ImFont* title = fonts->get(ui::FontRole::Title);
    for (int i = 0; i < 40; ++i)
        CHECK(title->FindGlyphNoFallback(static_cast<ImWchar>(0x9F00 + i)) != nullptr);
}

TEST_CASE("a still screen draws the same lists frame after frame; a slide changes them") {
    UiFixture f("signature", 30, 0);
    auto& d = f.d();
    d.wall = d.wall / 60000 * 60000 + 1000; // the header clock does not turn during the test
    d.frames(2);
    uint64_t still = gfx::draw_signature(ImGui::GetDrawData(), 0xff000000);
    d.frame();
    CHECK(gfx::draw_signature(ImGui::GetDrawData(), 0xff000000) == still);
    CHECK(gfx::draw_signature(ImGui::GetDrawData(), 0xff101010) != still); // another background
    d.wait(9.5);
    d.frames(10); // mid-slide
    uint64_t moving = gfx::draw_signature(ImGui::GetDrawData(), 0xff000000);
    CHECK(moving != still);
    d.frame();
    CHECK(gfx::draw_signature(ImGui::GetDrawData(), 0xff000000) != moving);
}

TEST_CASE("portrait layout: one column, every control still on screen") {
    UiFixture f("portrait", 12, 0, ImVec2(1080, 1920));
    auto& d = f.d();
    for (const char* id : {"lang", "large_text", "filter.industry", "filter.location",
                           "filter.search", "admin", "card:L0"}) {
        INFO(id);
        CHECK(d.visible(id));
    }
    // Hit targets at least 48 px at 1080p ("mark:" rectangles show where something is drawn,
    // for tests; nothing is tapped there).
    for (auto& h : d.ctx().hits) {
        INFO(h.id);
        if (h.id.rfind("mark:", 0) == 0) continue;
        CHECK(h.max.x - h.min.x >= 48);
        CHECK(h.max.y - h.min.y >= 48);
    }
}

// The keys in calls t("a.b"), f("a.b", ...) and tr("a.b") of a source text: the call's name is a
// whole word, white space may follow the parenthesis, and a key is [a-z_]+ "." [a-z_.0-9]+.
// (A hand scanner: GCC 12's std::regex raises false -Wmaybe-uninitialized warnings.)
static std::vector<std::string> translation_keys(const std::string& src) {
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    auto lower = [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; };
    std::vector<std::string> keys;
    for (size_t open = src.find('('); open != std::string::npos; open = src.find('(', open + 1)) {
        size_t name = open;
        while (name > 0 && word(src[name - 1]))
            --name;
        auto callee = src.substr(name, open - name);
        if (callee != "t" && callee != "f" && callee != "tr") continue;
        size_t i = open + 1;
        while (i < src.size() && std::isspace(static_cast<unsigned char>(src[i])))
            ++i;
        if (i >= src.size() || src[i] != '"') continue;
        size_t start = ++i, dot = std::string::npos;
        while (i < src.size() &&
               (lower(src[i]) ||
                (dot != std::string::npos && std::isdigit(static_cast<unsigned char>(src[i]))) ||
                src[i] == '.')) {
            if (src[i] == '.' && dot == std::string::npos) dot = i;
            ++i;
        }
        if (i < src.size() && src[i] == '"' && dot != std::string::npos && dot > start &&
            dot + 1 < i)
            keys.push_back(src.substr(start, i - start));
    }
    return keys;
}

TEST_CASE("the translation-key scanner reads calls as the screens write them") {
    auto k = translation_keys("a = t(\"admin.title\"); f( \"sync.err.x2\", n); x.tr(\"b.c\");"
                              "but(\"no.key\"); t(\"nodot\"); t(\".x\"); t(\"a.\"); t(\"Up.per\");"
                              "t(name); t(\"a.b_1.c\")");
    CHECK(k == std::vector<std::string>{"admin.title", "sync.err.x2", "b.c", "a.b_1.c"});
}

TEST_CASE("every string key the screens use exists in both languages") {
    Translations t;
    REQUIRE(t.load(JF_ASSETS_DIR "/i18n"));
    std::set<std::string> keys;
    for (const char* file : {"station_view.cpp", "admin_view.cpp", "widgets.cpp", "app.cpp"}) {
        std::ifstream in(std::string(JF_SOURCE_DIR "/kiosk/ui/") + file);
        REQUIRE(in);
        std::string src((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (auto& k : translation_keys(src))
            keys.insert(k);
    }
    CHECK(keys.size() > 60);
    for (auto& k : keys) {
        INFO(k);
        CHECK(t.tr(k, Lang::ZhCN) != k);
        CHECK(t.tr(k, Lang::EnUS) != k);
    }
}

TEST_CASE("large text: a long job description in the details scrolls to its end") {
    UiFixture f("detail-scroll", 3, 0);
    auto l = f.store->listing("L0");
    REQUIRE(l);
    for (int i = 1; i <= 30; ++i)
        l->description +=
            "\n第" + std::to_string(i) + "条：按图纸焊接结构件，做好设备点检和交接记录。";
    l->remarks = "最后一行：面试请带身份证。";
    REQUIRE(f.store->upsert_listing(*l));
    auto& d = f.d();
    d.app().show("admin"); // the listings are read again when the station is shown again
    d.app().show("station");
    d.frames(2);
    REQUIRE(d.tap("large_text"));
    d.frames(3);
    REQUIRE(d.tap("card:L0"));
    d.frames(3);
    auto s = d.state();
    REQUIRE(s["detail"] == "L0");
    float height = numf(s, "detail.height");
    CHECK(height > 1080); // longer than the panel: it would be cut off if it did not scroll
    CHECK(numf(s, "detail.offset") == 0);
    // A drag up the text column scrolls it (and closes nothing); dragging on reaches the end.
    for (int i = 0; i < 6; ++i) {
        d.drag(ImVec2(500, 820), ImVec2(500, 220), 12, 0.4);
        d.frames(120);
    }
    s = d.state();
    CHECK(s["detail"] == "L0");
    float end = numf(s, "detail.offset");
    CHECK(end > 0);
    CHECK(end + numf(s, "detail.view") >= height - 2); // the last line is in view
    // The back button still closes the details.
    REQUIRE(d.tap("detail.close"));
    CHECK(d.state()["detail"].empty());
}

TEST_CASE("search: pinyin without a chosen word is not a search for everything; no match offers "
          "a way back; chips say what they are") {
    UiFixture f("search-words", 6, 0);
    auto& d = f.d();
    // Chips carry their labels.
    auto chips = d.state()["first_chips"];
    CHECK(chips.find("学历 初中及以上") != std::string::npos);
    REQUIRE(d.tap("filter.search"));
    REQUIRE(d.tap("kb.mode.pinyin"));
    for (char c : std::string("hangong"))
        REQUIRE(d.tap(std::string("kb.key.") + c));
    REQUIRE(d.tap("search.go"));
    auto s = d.state();
    CHECK(s["search.message"] == "station.search.choose");
    CHECK(num(s, "picker") == 3); // still searching: nothing was applied
    CHECK(s["search"].empty());
    CHECK(d.visible("mark:message.error"));
    // The job title on offer is the first word offered for its pinyin (not 焊 among many single
    // characters); choosing it puts the refusal right, and the search runs for it.
    REQUIRE(d.tap("kb.cand.0"));
    d.frame();
    CHECK(d.state()["search.message"].empty());
    REQUIRE(d.tap("search.go"));
    s = d.state();
    CHECK(s["search"] == "焊工");
    CHECK(num(s, "listed") >= 1);
    if (num(s, "listed") == 0) {
        // Nothing matches: one tap clears every filter.
        REQUIRE(d.tap("filter.clear_all"));
        CHECK(d.state()["search"].empty());
        CHECK(num(d.state(), "listed") == 6);
    }
    // A search that matches nothing, for certain.
    REQUIRE(d.tap("filter.search"));
    ImGui::GetIO().AddInputCharacter('Z');
    d.frame();
    REQUIRE(d.tap("search.go"));
    CHECK(num(d.state(), "listed") == 0);
    REQUIRE(d.tap("filter.clear_all"));
    CHECK(d.state()["search"].empty());
    CHECK(num(d.state(), "listed") == 6);
    d.app().apply({ui::Intent::SetLang, "en"});
    d.frames(2);
    CHECK(d.state()["first_chips"].find("Education 初中及以上") != std::string::npos);
}

TEST_CASE("admin: the default language shown is the stored one, not a visitor's choice") {
    UiFixture f("deflang", 3, 0);
    auto& d = f.d();
    REQUIRE(d.tap("admin"));
    enter_pin(d, "4321");
    enter_pin(d, "4321");
    REQUIRE(d.state()["page"] == "panel");
    CHECK(d.state()["default_lang"] == "zh");
    // A visitor's switch to English (the header toggle) is not the terminal's default.
    REQUIRE(d.tap("lang"));
    d.frames(2);
    REQUIRE(d.ctx().settings.lang == Lang::EnUS);
    CHECK(d.state()["default_lang"] == "zh");
    // Staff choose English as the default: now it is.
    REQUIRE(d.tap("deflang:en"));
    d.frames(2);
    CHECK(d.state()["default_lang"] == "en");
    CHECK(f.store->setting("ui.lang").value_or("") == "en");
}

// The mode for older eyes (ui.hpp, Theme): one tap in the header, everything 1.5×, unhurried, in
// simpler words, spoken; the admin screen's default is what each idle reset returns to.
namespace {
float width_of(ui::Driver& d, const std::string& id) {
    for (const auto& h : d.ctx().hits)
        if (h.id == id) return h.max.x - h.min.x;
    return 0;
}
float height_of(ui::Driver& d, const std::string& id) {
    for (const auto& h : d.ctx().hits)
        if (h.id == id) return h.max.y - h.min.y;
    return 0;
}
} // namespace

TEST_CASE("older eyes: one tap makes text and targets 1.5x, wording simpler, the idle reset "
          "unhurried; idle returns to the admin's default") {
    UiFixture f("elder", 5, 0);
    auto& d = f.d();
    float body = ui::font(d.ctx(), ui::FontRole::Body)->FontSize;
    float lang_w = width_of(d, "lang"), lang_h = height_of(d, "lang");
    float card_h = height_of(d, "card:L0");
    std::string title = d.ctx().t("station.title");
    REQUIRE(lang_w > 0);
    REQUIRE(d.tap("elder"));
    d.frames(2);
    REQUIRE(d.ctx().settings.elder);
    CHECK(ui::font(d.ctx(), ui::FontRole::Body)->FontSize >= body * 1.5f - 0.5f);
    CHECK(width_of(d, "lang") >= lang_w * 1.5f - 1);
    CHECK(height_of(d, "lang") >= lang_h * 1.5f - 1);
    CHECK(height_of(d, "card:L0") >= card_h * 1.5f - 1);
    CHECK(height_of(d, "elder") >= ui::kMinTouch * 1.5f);
    CHECK(d.ctx().t("station.title") != title); // its own, simpler wording
    // Contrast: every text colour of the palette at least 7:1 on its ground.
    auto lum = [](ImU32 c) {
        auto lin = [](int v) {
            double s = v / 255.0;
            return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * lin(c & 255) + 0.7152 * lin((c >> 8) & 255) + 0.0722 * lin((c >> 16) & 255);
    };
    auto ratio = [&](ImU32 a, ImU32 b) {
        double x = lum(a), y = lum(b);
        return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
    };
    const ui::Palette& p = ui::palette(d.ctx());
    CHECK(ratio(p.text, p.bg) >= 7);
    CHECK(ratio(p.text_muted, p.bg) >= 7);
    CHECK(ratio(p.text_muted, p.surface_alt) >= 7);
    CHECK(ratio(p.accent_text, p.accent) >= 7);
    CHECK(ratio(p.brand_text, p.brand) >= 7);
    CHECK(ratio(IM_COL32(255, 255, 255, 255), p.good) >= 7);
    CHECK(ratio(IM_COL32(255, 255, 255, 255), p.bad) >= 7);
    CHECK(ratio(IM_COL32(20, 20, 20, 255), p.warn) >= 7);
    CHECK(ratio(p.highlight, p.surface) >= 7);
    // Portrait at 1.5x: the header's controls and the footer's text still fit, none over another.
    d.resize(ImVec2(1080, 1920));
    d.frames(3);
    std::vector<ui::Context::Hit> bar;
    for (const auto& h : d.ctx().hits)
        if (h.id == "elder" || h.id == "lang" || h.id == "status" || h.id == "admin" ||
            h.id == "mark:header.clock")
            bar.push_back(h);
    CHECK(bar.size() >= 4);
    for (size_t i = 0; i < bar.size(); ++i) {
        CHECK(bar[i].min.x >= 0);
        CHECK(bar[i].max.x <= 1080);
        for (size_t j = i + 1; j < bar.size(); ++j) {
            INFO(bar[i].id << " and " << bar[j].id);
            CHECK((bar[i].max.x <= bar[j].min.x || bar[j].max.x <= bar[i].min.x ||
                   bar[i].max.y <= bar[j].min.y || bar[j].max.y <= bar[i].min.y));
        }
    }
    d.resize(ImVec2(1920, 1080));
    d.frames(3);
    // A listing opened: nobody hurries it away after the usual minute.
    REQUIRE(d.tap("card:L0"));
    REQUIRE(d.state()["detail"] == "L0");
    d.wait(ui::kIdleSeconds + 5);
    CHECK(d.state()["detail"] == "L0");
    CHECK(d.ctx().settings.elder);
    d.wait(ui::idle_seconds(d.ctx().settings));
    CHECK(d.state()["detail"].empty());
    CHECK_FALSE(d.ctx().settings.elder); // the next person starts as the terminal is set
    CHECK(f.store->setting("ui.elder").value_or("0") == "0");

    // The admin's default: stored, and what idle returns to.
    d.app().apply({ui::Intent::ToggleElder, "1", 1});
    CHECK(f.store->setting("ui.elder").value_or("") == "1");
    d.frames(2);             // laid out larger
    REQUIRE(d.tap("elder")); // a visitor turns it off for now
    CHECK_FALSE(d.ctx().settings.elder);
    d.wait(ui::kIdleSeconds + 1);
    CHECK(d.ctx().settings.elder);
}

TEST_CASE("older eyes: a listing's details are read aloud, and frames keep coming while it is "
          "spoken") {
    setenv("JF_SOUND_DEVICE", "null", 1);
    sound::Player player;
    REQUIRE(player.open());
    sound::Speaker speaker(&player);
    UiFixture f("speech", 5, 0);
    auto& d = f.d();
    std::vector<std::string> said;
    d.ctx().say = [&](std::string_view text, Lang lang) {
        said.emplace_back(text);
        speaker.say(text, lang == Lang::EnUS ? "en" : "cmn");
    };
    REQUIRE(d.tap("card:L0")); // not in the usual mode: silent
    CHECK(said.empty());
    REQUIRE(d.tap("detail.close"));
    REQUIRE(d.tap("elder"));
    d.frames(2);
    REQUIRE(d.tap("card:L0"));
    REQUIRE(said.size() == 1);
    CHECK(said[0].find("普工") != std::string::npos);
    CHECK(said[0].find("芜湖鑫昊电子有限公司") != std::string::npos);
    CHECK(said[0].find("流水线操作") != std::string::npos);
    // The speech is made (espeak-ng takes a good part of a second for this) and played on the
    // speaker's own thread: the tap's frame came back with it still busy, and the screen goes on
    // drawing frames until it is done (how many depends on the machine, not on the screens).
    REQUIRE(speaker.busy());
    int drawn_while_speaking = 0;
    for (int i = 0; i < 2000 && speaker.spoken() == 0; ++i) {
        d.frame();
        ++drawn_while_speaking;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(drawn_while_speaking >= 1);
    CHECK(speaker.spoken() == 1);
    CHECK(speaker.last_error().empty());
    CHECK(d.state()["detail"] == "L0");
    // Volume zero (the admin screen's): nothing is said.
    d.app().apply({ui::Intent::SetVolume, "", 0});
    REQUIRE(d.tap("detail.close"));
    REQUIRE(d.tap("card:L1"));
    CHECK(said.size() == 1);
    unsetenv("JF_SOUND_DEVICE");
}

TEST_CASE(
    "the station shows the notices in force by the terminal's clock, for its fair or for all") {
    UiFixture f("station-notices", 10, 0);
    auto& d = f.d();
    TimeMs now = d.wall;
    auto notice = [&](const std::string& id, const std::string& text, TimeMs from, TimeMs until) {
        StationNotice n;
        n.id = id;
        n.union_unit = "无为市";
        n.text = text;
        n.starts_at = from;
        n.ends_at = until;
        return n;
    };
    REQUIRE(f.store->upsert_notice(
        notice("N-ALL", "下一场：3月1日 南陵县体育馆", now - 60000, now + 3600000)));
    auto mine = notice("N-MINE", "本场午休 12:00-13:00", now - 60000, now + 120000);
    mine.fair_ids = {"fair-1"};
    REQUIRE(f.store->upsert_notice(mine));
    auto other = notice("N-OTHER", "别的招聘会的通知", now - 60000, now + 3600000);
    other.fair_ids = {"fair-2"};
    REQUIRE(f.store->upsert_notice(other));
    REQUIRE(f.store->upsert_notice(notice("N-LATER", "明天的通知", now + 60000, now + 3600000)));
    d.wait(11); // the band reads the store again within seconds (a sync wrote them)
    auto s = d.state();
    CHECK(s["notices"] == "2");
    CHECK(s["notice.0"] == "下一场：3月1日 南陵县体育馆");
    CHECK(s["notice.1"] == "本场午休 12:00-13:00");
    // Its start comes: the later one shows; its end passes: the fair's own one goes.
    d.wall = now + 60000;
    d.wait(1);
    CHECK(d.state()["notices"] == "3");
    d.wall = now + 120000;
    d.wait(1);
    s = d.state();
    CHECK(s["notices"] == "2");
    CHECK(s["notice.1"] == "明天的通知");
    // Removed by a tombstone: gone at the next read.
    REQUIRE(f.store->delete_notice("N-ALL"));
    REQUIRE(f.store->delete_notice("N-LATER"));
    d.wait(11);
    CHECK(d.state()["notices"] == "0");
}
