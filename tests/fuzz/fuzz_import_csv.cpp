// Fuzz target: any bytes as a CSV listing file; the importer must report problems, never crash.
#include "kiosk/forms/import.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto r = jf::forms::import_listings_bytes(bytes, {}, jf::forms::TableFormat::Csv);
    // Every good row passed the listing checks and has its stable identity.
    for (auto& l : r.listings)
        if (l.id.empty() || !l.deadline.valid()) __builtin_trap();
    auto t = jf::forms::import_targets_bytes(bytes, jf::forms::TableFormat::Csv);
    (void)t;
    return 0;
}
