// Fuzz target: credential text as any scanner or camera might deliver it. parse() and verify() must
// never crash, and anything that parses must re-encode to the same canonical bytes.
#include "sync/protocol/credential.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const jf::SigningKey key = [] {
        jf::crypto_init();
        return jf::SigningKey::generate();
    }();
    std::string_view text(reinterpret_cast<const char*>(data), size);
    jf::ParseError why = jf::ParseError::None;
    auto sc = jf::parse(text, &why);
    if (sc) {
        if (why != jf::ParseError::None) std::abort();
        if (jf::encode_payload(sc->credential) != sc->payload) std::abort();
        if (sc->credential.holder_id.empty() ||
            sc->credential.valid_until < sc->credential.valid_from)
            std::abort();
        (void)sc->credential_id();
    } else if (why == jf::ParseError::None) {
        std::abort();
    }
    jf::VerifyContext ctx;
    ctx.fair_id = "wuwei-20240223";
    ctx.campaign_id = "ah-2024";
    ctx.today = jf::Date{2024, 2, 23};
    ctx.trusted_keys[key.key_id()] = key.public_key;
    auto r = jf::verify(text, ctx);
    // Nobody without the key can produce an accepted credential.
    if (r.verdict == jf::Verdict::CheckedIn) std::abort();
    return 0;
}
