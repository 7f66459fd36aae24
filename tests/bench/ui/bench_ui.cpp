// UI benchmark: what the touchscreen costs the terminal.
//
// Figures (JSON lines; targets in targets.json)
//   ui_frame        per screen: CPU ms per frame of the UI code (layout, text, draw lists),
//   headless ui              idle_cpu_pct      the real jobfair-kiosk on the station screen, CPU
//   over a quiet
//                                     period (60 s; --quick 12 s) in % of one core, rendering
//                                     included (Mesa's software GL under Xvfb: a worst case)
//                   rss_mb_10k        resident memory with fonts and 10,000 listings, after
//                   browsing first_frame_ms    start of the process to its first frame, 100,000
//                   listings
//                                     (--quick: 20,000)
// The process figures need an X display; without DISPLAY the benchmark starts its own Xvfb.
#include "store/store.hpp"
#include "ui/driver.hpp"
#include "ui/pin.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

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

void frame_bench(bool quick) {
    std::string dir = make_store("frames", 2000);
    auto store = Store::open(dir + "/kiosk.db");
    Translations tr;
    tr.load(JF_ASSETS_DIR "/i18n");
    ui::PinGuard(*store).set("2468");
    ui::Context ctx;
    ctx.tr = &tr;
    ctx.store = store.get();
    ctx.fair_id = "fair-bench";
    ctx.data_dir = dir;
    ui::Driver d(std::move(ctx));
    int n = quick ? 60 : 600;
    auto measure = [&](const char* screen, const std::function<void()>& step) {
        d.frames(5); // the atlas settles
        double c0 = cpu_now();
        for (int i = 0; i < n; ++i)
            step();
        double ms = (cpu_now() - c0) * 1000 / n;
        std::printf(
            "{\"bench\":\"ui_frame\",\"screen\":\"%s\",\"cpu_ms_per_frame\":%.3f,\"frames\":%d}\n",
            screen, ms, n);
    };
    measure("station", [&] { d.frame(); });
    // Dragging: the pointer moves every frame, the list scrolls.
    int k = 0;
    d.frame(true, ImVec2(900, 900));
    measure("station_drag",
            [&] { d.frame(true, ImVec2(900, 900 - static_cast<float>((k++ * 7) % 500))); });
    d.frame(false, ImVec2(900, 400));
    d.frames(300);
    d.tap(d.center("card:" + d.state()["first_id"]));
    measure("station_detail", [&] { d.frame(); });
    d.tap("detail.close");
    d.tap("filter.search");
    measure("station_search", [&] { d.frame(); });
    d.tap("search.cancel");
    d.tap("admin");
    measure("admin_pin", [&] { d.frame(); });
    for (char c : std::string("2468"))
        d.tap(std::string("pin:") + c);
    d.tap("pin:ok");
    measure("admin_panel", [&] { d.frame(); });
    std::filesystem::remove_all(dir);
}

// -- The real process ----------------------------------------------------------------------------
pid_t spawn(const std::vector<std::string>& argv) {
    pid_t pid = fork();
    if (pid == 0) {
        std::vector<char*> a;
        for (auto& s : argv)
            a.push_back(const_cast<char*>(s.c_str()));
        a.push_back(nullptr);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, 2);
        execv(a[0], a.data());
        _exit(127);
    }
    return pid;
}

double proc_cpu_s(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto p = s.rfind(')');
    if (p == std::string::npos) return 0;
    std::istringstream f(s.substr(p + 2));
    std::string field;
    unsigned long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && f >> field; ++i) {
        if (i == 14) utime = std::stoul(field);
        if (i == 15) stime = std::stoul(field);
    }
    return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

double rss_mb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

bool wait_for_log(const std::string& dir, const char* event, double timeout_s) {
    auto t0 = Clock::now();
    while (std::chrono::duration<double>(Clock::now() - t0).count() < timeout_s) {
        std::ifstream in(dir + "/logs/kiosk.log");
        std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (s.find(event) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
}

void stop(pid_t pid) {
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
}

pid_t g_xvfb = 0;
bool ensure_display() {
    const char* d = std::getenv("DISPLAY");
    if (d && *d) return true;
    int fds[2];
    if (pipe(fds) != 0) return false;
    g_xvfb = fork();
    if (g_xvfb == 0) {
        close(fds[0]);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, 2);
        std::string fd = std::to_string(fds[1]);
        execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "1920x1080x24",
               "-nolisten", "tcp", nullptr);
        _exit(127);
    }
    close(fds[1]);
    char buf[32] = {};
    ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
    close(fds[0]);
    if (n <= 0) return false;
    std::string disp = ":" + std::string(buf, static_cast<size_t>(n));
    disp.erase(disp.find_last_not_of("\n ") + 1);
    setenv("DISPLAY", disp.c_str(), 1);
    std::fprintf(stderr, "bench_ui: started Xvfb on %s\n", disp.c_str());
    return true;
}

void process_bench(bool quick) {
    if (!ensure_display()) {
        std::fprintf(stderr, "bench_ui: no X display and no Xvfb: process figures skipped\n");
        return;
    }
    std::string bin = JF_KIOSK_BIN;
    // Idle CPU on the station screen, with the demo's listings rotating by themselves.
    {
        std::string dir = make_store("idle", 60);
        pid_t pid = spawn({bin, "--data-dir", dir, "--windowed", "1920x1080", "--mode", "station"});
        bool up = wait_for_log(dir, "first_frame", 20);
        std::this_thread::sleep_for(std::chrono::seconds(2));
        double seconds = quick ? 12 : 60;
        double c0 = proc_cpu_s(pid);
        auto t0 = Clock::now();
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
        double cpu = proc_cpu_s(pid) - c0;
        double wall = std::chrono::duration<double>(Clock::now() - t0).count();
        stop(pid);
        if (up)
            std::printf("{\"bench\":\"ui\",\"idle_cpu_pct\":%.2f,\"idle_seconds\":%.0f}\n",
                        100.0 * cpu / wall, wall);
        std::filesystem::remove_all(dir);
    }
    // Memory with fonts and 10,000 listings, after the list was browsed (atlas grown, pages
    // cached).
    {
        std::string dir = make_store("rss", 10000);
        pid_t pid = spawn({bin, "--data-dir", dir, "--windowed", "1920x1080", "--mode", "station"});
        bool up = wait_for_log(dir, "first_frame", 20);
        std::this_thread::sleep_for(std::chrono::seconds(quick ? 3 : 10)); // a few auto-advances
        double rss = rss_mb(pid);
        stop(pid);
        if (up) std::printf("{\"bench\":\"ui\",\"rss_mb_10k\":%.1f}\n", rss);
        std::filesystem::remove_all(dir);
    }
    // Start to first frame with 100,000 listings in the store.
    {
        int n = quick ? 20000 : 100000;
        std::string dir = make_store("start", n);
        double best = 1e9;
        for (int run = 0; run < 3; ++run) {
            std::filesystem::remove_all(dir + "/logs");
            auto t0 = Clock::now();
            pid_t pid =
                spawn({bin, "--data-dir", dir, "--windowed", "1920x1080", "--mode", "station"});
            bool up = wait_for_log(dir, "first_frame", 30);
            double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            stop(pid);
            if (up) best = std::min(best, ms);
        }
        if (best < 1e9)
            std::printf("{\"bench\":\"ui\",\"first_frame_ms\":%.0f,\"listings\":%d}\n", best, n);
        std::filesystem::remove_all(dir);
    }
}

} // namespace

int main(int argc, char** argv) {
    bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    crypto_init();
    frame_bench(quick);
    process_bench(quick);
    if (g_xvfb > 0) stop(g_xvfb);
    return 0;
}
