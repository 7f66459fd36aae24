// Screenshots of the entrance and the employer desk drawn by the real window and GL under an X
// display (Xvfb in CI), in both languages, landscape and portrait. The PNGs stay in
// <build>/screenshots/desk for people to review; the checks make sure each one shows something.
#include <catch2/catch.hpp>

#include "kiosk/desk/registration.hpp"
#include "sync/engine/engine.hpp"
#include "tests/desk/desk_ui_fixture.hpp"
#include "platform/gfx/window.hpp"
#include "kiosk/ui/app.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/pin.hpp"

#include <X11/Xlib.h>
#include "tests/screenshot_png.hpp"

#include <cstdlib>
#include <filesystem>
#include <set>
#include <thread>

using namespace jf;
using namespace jf::testing;

namespace {

// The share of the picture in one colour family: green, amber or red verdicts fill the screen.
double share(const Png& p, bool (*pred)(int r, int g, int b)) {
    size_t n = 0, all = 0;
    for (int y = 0; y < p.h; y += 4)
        for (int x = 0; x < p.w; x += 4, ++all) {
            uint32_t c = p.at(x, y);
            n += pred(c >> 16 & 0xff, c >> 8 & 0xff, c & 0xff);
        }
    return double(n) / double(all);
}
bool greenish(int r, int g, int b) {
    return g > r + 40 && g > b + 20;
}
bool amberish(int r, int g, int b) {
    return r > 180 && g > 110 && b < 90;
}
bool reddish(int r, int g, int b) {
    return r > 150 && g < 90 && b < 90;
}

std::string shots_dir() {
    std::string d = std::string(JF_TEST_BUILD_DIR) + "/screenshots/desk";
    std::filesystem::create_directories(d);
    return d;
}

struct Rendered {
    gfx::Window window;
    std::unique_ptr<DeskUi> u;
    bool shoot = false, render = false;
    std::string path;

    Rendered(const std::string& name, ImVec2 size) {
        gfx::WindowOptions o;
        o.width = static_cast<int>(size.x);
        o.height = static_cast<int>(size.y);
        std::string err;
        bool opened = window.open(o, &err);
        INFO(err);
        REQUIRE(opened);
        u = std::make_unique<DeskUi>(name, size, true);
        auto& d = u->d();
        d.ctx().textures.create = [this](const uint8_t* p, int w, int h) {
            return window.create_texture(p, w, h);
        };
        d.ctx().textures.destroy = [this](uintptr_t t) { window.destroy_texture(t); };
        d.ctx().fonts->set_max_texture_size(window.max_texture_size());
        d.app().on_fonts_rebuilt = [this] { window.reload_font_texture(); };
        d.ctx().fonts->note(ui::FontRole::Body, "·");
        // Only the frames around a screenshot go through GL: the taps and drags between them
        // need no pixels, and software GL at 1080p is slow.
        d.before_frame = [this] {
            if (render) window.begin_frame();
        };
        d.after_frame = [this](const ui::FrameOutcome&) {
            if (!render) return;
            window.render(ui::palette(u->d().ctx()).bg); // as the kiosk clears, behind the views
            if (shoot) {
                std::string e;
                CHECK(window.save_screenshot(path, &e));
                shoot = false;
            }
            window.present();
        };
    }
    ~Rendered() { u.reset(); }

    Png shot(const std::string& file) {
        path = shots_dir() + "/" + file;
        render = true;
        u->d().frames(2);
        shoot = true;
        u->d().frames(1);
        render = false;
        Png p;
        REQUIRE(read_png(path, &p));
        CHECK(colours(p) > 40);
        // Outside high contrast the screens are light: a mostly black picture means the
        // background was never drawn.
        uint32_t bg = ui::palette(u->d().ctx()).bg;
        if ((bg & 0xff) + (bg >> 8 & 0xff) + (bg >> 16 & 0xff) > 384) {
            INFO(file);
            CHECK(share(p, [](int r, int g, int b) { return r + g + b < 60; }) < 0.3);
        }
        return p;
    }
};

void tap_keys(ui::Driver& d, const std::string& keys) {
    for (char c : keys)
        REQUIRE(d.tap(std::string("kb.key.") + c));
}

} // namespace

TEST_CASE("screenshots: entrance and employer desk in both languages, landscape and portrait") {
    const char* display = std::getenv("DISPLAY");
    INFO("needs an X display: run under xvfb-run (platform/linux/test.sh does)");
    REQUIRE((display && *display));
    // Xvfb resets when its last client leaves, and refuses connections meanwhile: hold one
    // connection for the whole test so the second window (portrait) never meets a reset.
    Display* keep = XOpenDisplay(nullptr);
    REQUIRE(keep);
    for (ImVec2 size : {ImVec2(1920, 1080), ImVec2(1080, 1920)}) {
        std::string orient = size.x > size.y ? "landscape" : "portrait";
        bool full = size.x > size.y; // portrait: the main screens only, to keep the run short
        Rendered r("shots-" + orient, size);
        auto& u = *r.u;
        auto& d = u.d();
        desk::WalkUpForm known;
        known.name = "王芳";
        known.phone = "13955384321";
        known.consent = true;
        auto walked_up = desk::register_walk_up(*u.f.store, u.f.identity, known, u.f.noon());
        REQUIRE(walked_up);
        for (Lang l : {Lang::ZhCN, Lang::EnUS}) {
            std::string lang = l == Lang::ZhCN ? "zh" : "en";
            auto name = [&](const std::string& what) {
                return "entrance-" + what + "-" + orient + "-" + lang + ".png";
            };
            d.app().apply({ui::Intent::SetLang, lang});
            d.app().show("entrance");
            r.shot(name("prompt"));

            // Verdicts fill the screen with their colour.
            std::string holder = l == Lang::ZhCN ? u.f.seeker.id : u.f.second_seeker.id;
            std::string good = u.code_today(CredentialKind::Attendee, holder);
            u.scan(good);
            CHECK(share(r.shot(name("verdict-ok")), greenish) > 0.5);
            // The needs list offered after the check-in, some choices made.
            REQUIRE(d.tap("entrance.needs.open"));
            REQUIRE(d.tap("entrance.needs.industry.0"));
            REQUIRE(d.tap("entrance.needs.skill.2"));
            REQUIRE(d.tap("entrance.needs.cert.0"));
            REQUIRE(d.tap("entrance.needs.service.1"));
            r.shot(name("needs"));
            REQUIRE(d.tap("entrance.needs.skip"));
            REQUIRE(d.state()["page"] == "prompt");
            u.scan(good);
            if (full) CHECK(share(r.shot(name("verdict-already")), amberish) > 0.5);
            REQUIRE(d.tap("entrance.verdict"));
            Date yesterday = Date::from_days(u.f.today.days_since_epoch() - 1);
            u.scan(u.code(CredentialKind::Attendee, holder, yesterday, yesterday));
            if (full) CHECK(share(r.shot(name("verdict-expired")), reddish) > 0.5);
            REQUIRE(d.tap("entrance.verdict"));

            REQUIRE(d.tap("entrance.lookup"));
            tap_keys(d, "4321");
            if (full) r.shot(name("lookup"));
            REQUIRE(d.tap("entrance.back"));

            REQUIRE(d.tap("entrance.register"));
            tap_keys(d, "zhangwei");
            r.shot(name("register-pinyin"));
            REQUIRE(d.tap("kb.cand.0"));
            REQUIRE(d.tap("kb.mode.hand"));
            ImVec2 c = d.center("kb.pad");
            d.drag(ImVec2(c.x - 120, c.y), ImVec2(c.x + 120, c.y), 10, 0.2);
            d.drag(ImVec2(c.x, c.y - 140), ImVec2(c.x, c.y + 140), 10, 0.2);
            if (full) r.shot(name("register-handwriting"));
            REQUIRE(d.tap("entrance.reg.phone"));
            tap_keys(d, "1385538567" + std::string(l == Lang::ZhCN ? "8" : "9"));
            REQUIRE(d.tap("entrance.reg.group.0"));
            REQUIRE(d.tap("entrance.reg.consent"));
            if (full) r.shot(name("register-filled"));
            REQUIRE(d.tap("entrance.reg.submit"));
            REQUIRE(d.state()["page"] == "issued");
            r.shot(name("issued"));
            REQUIRE(d.tap("entrance.issued.done"));

            // The employer desk, step by step.
            auto dname = [&](const std::string& what) {
                return "desk-" + what + "-" + orient + "-" + lang + ".png";
            };
            d.app().show("employer");
            if (full) r.shot(dname("badge"));
            u.scan(u.code_today(CredentialKind::Employer, u.f.employer.id));
            if (full) r.shot(dname("seeker"));
            u.scan(u.code_today(CredentialKind::Attendee, holder));
            REQUIRE(d.state()["step"] == "form");
            REQUIRE(d.tap("desk.listing.0"));
            r.shot(dname("form"));
            REQUIRE(d.tap("desk.field.work_place"));
            if (full) r.shot(dname("form-keyboard"));
            REQUIRE(d.tap("kb.done"));
            REQUIRE(d.tap("desk.to_review"));
            if (full) r.shot(dname("review"));
            REQUIRE(d.tap("desk.confirm"));
            u.sign("desk.pad");
            r.shot(dname("sign-seeker"));
            REQUIRE(d.tap("desk.sign.ok"));
            u.sign("desk.pad");
            REQUIRE(d.tap("desk.sign.ok"));
            REQUIRE(d.state()["step"] == "done");
            CHECK(share(r.shot(dname("done")), greenish) > 0.3);
            REQUIRE(d.tap("desk.next_seeker"));
            REQUIRE(d.tap("desk.records"));
            if (full) r.shot(dname("records"));
            REQUIRE(d.tap("desk.records.void.0"));
            if (full) r.shot(dname("void"));
            REQUIRE(d.tap("desk.back"));
            REQUIRE(d.tap("desk.back"));
            // A booth intent with one tap, the day's list of them.
            u.scan(u.code_today(CredentialKind::Attendee, walked_up->attendee.id));
            REQUIRE(d.state()["step"] == "form");
            REQUIRE(d.tap("desk.intent.offer"));
            REQUIRE(d.state()["step"] == "seeker");
            if (full) r.shot(dname("intent-saved"));
            REQUIRE(d.tap("desk.intents"));
            if (full) r.shot(dname("intents"));
            REQUIRE(d.tap("desk.back"));
            REQUIRE(d.tap("desk.leave"));
            if (full) { // the admin screen's day numbers, undo and station services
                REQUIRE(ui::PinGuard(*u.f.store).set("2468"));
                d.app().show("admin");
                d.frames(2);
                for (char c : std::string("2468"))
                    REQUIRE(d.tap(std::string("pin:") + c));
                REQUIRE(d.tap("pin:ok"));
                REQUIRE(d.tap("admin.fairday"));
                CHECK(d.state()["fair_check_ins"] == ""); // no sync yet: the fair's come later
                r.shot("admin-fairday-" + orient + "-" + lang + ".png");
                // After a sync: the whole fair's figures beside this terminal's.
                REQUIRE(sync::save_fair_totals(
                    *u.f.store, {u.f.fair.id, 1268, 214, 1302, 251, 37, 46}, u.f.noon()));
                d.frames(1);
                CHECK(d.state()["fair_check_ins"] == "1302");
                CHECK(d.state()["fair_with_intent"] == "214");
                r.shot("admin-fairday-fair-" + orient + "-" + lang + ".png");
                REQUIRE(u.f.store->set_setting("sync.fair_totals", ""));
                REQUIRE(d.tap("admin.back"));
                REQUIRE(d.tap("admin.service"));
                REQUIRE(d.tap("service.group.migrant"));
                r.shot("admin-service-" + orient + "-" + lang + ".png");
                // A person with their code: scanned, the service is recorded for them.
                u.scan(u.code_today(CredentialKind::Attendee, u.f.seeker.id));
                CHECK(d.state()["person"] == u.f.seeker.id);
                r.shot("admin-service-person-" + orient + "-" + lang + ".png");
                REQUIRE(d.tap("service.person.clear"));
                REQUIRE(d.tap("admin.back"));
            }
        }
        if (full) { // large text and high contrast keep the forms usable
            d.app().apply({ui::Intent::SetLang, "zh"});
            d.app().apply({ui::Intent::ToggleLargeText});
            d.app().apply({ui::Intent::ToggleContrast});
            d.app().show("entrance");
            d.frames(2);
            REQUIRE(d.tap("entrance.register"));
            tap_keys(d, "li");
            r.shot("entrance-register-large-contrast-" + orient + "-zh.png");
            REQUIRE(d.tap("entrance.back"));
            d.app().show("employer");
            d.frames(2);
            u.scan(u.code_today(CredentialKind::Employer, u.f.employer.id));
            // Someone not yet placed today (the same person twice a day is refused).
            u.scan(u.code_today(CredentialKind::Attendee, walked_up->attendee.id));
            REQUIRE(d.state()["step"] == "form");
            r.shot("desk-form-large-contrast-" + orient + "-zh.png");
            d.app().apply({ui::Intent::ToggleLargeText});
            d.app().apply({ui::Intent::ToggleContrast});
        }
    }
    XCloseDisplay(keep);
}

TEST_CASE("screenshots: the walk-up slip printing, printed or failed, and the printer page") {
    const char* display = std::getenv("DISPLAY");
    INFO("needs an X display: run under xvfb-run (platform/linux/test.sh does)");
    REQUIRE((display && *display));
    Display* keep = XOpenDisplay(nullptr);
    REQUIRE(keep);
    for (ImVec2 size : {ImVec2(1920, 1080), ImVec2(1080, 1920)}) {
        std::string orient = size.x > size.y ? "landscape" : "portrait";
        Rendered r("shots-print-" + orient, size);
        auto& u = *r.u;
        auto& d = u.d();
        auto until_done = [&] {
            for (int i = 0; i < 3000; ++i) {
                auto s = d.state()["print"];
                if (s != "queued" && s != "printing") return s;
                d.frame();
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            return std::string("never finished");
        };
        for (Lang l : {Lang::ZhCN, Lang::EnUS}) {
            std::string lang = l == Lang::ZhCN ? "zh" : "en";
            auto name = [&](const std::string& what) {
                return "print-" + what + "-" + orient + "-" + lang + ".png";
            };
            d.app().apply({ui::Intent::SetLang, lang});
            for (bool works : {true, false}) {
                // A printer that takes the slip (a file), and one that is switched off.
                d.ctx().printer = works ? (u.f.dir / "slips.bin").string() : "/dev/usb/jf-none";
                d.app().show("entrance");
                d.frames(2);
                REQUIRE(d.tap("entrance.register"));
                tap_keys(d, "li");
                REQUIRE(d.tap("kb.cand.0"));
                REQUIRE(d.tap("entrance.reg.phone"));
                tap_keys(d, works ? "13855385678" : "13955384321");
                REQUIRE(d.tap("entrance.reg.consent"));
                REQUIRE(d.tap("entrance.reg.submit"));
                REQUIRE(d.state()["page"] == "issued");
                CHECK(until_done() == (works ? "printed" : "failed"));
                r.shot(name(works ? "issued-printed" : "issued-failed"));
                REQUIRE(d.tap("entrance.issued.done"));
                d.app().show("station");
            }
            // The admin screen's printer page.
            if (!ui::PinGuard(*u.f.store).is_set()) REQUIRE(ui::PinGuard(*u.f.store).set("2468"));
            d.app().show("admin");
            d.frames(2);
            for (char c : std::string("2468"))
                REQUIRE(d.tap(std::string("pin:") + c));
            REQUIRE(d.tap("pin:ok"));
            REQUIRE(d.tap("admin.printer"));
            for (char c : std::string("192.168.1.50"))
                REQUIRE(d.tap(std::string("printer.key.") + c));
            r.shot(name("admin-printer"));
            REQUIRE(d.tap("printer.test"));
            CHECK(until_done() == "failed"); // the slip printer above is switched off
            r.shot(name("admin-printer-test"));
            REQUIRE(d.tap("admin.back"));
            d.app().show("station");
        }
    }
    XCloseDisplay(keep);
}

namespace {

// Every touch target and marked text of the screen just shot, measured on the screenshot's own
// pixels: the text (the colour that stands out most from the target's fill) at least `least`:1
// on its ground. Targets with nothing drawn on them (plain tap areas) are passed over. Returns
// how many fell short, each named.
int short_of_contrast(const Png& p, const ui::Context& ctx, const std::string& file, double least) {
    int shortfalls = 0;
    for (const auto& h : ctx.hits) {
        // Drawing pads and the QR image are pictures, not text; the status pill is the same
        // white chip on every palette and is checked with its dot elsewhere.
        if (h.id.find("pad") != std::string::npos || h.id == "status" ||
            h.id.rfind("status.", 0) == 0 || h.id.rfind("mark:status", 0) == 0)
            continue;
        if (h.max.x - h.min.x < 24 || h.max.y - h.min.y < 24) continue;
        auto [fill, ink] = fill_and_ink(p, h.min.x, h.min.y, h.max.x, h.max.y);
        double c = contrast(fill, ink);
        if (c < 1.5) continue; // nothing drawn on it
        if (c < least) {
            ++shortfalls;
            UNSCOPED_INFO(file << ": " << h.id << " fill " << std::hex << fill << " ink " << ink
                               << std::dec << " " << c << ":1");
        }
    }
    return shortfalls;
}

} // namespace

TEST_CASE("screenshots: the mode for older eyes, every public screen in both languages and the "
          "staff's in Chinese, text at 7:1 or more on its ground measured on the pixels") {
    const char* display = std::getenv("DISPLAY");
    REQUIRE((display && *display));
    Display* keep = XOpenDisplay(nullptr);
    REQUIRE(keep);
    Rendered r("shots-elder", ImVec2(1920, 1080));
    auto& u = *r.u;
    auto& d = u.d();
    ui::PinGuard(*u.f.store).set("2468");
    // The usual palette's white on red is 6.6:1: the measure finds it short (it can fail).
    d.app().show("entrance");
    Png usual = r.shot("elder-check-usual-entrance.png");
    CHECK(short_of_contrast(usual, d.ctx(), "usual", 7) > 0);

    REQUIRE(d.tap("elder"));
    REQUIRE(d.ctx().settings.elder);
    int shortfalls = 0;
    for (Lang l : {Lang::ZhCN, Lang::EnUS}) {
        std::string lang = l == Lang::ZhCN ? "zh" : "en";
        d.app().apply({ui::Intent::SetLang, lang});
        auto shot = [&](const std::string& what) {
            std::string file = "elder-" + what + "-landscape-" + lang + ".png";
            Png p = r.shot(file);
            shortfalls += short_of_contrast(p, d.ctx(), file, 7);
            return p;
        };
        d.app().show("entrance");
        shot("entrance-prompt");
        std::string holder = l == Lang::ZhCN ? u.f.seeker.id : u.f.second_seeker.id;
        u.scan(u.code_today(CredentialKind::Attendee, holder));
        CHECK(share(shot("entrance-verdict-ok"), greenish) > 0.4);
        REQUIRE(d.tap("entrance.needs.open"));
        REQUIRE(d.tap("entrance.needs.industry.0"));
        shot("entrance-needs");
        // Taller than the room above the buttons: the choices scroll, and the last comes into
        // view above the buttons.
        {
            ImVec2 a_min, a_max, s_min, s_max;
            for (const auto& h : d.ctx().hits) {
                if (h.id == "entrance.needs.industry.0") a_min = h.min, a_max = h.max;
                if (h.id == "entrance.needs.skip") s_min = h.min, s_max = h.max;
            }
            d.drag(ImVec2(a_min.x + 20, s_min.y - 40), ImVec2(a_min.x + 20, a_min.y), 12, 0.3);
            d.frames(30);
            REQUIRE(d.visible("entrance.needs.service.3"));
            REQUIRE(d.tap("entrance.needs.service.1"));
            shot("entrance-needs-scrolled");
        }
        REQUIRE(d.tap("entrance.needs.skip"));
        u.scan(u.code_today(CredentialKind::Attendee, holder));
        shot("entrance-verdict-already");
        REQUIRE(d.tap("entrance.verdict"));
        Date yesterday = Date::from_days(u.f.today.days_since_epoch() - 1);
        u.scan(u.code(CredentialKind::Attendee, holder, yesterday, yesterday));
        shot("entrance-verdict-expired");
        REQUIRE(d.tap("entrance.verdict"));
        REQUIRE(d.tap("entrance.lookup"));
        tap_keys(d, "4321");
        shot("entrance-lookup");
        REQUIRE(d.tap("entrance.back"));
        REQUIRE(d.tap("entrance.register"));
        tap_keys(d, "li");
        shot("entrance-register");
        // The fields are taller than the room above the buttons: they scroll, and the consent
        // at their end comes into view above the buttons, never under them.
        auto rect = [&](const std::string& id, ImVec2* max) {
            for (const auto& h : d.ctx().hits)
                if (h.id == id) {
                    *max = h.max;
                    return h.min;
                }
            return ImVec2(-1, -1);
        };
        ImVec2 field_max, field_min = rect("entrance.reg.name", &field_max);
        d.drag(ImVec2(field_min.x + 20, field_max.y + 200), ImVec2(field_min.x + 20, field_min.y),
               12, 0.3);
        d.frames(30);
        REQUIRE(d.visible("entrance.reg.consent"));
        ImVec2 consent_max, back_max;
        rect("entrance.reg.consent", &consent_max);
        ImVec2 back_min = rect("entrance.back", &back_max);
        CHECK(consent_max.y <= back_min.y);
        shot("entrance-register-scrolled");
        REQUIRE(d.tap("entrance.back"));

        // The staff's screens (employer desk, admin) keep their size in this mode and are shown in
        // both languages at that size by the screenshots above: here in Chinese, in its colours.
        if (l == Lang::ZhCN) {
            d.app().show("employer");
            shot("desk-badge");
            u.scan(u.code_today(CredentialKind::Employer, u.f.employer.id));
            shot("desk-seeker");
            u.scan(u.code_today(CredentialKind::Attendee, holder));
            REQUIRE(d.state()["step"] == "form");
            REQUIRE(d.tap("desk.listing.0"));
            shot("desk-form");
            REQUIRE(d.tap("desk.to_review"));
            shot("desk-review");
            REQUIRE(d.tap("desk.confirm"));
            shot("desk-sign");
            u.sign("desk.pad");
            REQUIRE(d.tap("desk.sign.ok"));
            u.sign("desk.pad");
            REQUIRE(d.tap("desk.sign.ok"));
            REQUIRE(d.state()["step"] == "done");
            shot("desk-done");
            REQUIRE(d.tap("desk.next_seeker"));
            REQUIRE(d.tap("desk.leave"));
        }
        d.app().show("station");
        shot("station");
        REQUIRE(d.tap(d.state()["first_id"].empty() ? "card:L0" : "card:" + d.state()["first_id"]));
        shot("station-detail");
        REQUIRE(d.tap("detail.close"));
        if (l == Lang::ZhCN) {
            REQUIRE(d.tap("admin"));
            for (char c : std::string("2468"))
                REQUIRE(d.tap(std::string("pin:") + c));
            REQUIRE(d.tap("pin:ok"));
            d.app().apply({ui::Intent::SetLang, lang});
            REQUIRE(d.ctx().settings.elder);
            shot("admin-panel");
            REQUIRE(d.tap("admin.leave"));
        }
    }
    CHECK(shortfalls == 0);
    XCloseDisplay(keep);
}
