// Fuzz target: event bytes as an upload or a damaged database might hold them. Decoding must never
// crash, and whatever decodes must be the canonical encoding of the record it decoded to (one
// record, one byte form: the property signatures rely on).
#include "kiosk/domain/event_codec.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto c = jf::decode_check_in(bytes);
    if (c && jf::encode(*c) != bytes) std::abort();
    auto p = jf::decode_placement(bytes);
    if (p && jf::encode(*p) != bytes) std::abort();
    auto r = jf::decode_registration(bytes);
    if (r && jf::encode(*r) != bytes) std::abort();
    auto i = jf::decode_intent(bytes);
    if (i && jf::encode(*i) != bytes) std::abort();
    auto u = jf::decode_check_in_undo(bytes);
    if (u && jf::encode(*u) != bytes) std::abort();
    auto v = jf::decode_service(bytes);
    if (v && jf::encode(*v) != bytes) std::abort();
    auto n = jf::decode_needs(bytes);
    if (n && (jf::encode(*n) != bytes || !jf::needs_ok(*n))) std::abort();
    // One kind at most.
    if (int(bool(c)) + bool(p) + bool(r) + bool(i) + bool(u) + bool(v) + bool(n) > 1) std::abort();
    return 0;
}
