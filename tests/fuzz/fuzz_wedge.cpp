// Fuzz target: WedgeParser fed arbitrary key streams. Input bytes are read as (gap, key) pairs:
// the gap advances the clock, key 0x0d is Enter, 0x00 a tick. A completed scan is never empty,
// never longer than the limit, and only ever comes out of a fast burst.
#include "platform/scan/wedge.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    jf::scan::WedgeOptions o;
    o.max_length = 64;
    o.idle_complete_ms = (size & 1) ? 150 : 0;
    jf::scan::WedgeParser w(o);
    int64_t t = 0;
    auto check = [&](const std::optional<std::string>& s) {
        if (s && (s->size() < o.min_length || s->size() > o.max_length * 4)) std::abort();
    };
    for (size_t i = 0; i + 1 < size; i += 2) {
        t += data[i]; // 0..255 ms between keys
        uint8_t k = data[i + 1];
        if (k == 0x0d)
            check(w.enter(t));
        else if (k == 0)
            check(w.tick(t));
        else
            check(w.key(k < 0x80 ? char32_t(k) : char32_t(0x4e00 + k), t));
        (void)w.in_burst(t);
    }
    return 0;
}
