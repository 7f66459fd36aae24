// The terminal in real use: what a person waits for.
//
// Figures (JSON lines; targets in targets.json)
// - terminal_input: time from an X input event (a finger's tap as XTest events, held 80 ms, on
//   the real jobfair-kiosk under its own Xvfb, software GL; timed from the release, on which a
//   button acts) to the tapped page's pixels on the X server, p50/p95/max over taps that switch
//   the entrance between its prompt and its look-up page.
// - terminal_camera: the kiosk's CPU in % of one core on the entrance with an image-folder camera
//   of blank 1080p frames at 30 fps (nobody in front of it).
// - terminal_walkup_import: latency of walk-up registrations recorded on one connection while
//   another imports 100,000 listings (--quick: 20,000), p50/p99/max, and how many failed.
// - terminal_intent: at the employer desk of the real jobfair-kiosk (X input by xdotool), taps
//   and seconds from a seeker's scan to the booth intent stored in the kiosk's own file, over
//   several seekers (p50/max).
// --only input|camera|import|intent runs one part.
#include "kiosk/desk/registration.hpp"
#include "sync/protocol/credential.hpp"
#include "kiosk/forms/export.hpp"
#include "platform/scan/image.hpp"
#include "kiosk/store/demo.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/driver.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <sstream>

// Last: Xlib's macros (None, Status, …) must not meet the project's headers.
#include "tests/ui/real_window.hpp"
#include <X11/extensions/XTest.h>

using namespace jf;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

Date today() {
    return cst_date(std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count());
}

std::string fresh_dir(const std::string& name) {
    auto d = fs::temp_directory_path() / ("jf-bench-term-" + name + "-" + std::to_string(getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d.string();
}

std::string demo_dir(const std::string& name) {
    std::string dir = fresh_dir(name);
    auto s = Store::open(dir + "/kiosk.db");
    if (!s || !seed_demo(*s, default_demo_dir(), today())) {
        std::printf("{\"bench\":\"terminal\",\"error\":\"demo seeding failed\"}\n");
        std::exit(1);
    }
    return dir;
}

double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t i = std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5));
    return v[i];
}

// Where the entrance's buttons are, from the same screens laid out headlessly.
struct Layout {
    ImVec2 lookup, back;
};
Layout entrance_layout() {
    std::string dir = demo_dir("layout");
    auto store = Store::open(dir + "/kiosk.db");
    auto identity = load_identity(*store);
    Translations tr;
    tr.load(JF_ASSETS_DIR "/i18n");
    ui::Context ctx;
    ctx.tr = &tr;
    ctx.store = store.get();
    ctx.identity = &*identity;
    ctx.fair_id = identity->fair_id;
    ctx.settings.mode = ui::Mode::Entrance;
    Layout l;
    {
        ui::Driver d(std::move(ctx));
        d.frames(3);
        l.lookup = d.center("entrance.lookup");
        d.tap("entrance.lookup");
        l.back = d.center("entrance.back");
    }
    store.reset();
    fs::remove_all(dir);
    return l;
}

// Pixels of `a` that differ from `b` (same size).
long diff_count(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
    if (a.size() != b.size() || a.empty()) return -1;
    long n = 0;
    for (size_t i = 0; i < a.size(); ++i)
        n += a[i] != b[i];
    return n;
}

// A finger's tap as XTest events on the kiosk's display (what xdotool sends, without a process
// start in the timing): move, press, hold, release. Returns the moment the release was sent, from
// which a tap's result is timed (a button acts on release).
Clock::time_point finger_tap(Display* dpy, int x, int y, int hold_ms) {
    XTestFakeMotionEvent(dpy, -1, x, y, CurrentTime);
    XTestFakeButtonEvent(dpy, 1, True, CurrentTime);
    XFlush(dpy);
    e2e::sleep_ms(hold_ms);
    auto released = Clock::now();
    XTestFakeButtonEvent(dpy, 1, False, CurrentTime);
    XFlush(dpy);
    return released;
}

void input_bench(bool quick) {
    e2e::Xvfb x;
    if (!x.start()) {
        std::printf("{\"bench\":\"terminal_input\",\"error\":\"no Xvfb\"}\n");
        return;
    }
    Layout l = entrance_layout();
    std::string dir = demo_dir("input");
    e2e::Kiosk k;
    if (!k.start(JF_KIOSK_BIN, dir, {"--mode", "entrance", "--hide-cursor"})) {
        std::printf("{\"bench\":\"terminal_input\",\"error\":\"no first frame\"}\n");
        return;
    }
    e2e::sleep_ms(1000);
    Display* dpy = x.display();
    // The band where the prompt's headline and the look-up's field differ; each page's pixels
    // there are taken once, settled, and a tap counts as answered when the band shows its target
    // page (a blinking caret aside: under 1% of the band may differ).
    int rx = 40, ry = 200, rw = 800, rh = 200;
    long tolerance = rw * rh / 100;
    std::vector<uint32_t> page[2];
    page[0] = e2e::region(dpy, rx, ry, rw, rh);
    finger_tap(dpy, static_cast<int>(l.lookup.x), static_cast<int>(l.lookup.y), 80);
    e2e::sleep_ms(1500);
    page[1] = e2e::region(dpy, rx, ry, rw, rh);
    finger_tap(dpy, static_cast<int>(l.back.x), static_cast<int>(l.back.y), 80);
    e2e::sleep_ms(1500);
    if (diff_count(page[0], page[1]) <= tolerance) {
        std::printf("{\"bench\":\"terminal_input\",\"error\":\"the tap changed nothing\"}\n");
        k.stop();
        return;
    }
    std::vector<double> ms;
    int n = quick ? 10 : 50, lost = 0;
    for (int i = 0; i < 2 * n; ++i) {
        int target = i % 2 == 0 ? 1 : 0;
        ImVec2 at = target == 1 ? l.lookup : l.back;
        auto t0 = finger_tap(dpy, static_cast<int>(at.x), static_cast<int>(at.y), 80);
        bool shown = false;
        while (Clock::now() - t0 < std::chrono::seconds(2)) {
            auto now = e2e::region(dpy, rx, ry, rw, rh);
            long d = diff_count(now, page[target]);
            if (d >= 0 && d <= tolerance) {
                shown = true;
                break;
            }
            e2e::sleep_ms(1);
        }
        double t = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (shown)
            ms.push_back(t);
        else
            ++lost;
        e2e::sleep_ms(300); // a person's pace; the screen settles
    }
    k.stop();
    std::printf("{\"bench\":\"terminal_input\",\"p50_ms\":%.1f,\"p95_ms\":%.1f,\"max_ms\":%.1f,"
                "\"taps\":%d,\"never_drawn\":%d}\n",
                pct(ms, 0.5), pct(ms, 0.95), pct(ms, 1.0), 2 * n, lost);
    std::fflush(stdout);
    fs::remove_all(dir);
}

void camera_bench(bool quick) {
    e2e::Xvfb x;
    if (!x.start()) return;
    std::string cams = fresh_dir("frames");
    scan::GrayImage blank(1920, 1080, 128);
    for (int i = 0; i < 3; ++i)
        scan::write_png(cams + "/" + std::to_string(i) + ".png", blank);
    std::string dir = demo_dir("camera");
    e2e::Kiosk k;
    if (!k.start(JF_KIOSK_BIN, dir, {"--mode", "entrance", "--hide-cursor"},
                 {"JF_CAMERA=" + cams})) {
        std::printf("{\"bench\":\"terminal_camera\",\"error\":\"no first frame\"}\n");
        return;
    }
    e2e::sleep_ms(2000);
    double seconds = quick ? 8 : 30;
    double c0 = e2e::cpu_seconds(k.pid());
    auto t0 = Clock::now();
    e2e::sleep_ms(static_cast<int>(seconds * 1000));
    double cpu = e2e::cpu_seconds(k.pid()) - c0;
    double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    k.stop();
    std::printf("{\"bench\":\"terminal_camera\",\"cpu_pct\":%.1f,\"seconds\":%.0f,"
                "\"frames\":\"1920x1080 blank, 30 fps\"}\n",
                100 * cpu / wall, wall);
    std::fflush(stdout);
    fs::remove_all(dir);
    fs::remove_all(cams);
}

void import_bench(bool quick) {
    int rows = quick ? 20000 : 100000;
    std::string dir = demo_dir("import");
    std::string path = dir + "/kiosk.db";
    std::vector<JobListing> listings;
    for (int i = 0; i < rows; ++i) {
        JobListing l;
        l.id = "IMP-" + std::to_string(i);
        l.employer_name = "芜湖鑫昊电子有限公司";
        l.title = "焊工" + std::to_string(i % 97);
        l.headcount = 1 + i % 9;
        l.work_location = "无为";
        l.industry = "制造业";
        l.salary = "4500-6000元/月";
        l.education = "初中及以上";
        l.contact_name = "王女士";
        l.contact_phone = "0553-6661234";
        l.description = "负责焊接与设备点检，能适应两班倒，岗位编号" + std::to_string(i);
        l.deadline = Date::from_days(today().days_since_epoch() + 30);
        listings.push_back(std::move(l));
    }
    std::atomic<bool> importing{true};
    double import_s = 0;
    std::thread import([&] {
        auto s = Store::open(path);
        auto t0 = Clock::now();
        forms::apply_listings(*s, listings);
        import_s = std::chrono::duration<double>(Clock::now() - t0).count();
        importing = false;
    });
    auto store = Store::open(path);
    auto identity = load_identity(*store);
    std::vector<double> ms;
    int failed = 0;
    for (int i = 0; importing; ++i) {
        desk::WalkUpForm f;
        f.name = "张伟";
        char phone[16];
        std::snprintf(phone, sizeof phone, "139%08d", i);
        f.phone = phone;
        f.consent = true;
        std::string err;
        auto t0 = Clock::now();
        auto r = desk::register_walk_up(*store, *identity, f,
                                        std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count(),
                                        &err);
        double t = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (r && importing) ms.push_back(t);
        if (!r) ++failed;
        e2e::sleep_ms(20);
    }
    import.join();
    store.reset();
    std::printf("{\"bench\":\"terminal_walkup_import\",\"p50_ms\":%.1f,\"p99_ms\":%.1f,"
                "\"max_ms\":%.1f,\"walkups\":%zu,\"failed\":%d,\"rows\":%d,\"import_s\":%.1f}\n",
                pct(ms, 0.5), pct(ms, 0.99), pct(ms, 1.0), ms.size(), failed, rows, import_s);
    std::fflush(stdout);
    fs::remove_all(dir);
}

void intent_bench(bool quick) {
    e2e::Xvfb x;
    if (!x.start()) {
        std::printf("{\"bench\":\"terminal_intent\",\"error\":\"no Xvfb\"}\n");
        return;
    }
    // The headless twin: where the intent buttons are once a seeker is scanned.
    std::string layout_dir = demo_dir("intent-layout");
    auto layout_store = Store::open(layout_dir + "/kiosk.db");
    auto identity = load_identity(*layout_store);
    auto keys = load_demo_keys(default_demo_dir());
    auto code = [&](CredentialKind kind, const std::string& holder) {
        Credential c;
        c.kind = kind;
        c.holder_id = holder;
        c.scope = CredentialScope::Fair;
        c.scope_id = identity->fair_id;
        c.valid_from = today();
        c.valid_until = today();
        auto sc = issue(c, keys->issuer);
        return sc ? encode(*sc) : std::string();
    };
    Translations tr;
    tr.load(JF_ASSETS_DIR "/i18n");
    ui::Context ctx;
    ctx.tr = &tr;
    ctx.store = layout_store.get();
    ctx.identity = &*identity;
    ctx.fair_id = identity->fair_id;
    ctx.settings.mode = ui::Mode::Employer;
    ui::Driver twin(std::move(ctx));
    twin.frames(3);
    auto twin_scan = [&](const std::string& text) {
        ImGuiIO& io = ImGui::GetIO();
        for (char c : text)
            io.AddInputCharacter(static_cast<unsigned char>(c));
        io.AddInputCharacter('\r');
        twin.frames(2);
    };
    std::string badge = code(CredentialKind::Employer, "DEMO-E-01");
    twin_scan(badge);
    twin_scan(code(CredentialKind::Attendee, "DEMO-A-001"));
    ImVec2 at = twin.center("desk.intent.interview");

    std::string dir = demo_dir("intent");
    e2e::Kiosk k;
    if (!k.start(JF_KIOSK_BIN, dir, {"--mode", "employer", "--hide-cursor"})) {
        std::printf("{\"bench\":\"terminal_intent\",\"error\":\"no first frame\"}\n");
        return;
    }
    e2e::sleep_ms(1000);
    e2e::xdotool("mousemove 960 1075"); // keys go to the window under the pointer
    e2e::scan(badge);
    e2e::sleep_ms(500);
    auto store = Store::open(dir + "/kiosk.db");
    std::vector<double> seconds;
    int n = quick ? 3 : 10, lost = 0;
    for (int i = 0; i < n; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "DEMO-A-%03d", i + 1);
        size_t before = store->intents(identity->fair_id).size();
        auto band = e2e::region(x.display(), int(at.x) - 100, int(at.y) - 30, 200, 60);
        auto t0 = Clock::now();
        e2e::scan(code(CredentialKind::Attendee, id));
        // The form's buttons are drawn: tap the level, once.
        while (Clock::now() - t0 < std::chrono::seconds(5) &&
               e2e::region(x.display(), int(at.x) - 100, int(at.y) - 30, 200, 60) == band)
            e2e::sleep_ms(5);
        e2e::tap(int(at.x), int(at.y));
        bool stored = false;
        while (Clock::now() - t0 < std::chrono::seconds(5) &&
               !(stored = store->intents(identity->fair_id).size() > before))
            e2e::sleep_ms(5);
        if (stored)
            seconds.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
        else
            ++lost;
        e2e::sleep_ms(300);
    }
    k.stop();
    std::printf("{\"bench\":\"terminal_intent\",\"taps\":1,\"p50_s\":%.2f,\"max_s\":%.2f,"
                "\"seekers\":%d,\"not_stored\":%d}\n",
                pct(seconds, 0.5), pct(seconds, 1.0), n, lost);
    std::fflush(stdout);
    store.reset();
    layout_store.reset();
    fs::remove_all(dir);
    fs::remove_all(layout_dir);
}

} // namespace

int main(int argc, char** argv) {
    bool quick = false;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) quick = true;
        if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
    }
    crypto_init();
    if (only.empty() || only == "input") input_bench(quick);
    if (only.empty() || only == "camera") camera_bench(quick);
    if (only.empty() || only == "import") import_bench(quick);
    if (only.empty() || only == "intent") intent_bench(quick);
    return 0;
}
