// libsodium wrappers: Ed25519 signatures, sealed boxes, keyed hashes, random ids and encodings.
//
// Index
// - Bytes and encodings   hex, base64, base32 (RFC 4648, upper case, no padding)
// - Identity              new_uuid()
// - Signing               SigningKey (Ed25519), verify()
// - Sealing               seal()/open_sealed() to an X25519 public key (crypto_box_seal)
// - Keyed hashing         keyed_hash() for tokens and codes the hub keeps only as hashes
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jf {

using Bytes = std::vector<uint8_t>;

// Must be called once before anything else here; safe to call again.
bool crypto_init();

// -----------------------------------------------------------------------------
// Bytes and encodings
// -----------------------------------------------------------------------------
Bytes to_bytes(std::string_view s);
std::string hex(const uint8_t* p, size_t n);
inline std::string hex(const Bytes& b) { return hex(b.data(), b.size()); }
std::optional<Bytes> from_hex(std::string_view s);
std::string base64(const Bytes& b);
std::optional<Bytes> from_base64(std::string_view s);
std::string base32(const Bytes& b);                 // A-Z2-7, no padding: fits QR alphanumeric
std::optional<Bytes> from_base32(std::string_view s);

// -----------------------------------------------------------------------------
// Identity
// -----------------------------------------------------------------------------
std::string new_uuid(); // random (v4), lower-case canonical text
Bytes random_bytes(size_t n);

// -----------------------------------------------------------------------------
// Signing (Ed25519)
// -----------------------------------------------------------------------------
constexpr size_t kPublicKeyBytes = 32, kSecretKeyBytes = 64, kSignatureBytes = 64;

struct SigningKey {
    Bytes public_key; // 32 bytes
    Bytes secret_key; // 64 bytes (seed + public key, libsodium's layout)
    static SigningKey generate();
    static std::optional<SigningKey> from_secret(const Bytes& secret);
    // Key id: the first 8 hex characters of the public key's BLAKE2b hash.
    std::string key_id() const;
    // Signs domain || 0x00 || message, so a signature for one record kind is never valid for another.
    Bytes sign(std::string_view domain, const Bytes& message) const;
};
std::string key_id_of(const Bytes& public_key);
bool verify(const Bytes& public_key, std::string_view domain, const Bytes& message, const Bytes& signature);

// -----------------------------------------------------------------------------
// Sealing (anonymous public-key encryption: only the holder of the secret key opens it)
// -----------------------------------------------------------------------------
struct BoxKeyPair {
    Bytes public_key; // 32 bytes X25519
    Bytes secret_key; // 32 bytes
    static BoxKeyPair generate();
};
Bytes seal(const Bytes& recipient_public_key, std::string_view plain);
std::optional<std::string> open_sealed(const BoxKeyPair& keys, const Bytes& sealed);

// -----------------------------------------------------------------------------
// Keyed hashing (BLAKE2b with a 32-byte key): tokens and enrolment codes on the hub. Never of a
// phone or ID number on a terminal (docs/privacy.md).
// -----------------------------------------------------------------------------
std::string keyed_hash(const Bytes& key, std::string_view domain, std::string_view value); // hex

} // namespace jf
