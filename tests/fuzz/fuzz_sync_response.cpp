// Fuzz target: the terminal's decoders of hub answers (enrolment, upload acknowledgement,
// download pages, errors) and of the enrolment QR text.
#include "sync/engine/engine.hpp"
#include "sync/wire/wire.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string why;
    (void)jf::wire::decode_enroll_response(text, &why);
    (void)jf::wire::decode_upload_response(text, &why);
    (void)jf::wire::decode_error(text);
    (void)jf::sync::parse_enrol_qr(text);
    if (auto p = jf::wire::decode_pull_page(text, &why)) (void)jf::wire::encode(*p);
    return 0;
}
