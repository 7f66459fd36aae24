// The terminal's identity: who it is to the hub, the key it signs events with, the hub's sealing
// key for personal data, and its fair and mode. It holds no look-up key: nothing on a terminal
// verifies a guessed phone or ID number (docs/privacy.md).
//
// Kept in the store's settings (one transaction), so an enrolled terminal survives restarts.
// The signing secret never leaves the terminal; the hub only ever sees the public half.
#pragma once

#include "kiosk/store/store.hpp"

#include <optional>
#include <string>

namespace jf {

struct TerminalIdentity {
    std::string terminal_id;
    SigningKey key;            // Ed25519, made at enrolment
    Bytes hub_seal_public_key; // X25519: ID and phone numbers are sealed to it
    std::string fair_id;       // the fair this terminal serves (empty at a station)
    std::string mode;          // "entrance" | "employer" | "station"
    std::string hub_url;       // empty in demo mode or before enrolment

    // Signs event bytes with this terminal's key, for Store::record_*.
    EventSigner signer() const;
    // Complete and well-formed (key sizes, known mode): what save_identity() insists on.
    bool valid() const;
};

// nullopt when the terminal has not been enrolled (or seeded in demo mode).
std::optional<TerminalIdentity> load_identity(const Store& store);
// Saves every field in one transaction. On bad input or a database error: false, nothing saved,
// and `error` (when given) holds the message key.
bool save_identity(Store& store, const TerminalIdentity& identity, std::string* error = nullptr);

} // namespace jf
