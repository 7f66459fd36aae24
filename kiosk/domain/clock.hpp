// The wall clock, read in this one place: every "now" of the terminal and the hub is this
// function's value (tests and flows pass times in; only programs and services read the clock).
#pragma once

#include "kiosk/domain/records.hpp"

#include <chrono>

namespace jf {

inline TimeMs now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace jf
