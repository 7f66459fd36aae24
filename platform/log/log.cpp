// spdlog-backed JSON-lines logger with a personal-data scrubber.
#include "log.hpp"

#include <memory>
#include <mutex>
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
} // namespace

bool open(const std::string& dir, const std::string& name, size_t max_bytes, size_t files) {
    try {
        auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
            dir + "/" + name + ".log", max_bytes, files);
        auto l = std::make_shared<spdlog::logger>("jf", sink);
        l->set_pattern("%v");
        // Warnings and errors reach the disk at once: the last line before a crash must be there.
        l->flush_on(spdlog::level::warn);
        std::lock_guard lock(g_mutex);
        g_logger = l;
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
    for (auto& [k, v] : fields)
        j[scrub(k)] = scrub(v);
    l->log(map[static_cast<int>(lv)], "{}",
           j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace jf::log
