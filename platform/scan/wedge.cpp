// Burst detection for keyboard-wedge scanners (see wedge.hpp).
#include "platform/scan/wedge.hpp"

namespace jf::scan {

static void append_utf8(std::string& s, char32_t c) {
    if (c < 0x80) {
        s += static_cast<char>(c);
    } else if (c < 0x800) {
        s += static_cast<char>(0xC0 | (c >> 6));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        s += static_cast<char>(0xE0 | (c >> 12));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (c >> 18));
        s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
    }
}

void WedgeParser::reset() {
    buf_.clear();
    count_ = 0;
    first_ = last_ = 0;
    overflow_ = false;
}

std::optional<std::string> WedgeParser::finish(int64_t t_ms, bool require_recent) {
    std::optional<std::string> out;
    bool recent = t_ms - last_ <= opt_.max_gap_ms && t_ms >= last_;
    // Mean gap over the burst including the closing key: count_ keys span count_-1 gaps, +1 for
    // Enter.
    int64_t span = (require_recent ? t_ms : last_) - first_;
    size_t gaps = require_recent ? count_ : count_ - 1;
    bool fast = gaps > 0 && span >= 0 && span <= opt_.max_mean_gap_ms * static_cast<int64_t>(gaps);
    if (count_ >= opt_.min_length && !overflow_ && fast && (recent || !require_recent))
        out = std::move(buf_);
    reset();
    return out;
}

std::optional<std::string> WedgeParser::key(char32_t ch, int64_t t_ms) {
    if (ch == '\r' || ch == '\n') return enter(t_ms);
    if (ch < 0x20 && ch != '\t') return std::nullopt;
    if (ch == 0x7f || ch > 0x10FFFF) return std::nullopt;
    std::optional<std::string> done;
    if (count_ > 0 && (t_ms - last_ > opt_.max_gap_ms || t_ms < last_)) {
        // A pause: whatever came before was typed by a person, or was a burst without Enter.
        if (opt_.idle_complete_ms > 0 && t_ms - last_ >= opt_.idle_complete_ms)
            done = finish(t_ms, false);
        else
            reset();
    }
    if (count_ == 0) first_ = t_ms;
    last_ = t_ms;
    ++count_;
    if (buf_.size() >= opt_.max_length)
        overflow_ = true;
    else
        append_utf8(buf_, ch);
    return done;
}

std::optional<std::string> WedgeParser::enter(int64_t t_ms) {
    if (count_ == 0) return std::nullopt;
    return finish(t_ms, true);
}

std::optional<std::string> WedgeParser::tick(int64_t now_ms) {
    if (opt_.idle_complete_ms <= 0 || count_ == 0 || now_ms - last_ < opt_.idle_complete_ms)
        return std::nullopt;
    return finish(now_ms, false);
}

bool WedgeParser::in_burst(int64_t now_ms) const {
    if (count_ == 0 || now_ms - last_ > opt_.max_gap_ms) return false;
    // Two or more keys faster than a person types: a scanner is at work.
    return count_ >= 2 &&
           (last_ - first_) <= opt_.max_mean_gap_ms * static_cast<int64_t>(count_ - 1);
}

} // namespace jf::scan
