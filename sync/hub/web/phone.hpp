// Job seekers' own pages under /m/ (docs/phone.md): register, the code on the phone (again after
// a one-time SMS code), the public listings. Thin over PhoneSignup (hub_phone.hpp) and the store.
#pragma once

#include "sync/hub/hub_phone.hpp"
#include "sync/hub/web/web.hpp"
#include "sync/hub/web/web_context.hpp"

namespace jf::hub::web {

// What `serve` installs: PhoneSignup with the configured SMS sender, limits and the hub's phone
// issuer key (<data dir>/phone-issuer.key unless `issuer_key` names one; published to terminals).
// Throws std::runtime_error when the sender or the key cannot be had.
void install_phone_pages(WebApp& app, WebContext& ctx);
// The hub's issuer key for the codes it signs (phone sign-ups, codes issued in the console): the
// configured file, or <data dir>/phone-issuer.key made on first use (0600, never overwritten);
// its public half is published to terminals. Throws std::runtime_error when it cannot be had.
SigningKey phone_issuer(HubStore& store, const ServeConfig& cfg);
// The pages over a given PhoneSignup (tests and benchmarks bring their own sender).
void install_phone_pages(WebApp& app, HubStore& store, PhoneSignup& signup);

} // namespace jf::hub::web
