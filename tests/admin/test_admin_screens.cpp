// Screenshots of the admin screen's enrolment, sync and camera-test panels under a real X display
// (Xvfb in CI), drawn by the real window and GL while a real hub serves over TLS, in both
// languages, landscape and portrait. PNGs are left in <build>/screenshots/admin for review.
#include <catch2/catch.hpp>

#include "tests/admin/admin_fixture.hpp"
#include "platform/gfx/window.hpp"
#include "tests/screenshot_png.hpp"

#include <cstdlib>

using namespace jf;
using namespace jf::test;

namespace {

bool have_display() {
    const char* d = std::getenv("DISPLAY");
    return d && *d;
}

std::string shots_dir() {
    std::string d = std::string(JF_TEST_BUILD_DIR) + "/screenshots/admin";
    std::filesystem::create_directories(d);
    return d;
}

// The admin kiosk drawn by the real window, following the sync status every frame.
struct RenderedAdmin {
    gfx::Window window;
    std::unique_ptr<AdminKiosk> k;
    bool shoot = false;
    std::string path;

    RenderedAdmin(const std::string& name, ImVec2 size) {
        gfx::WindowOptions o;
        o.width = static_cast<int>(size.x);
        o.height = static_cast<int>(size.y);
        o.visible = true;
        std::string err;
        bool opened = window.open(o, &err);
        INFO(err);
        REQUIRE(opened);
        k = std::make_unique<AdminKiosk>(name, size, true);
        auto& d = k->d();
        d.ctx().textures.create = [this](const uint8_t* p, int w, int h) {
            return window.create_texture(p, w, h);
        };
        d.ctx().textures.destroy = [this](uintptr_t t) { window.destroy_texture(t); };
        d.ctx().fonts->set_max_texture_size(window.max_texture_size());
        d.app().on_fonts_rebuilt = [this] { window.reload_font_texture(); };
        d.ctx().fonts->note(ui::FontRole::Body, "·"); // force a rebuild that uploads the texture
        d.before_frame = [this] {
            window.begin_frame();
            k->link->refresh(k->d().ctx());
        };
        d.after_frame = [this](const ui::FrameOutcome&) {
            window.render(ui::palette(k->d().ctx()).bg);
            if (shoot) {
                std::string err;
                CHECK(window.save_screenshot(path, &err));
                shoot = false;
            }
            window.present();
        };
    }
    ~RenderedAdmin() { k.reset(); }

    void shot(const std::string& file) {
        path = shots_dir() + "/" + file;
        k->d().frames(3); // new characters: the atlas is rebuilt before the shot
        shoot = true;
        k->d().frames(1);
        testing::Png p;
        REQUIRE(testing::read_png(path, &p));
        CHECK(testing::colours(p) > 60);
    }
};

} // namespace

TEST_CASE("screenshots: admin enrolment, sync now and camera test in both languages") {
    REQUIRE(have_display());
    HubTrial t;
    // A badge QR drawn by the hub, replayed as the camera's pictures.
    std::string frames = t.dir.str("frames");
    std::filesystem::create_directories(frames);
    std::string badge = t.credential("A0007", frames + "/badge.png");
    for (ImVec2 size : {ImVec2(1920, 1080), ImVec2(1080, 1920)}) {
        std::string orient = size.x > size.y ? "landscape" : "portrait";
        for (Lang l : {Lang::ZhCN, Lang::EnUS}) {
            std::string lang = l == Lang::ZhCN ? "zh" : "en";
            RenderedAdmin r("shots-" + orient + "-" + lang, size);
            std::filesystem::copy_file(t.cert, r.k->fx->dir + "/hub-cert.pem");
            auto& d = r.k->d();
            d.app().apply({ui::Intent::SetLang, lang});
            r.k->open_admin();
            std::string tag = orient + "-" + lang + ".png";

            // Typing the hub's address: the keyboard with its address keys.
            REQUIRE(d.tap("admin.enrol"));
            REQUIRE(d.tap("enrol.field.url"));
            r.k->type("http://127.0.0.1:" + std::to_string(t.hub.port()));
            r.shot("admin-enrol-keyboard-" + tag);
            REQUIRE(d.tap("enrol.field.code"));
            r.k->type("ABCD-EFGH");
            REQUIRE(d.tap("kb.done"));
            REQUIRE(d.tap("enrol.go"));
            REQUIRE(r.k->pump_until([&] { return d.state()["enrol_running"] == "0"; }));
            CHECK(d.state()["enrol_error"] == "sync.err.url_not_https");
            r.shot("admin-enrol-refused-" + tag);

            // The hub's QR through the hand scanner: enrolled, sync started.
            r.k->scan(t.new_code().qr_text);
            REQUIRE(r.k->pump_until([&] { return d.state()["enrol_running"] == "0"; }));
            REQUIRE(!d.state()["enrolled_terminal"].empty());
            r.shot("admin-enrol-done-" + tag);
            REQUIRE(d.tap("admin.back"));
            REQUIRE(r.k->pump_until([&] { return d.ctx().sync.last_success > 0; }));
            REQUIRE(d.visible("admin.syncnow"));
            r.shot("admin-panel-enrolled-" + tag);

            // The camera test on a folder of pictures, with what it read.
            ::setenv("JF_CAMERA", frames.c_str(), 1);
            REQUIRE(d.tap("admin.test"));
            bool read = r.k->pump_until([&] { return d.state()["camera_text"] == badge; }, 15);
            ::unsetenv("JF_CAMERA");
            REQUIRE(read);
            r.shot("admin-camera-test-" + tag);
            REQUIRE(d.tap("admin.back"));
        }
    }
}
