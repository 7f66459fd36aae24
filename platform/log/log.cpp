// spdlog-backed JSON-lines logger with a personal-data scrubber.
#include "platform/log/log.hpp"
#include "platform/log/private_files.hpp"

#include <atomic>
#include <csignal>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <memory>
#include <mutex>
#include <time.h>
#include <unistd.h>
#include <vector>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace jf::log {

namespace {
std::mutex g_mutex;
std::shared_ptr<spdlog::logger> g_logger;

std::shared_ptr<spdlog::logger> logger() {
    std::lock_guard lock(g_mutex);
    if (!g_logger) {
        g_logger = std::make_shared<spdlog::logger>(
            "jf", std::make_shared<spdlog::sinks::stderr_sink_mt>());
        g_logger->set_pattern("%v");
    }
    return g_logger;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// -- Crash line ------------------------------------------------------------------
// What the signal handler needs, prepared outside it: only async-signal-safe calls run inside.
char g_crash_path[4096]; // the open log file; empty: stderr
// The last logged "component.event", JSON-escaped, double-buffered so the handler never reads a
// buffer being written.
char g_last_event[2][160];
std::atomic<int> g_last_index{0};
std::mutex g_last_mutex;

void remember_event(std::string_view component, std::string_view event) {
    std::lock_guard lock(g_last_mutex);
    int next = 1 - g_last_index.load();
    std::string text = nlohmann::json(std::string(component) + "." + std::string(event))
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text = text.substr(1, text.size() - 2); // without the quotes
    if (text.size() >= sizeof g_last_event[0]) {
        text.resize(sizeof g_last_event[0] - 1);
        while (!text.empty() && text.back() == '\\')
            text.pop_back(); // never end mid-escape
    }
    std::memcpy(g_last_event[next], text.c_str(), text.size() + 1);
    g_last_index.store(next);
}

// Appends `s` to buf at *n (bounded).
void put(char* buf, size_t cap, size_t* n, const char* s) {
    while (*s && *n + 1 < cap)
        buf[(*n)++] = *s++;
}
void put_number(char* buf, size_t cap, size_t* n, long long v) {
    char digits[24];
    int k = 0;
    bool neg = v < 0;
    unsigned long long u = neg ? 0ULL - static_cast<unsigned long long>(v) : v;
    do {
        digits[k++] = static_cast<char>('0' + u % 10);
        u /= 10;
    } while (u && k < 23);
    if (neg && *n + 1 < cap) buf[(*n)++] = '-';
    while (k && *n + 1 < cap)
        buf[(*n)++] = digits[--k];
}

const char* signal_name(int sig) {
    switch (sig) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGILL:
        return "SIGILL";
    case SIGABRT:
        return "SIGABRT";
    default:
        return "signal";
    }
}

constexpr int kFatalSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
struct sigaction g_previous[32];
std::atomic<bool> g_in_crash{false};

void on_fatal_signal(int sig, siginfo_t* info, void*) {
    if (!g_in_crash.exchange(true)) {
        char line[512];
        size_t n = 0;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        put(line, sizeof line, &n, "{\"t\":");
        put_number(line, sizeof line, &n, ts.tv_sec * 1000LL + ts.tv_nsec / 1000000);
        put(line, sizeof line, &n, ",\"level\":\"fatal\",\"component\":\"process\",");
        put(line, sizeof line, &n, "\"event\":\"fatal_signal\",\"signal\":\"");
        put(line, sizeof line, &n, signal_name(sig));
        put(line, sizeof line, &n, "\",\"pid\":\"");
        put_number(line, sizeof line, &n, getpid());
        put(line, sizeof line, &n, "\",\"last_event\":\"");
        put(line, sizeof line, &n, g_last_event[g_last_index.load()]);
        put(line, sizeof line, &n, "\"}\n");
        int fd = g_crash_path[0]
                     ? ::open(g_crash_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)
                     : 2;
        if (fd >= 0) {
            ssize_t w = ::write(fd, line, n);
            (void)w;
            if (fd != 2) ::close(fd);
        }
    }
    // Whatever handled the signal before (default action, a sanitizer's report) takes over when
    // this returns: a fault repeats by itself; a sent signal (abort(), kill) is sent again.
    sigaction(sig, &g_previous[sig], nullptr);
    if (!info || info->si_code <= 0) raise(sig);
}

void on_terminate() {
    std::string what = "unknown";
    if (auto e = std::current_exception()) {
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            what = ex.what();
        } catch (...) {
        }
    }
    write(Level::Error, "process", "uncaught_exception", {{"what", what}});
    // Not the default handler: it would print the unscrubbed message to stderr (the journal).
    std::abort();
}
} // namespace

void install_crash_handler() {
    std::lock_guard lock(g_last_mutex);
    static bool first = true;
    if (first) {
        first = false;
        // Its own stack, so a stack overflow can still write the line.
        static std::vector<char> alt(64 * 1024);
        stack_t ss{};
        ss.ss_sp = alt.data();
        ss.ss_size = alt.size();
        sigaltstack(&ss, nullptr);
    }
    // Installed again whenever someone replaced it (a test framework restoring its own), always
    // keeping what was there before as the handler to hand over to.
    for (int sig : kFatalSignals) {
        struct sigaction now {};
        sigaction(sig, nullptr, &now);
        if ((now.sa_flags & SA_SIGINFO) && now.sa_sigaction == on_fatal_signal) continue;
        struct sigaction sa {};
        sa.sa_sigaction = on_fatal_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_ONSTACK | SA_SIGINFO;
        sigaction(sig, &sa, &g_previous[sig]);
    }
    if (std::get_terminate() != on_terminate) std::set_terminate(on_terminate);
    g_in_crash = false;
}

bool open(const std::string& dir, const std::string& name, size_t max_bytes, size_t files) {
    // Logs name terminals and events (numbers are masked, but still): owner-only, like the
    // database. Rotated files inherit the mode; new ones follow the process's umask.
    if (!jf::files::private_dir(dir) || jf::files::tighten_tree(dir) < 0 ||
        !jf::files::create_private(dir + "/" + name + ".log"))
        return false;
    try {
        auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
            dir + "/" + name + ".log", max_bytes, files);
        auto l = std::make_shared<spdlog::logger>("jf", sink);
        l->set_pattern("%v");
        // Every line reaches the file at once (a write, no fsync): a crash loses none of them.
        l->flush_on(spdlog::level::trace);
        {
            std::lock_guard lock(g_mutex);
            g_logger = l;
            std::string path = dir + "/" + name + ".log";
            std::strncpy(g_crash_path, path.c_str(), sizeof g_crash_path - 1);
        }
        install_crash_handler();
        return true;
    } catch (const spdlog::spdlog_ex&) {
        return false;
    }
}

void set_level(Level lv) {
    static const spdlog::level::level_enum map[] = {spdlog::level::debug, spdlog::level::info,
                                                    spdlog::level::warn, spdlog::level::err};
    logger()->set_level(map[static_cast<int>(lv)]);
}

void flush() {
    logger()->flush();
}

// A "number" is digits (ASCII or full-width) joined by single separators, as people type phone and
// ID numbers: 138 5538 5678, 138-5538-5678, +86 13855385678, 110105 19491231 002X.
namespace {
constexpr std::string_view kFullWidthAsterisk =
    "\xEF\xBC\x8A"; // same byte length as a full-width digit

// Length in bytes of the digit at `i` (1 for 0-9, 3 for ０-９), 0 when there is none.
size_t digit_len(std::string_view t, size_t i) {
    if (i < t.size() && is_digit(t[i])) return 1;
    if (i + 2 < t.size() && t[i] == '\xEF' && t[i + 1] == '\xBC' && t[i + 2] >= '\x90' &&
        t[i + 2] <= '\x99')
        return 3;
    return 0;
}
char digit_value(std::string_view t, size_t i) {
    return is_digit(t[i]) ? t[i] : static_cast<char>('0' + (t[i + 2] - '\x90'));
}
bool is_separator(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '\t';
}

struct Digit {
    size_t pos, len;
    char value;
};

// Masks `ds` (the digits of one candidate number, plus a trailing X of an ID) if they form a
// mobile number (optionally +86/0086) or a resident ID. Returns whether it masked.
bool mask_if_personal(std::string& out, const std::vector<Digit>& ds, bool id_x) {
    std::string v;
    for (auto& d : ds)
        v += d.value;
    size_t skip = 0;
    if (v.size() == 15 && v.compare(0, 4, "0086") == 0) skip = 4;
    if (v.size() == 13 && v.compare(0, 2, "86") == 0) skip = 2;
    if (skip && v[skip] != '1') skip = 0; // not a prefixed mobile: judge all the digits
    size_t n = v.size() - skip;
    size_t keep_head, keep_tail;
    if (n == 11 && v[skip] == '1') {
        keep_head = 3, keep_tail = 4; // 138****5678
    } else if (skip == 0 && (n == 15 || n == 18)) {
        keep_head = 4, keep_tail = 4; // 3402**********1234
    } else if (id_x && skip == 0 && n == 17) {
        keep_head = 4, keep_tail = 3; // the X is the fourth kept character
    } else {
        return false;
    }
    for (size_t k = skip + keep_head; k + keep_tail < v.size(); ++k) {
        const Digit& d = ds[k];
        if (d.len == 1)
            out[d.pos] = '*';
        else
            out.replace(d.pos, 3, kFullWidthAsterisk);
    }
    return true;
}

// Calls fn(first, last, id_x) for each part of ds[first..last) split after each digit k where
// split(k); the X of an ID stays with the last part.
template <class Split, class Fn>
void for_each_part(size_t first, size_t last, bool id_x, Split split, Fn fn) {
    size_t start = first;
    for (size_t k = first; k < last; ++k) {
        if (k + 1 == last || split(k)) {
            fn(start, k + 1, id_x && k + 1 == last);
            start = k + 1;
        }
    }
}

// Tries the whole number, then its space-separated parts, then its plain digit runs, so that
// "138-5538-5678" masks as one number and "13855385678 13955385678" masks both.
void scrub_number(std::string& out, const std::vector<Digit>& ds,
                  const std::vector<char>& sep_after, bool id_x) {
    auto mask = [&](size_t a, size_t b, bool x) {
        return mask_if_personal(out, std::vector<Digit>(ds.begin() + a, ds.begin() + b), x);
    };
    if (mask(0, ds.size(), id_x)) return;
    auto at_space = [&](size_t k) { return sep_after[k] == ' ' || sep_after[k] == '\t'; };
    // A plain run ends at any separator and where ASCII and full-width digits meet.
    auto at_run_end = [&](size_t k) { return sep_after[k] != 0 || ds[k].len != ds[k + 1].len; };
    for_each_part(0, ds.size(), id_x, at_space, [&](size_t a, size_t b, bool x) {
        if (b - a == ds.size() || !mask(a, b, x))
            for_each_part(a, b, x, at_run_end, [&](size_t c, size_t d, bool y) {
                if (d - c != b - a) mask(c, d, y);
            });
    });
}
} // namespace

std::string scrub(std::string_view t) {
    std::string out(t);
    size_t i = 0;
    while (i < t.size()) {
        size_t dl = digit_len(t, i);
        if (!dl) {
            ++i;
            continue;
        }
        std::vector<Digit> ds;
        std::vector<char> sep_after; // the separator following each digit (0: none)
        size_t j = i;
        while (true) {
            ds.push_back({j, dl, digit_value(t, j)});
            sep_after.push_back(0);
            j += dl;
            if ((dl = digit_len(t, j))) continue;
            // One separator between two digits joins them into the same number.
            if (j + 1 < t.size() && is_separator(t[j]) && (dl = digit_len(t, j + 1))) {
                sep_after.back() = t[j];
                ++j;
                continue;
            }
            break;
        }
        bool id_x = j < t.size() && (t[j] == 'X' || t[j] == 'x');
        scrub_number(out, ds, sep_after, id_x);
        i = j + (id_x ? 1 : 0);
    }
    return out;
}

void write(Level lv, std::string_view component, std::string_view event,
           std::initializer_list<Field> fields) {
    static const char* names[] = {"debug", "info", "warn", "error"};
    static const spdlog::level::level_enum map[] = {spdlog::level::debug, spdlog::level::info,
                                                    spdlog::level::warn, spdlog::level::err};
    auto l = logger();
    if (!l->should_log(map[static_cast<int>(lv)])) return;
    nlohmann::json j;
    auto now = std::chrono::system_clock::now();
    j["t"] = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    j["level"] = names[static_cast<int>(lv)];
    j["component"] = scrub(component);
    j["event"] = scrub(event);
    remember_event(j["component"].get<std::string>(), j["event"].get<std::string>());
    for (auto& [k, v] : fields)
        j[scrub(k)] = scrub(v);
    l->log(map[static_cast<int>(lv)], "{}",
           j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace jf::log
