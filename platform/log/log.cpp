// spdlog-backed JSON-lines logger with a personal-data scrubber.
#include "log.hpp"

#include <memory>
#include <mutex>
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
        g_logger = std::make_shared<spdlog::logger>("jf", std::make_shared<spdlog::sinks::stderr_sink_mt>());
        g_logger->set_pattern("%v");
    }
    return g_logger;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
} // namespace

bool open(const std::string& dir, const std::string& name, size_t max_bytes, size_t files) {
    try {
        auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(dir + "/" + name + ".log", max_bytes, files);
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

void flush() { logger()->flush(); }

std::string scrub(std::string_view t) {
    std::string out(t);
    size_t i = 0;
    while (i < out.size()) {
        if (!is_digit(out[i])) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < out.size() && is_digit(out[j])) ++j;
        size_t len = j - i;
        bool id_x = len == 17 && j < out.size() && (out[j] == 'X' || out[j] == 'x');
        if (id_x) ++j, ++len;
        if (len == 11 && out[i] == '1') {
            for (size_t k = i + 3; k < i + 7; ++k) out[k] = '*';
        } else if (len == 15 || len == 18) {
            for (size_t k = i + 4; k < j - 4; ++k) out[k] = '*';
        }
        i = j;
    }
    return out;
}

void write(Level lv, std::string_view component, std::string_view event, std::initializer_list<Field> fields) {
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
    for (auto& [k, v] : fields) j[std::string(k)] = scrub(v);
    l->log(map[static_cast<int>(lv)], "{}", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace jf::log
