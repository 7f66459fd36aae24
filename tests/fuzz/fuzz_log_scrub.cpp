// Fuzzes the log scrubber: whatever a caller passes, the line keeps its length and shape, only
// digits change (to asterisks), and no phone- or ID-shaped digit run survives.
#include "platform/log/log.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {
bool digit(char c) {
    return c >= '0' && c <= '9';
}
bool full_width_digit(std::string_view s, size_t i) {
    return i + 2 < s.size() && s[i] == '\xEF' && s[i + 1] == '\xBC' && s[i + 2] >= '\x90' &&
           s[i + 2] <= '\x99';
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    std::string out = jf::log::scrub(in);
    if (out.size() != in.size()) std::abort();
    for (size_t i = 0; i < in.size(); ++i) {
        if (out[i] == in[i]) continue;
        if (digit(in[i]) && out[i] == '*') continue;
        // A full-width digit becomes a full-width asterisk (EF BC 8A): same three bytes long.
        if (i >= 2 && full_width_digit(in, i - 2) && out[i] == '\x8A') continue;
        std::abort();
    }
    // No plain run of digits shaped like a mobile number or an ID is left.
    for (size_t i = 0; i < out.size();) {
        if (!digit(out[i])) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < out.size() && digit(out[j]))
            ++j;
        size_t n = j - i;
        bool x = j < out.size() && (out[j] == 'X' || out[j] == 'x');
        if ((n == 11 && out[i] == '1') || n == 15 || n == 18 || (n == 17 && x)) std::abort();
        i = j;
    }
    return 0;
}
