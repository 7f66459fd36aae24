// A station notice (站点通知): a short text union staff write in the console (the next fair's
// date and place, a change of venue) that station screens show beside the listings from its
// start to its end. It belongs to the union that wrote it and reaches that union's terminals
// and those of the unions below, as listings do; `fair_ids` and `terminal_ids` narrow it to
// some fairs' stations or some stations (both empty: every station that receives it).
#pragma once

#include "kiosk/domain/clock.hpp"
#include "kiosk/domain/validate.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace jf {

struct StationNotice {
    std::string id;
    std::string union_unit; // the union that wrote it
    std::string text;
    TimeMs starts_at = 0, ends_at = 0; // shown while starts_at <= now < ends_at (UTC ms)
    std::vector<std::string> fair_ids;
    std::vector<std::string> terminal_ids;

    // Whether a station of `fair_id` named `terminal_id` shows it at `now` (its own clock).
    bool shown_at(std::string_view fair_id, std::string_view terminal_id, TimeMs now) const {
        if (now < starts_at || now >= ends_at) return false;
        if (fair_ids.empty() && terminal_ids.empty()) return true;
        auto has = [](const std::vector<std::string>& v, std::string_view x) {
            return std::find(v.begin(), v.end(), x) != v.end();
        };
        return has(fair_ids, fair_id) || has(terminal_ids, terminal_id);
    }
};

constexpr size_t kNoticeMaxBytes = 1000; // a few sentences: what a station's band shows
constexpr size_t kNoticeMaxTargets = 50;

// An id of a fair or terminal a notice names: 1 to 128 characters, no space or comma.
inline bool notice_target_ok(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    return std::none_of(id.begin(), id.end(), [](char c) {
        return c == ',' || c == ' ' || c == '\n' || c == '\t' || c == '\r';
    });
}

// What a notice must be to be stored or shown: message keys in assets/i18n/console.
inline Check check_notice(const StationNotice& n) {
    if (n.id.empty() || n.id.size() > 128) return Check::fail("console.err.notice_id", "id");
    auto blank = std::all_of(n.text.begin(), n.text.end(), [](char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    });
    if (blank) return Check::fail("console.err.notice_text", "text");
    if (n.text.size() > kNoticeMaxBytes) return Check::fail("console.err.notice_long", "text");
    if (n.starts_at <= 0 || n.ends_at <= n.starts_at)
        return Check::fail("console.err.notice_times", "ends_at");
    if (n.fair_ids.size() + n.terminal_ids.size() > kNoticeMaxTargets)
        return Check::fail("console.err.notice_targets", "targets");
    for (auto* v : {&n.fair_ids, &n.terminal_ids})
        for (auto& id : *v)
            if (!notice_target_ok(id)) return Check::fail("console.err.notice_targets", "targets");
    return Check::pass();
}

// Ids kept as one text column ("F1,F2"), as both the hub's and the terminal's tables store them.
inline std::string join_ids(const std::vector<std::string>& ids) {
    std::string out;
    for (auto& id : ids)
        out += (out.empty() ? "" : ",") + id;
    return out;
}
inline std::vector<std::string> split_ids(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        auto at = text.find(',');
        auto part = text.substr(0, at);
        if (!part.empty()) out.emplace_back(part);
        if (at == std::string_view::npos) break;
        text.remove_prefix(at + 1);
    }
    return out;
}

} // namespace jf
