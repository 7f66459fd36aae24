// The real jobfair-kiosk in a real window, driven only as a person drives it: its own Xvfb, X
// input events from xdotool (pointer moves, button presses, key strokes; never a call into ImGui),
// and the screen read back from the X server (XGetImage of the root window). Where to tap comes
// from the same screens laid out headlessly (ui::Driver on a copy of the data: same fonts, size
// and widgets), so a test names buttons by id and the window sees only coordinates. The end-to-end
// tests and the terminal and UI benchmarks all start the display and the kiosk through this header.
//
// Index
// - Xvfb          a private display per process (tests running in parallel never share input)
// - Kiosk         spawn with a data directory, wait for its first frame, stop
// - Input         tap(x, y), nudge() (a 1-pixel move: an event that changes nothing), type(), key()
// - Screen        grab() the whole screen or region() of it; differing() pixels in a rectangle
// - Process       cpu_seconds() and rss_mb() of a running kiosk (for the benchmarks)
#pragma once

#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace jf::e2e {

using Clock = std::chrono::steady_clock;

inline void sleep_ms(int ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// -- Xvfb -----------------------------------------------------------------------------------------
class Xvfb {
  public:
    // Starts Xvfb on a free display (-displayfd) and points DISPLAY at it. Other programs may
    // take the same free number at the same moment: then it tries again.
    bool start(int w = 1920, int h = 1080) {
        for (int attempt = 0; attempt < 8; ++attempt) {
            if (start_once(w, h)) return true;
            if (pid_ > 0) {
                kill(pid_, SIGTERM);
                int st = 0;
                waitpid(pid_, &st, 0);
                pid_ = 0;
            }
            sleep_ms(100 + 150 * attempt);
        }
        return false;
    }
    bool start_once(int w, int h) {
        int fds[2];
        if (pipe(fds) != 0) return false;
        pid_ = fork();
        if (pid_ == 0) {
            close(fds[0]);
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0) dup2(null, 2);
            std::string fd = std::to_string(fds[1]);
            std::string screen = std::to_string(w) + "x" + std::to_string(h) + "x24";
            execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", screen.c_str(),
                   "-nolisten", "tcp", "-noreset", nullptr);
            _exit(127);
        }
        close(fds[1]);
        char buf[32] = {};
        ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
        close(fds[0]);
        if (n <= 0) return false;
        display_ = ":" + std::string(buf, static_cast<size_t>(n));
        display_.erase(display_.find_last_not_of("\n ") + 1);
        setenv("DISPLAY", display_.c_str(), 1);
        dpy_ = XOpenDisplay(display_.c_str());
        return dpy_ != nullptr;
    }
    ~Xvfb() {
        if (dpy_) XCloseDisplay(dpy_);
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            int st = 0;
            waitpid(pid_, &st, 0);
        }
    }
    Display* display() const { return dpy_; }

  private:
    pid_t pid_ = 0;
    std::string display_;
    Display* dpy_ = nullptr;
};

// -- Screen ---------------------------------------------------------------------------------------
struct Shot {
    int w = 0, h = 0;
    std::vector<uint32_t> px; // 0xRRGGBB
    uint32_t at(int x, int y) const { return px[static_cast<size_t>(y) * w + x]; }
};

inline Shot grab(Display* dpy) {
    Shot s;
    Window root = DefaultRootWindow(dpy);
    XWindowAttributes a{};
    XGetWindowAttributes(dpy, root, &a);
    XImage* img = XGetImage(dpy, root, 0, 0, a.width, a.height, AllPlanes, ZPixmap);
    if (!img) return s;
    s.w = a.width;
    s.h = a.height;
    s.px.resize(static_cast<size_t>(s.w) * s.h);
    for (int y = 0; y < s.h; ++y)
        for (int x = 0; x < s.w; ++x)
            s.px[static_cast<size_t>(y) * s.w + x] =
                static_cast<uint32_t>(XGetPixel(img, x, y) & 0xffffff);
    XDestroyImage(img);
    return s;
}

// A rectangle's pixels, read straight from the X server (cheaper than grab() in a polling loop).
inline std::vector<uint32_t> region(Display* dpy, int x, int y, int w, int h) {
    std::vector<uint32_t> out;
    XImage* img = XGetImage(dpy, DefaultRootWindow(dpy), x, y, w, h, AllPlanes, ZPixmap);
    if (!img) return out;
    out.reserve(static_cast<size_t>(w) * h);
    for (int j = 0; j < h; ++j)
        for (int i = 0; i < w; ++i)
            out.push_back(static_cast<uint32_t>(XGetPixel(img, i, j)));
    XDestroyImage(img);
    return out;
}

// Pixels that differ between two shots inside [x0,x1)×[y0,y1) (whole screen by default).
inline long differing(const Shot& a, const Shot& b, int x0 = 0, int y0 = 0, int x1 = 1 << 30,
                      int y1 = 1 << 30) {
    if (a.w != b.w || a.h != b.h || a.px.empty()) return -1;
    long n = 0;
    for (int y = std::max(0, y0); y < std::min(a.h, y1); ++y)
        for (int x = std::max(0, x0); x < std::min(a.w, x1); ++x)
            n += a.at(x, y) != b.at(x, y);
    return n;
}

// Writes a shot as a binary PPM (for a person to look at when a check fails).
inline void save_ppm(const Shot& s, const std::string& path) {
    std::ofstream out(path, std::ios::binary);
    out << "P6\n" << s.w << " " << s.h << "\n255\n";
    for (uint32_t p : s.px) {
        char rgb[3] = {char((p >> 16) & 0xff), char((p >> 8) & 0xff), char(p & 0xff)};
        out.write(rgb, 3);
    }
}

// Where two shots differ, for failure messages: "x0,y0-x1,y1" or "none".
inline std::string where_differing(const Shot& a, const Shot& b) {
    if (a.w != b.w || a.h != b.h || a.px.empty()) return "sizes differ";
    int x0 = a.w, y0 = a.h, x1 = -1, y1 = -1;
    for (int y = 0; y < a.h; ++y)
        for (int x = 0; x < a.w; ++x)
            if (a.at(x, y) != b.at(x, y)) {
                x0 = std::min(x0, x), y0 = std::min(y0, y);
                x1 = std::max(x1, x), y1 = std::max(y1, y);
            }
    if (x1 < 0) return "none";
    return std::to_string(x0) + "," + std::to_string(y0) + "-" + std::to_string(x1) + "," +
           std::to_string(y1);
}

// -- Input ----------------------------------------------------------------------------------------
inline bool xdotool(const std::string& args) {
    std::string cmd = "xdotool " + args + " >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}
inline bool tap(int x, int y) {
    return xdotool("mousemove " + std::to_string(x) + " " + std::to_string(y) + " click 1");
}
// A 1-pixel pointer move: an input event that changes nothing on the screens (the pointer only
// counts while pressed). On a build that left a result undrawn, it is what reveals it.
inline bool nudge() {
    return xdotool("mousemove_relative -- 1 0");
}
// Types `text` as a hand scanner does: a fast burst (a key every millisecond or so).
inline bool type(const std::string& text, int delay_ms = 1) {
    return xdotool("type --delay " + std::to_string(delay_ms) + " '" + text + "'");
}
// A hand scanner's whole scan: the burst, then Enter.
inline bool scan(const std::string& text) {
    return xdotool("type --delay 1 '" + text + "'") && xdotool("key Return");
}
inline bool key(const std::string& name) {
    return xdotool("key " + name);
}

// -- Kiosk ----------------------------------------------------------------------------------------
class Kiosk {
  public:
    // Starts `bin` with these arguments and waits for its log to say `ready` (its first frame).
    bool start(const std::string& bin, const std::string& data_dir,
               const std::vector<std::string>& args, const std::vector<std::string>& env = {},
               const std::string& ready = "\"first_frame\"") {
        dir_ = data_dir;
        pid_ = fork();
        if (pid_ == 0) {
            std::vector<std::string> all = {bin, "--data-dir", data_dir};
            all.insert(all.end(), args.begin(), args.end());
            std::vector<char*> a;
            for (auto& s : all)
                a.push_back(const_cast<char*>(s.c_str()));
            a.push_back(nullptr);
            for (auto& e : env)
                putenv(const_cast<char*>(e.c_str()));
            int fd = open((data_dir + "/stderr.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd >= 0) dup2(fd, 2);
            execv(a[0], a.data());
            _exit(127);
        }
        return wait_for_log(ready, 30);
    }
    bool wait_for_log(const std::string& needle, double timeout_s) const {
        auto t0 = Clock::now();
        while (std::chrono::duration<double>(Clock::now() - t0).count() < timeout_s) {
            if (log().find(needle) != std::string::npos) return true;
            if (!alive()) return false;
            sleep_ms(5);
        }
        return false;
    }
    std::string log() const {
        std::ifstream in(dir_ + "/logs/kiosk.log");
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    std::string stderr_text() const {
        std::ifstream in(dir_ + "/stderr.txt");
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    bool alive() const {
        if (pid_ <= 0) return false;
        int st = 0;
        return waitpid(pid_, &st, WNOHANG) == 0;
    }
    // Exit status once it ended by itself within `timeout_s`; -1 if it still runs.
    int wait_exit(double timeout_s) {
        auto t0 = Clock::now();
        while (std::chrono::duration<double>(Clock::now() - t0).count() < timeout_s) {
            int st = 0;
            if (pid_ > 0 && waitpid(pid_, &st, WNOHANG) == pid_) {
                pid_ = 0;
                return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
            }
            sleep_ms(10);
        }
        return -1;
    }
    pid_t pid() const { return pid_; }
    void stop() {
        if (pid_ <= 0) return;
        kill(pid_, SIGTERM);
        int st = 0;
        waitpid(pid_, &st, 0);
        pid_ = 0;
    }
    ~Kiosk() { stop(); }

  private:
    pid_t pid_ = 0;
    std::string dir_;
};

// -- Process --------------------------------------------------------------------------------------
// CPU seconds (user + system) a process has used so far.
inline double cpu_seconds(pid_t pid) {
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

// Resident memory of a process in MB.
inline double rss_mb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

} // namespace jf::e2e
