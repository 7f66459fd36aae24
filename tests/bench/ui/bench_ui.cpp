// UI benchmark: what the touchscreen costs the terminal.
//
// Figures (JSON lines; targets in targets.json)
// - ui_frame, per screen: CPU ms per frame of the screens' own code (layout, text, draw lists),
//   driven headlessly; each figure is taken only after the app's state shows the named screen.
// - ui.idle_cpu_pct: the real jobfair-kiosk on the station screen with 10,000 listings, CPU over
//   a quiet period (60 s; --quick 12 s) in % of one core, rendering included (Mesa's software GL
//   under Xvfb: a worst case); ui_idle_frames: what its frame loop did meanwhile (its log).
// - ui.rss_mb_10k: resident memory with fonts and 10,000 listings, after a few auto-advances.
// - ui.first_frame_ms: start of the process to its first frame, 100,000 listings (--quick 20,000).
// - ui_filter: the station's industry and place filters over 1,000,000 listings (--quick 60,000):
//   the longest frame while the picker fills and the count comes (wall ms), and the count's time.
// The process figures run the kiosk on an Xvfb of their own (tests/ui/real_window.hpp).
// --only frames|filter|idle|rss|start runs one part; --kiosk PATH measures another jobfair-kiosk build.
#include "kiosk/store/demo.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/driver.hpp"
#include "kiosk/ui/pin.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "tests/ui/real_window.hpp"

using namespace jf;
using Clock = std::chrono::steady_clock;

namespace {

double cpu_now() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

std::string temp_dir(const std::string& name) {
    auto d = std::filesystem::temp_directory_path() /
             ("jf-bench-ui-" + name + "-" + std::to_string(getpid()));
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d.string();
}

// Listings shaped like 附件4 rows, with varied text so the font atlas sees many characters.
void generate(Store& s, Date today, int n) {
    const char* titles[] = {"普工",   "操作工", "叉车司机",       "电工",    "焊工",   "仓库管理员",
                            "保洁员", "质检员", "数控车床操作工", "包装工",  "装配工", "客服专员",
                            "厨师",   "保安",   "物流配送员",     "销售代表"};
    const char* employers[] = {"芜湖鑫昊电子有限公司",     "安徽琦瑾物流有限公司",
                               "无为梓涵食品厂",           "繁昌县建材有限公司",
                               "南陵县汽车零部件有限公司", "芜湖市鸠江区家政服务中心",
                               "安徽皖江电缆股份有限公司"};
    const char* locations[] = {"无为", "芜湖", "繁昌", "南陵", "湾沚",
                               "鸠江", "镜湖", "弋江", "三山"};
    const char* industries[] = {"制造业", "物流", "食品", "建材", "汽车", "家政", "电缆", "零售"};
    s.transaction([&] {
        for (int i = 0; i < n; ++i) {
            JobListing l;
            l.id = "B" + std::to_string(i);
            l.employer_name = std::string(employers[i % 7]) +
                              (i % 3 ? "" : "第" + std::to_string(i % 50) + "分公司");
            l.title = titles[i % 16];
            l.headcount = 1 + i % 30;
            l.work_location = locations[i % 9];
            l.industry = industries[(i / 7) % 8];
            l.salary = std::to_string(3500 + (i % 40) * 100) + "-" +
                       std::to_string(5000 + (i % 40) * 100) + "元/月";
            l.education = i % 2 ? "初中及以上" : "高中/中专及以上";
            l.contact_name = "王女士";
            l.contact_phone = "0553-" + std::to_string(6000000 + i % 999999);
            l.description = "负责生产线日常操作与设备点检，能适应两班倒，提供五险一金、免费工作餐和"
                            "宿舍。岗位编号" +
                            std::to_string(i);
            l.experience = i % 4 ? "不限" : "1年以上";
            l.deadline = Date::from_days(today.days_since_epoch() + 10 + i % 60);
            if (!s.upsert_listing(l)) return false;
        }
        return true;
    });
}

Date today_cst() {
    return cst_date(std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count());
}

std::string make_store(const std::string& name, int listings) {
    std::string dir = temp_dir(name);
    auto s = Store::open(dir + "/kiosk.db");
    Fair f;
    f.id = "fair-bench";
    f.name = "无为市工会送岗位招聘会";
    f.union_unit = "无为市";
    f.venue = "无为市职工服务中心";
    f.date = today_cst();
    s->upsert_fair(f);
    generate(*s, f.date, listings);
    return dir;
}

// Fails the whole benchmark, loudly: a figure measured on the wrong screen is worse than none.
[[noreturn]] void wrong_screen(const char* figure, const std::string& why) {
    std::printf("{\"bench\":\"ui_frame\",\"screen\":\"%s\",\"error\":\"%s\"}\n", figure,
                why.c_str());
    std::fflush(stdout);
    std::fprintf(stderr, "bench_ui: %s: %s\n", figure, why.c_str());
    std::exit(1);
}

void frame_bench(bool quick) {
    std::string dir = temp_dir("frames");
    auto store = Store::open(dir + "/kiosk.db");
    std::string err;
    // The demo gives the terminal its identity, fair, employers and attendees; 2,000 listings
    // more make the station's list long.
    if (!seed_demo(*store, JF_ASSETS_DIR "/demo", today_cst(), &err)) wrong_screen("setup", err);
    generate(*store, today_cst(), 2000);
    auto identity = load_identity(*store);
    if (!identity) wrong_screen("setup", "the demo made no terminal identity");
    Translations tr;
    tr.load(JF_ASSETS_DIR "/i18n");
    ui::PinGuard(*store).set("2468");
    ui::Context ctx;
    ctx.tr = &tr;
    ctx.store = store.get();
    ctx.identity = &*identity;
    ctx.fair_id = identity->fair_id;
    ctx.data_dir = dir;
    ctx.settings.mode = ui::Mode::Station;
    // Texture names as the window hands them out, without a GL context: QR codes then take the
    // same path as in the kiosk (one image each, made once), not the rectangles drawn headless.
    uintptr_t next_texture = 1;
    ctx.textures.create = [&](const uint8_t*, int, int) { return next_texture++; };
    ctx.textures.destroy = [](uintptr_t) {};
    ui::Driver d(std::move(ctx));
    int n = quick ? 60 : 600; // 10 s of frames at most: far from the 60 s idle reset
    // Each figure is taken only on the screen it names, checked before and after from the app's
    // own state (the view shown and what it describes).
    using Facts = std::map<std::string, std::string>;
    auto check = [&](const char* figure, const char* screen, const Facts& facts, const char* when) {
        if (d.screen() != screen)
            wrong_screen(figure, std::string(when) + ": on screen '" + d.screen() + "', not '" +
                                     screen + "'");
        auto st = d.state();
        for (auto& [k, v] : facts)
            if (st[k] != v)
                wrong_screen(figure,
                             std::string(when) + ": " + k + " is '" + st[k] + "', not '" + v + "'");
    };
    auto tap = [&](const char* figure, const std::string& id) {
        if (!d.tap(id)) wrong_screen(figure, "'" + id + "' is not on screen '" + d.screen() + "'");
    };
    auto measure = [&](const char* figure, const char* screen, const Facts& facts,
                       const std::function<void()>& step) {
        d.frames(5); // the atlas settles
        check(figure, screen, facts, "before");
        double c0 = cpu_now();
        for (int i = 0; i < n; ++i)
            step();
        double ms = (cpu_now() - c0) * 1000 / n;
        check(figure, screen, facts, "after");
        // How much the screen draws: an empty or wrong screen shows in a tiny count.
        ImDrawData* dd = ImGui::GetDrawData();
        int vertices = dd ? dd->TotalVtxCount : 0;
        std::printf("{\"bench\":\"ui_frame\",\"screen\":\"%s\",\"cpu_ms_per_frame\":%.3f,"
                    "\"frames\":%d,\"vertices\":%d}\n",
                    figure, ms, n, vertices);
        std::fflush(stdout);
    };
    d.frames(3);
    measure("station", "station", {{"detail", ""}, {"picker", "0"}}, [&] { d.frame(); });
    // Dragging: the pointer moves every frame, the list scrolls.
    int k = 0;
    d.frame(true, ImVec2(900, 900));
    measure("station_drag", "station", {{"detail", ""}},
            [&] { d.frame(true, ImVec2(900, 900 - static_cast<float>((k++ * 7) % 500))); });
    d.frame(false, ImVec2(900, 400));
    d.frames(300);
    std::string first = d.state()["first_id"];
    tap("station_detail", "card:" + first);
    measure("station_detail", "station", {{"detail", first}}, [&] { d.frame(); });
    tap("station_detail", "detail.close");
    tap("station_search", "filter.search");
    measure("station_search_keyboard", "station", {{"picker", "3"}}, [&] { d.frame(); });
    tap("station_search", "search.cancel");
    tap("admin_pin", "admin");
    measure("admin_pin", "admin", {{"page", "pin"}}, [&] { d.frame(); });
    for (char c : std::string("2468"))
        tap("admin_panel", std::string("pin:") + c);
    tap("admin_panel", "pin:ok");
    measure("admin_panel", "admin", {{"page", "panel"}}, [&] { d.frame(); });
    // Staff switch the terminal to the entrance, as on the admin screen.
    tap("entrance", "mode:entrance");
    tap("entrance", "admin.leave");
    measure("entrance", "entrance", {{"page", "prompt"}}, [&] { d.frame(); });
    tap("entrance_lookup_keyboard", "entrance.lookup");
    measure("entrance_lookup_keyboard", "entrance", {{"page", "lookup"}}, [&] { d.frame(); });
    // Idle: the entrance falls back to the listings, whose admin button leads to the employer
    // desk.
    d.wait(ui::kIdleSeconds + 1);
    check("employer", "station", {}, "idle fallback");
    tap("employer", "admin");
    for (char c : std::string("2468"))
        tap("employer", std::string("pin:") + c);
    tap("employer", "pin:ok");
    tap("employer", "mode:employer");
    tap("employer", "admin.leave");
    measure("employer", "employer", {{"step", "badge"}}, [&] { d.frame(); });
    std::filesystem::remove_all(dir);
}

// -- The real process ----------------------------------------------------------------------------
// The kiosk never drew: say so in the figures (and the exit status) instead of leaving a gap.
int g_failures = 0;
void no_first_frame(const char* part, const std::string& dir) {
    ++g_failures;
    std::printf(
        "{\"bench\":\"ui\",\"error\":\"%s: jobfair-kiosk drew no first frame (logs in %s)\"}\n",
        part, dir.c_str());
    std::fflush(stdout);
}

// The last "frame_stats" line the kiosk logged (at exit): what its frame loop did meanwhile.
std::map<std::string, std::string> last_frame_stats(const std::string& dir) {
    std::ifstream in(dir + "/logs/kiosk.log");
    std::string line, last;
    while (std::getline(in, line))
        if (line.find("\"event\":\"frame_stats\"") != std::string::npos) last = line;
    std::map<std::string, std::string> out;
    size_t i = 0;
    while ((i = last.find('"', i)) != std::string::npos) {
        size_t ke = last.find('"', i + 1);
        if (ke == std::string::npos || ke + 2 >= last.size() || last[ke + 1] != ':') break;
        std::string key = last.substr(i + 1, ke - i - 1);
        size_t vs = ke + 2;
        if (last[vs] == '"') {
            size_t ve = last.find('"', vs + 1);
            out[key] = last.substr(vs + 1, ve - vs - 1);
            i = ve + 1;
        } else {
            size_t ve = last.find_first_of(",}", vs);
            out[key] = last.substr(vs, ve - vs);
            i = ve;
        }
    }
    return out;
}

// Resident memory split: anonymous (heap, GL buffers) and file-backed (libraries, the font).
std::map<std::string, double> rss_split_mb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::map<std::string, double> out;
    std::string line;
    while (std::getline(in, line)) {
        auto c = line.find(':');
        if (c == std::string::npos) continue;
        try {
            out[line.substr(0, c)] = std::stod(line.substr(c + 1)) / 1024.0;
        } catch (...) {
        }
    }
    return out;
}

void process_bench(bool quick, const std::string& only, const std::string& kiosk) {
    e2e::Xvfb x; // a display of its own, as the end-to-end tests have
    if (!x.start()) {
        std::fprintf(stderr, "bench_ui: no Xvfb: process figures skipped\n");
        return;
    }
    std::string bin = kiosk.empty() ? JF_KIOSK_BIN : kiosk;
    auto want = [&](const char* part) { return only.empty() || only == part; };
    const std::vector<std::string> station = {"--windowed", "1920x1080", "--mode", "station"};
    // The station as a person leaves it: 10,000 listings in the store, auto-advancing.
    std::string dir10k;
    if (want("idle") || want("rss")) dir10k = make_store("10k", 10000);
    // Idle CPU on the station screen, with the listings rotating by themselves.
    if (want("idle")) {
        std::filesystem::remove_all(dir10k + "/logs");
        e2e::Kiosk k;
        bool up = k.start(bin, dir10k, station);
        std::this_thread::sleep_for(std::chrono::seconds(2));
        double seconds = quick ? 12 : 60;
        double c0 = e2e::cpu_seconds(k.pid());
        auto t0 = Clock::now();
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
        double cpu = e2e::cpu_seconds(k.pid()) - c0;
        double wall = std::chrono::duration<double>(Clock::now() - t0).count();
        k.stop();
        if (!up) no_first_frame("idle", dir10k);
        if (up) {
            std::printf("{\"bench\":\"ui\",\"idle_cpu_pct\":%.2f,\"idle_seconds\":%.0f}\n",
                        100.0 * cpu / wall, wall);
            // Since the first frame (the idle window plus 2 s): frames the kiosk showed, frames
            // it skipped as unchanged, and its main thread's CPU per shown frame by phase.
            auto fs = last_frame_stats(dir10k);
            if (!fs.empty())
                std::printf("{\"bench\":\"ui_idle_frames\",\"frames_per_min\":%s,\"frames\":%s,"
                            "\"skipped\":%s,\"wakes\":%s,\"build_ms\":%s,\"render_ms\":%s,"
                            "\"present_ms\":%s,\"seconds\":%s}\n",
                            fs["frames_per_min"].c_str(), fs["frames"].c_str(),
                            fs["skipped"].c_str(), fs["wakes"].c_str(), fs["build_ms"].c_str(),
                            fs["render_ms"].c_str(), fs["present_ms"].c_str(),
                            fs["seconds"].c_str());
        }
        std::fflush(stdout);
    }
    // Memory with fonts and 10,000 listings, after a few auto-advances (atlas grown, pages
    // cached).
    if (want("rss")) {
        e2e::Kiosk k;
        bool up = k.start(bin, dir10k, station);
        std::this_thread::sleep_for(std::chrono::seconds(quick ? 3 : 20));
        double rss = e2e::rss_mb(k.pid());
        auto split = rss_split_mb(k.pid());
        k.stop();
        if (!up) no_first_frame("rss", dir10k);
        if (up)
            std::printf("{\"bench\":\"ui\",\"rss_mb_10k\":%.1f,\"anon_mb\":%.1f,\"file_mb\":%.1f,"
                        "\"shmem_mb\":%.1f}\n",
                        rss, split["Pss_Anon"], split["Pss_File"], split["Pss_Shmem"]);
        std::fflush(stdout);
    }
    if (!dir10k.empty() && !g_failures) std::filesystem::remove_all(dir10k); // else kept: logs
    // Start to first frame with 100,000 listings in the store.
    if (want("start")) {
        int n = quick ? 20000 : 100000;
        std::string dir = make_store("start", n);
        double best = 1e9;
        for (int run = 0; run < 3; ++run) {
            std::filesystem::remove_all(dir + "/logs");
            auto t0 = Clock::now();
            e2e::Kiosk k;
            bool up = k.start(bin, dir, station);
            double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            k.stop();
            if (up) best = std::min(best, ms);
        }
        if (best >= 1e9) no_first_frame("start", dir);
        if (best < 1e9)
            std::printf("{\"bench\":\"ui\",\"first_frame_ms\":%.0f,\"listings\":%d}\n", best, n);
        if (!g_failures) std::filesystem::remove_all(dir);
    }
}

// The station's filters on a large store: a tap on an industry, then on a place, each until its
// count is in. The screen's frames go on meanwhile (the counts and the pickers' values come from
// a reader thread above kReadAtOnce listings); the figure is the longest frame (wall ms) from the
// tap to the count, and how long the count took.
void filter_bench(bool quick) {
    int n = quick ? 60000 : 1000000;
    std::string dir = make_store("filter", n);
    auto store = Store::open(dir + "/kiosk.db");
    Translations tr;
    tr.load(JF_ASSETS_DIR "/i18n");
    ui::Context ctx;
    ctx.tr = &tr;
    ctx.store = store.get();
    ctx.fair_id = "fair-bench";
    ctx.data_dir = dir;
    ctx.settings.mode = ui::Mode::Station;
    ui::Driver d(std::move(ctx));
    auto timed_frame = [&](double* worst) {
        auto t0 = Clock::now();
        d.frame();
        *worst = std::max(*worst,
                          std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    };
    // The screen as a person finds it: shown for a second (the pickers' values are in).
    double first_worst = 0;
    for (auto t0 = Clock::now(); Clock::now() - t0 < std::chrono::seconds(1);) {
        timed_frame(&first_worst);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    bool ok = true;
    for (const char* filter : {"filter.industry", "filter.location"}) {
        double worst = 0;
        auto t0 = Clock::now();
        if (!d.tap(filter)) wrong_screen("filter", std::string(filter) + " is not on screen");
        // The picker's values, then the choice.
        while (!d.visible("pick:2") && Clock::now() - t0 < std::chrono::seconds(30))
            timed_frame(&worst);
        ImVec2 at = d.center("pick:2");
        auto tap0 = Clock::now();
        for (bool down : {true, false}) { // the finger on the value, and off it (the choice)
            auto f0 = Clock::now();
            d.frame(down, at);
            worst = std::max(worst,
                             std::chrono::duration<double, std::milli>(Clock::now() - f0).count());
        }
        while (d.state()["counted"] != "1" && Clock::now() - tap0 < std::chrono::seconds(30)) {
            timed_frame(&worst);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        double count_ms = std::chrono::duration<double, std::milli>(Clock::now() - tap0).count();
        auto st = d.state();
        ok = ok && st["counted"] == "1" && !st["listed"].empty() && st["listed"] != "0";
        std::printf("{\"bench\":\"ui_filter\",\"filter\":\"%s\",\"listings\":%d,"
                    "\"listed\":%s,\"max_frame_ms\":%.1f,\"count_ms\":%.1f}\n",
                    filter + 7, n, st["listed"].c_str(), worst, count_ms);
        std::fflush(stdout);
    }
    if (!ok) wrong_screen("filter", "a filter's count never came");
    store.reset();
    std::filesystem::remove_all(dir);
}

} // namespace

int main(int argc, char** argv) {
    bool quick = false;
    std::string only;  // --only frames|filter|idle|rss|start: one part, for one figure
    std::string kiosk; // --kiosk PATH: measure another build of jobfair-kiosk (before/after)
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) quick = true;
        if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
        if (std::strcmp(argv[i], "--kiosk") == 0 && i + 1 < argc) kiosk = argv[++i];
    }
    crypto_init();
    if (only.empty() || only == "frames") frame_bench(quick);
    if (only.empty() || only == "filter") filter_bench(quick);
    if (only != "frames" && only != "filter") process_bench(quick, only, kiosk);
    return g_failures ? 1 : 0;
}
