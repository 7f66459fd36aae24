// Screenshot tests under a real X display (Xvfb in CI): the jobfair-kiosk binary's --screenshot
// mode on the demo data, and every screen of this area in both languages, landscape and portrait,
// rendered by the real window and GL. PNGs are left in <build>/screenshots for people to review.
#include <catch2/catch.hpp>

#include "tests/ui/fixture.hpp"
#include "platform/gfx/window.hpp"
#include "kiosk/ui/pin.hpp"

#include "tests/screenshot_png.hpp"
#include <ZXing/ReadBarcode.h>
#include <ZXing/TextUtfEncoding.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

using namespace jf;
using namespace jf::testing;

namespace {

// Count of dark, glyph-like pixels in a band: CJK text is dense where Latin is sparse.
size_t ink(const Png& p, int y0, int y1, uint32_t bg) {
    size_t n = 0;
    for (int y = y0; y < y1 && y < p.h; ++y)
        for (int x = 0; x < p.w; ++x)
            n += p.at(x, y) != bg;
    return n;
}

bool have_display() {
    const char* d = std::getenv("DISPLAY");
    return d && *d;
}

std::string shots_dir() {
    std::string d = std::string(JF_TEST_BUILD_DIR) + "/screenshots";
    std::filesystem::create_directories(d);
    return d;
}

} // namespace

TEST_CASE("jobfair-kiosk --demo --screenshot writes a PNG showing the demo fair's listings") {
    INFO("needs an X display: run under xvfb-run (platform/linux/test.sh does)");
    REQUIRE(have_display());
    std::string dir = test::temp_dir("cli");
    std::string png = shots_dir() + "/cli-demo-station.png";
    std::filesystem::remove(png);
    std::string cmd = std::string(JF_KIOSK_BIN) + " --demo --data-dir " + dir +
                      " --windowed 1920x1080 --mode station --screenshot " + png + " --frames 3";
    REQUIRE(std::system(cmd.c_str()) == 0);
    Png p;
    REQUIRE(read_png(png, &p));
    CHECK(p.w == 1920);
    CHECK(p.h == 1080);
    CHECK(colours(p) > 200);
    // The header is the union red, the list below has text on light cards.
    uint32_t header = p.at(5, 5);
    CHECK(((header >> 16) & 0xff) > 140);
    CHECK(((header >> 8) & 0xff) < 60);
    // The store really holds the demo listings the screen shows.
    auto store = Store::open(dir + "/kiosk.db");
    REQUIRE(store);
    ListingQuery q;
    q.today = cst_date(std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
    CHECK(store->count_listings(q) >= 40);
    // The QR codes on the cards are real: a phone (here ZXing) reads each into its listing's text.
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    auto codes = ZXing::ReadBarcodes(
        ZXing::ImageView(p.rgba.data(), p.w, p.h, ZXing::ImageFormat::RGBX), hints);
    CHECK(codes.size() >= 4);
    q.limit = 10;
    auto shown = store->search_listings(q);
    for (auto& c : codes) {
        std::string text = ZXing::TextUtfEncoding::ToUtf8(c.text());
        bool found = false;
        for (auto& l : shown)
            found = found || (text.find(l.title) != std::string::npos &&
                              text.find(l.employer_name) != std::string::npos);
        INFO(text);
        CHECK(found);
    }

    // A terminal started on the entrance shows the entrance, not the listings that stand in for
    // it only after 60 s untouched: no listing QR codes on it.
    std::string entrance = shots_dir() + "/cli-demo-entrance.png";
    std::filesystem::remove(entrance);
    cmd = std::string(JF_KIOSK_BIN) + " --demo --data-dir " + dir +
          " --windowed 1920x1080 --mode entrance --screenshot " + entrance + " --frames 3";
    REQUIRE(std::system(cmd.c_str()) == 0);
    Png e;
    REQUIRE(read_png(entrance, &e));
    CHECK(colours(e) > 60);
    CHECK(ZXing::ReadBarcodes(ZXing::ImageView(e.rgba.data(), e.w, e.h, ZXing::ImageFormat::RGBX),
                              hints)
              .empty());

    // Bad flags: a clear message and exit code 2, nothing opened.
    CHECK(WEXITSTATUS(
              std::system((std::string(JF_KIOSK_BIN) + " --lang fr 2>/dev/null").c_str())) == 2);
    CHECK(WEXITSTATUS(std::system(
              (std::string(JF_KIOSK_BIN) + " --windowed big 2>/dev/null").c_str())) == 2);
    std::filesystem::remove_all(dir);
}

namespace {

// The kiosk's screens drawn by the real window, driven by the test's taps.
struct Rendered {
    gfx::Window window;
    std::unique_ptr<test::UiFixture> fx;
    bool shoot = false;
    std::string path;

    Rendered(const std::string& name, ImVec2 size) {
        gfx::WindowOptions o;
        o.width = static_cast<int>(size.x);
        o.height = static_cast<int>(size.y);
        o.visible = true;
        std::string err;
        bool opened = window.open(o, &err);
        INFO(err);
        REQUIRE(opened);
        fx = std::make_unique<test::UiFixture>(name, 40, 3, size, true);
        auto& d = fx->d();
        d.ctx().textures.create = [this](const uint8_t* p, int w, int h) {
            return window.create_texture(p, w, h);
        };
        d.ctx().textures.destroy = [this](uintptr_t t) { window.destroy_texture(t); };
        d.ctx().fonts->set_max_texture_size(window.max_texture_size());
        d.app().on_fonts_rebuilt = [this] { window.reload_font_texture(); };
        d.ctx().fonts->note(ui::FontRole::Body, "·"); // force a rebuild that uploads the texture
        d.before_frame = [this] { window.begin_frame(); };
        d.after_frame = [this](const ui::FrameOutcome&) {
            window.render(ui::palette(fx->d().ctx()).bg);
            if (shoot) {
                std::string err;
                CHECK(window.save_screenshot(path, &err));
                shoot = false;
            }
            window.present();
        };
    }
    ~Rendered() { fx.reset(); }

    Png shot(const std::string& file) {
        path = shots_dir() + "/" + file;
        fx->d().frames(2);
        shoot = true;
        fx->d().frames(1);
        Png p;
        REQUIRE(read_png(path, &p));
        CHECK(colours(p) > 60);
        return p;
    }
};

void set_lang(ui::Driver& d, Lang l) {
    if (d.ctx().settings.lang != l)
        d.app().apply({ui::Intent::SetLang, l == Lang::EnUS ? "en" : "zh"});
}

} // namespace

TEST_CASE("screenshots: station and admin screens in both languages, landscape and portrait") {
    REQUIRE(have_display());
    for (ImVec2 size : {ImVec2(1920, 1080), ImVec2(1080, 1920)}) {
        std::string orient = size.x > size.y ? "landscape" : "portrait";
        Rendered r("shots-" + orient, size);
        auto& d = r.fx->d();
        ui::PinGuard(*r.fx->store).set("2468");
        for (Lang l : {Lang::ZhCN, Lang::EnUS}) {
            std::string lang = l == Lang::ZhCN ? "zh" : "en";
            set_lang(d, l);
            Png p = r.shot("station-" + orient + "-" + lang + ".png");
            // The list area is dense with text in both languages.
            CHECK(ink(p, static_cast<int>(size.y * 0.3), static_cast<int>(size.y * 0.5),
                      p.at(2, static_cast<int>(size.y * 0.25))) > 10000);
            REQUIRE(
                d.tap(d.state()["first_id"].empty() ? "card:L0" : "card:" + d.state()["first_id"]));
            r.shot("station-detail-" + orient + "-" + lang + ".png");
            REQUIRE(d.tap("detail.close"));
            REQUIRE(d.tap("filter.industry"));
            r.shot("station-filter-" + orient + "-" + lang + ".png");
            REQUIRE(d.tap("pick.close"));
            REQUIRE(d.tap("filter.search"));
            r.shot("station-search-" + orient + "-" + lang + ".png");
            REQUIRE(d.tap("search.cancel"));
            REQUIRE(d.tap("admin"));
            for (char c : std::string("2468"))
                REQUIRE(d.tap(std::string("pin:") + c));
            REQUIRE(d.tap("pin:ok"));
            REQUIRE(d.state()["page"] == "panel");
            set_lang(d, l);
            r.shot("admin-panel-" + orient + "-" + lang + ".png");
            REQUIRE(d.tap("admin.leave"));
            REQUIRE(d.tap("admin"));
            for (char c : std::string("11"))
                REQUIRE(d.tap(std::string("pin:") + c));
            r.shot("admin-pin-" + orient + "-" + lang + ".png");
            d.app().show("station");
        }
        // Large text and high contrast, in Chinese.
        set_lang(d, Lang::ZhCN);
        d.app().apply({ui::Intent::ToggleLargeText});
        d.app().apply({ui::Intent::ToggleContrast});
        Png p = r.shot("station-" + orient + "-zh-large-contrast.png");
        CHECK(p.at(static_cast<int>(size.x / 2), static_cast<int>(size.y * 0.2)) != 0xffffff);
        d.app().apply({ui::Intent::ToggleLargeText});
        d.app().apply({ui::Intent::ToggleContrast});
    }
}

TEST_CASE("screenshots: the station's notices in both languages and for older eyes") {
    REQUIRE(have_display());
    Rendered r("shots-notices", ImVec2(1920, 1080));
    auto& d = r.fx->d();
    StationNotice n;
    n.id = "N-1";
    n.union_unit = "无为市";
    n.text = "下一场招聘会：3月1日（周五）上午9点，南陵县体育馆。请带好身份证。";
    n.starts_at = d.wall - 60000;
    n.ends_at = d.wall + 86400000;
    REQUIRE(r.fx->store->upsert_notice(n));
    d.wait(11);
    for (Lang l : {Lang::ZhCN, Lang::EnUS}) {
        std::string lang = l == Lang::ZhCN ? "zh" : "en";
        set_lang(d, l);
        r.shot("station-notice-" + lang + ".png");
        CHECK(d.state()["notices"] == "1");
    }
    set_lang(d, Lang::ZhCN);
    d.app().apply({ui::Intent::ToggleElder, "1", 1});
    REQUIRE(d.ctx().settings.elder);
    r.shot("station-notice-zh-elder.png");
    CHECK(d.state()["notices"] == "1");
    d.app().apply({ui::Intent::ToggleElder, "0", 1});
}

namespace {
ImVec2 hit_min(ui::Driver& d, const std::string& id, ImVec2* max) {
    for (const auto& h : d.ctx().hits)
        if (h.id == id) {
            *max = h.max;
            return h.min;
        }
    FAIL("not on screen: " << id);
    return {};
}
} // namespace

TEST_CASE("high contrast: the quit button's text is readable, the status dot shows, and the quit "
          "dialog's two answers look different") {
    REQUIRE(have_display());
    Rendered r("shots-contrast", ImVec2(1920, 1080));
    auto& d = r.fx->d();
    ui::PinGuard(*r.fx->store).set("2468");
    d.app().apply({ui::Intent::ToggleContrast});
    REQUIRE(d.tap("admin"));
    for (char c : std::string("2468"))
        REQUIRE(d.tap(std::string("pin:") + c));
    REQUIRE(d.tap("pin:ok"));
    REQUIRE(d.state()["page"] == "panel");
    Png p = r.shot("admin-panel-landscape-zh-contrast.png");
    ImVec2 qmax, qmin = hit_min(d, "admin.quit", &qmax);
    auto [fill, ink] = fill_and_ink(p, qmin.x, qmin.y, qmax.x, qmax.y);
    INFO(std::hex << fill << " " << ink);
    CHECK(contrast(fill, ink) >= 4.5);
    // The status dot (standalone: grey in high contrast) against its white pill.
    ImVec2 dmax, dmin = hit_min(d, "mark:status.dot", &dmax);
    ImVec2 smax, smin = hit_min(d, "status", &smax);
    uint32_t pill = p.at(int(smax.x) - 6, int((smin.y + smax.y) / 2));
    double best = 1;
    for (int y = int(dmin.y); y < int(dmax.y); ++y)
        for (int x = int(dmin.x); x < int(dmax.x); ++x)
            best = std::max(best, contrast(p.at(x, y), pill));
    CHECK(best >= 3);
    // Quit? The two answers differ in colour, in high contrast and in the normal palette.
    for (bool hc : {true, false}) {
        if (!hc) d.app().apply({ui::Intent::ToggleContrast});
        REQUIRE(d.tap("admin.quit"));
        REQUIRE(d.state()["page"] == "quit");
        Png q = r.shot(std::string("admin-quit-landscape-zh") + (hc ? "-contrast" : "") + ".png");
        ImVec2 ymax, ymin = hit_min(d, "quit.yes", &ymax);
        ImVec2 nmax, nmin = hit_min(d, "quit.no", &nmax);
        uint32_t yes = fill_and_ink(q, ymin.x, ymin.y, ymax.x, ymax.y).first,
                 no = fill_and_ink(q, nmin.x, nmin.y, nmax.x, nmax.y).first;
        INFO(std::hex << yes << " " << no);
        CHECK(contrast(yes, no) >= 3);
        REQUIRE(d.tap("quit.no"));
    }
}
