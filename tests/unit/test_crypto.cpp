// Signatures, sealed boxes, keyed hashes and encodings: round trips and tamper detection.
#include <catch2/catch.hpp>

#include "kiosk/crypto/crypto.hpp"

using namespace jf;

TEST_CASE("Ed25519 signatures bind the domain and the exact bytes") {
    REQUIRE(crypto_init());
    auto k = SigningKey::generate();
    Bytes msg = to_bytes("{\"a\":1}");
    Bytes sig = k.sign("jf.checkin.v1", msg);
    CHECK(verify(k.public_key, "jf.checkin.v1", msg, sig));
    CHECK_FALSE(verify(k.public_key, "jf.placement.v1", msg, sig));
    msg[2] ^= 1;
    CHECK_FALSE(verify(k.public_key, "jf.checkin.v1", msg, sig));
    CHECK_FALSE(verify(k.public_key, "jf.checkin.v1", msg, Bytes(3)));
    auto again = SigningKey::from_secret(k.secret_key);
    REQUIRE(again);
    CHECK(again->public_key == k.public_key);
    CHECK(k.key_id().size() == 8);
}

TEST_CASE("sealed boxes open only with the recipient's secret key") {
    REQUIRE(crypto_init());
    auto hub = BoxKeyPair::generate(), other = BoxKeyPair::generate();
    Bytes sealed = seal(hub.public_key, "11010519491231002X");
    CHECK(std::string(sealed.begin(), sealed.end()).find("11010519491231002X") == std::string::npos);
    CHECK(open_sealed(hub, sealed) == std::string("11010519491231002X"));
    CHECK_FALSE(open_sealed(other, sealed));
    CHECK_FALSE(open_sealed(hub, Bytes(10)));
}

TEST_CASE("keyed hashes depend on key and domain") {
    Bytes k1 = random_bytes(32), k2 = random_bytes(32);
    CHECK(keyed_hash(k1, "phone", "13855385678") == keyed_hash(k1, "phone", "13855385678"));
    CHECK(keyed_hash(k1, "phone", "13855385678") != keyed_hash(k2, "phone", "13855385678"));
    CHECK(keyed_hash(k1, "phone", "5678") != keyed_hash(k1, "idtail", "5678"));
}

TEST_CASE("encodings round-trip and reject junk") {
    Bytes b = {0, 1, 2, 250, 255, 7, 9};
    CHECK(from_hex(hex(b)) == b);
    CHECK(from_base64(base64(b)) == b);
    CHECK(from_base32(base32(b)) == b);
    CHECK(base32(to_bytes("foobar")) == "MZXW6YTBOI");
    CHECK_FALSE(from_base32("mzxw"));   // lower case is not ours
    CHECK_FALSE(from_base32("MZXW6YTBOJ")); // non-zero padding bits
    CHECK_FALSE(from_hex("zz"));
    CHECK(new_uuid().size() == 36);
    CHECK(new_uuid() != new_uuid());
}
