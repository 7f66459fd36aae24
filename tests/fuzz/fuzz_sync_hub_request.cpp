// Fuzz target: the hub's request decoders (enrolment and upload bodies, as any client may send),
// and the per-event judgement that follows, which must never crash on what the decoder accepts.
#include "kiosk/domain/event_codec.hpp"
#include "sync/hub/hub_service.hpp"
#include "sync/wire/wire.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static bool ready = jf::crypto_init();
    (void)ready;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string why;
    (void)jf::wire::decode_enroll_request(text, &why);
    if (auto q = jf::wire::decode_upload_request(text, &why)) {
        jf::hub::TerminalRow t;
        t.id = "T-fuzz";
        t.public_key = jf::Bytes(32, 7);
        t.fair_id = "F1";
        for (auto& e : q->events) {
            (void)jf::hub::judge_event(t, e);
            // What a correctly signed registration would meet next.
            std::string_view body(reinterpret_cast<const char*>(e.body.data()), e.body.size());
            if (auto r = jf::decode_registration(body))
                (void)jf::hub::registration_problem(t, *r);
        }
    }
    return 0;
}
