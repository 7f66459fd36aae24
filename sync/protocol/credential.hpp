// Signed credentials: the attendee, employer and staff codes the hub issues and a terminal checks
// offline (docs/DESIGN.md §3, sync/PROTOCOL.md "Credentials").
//
// Index
// - Credential            the fields a code carries (never an ID-card or phone number)
// - Text form             encode() / parse(): "JF1:" + upper-case base32, QR alphanumeric mode
// - Issuing               issue(): payload bytes signed with the issuer key
// - Verifying             verify(): one jf::Verdict for a fair, a day, trusted keys, revocations
//
// The signature covers exactly the payload bytes that travel in the code, under the domain
// "jf.credential.v1"; nothing is re-serialised to check it.
#pragma once

#include "kiosk/crypto/crypto.hpp"
#include "kiosk/domain/records.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace jf {

// -----------------------------------------------------------------------------
// Credential
// -----------------------------------------------------------------------------

enum class CredentialKind : uint8_t { Attendee = 1, Employer = 2, Staff = 3 };
enum class CredentialScope : uint8_t { Fair = 1, Campaign = 2 };

const char* code(CredentialKind k); // "attendee" | "employer" | "staff"
std::optional<CredentialKind> parse_credential_kind(std::string_view text);

struct Credential {
    CredentialKind kind = CredentialKind::Attendee;
    std::string holder_id; // attendee id, employer id or staff id (<= 64 bytes)
    CredentialScope scope = CredentialScope::Fair;
    std::string scope_id;         // the fair id or the campaign id (<= 64 bytes)
    Date valid_from, valid_until; // inclusive calendar days (China Standard Time)
    std::string issuer_key_id;    // 8 hex characters, key_id_of(issuer public key)
};

constexpr std::string_view kCredentialPrefix = "JF1:";
constexpr std::string_view kCredentialDomain = "jf.credential.v1";
constexpr uint8_t kCredentialVersion = 1;
constexpr size_t kMaxCredentialIdBytes = 64;

// A credential as read from a code: the fields, the exact signed bytes and the signature.
struct SignedCredential {
    Credential credential;
    Bytes payload;   // the bytes the signature covers
    Bytes signature; // 64 bytes Ed25519
    // Stable identity of this credential, used by the revocation list: 16 hex characters of a
    // BLAKE2b hash of the payload. The hub prints it when issuing.
    std::string credential_id() const;
};

// -----------------------------------------------------------------------------
// Text form
// -----------------------------------------------------------------------------

// Payload bytes (version 1, see PROTOCOL.md). Empty when a field does not fit (id too long,
// dates outside 1970..2149, key id not 8 hex characters).
Bytes encode_payload(const Credential& c);
std::optional<Credential> decode_payload(const Bytes& payload);

std::string encode(const SignedCredential& sc); // "JF1:" + base32(payload || signature)

enum class ParseError {
    None,
    NotOurs,   // no JF prefix: a URL, a WeChat code, another system's QR
    Malformed, // our prefix, but the rest is not a well-formed version-1 credential
};
// Reads the text a scanner or camera produced. Surrounding white space is ignored and lower case
// is accepted (some hand scanners send it), so the same code reads the same from every source.
std::optional<SignedCredential> parse(std::string_view text, ParseError* why = nullptr);

// -----------------------------------------------------------------------------
// Issuing
// -----------------------------------------------------------------------------

// Fills issuer_key_id from the key and signs. nullopt when a field does not fit the format.
std::optional<SignedCredential> issue(Credential c, const SigningKey& issuer);

// -----------------------------------------------------------------------------
// Verifying
// -----------------------------------------------------------------------------

struct VerifyContext {
    std::string fair_id;     // the fair this terminal serves
    std::string campaign_id; // its campaign: a campaign-wide credential is good at all its fairs
    Date today;              // CST calendar day
    std::map<std::string, Bytes> trusted_keys;               // key id → Ed25519 public key
    // Those of trusted_keys that belong to an enrolled terminal (key id → the terminal's fair).
    // Such a key vouches only for attendee codes scoped to that one fair (walk-up registration);
    // anything else it signed is Forged.
    std::map<std::string, std::string> terminal_keys;
    std::function<bool(const SignedCredential&)> is_revoked; // may be empty: nothing revoked
    std::optional<CredentialKind> expected_kind; // the prompt's kind; others get WrongKind
};

struct VerifyResult {
    Verdict verdict = Verdict::NotOurCode;      // CheckedIn means "valid here today": admit
    std::optional<SignedCredential> credential; // set once the text parsed
};

// Checks in this order, so the most serious finding wins: not ours, unknown issuer, forged
// (including a terminal key signing beyond its reach), revoked, wrong kind, wrong fair, not yet
// valid, expired.
VerifyResult verify(std::string_view text, const VerifyContext& ctx);

} // namespace jf
