// The one integer parser: what a setting, a header, a config line or a form cell holds, read as a
// base-10 whole number. Every other place calls this (no std::stoi and try/catch, no strtol).
#pragma once

#include <charconv>
#include <optional>
#include <string_view>

namespace jf {

// The whole of `s` (a leading '-' allowed for signed T; no spaces, no '+') as a T, or nullopt
// when it is empty, holds anything else, or does not fit.
template <class T>
std::optional<T> parse_int(std::string_view s) {
    T v{};
    if (s.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

} // namespace jf
