// Fuzz target: event bytes as an upload or a damaged database might hold them. Decoding must never
// crash, and whatever decodes must be the canonical encoding of the record it decoded to (one
// record, one byte form: the property signatures rely on).
#include "domain/event_codec.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto c = jf::decode_check_in(bytes);
    if (c && jf::encode(*c) != bytes) std::abort();
    auto p = jf::decode_placement(bytes);
    if (p && jf::encode(*p) != bytes) std::abort();
    auto r = jf::decode_registration(bytes);
    if (r && jf::encode(*r) != bytes) std::abort();
    if ((c && p) || (c && r) || (p && r)) std::abort(); // one kind at most
    return 0;
}
