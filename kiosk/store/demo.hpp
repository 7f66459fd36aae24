// The embedded demo: one county union's 工会送岗位 fair with its campaign, employers, >= 40
// listings (附件4) and attendees, read from assets/demo, so `jobfair-kiosk --demo` runs with no
// hub, no camera and no configuration.
//
// Dates in the demo files are relative to `today` ("+45" = 45 days later), and every demo start
// refreshes them, so the demo fair is always today and demo listings never expire. Seeding is
// idempotent: attendees and the terminal identity are created once and kept; nothing is duplicated
// and a second start on the same day changes nothing.
//
// The keys in assets/demo/DEMO-ONLY-keys.json are published demo secrets (issuer, hub sealing,
// look-up): only for the demo.
#pragma once

#include "kiosk/store/store.hpp"

#include <optional>
#include <string>

namespace jf {

// Seeds or refreshes the demo in one transaction. False, with a message key in `error` and the
// store unchanged, when a demo file is missing or malformed.
bool seed_demo(Store& store, const std::string& demo_dir, Date today, std::string* error = nullptr);

// The demo's published keys, for tools and tests that issue demo credentials or open sealed data.
struct DemoKeys {
    SigningKey issuer;   // signs demo attendee/employer credentials
    BoxKeyPair hub_seal; // the demo hub's sealing key pair
};
std::optional<DemoKeys> load_demo_keys(const std::string& demo_dir, std::string* error = nullptr);

// assets/demo of this build.
std::string default_demo_dir();

} // namespace jf
