// The terminal identity kept in the store's settings table.
#include "kiosk/store/identity.hpp"

namespace jf {

namespace {
constexpr const char* kId = "terminal.id";
constexpr const char* kSecret = "terminal.signing_secret";
constexpr const char* kSeal = "terminal.hub_seal_public_key";
constexpr const char* kFair = "terminal.fair_id";
constexpr const char* kMode = "terminal.mode";
constexpr const char* kHub = "terminal.hub_url";
} // namespace

EventSigner TerminalIdentity::signer() const {
    SigningKey k = key;
    return EventSigner{terminal_id, [k](std::string_view domain, const Bytes& body) {
                           return k.sign(domain, body);
                       }};
}

bool TerminalIdentity::valid() const {
    if (terminal_id.empty() || terminal_id.size() > 128) return false;
    auto again = SigningKey::from_secret(key.secret_key);
    if (!again || again->public_key != key.public_key) return false;
    if (hub_seal_public_key.size() != 32) return false;
    return mode == "entrance" || mode == "employer" || mode == "station";
}

std::optional<TerminalIdentity> load_identity(const Store& store) {
    auto id = store.setting(kId);
    auto secret = store.setting(kSecret);
    auto seal = store.setting(kSeal);
    if (!id || !secret || !seal) return std::nullopt;
    auto secret_bytes = from_base64(*secret);
    auto seal_bytes = from_base64(*seal);
    if (!secret_bytes || !seal_bytes) return std::nullopt;
    auto key = SigningKey::from_secret(*secret_bytes);
    if (!key) return std::nullopt;
    TerminalIdentity t;
    t.terminal_id = *id;
    t.key = std::move(*key);
    t.hub_seal_public_key = std::move(*seal_bytes);
    t.fair_id = store.setting(kFair).value_or("");
    t.mode = store.setting(kMode).value_or("entrance");
    t.hub_url = store.setting(kHub).value_or("");
    if (!t.valid()) return std::nullopt;
    return t;
}

bool save_identity(Store& store, const TerminalIdentity& t, std::string* error) {
    if (!t.valid()) {
        if (error) *error = "err.identity.invalid";
        return false;
    }
    bool ok = store.transaction([&] {
        return store.set_setting(kId, t.terminal_id) &&
               store.set_setting(kSecret, base64(t.key.secret_key)) &&
               store.set_setting(kSeal, base64(t.hub_seal_public_key)) &&
               store.set_setting(kFair, t.fair_id) && store.set_setting(kMode, t.mode) &&
               store.set_setting(kHub, t.hub_url);
    });
    if (!ok && error) *error = store.last_error();
    return ok;
}

} // namespace jf
