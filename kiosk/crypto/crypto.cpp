// libsodium wrappers; every function checks sizes so bad input fails instead of reading past ends.
#include "kiosk/crypto/crypto.hpp"

#include <sodium.h>

namespace jf {

bool crypto_init() { return sodium_init() >= 0; }

Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

std::string hex(const uint8_t* p, size_t n) {
    static const char* d = "0123456789abcdef";
    std::string s(n * 2, '0');
    for (size_t i = 0; i < n; ++i) {
        s[2 * i] = d[p[i] >> 4];
        s[2 * i + 1] = d[p[i] & 15];
    }
    return s;
}

std::optional<Bytes> from_hex(std::string_view s) {
    if (s.size() % 2) return std::nullopt;
    Bytes out(s.size() / 2);
    auto v = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (size_t i = 0; i < out.size(); ++i) {
        int h = v(s[2 * i]), l = v(s[2 * i + 1]);
        if (h < 0 || l < 0) return std::nullopt;
        out[i] = static_cast<uint8_t>(h * 16 + l);
    }
    return out;
}

std::string base64(const Bytes& b) {
    std::string s(sodium_base64_ENCODED_LEN(b.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(s.data(), s.size(), b.data(), b.size(), sodium_base64_VARIANT_ORIGINAL);
    s.resize(s.size() - 1); // drop the terminating NUL
    return s;
}

std::optional<Bytes> from_base64(std::string_view s) {
    Bytes out(s.size() / 4 * 3 + 3);
    size_t len = 0;
    if (sodium_base642bin(out.data(), out.size(), s.data(), s.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

static const char* kB32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string base32(const Bytes& b) {
    std::string s;
    uint32_t buf = 0;
    int bits = 0;
    for (uint8_t c : b) {
        buf = (buf << 8) | c;
        bits += 8;
        while (bits >= 5) {
            s += kB32[(buf >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) s += kB32[(buf << (5 - bits)) & 31];
    return s;
}

std::optional<Bytes> from_base32(std::string_view s) {
    Bytes out;
    uint32_t buf = 0;
    int bits = 0;
    for (char c : s) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= '2' && c <= '7') v = c - '2' + 26;
        else return std::nullopt;
        buf = (buf << 5) | static_cast<uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            out.push_back(static_cast<uint8_t>(buf >> (bits - 8)));
            bits -= 8;
        }
    }
    // Leftover bits must be zero padding, so every byte string has exactly one encoding.
    if (bits >= 5 || (buf & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

Bytes random_bytes(size_t n) {
    Bytes b(n);
    randombytes_buf(b.data(), n);
    return b;
}

std::string new_uuid() {
    Bytes b = random_bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    std::string h = hex(b);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20);
}

SigningKey SigningKey::generate() {
    SigningKey k;
    k.public_key.resize(crypto_sign_PUBLICKEYBYTES);
    k.secret_key.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(k.public_key.data(), k.secret_key.data());
    return k;
}

std::optional<SigningKey> SigningKey::from_secret(const Bytes& secret) {
    if (secret.size() != crypto_sign_SECRETKEYBYTES) return std::nullopt;
    SigningKey k;
    k.secret_key = secret;
    k.public_key.resize(crypto_sign_PUBLICKEYBYTES);
    crypto_sign_ed25519_sk_to_pk(k.public_key.data(), secret.data());
    return k;
}

std::string key_id_of(const Bytes& pk) {
    uint8_t h[16];
    crypto_generichash(h, sizeof h, pk.data(), pk.size(), nullptr, 0);
    return hex(h, 4);
}

std::string SigningKey::key_id() const { return key_id_of(public_key); }

static Bytes domain_message(std::string_view domain, const Bytes& m) {
    Bytes d(domain.begin(), domain.end());
    d.push_back(0);
    d.insert(d.end(), m.begin(), m.end());
    return d;
}

Bytes SigningKey::sign(std::string_view domain, const Bytes& message) const {
    Bytes sig(crypto_sign_BYTES);
    Bytes m = domain_message(domain, message);
    crypto_sign_detached(sig.data(), nullptr, m.data(), m.size(), secret_key.data());
    return sig;
}

bool verify(const Bytes& pk, std::string_view domain, const Bytes& message, const Bytes& sig) {
    if (pk.size() != crypto_sign_PUBLICKEYBYTES || sig.size() != crypto_sign_BYTES) return false;
    Bytes m = domain_message(domain, message);
    return crypto_sign_verify_detached(sig.data(), m.data(), m.size(), pk.data()) == 0;
}

BoxKeyPair BoxKeyPair::generate() {
    BoxKeyPair k;
    k.public_key.resize(crypto_box_PUBLICKEYBYTES);
    k.secret_key.resize(crypto_box_SECRETKEYBYTES);
    crypto_box_keypair(k.public_key.data(), k.secret_key.data());
    return k;
}

Bytes seal(const Bytes& pk, std::string_view plain) {
    if (pk.size() != crypto_box_PUBLICKEYBYTES) return {};
    Bytes out(plain.size() + crypto_box_SEALBYTES);
    crypto_box_seal(out.data(), reinterpret_cast<const uint8_t*>(plain.data()), plain.size(), pk.data());
    return out;
}

std::optional<std::string> open_sealed(const BoxKeyPair& k, const Bytes& sealed) {
    if (sealed.size() < crypto_box_SEALBYTES || k.public_key.size() != crypto_box_PUBLICKEYBYTES ||
        k.secret_key.size() != crypto_box_SECRETKEYBYTES)
        return std::nullopt;
    std::string out(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<uint8_t*>(out.data()), sealed.data(), sealed.size(),
                             k.public_key.data(), k.secret_key.data()) != 0)
        return std::nullopt;
    return out;
}

std::string keyed_hash(const Bytes& key, std::string_view domain, std::string_view value) {
    Bytes m = domain_message(domain, to_bytes(value));
    uint8_t h[32];
    crypto_generichash(h, sizeof h, m.data(), m.size(), key.empty() ? nullptr : key.data(),
                       std::min<size_t>(key.size(), crypto_generichash_KEYBYTES_MAX));
    return hex(h, sizeof h);
}

} // namespace jf
