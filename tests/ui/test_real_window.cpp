// The kiosk as its people use it: the real jobfair-kiosk, fullscreen on its own Xvfb, driven only
// by X input events (xdotool), and judged only by the pixels the X server holds a fixed short time
// after each event, with no further input. Each step is checked twice:
// - the screen changed where the step's result belongs (the page, the typed character, the
//   verdict), and
// - a 1-pixel pointer move afterwards (an event that changes nothing) changes nothing: a result
//   that was computed but left undrawn until the next input shows up here.
// Where to tap comes from the same screens laid out headlessly (real_window.hpp).
#include <catch2/catch.hpp>

#include "sync/protocol/credential.hpp"
#include "platform/scan/image.hpp"
#include "kiosk/store/demo.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/driver.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

// Last: Xlib's macros (None, Status, …) must not meet the project's headers.
#include "tests/ui/real_window.hpp"

using namespace jf;
namespace fs = std::filesystem;

namespace {

// How long after an event the screen is read: a person's glance, far more than the few frames a
// tap needs even on software GL under a sanitizer.
constexpr int kSettleMs = 300;

Date today() {
    return cst_date(std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count());
}

std::string fresh_dir(const std::string& name) {
    auto d = fs::temp_directory_path() / ("jf-e2e-" + name + "-" + std::to_string(getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d.string();
}

// A data directory with the demo fair (identity, listings, attendees), as `--demo` leaves it.
std::string demo_dir(const std::string& name) {
    std::string dir = fresh_dir(name);
    auto s = Store::open(dir + "/kiosk.db");
    REQUIRE(s);
    std::string err;
    REQUIRE(seed_demo(*s, default_demo_dir(), today(), &err));
    return dir;
}

// The build under test; JF_KIOSK_UNDER_TEST names another (to see a test fail on an older one).
std::string kiosk_bin() {
    const char* other = std::getenv("JF_KIOSK_UNDER_TEST");
    return other && *other ? other : JF_KIOSK_BIN;
}

uint32_t rgb(ImU32 c) { // ImGui's ABGR → 0xRRGGBB
    return ((c & 0xff) << 16) | (c & 0xff00) | ((c >> 16) & 0xff);
}

// The kiosk in its window and the same screens laid out headlessly, stepped together.
struct RealKiosk {
    e2e::Xvfb x;
    e2e::Kiosk kiosk;
    std::string dir, layout_dir;
    std::unique_ptr<Store> layout_store;
    std::optional<TerminalIdentity> identity;
    Translations tr;
    std::unique_ptr<ui::Driver> layout;
    e2e::Shot shot;

    RealKiosk(const std::string& name, const std::string& mode, const std::string& screen = {},
              const std::vector<std::string>& env = {},
              const std::function<void(const std::string& db)>& damage = {},
              const std::string& ready = "\"first_frame\"") {
        crypto_init();
        REQUIRE(x.start());
        dir = demo_dir(name);
        layout_dir = demo_dir(name + "-layout");
        layout_store = Store::open(layout_dir + "/kiosk.db");
        identity = load_identity(*layout_store);
        REQUIRE(identity);
        REQUIRE(tr.load(JF_ASSETS_DIR "/i18n"));
        ui::Context ctx;
        ctx.tr = &tr;
        ctx.store = layout_store.get();
        ctx.identity = &*identity;
        ctx.fair_id = identity->fair_id;
        ctx.data_dir = layout_dir;
        REQUIRE(ui::parse_mode(mode, &ctx.settings.mode));
        layout = std::make_unique<ui::Driver>(std::move(ctx), ImVec2(1920, 1080));
        if (!screen.empty()) layout->app().show(screen);
        layout->frames(3);
        std::vector<std::string> args = {"--mode", mode, "--hide-cursor"};
        if (!screen.empty()) args.insert(args.end(), {"--screen", screen});
        if (damage) damage(dir + "/kiosk.db");
        REQUIRE(kiosk.start(kiosk_bin(), dir, args, env, ready));
        e2e::xdotool("mousemove 960 1075"); // keys go to the window under the pointer
        e2e::sleep_ms(kSettleMs);
        shot = grab();
    }
    ~RealKiosk() {
        kiosk.stop();
        layout.reset();
        layout_store.reset();
        std::error_code ec;
        if (std::getenv("JF_E2E_SHOTS")) return; // kept for a look, with the shots
        fs::remove_all(dir, ec);
        fs::remove_all(layout_dir, ec);
    }
    e2e::Shot grab() { return e2e::grab(x.display()); }

    // Taps widget `id` (found on the headless twin) in the real window, then checks the screen
    // `grew` by at least `min_changed` pixels inside the rectangle and settled there.
    void tap(const std::string& id, long min_changed, ImVec2 rmin = ImVec2(0, 0),
             ImVec2 rmax = ImVec2(1920, 1080), int settle_ms = kSettleMs) {
        INFO("tap " << id << " on " << layout->screen());
        REQUIRE(layout->visible(id));
        ImVec2 c = layout->center(id);
        REQUIRE(e2e::tap(static_cast<int>(c.x), static_cast<int>(c.y)));
        layout->tap(id);
        expect_changed(min_changed, rmin, rmax, settle_ms);
    }
    void expect_changed(long min_changed, ImVec2 rmin = ImVec2(0, 0),
                        ImVec2 rmax = ImVec2(1920, 1080), int settle_ms = kSettleMs) {
        e2e::sleep_ms(settle_ms);
        e2e::Shot after = grab();
        long changed =
            e2e::differing(shot, after, int(rmin.x), int(rmin.y), int(rmax.x), int(rmax.y));
        INFO("changed at " << e2e::where_differing(shot, after));
        CHECK(changed >= min_changed);
        // An event that changes nothing must change nothing on screen: else the result was left
        // undrawn until this move. (The header's clock may turn to the next minute meanwhile:
        // that is the clock's change, not the input's, and is not counted.)
        REQUIRE(e2e::nudge());
        e2e::sleep_ms(kSettleMs);
        e2e::Shot again = grab();
        INFO("then the nudge changed " << e2e::where_differing(after, again));
        long clock = 0;
        for (auto& h : layout->ctx().hits)
            if (h.id == "mark:header.clock")
                clock += e2e::differing(after, again, int(h.min.x), int(h.min.y),
                                        int(h.max.x) + 1, int(h.max.y) + 1);
        CHECK(e2e::differing(after, again) - clock == 0);
        shot = again;
    }
    // Share of the screen (below the header) in this colour.
    double share(const e2e::Shot& s, uint32_t colour) const {
        long n = 0, all = 0;
        for (int y = 200; y < s.h; y += 4)
            for (int x = 0; x < s.w; x += 4, ++all)
                n += s.at(x, y) == colour;
        return all ? double(n) / double(all) : 0;
    }
    std::string badge(const std::string& attendee,
                      CredentialKind kind = CredentialKind::Attendee) const {
        auto keys = load_demo_keys(default_demo_dir());
        REQUIRE(keys);
        Credential c;
        c.kind = kind;
        c.holder_id = attendee;
        c.scope = CredentialScope::Fair;
        c.scope_id = identity->fair_id;
        c.valid_from = today();
        c.valid_until = today();
        auto sc = issue(c, keys->issuer);
        REQUIRE(sc);
        return encode(*sc);
    }
    uint32_t good() const { return rgb(ui::palette(layout->ctx()).good); }
};

} // namespace

TEST_CASE("real window: each main entrance button shows its page at once, also in the mode for "
          "older eyes turned on by one tap",
          "[e2e]") {
    RealKiosk k("buttons", "entrance");
    k.tap("entrance.lookup", 20000);
    k.tap("entrance.back", 20000);
    k.tap("entrance.register", 20000);
    k.tap("entrance.back", 20000);

    // One tap turns on the mode for older eyes, and its larger buttons work.
    // The header is 120 pixels high; in the mode for older eyes 1.5 times that, in a darker red.
    CHECK(k.shot.at(10, 150) != rgb(ui::palette(k.layout->ctx()).brand));
    k.tap("elder", 100000);
    REQUIRE(k.layout->ctx().settings.elder);
    CHECK(k.shot.at(10, 150) == rgb(ui::palette(k.layout->ctx()).brand));
    CHECK(k.shot.at(10, 190) != rgb(ui::palette(k.layout->ctx()).brand));
    // Where the larger buttons now are, they work.
    k.tap("entrance.lookup", 20000);
    k.tap("entrance.back", 20000);
    // And one tap turns it off again.
    k.tap("elder", 100000);
    CHECK(k.shot.at(10, 150) != rgb(ui::palette(k.layout->ctx()).brand));
}

TEST_CASE("real window: each key typed on each keyboard shows its character", "[e2e]") {
    RealKiosk k("keys", "entrance");
    // The look-up's digits: every key adds one character to the field above.
    k.tap("entrance.lookup", 20000);
    ImVec2 fmin = ImVec2(0, 120), fmax = ImVec2(900, 420); // the field, left of the keyboard
    for (char c : std::string("170")) {
        std::string id = std::string("kb.key.") + c;
        k.tap(id, 30, fmin, fmax);
    }
    k.tap("entrance.back", 20000);
    // The name keyboard (pinyin): q, w, e each show in the field's preedit.
    k.tap("entrance.register", 20000);
    // A pinyin key brings characters never shown before (its candidates): the font atlas is
    // rebuilt before that frame is shown, ~0.3 s on software GL, longer on a busy machine.
    for (char c : std::string("qwe"))
        k.tap(std::string("kb.key.") + c, 30, fmin, fmax, 1000);
    // The phone field and its number keys.
    k.tap("entrance.reg.phone", 300);
    for (char c : std::string("13"))
        k.tap(std::string("kb.key.") + c, 30, fmin, ImVec2(900, 700));
}

TEST_CASE("real window: a verdict returns to the prompt after 5 s without input", "[e2e]") {
    RealKiosk k("verdict", "entrance");
    e2e::sleep_ms(1000); // past the start's font atlas builds
    e2e::Shot prompt = k.grab();
    REQUIRE(e2e::scan(k.badge("DEMO-A-001")));
    e2e::sleep_ms(kSettleMs);
    e2e::Shot verdict = k.grab();
    if (const char* d = std::getenv("JF_E2E_SHOTS"))
        e2e::save_ppm(verdict, std::string(d) + "/verdict.ppm");
    CHECK(k.share(verdict, k.good()) > 0.5); // green fills the screen
    e2e::sleep_ms(5000 + kSettleMs);
    e2e::Shot later = k.grab();
    CHECK(k.share(later, k.good()) < 0.01);
    // The prompt again, as before the scan (the header's clock row aside).
    CHECK(e2e::differing(prompt, later, 0, 200, 1920, 1080) == 0);
}

TEST_CASE("real window: a scan on the listings of an entrance terminal checks in", "[e2e]") {
    RealKiosk k("listings", "entrance", "station");
    e2e::sleep_ms(1000); // past the start's font atlas builds
    std::string code = k.badge("DEMO-A-002");
    if (const char* d = std::getenv("JF_E2E_SHOTS"))
        std::ofstream(std::string(d) + "/badge.txt") << code;
    REQUIRE(e2e::scan(code));
    e2e::sleep_ms(kSettleMs);
    e2e::Shot s = k.grab();
    if (const char* d = std::getenv("JF_E2E_SHOTS"))
        e2e::save_ppm(s, std::string(d) + "/listings.ppm");
    CHECK(k.share(s, k.good()) > 0.5);
}

TEST_CASE("real window: with an image-folder camera the entrance prompt is drawn", "[e2e]") {
    // A folder camera of 1080p frames: two blank ones, then one holding a badge's code.
    std::string cams = fresh_dir("camera");
    scan::GrayImage blank(1920, 1080, 200);
    for (int i = 0; i < 2; ++i)
        REQUIRE(scan::write_png(cams + "/" + std::to_string(i) + ".png", blank));
    // The badge must be issued for the fair the kiosk serves: the demo's, the same in every
    // demo data directory.
    std::string code;
    {
        auto keys = load_demo_keys(default_demo_dir());
        REQUIRE(keys);
        std::string dir = demo_dir("camera-fair");
        auto s = Store::open(dir + "/kiosk.db");
        auto id = load_identity(*s);
        REQUIRE(id);
        Credential c;
        c.kind = CredentialKind::Attendee;
        c.holder_id = "DEMO-A-003";
        c.scope = CredentialScope::Fair;
        c.scope_id = id->fair_id;
        c.valid_from = today();
        c.valid_until = today();
        auto sc = issue(c, keys->issuer);
        REQUIRE(sc);
        code = encode(*sc);
        s.reset();
        fs::remove_all(dir);
    }
    scan::GrayImage with_code = blank;
    scan::GrayImage qr = scan::render_qr(code, 8);
    REQUIRE_FALSE(qr.empty());
    scan::blit(with_code, qr, 960 - qr.width / 2, 540 - qr.height / 2);
    REQUIRE(scan::write_png(cams + "/2.png", with_code));

    RealKiosk kiosk("camera", "entrance", "", {"JF_CAMERA=" + cams});
    RealKiosk* k = &kiosk;
    uint32_t bg = rgb(ui::palette(k->layout->ctx()).bg);
    // Never a bare screen: the prompt, or the verdict of the code the camera saw.
    auto bare = [&](const e2e::Shot& s) {
        long ink = 0;
        for (int y = 200; y < s.h; y += 2)
            for (int x = 0; x < s.w; x += 2)
                ink += s.at(x, y) != bg;
        return ink < 5000;
    };
    for (int i = 0; i < 4; ++i) {
        e2e::Shot s = k->grab();
        CHECK_FALSE(bare(s));
        e2e::sleep_ms(250);
    }
    // After the verdict's 5 s the prompt, buttons and all, without any input.
    e2e::sleep_ms(5500);
    e2e::Shot s = k->grab();
    CHECK(k->share(s, k->good()) < 0.01);
    ImVec2 c = k->layout->center("entrance.lookup");
    long ink = 0;
    for (int y = int(c.y) - 40; y < int(c.y) + 40; ++y)
        for (int x = int(c.x) - 200; x < int(c.x) + 200; ++x)
            ink += s.at(x, y) != bg;
    CHECK(ink > 5000);
    long text = 0;
    for (int y = 200; y < 420; ++y)
        for (int x = 400; x < 1520; ++x)
            text += s.at(x, y) != bg;
    CHECK(text > 3000);
    fs::remove_all(cams);
}

TEST_CASE("real window: an emptied or damaged store is told on screen, and records nothing",
          "[e2e]") {
    const uint32_t fault_red = 0xb22222; // store_fault_panel's band
    SECTION("emptied: refused as it is, the whole screen says what happened") {
        RealKiosk k(
            "emptied", "entrance", "", {}, [](const std::string& db) { fs::resize_file(db, 0); },
            "\"store_refused\"");
        e2e::sleep_ms(1500);
        CHECK(k.share(k.grab(), fault_red) > 0.5);
        CHECK(fs::file_size(k.dir + "/kiosk.db") == 0); // not started fresh over
        std::string err = k.kiosk.stderr_text();
        CHECK(err.find("空文件") != std::string::npos);
        CHECK(err.find("err.") == std::string::npos);
    }
    SECTION("flipped bytes: found at start, a copy kept, a scan is not recorded") {
        RealKiosk k("damaged", "entrance", "", {}, [](const std::string& db) {
            // 64 bytes of the attendee table's root page: its cell pointers and first cells.
            int page = 0;
            {
                auto s = Store::open(db);
                REQUIRE(s);
                sqlite3_stmt* st = nullptr;
                sqlite3_prepare_v2(s->handle(),
                                   "SELECT rootpage FROM sqlite_schema WHERE name = 'attendees'",
                                   -1, &st, nullptr);
                if (sqlite3_step(st) == SQLITE_ROW) page = sqlite3_column_int(st, 0);
                sqlite3_finalize(st);
            }
            REQUIRE(page > 1);
            std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(std::streamoff(page - 1) * 4096 + 8);
            std::string junk(64, '\x5a');
            f.write(junk.data(), 64);
        });
        CHECK(k.kiosk.log().find("\"store_damaged\"") != std::string::npos);
        bool copy = false;
        for (auto& e : fs::directory_iterator(k.dir))
            copy |= e.path().filename().string().rfind("kiosk.db.damaged-", 0) == 0;
        CHECK(copy);
        CHECK(k.share(k.shot, fault_red) > 0.05); // the panel over the lower screen
        REQUIRE(e2e::scan(k.badge("DEMO-A-004")));
        e2e::sleep_ms(kSettleMs);
        CHECK(k.share(k.grab(), k.good()) < 0.01); // never the green "checked in"
    }
}

TEST_CASE("real window: at the employer desk one tap after the seeker's scan records a booth "
          "intent",
          "[e2e]") {
    RealKiosk k("intent", "employer");
    e2e::sleep_ms(1000); // past the start's font atlas builds
    // The headless twin takes the same scans, so it knows where the intent buttons are.
    auto twin_scan = [&](const std::string& code) {
        ImGuiIO& io = ImGui::GetIO();
        for (char c : code)
            io.AddInputCharacter(static_cast<unsigned char>(c));
        io.AddInputCharacter('\r');
        k.layout->frames(2);
    };
    std::string badge = k.badge("DEMO-E-01", CredentialKind::Employer);
    std::string seeker = k.badge("DEMO-A-002");
    // A scan brings new names into the font atlas, rebuilt on the CPU: a longer look than a tap's.
    REQUIRE(e2e::scan(badge));
    twin_scan(badge);
    k.expect_changed(2000, ImVec2(0, 0), ImVec2(1920, 1080), 1500);
    REQUIRE(k.layout->state()["step"] == "seeker");
    REQUIRE(e2e::scan(seeker));
    twin_scan(seeker);
    k.expect_changed(2000, ImVec2(0, 0), ImVec2(1920, 1080), 1500);
    REQUIRE(k.layout->state()["step"] == "form");
    // The one tap; the kiosk's own store holds the signed intent. (The header's "waiting" count
    // follows on the kiosk's 1 s status poll: the look is taken after it.)
    k.tap("desk.intent.interview", 2000, ImVec2(0, 0), ImVec2(1920, 1080), 2500);
    auto store = Store::open(k.dir + "/kiosk.db");
    REQUIRE(store);
    std::vector<BoothIntent> intents;
    for (int i = 0; i < 100 && intents.empty(); ++i) {
        intents = store->intents(k.identity->fair_id);
        if (intents.empty()) e2e::sleep_ms(20);
    }
    REQUIRE(intents.size() == 1);
    CHECK(intents[0].attendee_id == "DEMO-A-002");
    CHECK(intents[0].employer_id == "DEMO-E-01");
    CHECK(intents[0].level == IntentLevel::Interview);
    auto events = store->events_after(0, 10);
    REQUIRE(events.size() == 1);
    auto own = load_identity(*store);
    REQUIRE(own);
    CHECK(verify(own->key.public_key, signature_domain("intent"), events[0].body,
                 events[0].signature));
    // How fast is tests/bench/terminal's terminal_intent; here only that one tap records it.
}

TEST_CASE("real window: after a check-in the seeker's needs list is recorded with a few taps",
          "[e2e]") {
    RealKiosk k("needs", "entrance");
    e2e::sleep_ms(1000); // past the start's font atlas builds
    // The headless twin takes the same scan, so it knows where the needs buttons are.
    std::string seeker = k.badge("DEMO-A-002");
    REQUIRE(e2e::scan(seeker));
    ImGuiIO& io = ImGui::GetIO();
    for (char c : seeker)
        io.AddInputCharacter(static_cast<unsigned char>(c));
    io.AddInputCharacter('\r');
    k.layout->frames(2);
    // (The header's "waiting" count follows each record on the kiosk's 1 s status poll: the
    // looks after the scan and after saving are taken after it.)
    k.expect_changed(2000, ImVec2(0, 0), ImVec2(1920, 1080), 2500);
    REQUIRE(k.layout->state()["verdict"] == "checked_in");
    // Inside the verdict's 5 s: open the list, choose a kind of work and a service, save.
    k.tap("entrance.needs.open", 2000);
    REQUIRE(k.layout->state()["page"] == "needs");
    k.tap("entrance.needs.industry.0", 200);
    k.tap("entrance.needs.service.0", 200);
    k.tap("entrance.needs.submit", 2000, ImVec2(0, 0), ImVec2(1920, 1080), 2500);
    auto store = Store::open(k.dir + "/kiosk.db");
    REQUIRE(store);
    std::optional<SeekerNeeds> n;
    for (int i = 0; i < 100 && !n; ++i) {
        n = store->latest_needs("DEMO-A-002", k.identity->fair_id);
        if (!n) e2e::sleep_ms(20);
    }
    REQUIRE(n);
    CHECK(n->industries.size() == 1);
    CHECK(n->services.size() == 1);
    auto events = store->events_after(0, 10);
    REQUIRE(events.size() == 2); // the check-in and the needs list
    CHECK(events[1].kind == "needs");
    auto own = load_identity(*store);
    REQUIRE(own);
    CHECK(verify(own->key.public_key, signature_domain("needs"), events[1].body,
                 events[1].signature));
}
