// The credential format: PROTOCOL.md's test vectors, parsing of bad text, and every verdict
// verify() can give.
#include <catch2/catch.hpp>

#include "sync/protocol/credential.hpp"

#include <sodium.h>

using namespace jf;

namespace {

// PROTOCOL.md: the test issuer key is libsodium's crypto_sign_seed_keypair over bytes 00..1f.
SigningKey vector_key() {
    REQUIRE(crypto_init());
    uint8_t seed[32];
    for (int i = 0; i < 32; ++i)
        seed[i] = static_cast<uint8_t>(i);
    SigningKey k;
    k.public_key.resize(32);
    k.secret_key.resize(64);
    crypto_sign_seed_keypair(k.public_key.data(), k.secret_key.data(), seed);
    return k;
}

Credential attendee_for_fair() {
    Credential c;
    c.kind = CredentialKind::Attendee;
    c.holder_id = "A0001";
    c.scope = CredentialScope::Fair;
    c.scope_id = "wuwei-20240223";
    c.valid_from = *Date::parse("20240201");
    c.valid_until = *Date::parse("20240229");
    return c;
}

VerifyContext context(const SigningKey& k) {
    VerifyContext ctx;
    ctx.fair_id = "wuwei-20240223";
    ctx.campaign_id = "ah-2024";
    ctx.today = *Date::parse("20240223");
    ctx.trusted_keys[k.key_id()] = k.public_key;
    return ctx;
}

} // namespace

TEST_CASE("PROTOCOL.md test vectors") {
    SigningKey k = vector_key();
    CHECK(hex(k.public_key) == "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
    CHECK(k.key_id() == "40bca4ea");

    auto sc = issue(attendee_for_fair(), k);
    REQUIRE(sc);
    CHECK(hex(sc->payload) == "01010140bca4ea4d2a4d460541303030310e77757765692d3230323430323233");
    CHECK(encode(*sc) ==
          "JF1:AEAQCQF4UTVE2KSNIYCUCMBQGAYQ453VO5SWSLJSGAZDIMBSGIZYO3N643CUOQUBJ56VHN3LQRBR"
          "GXWGDVEEJLF7FGANVS5Q3ZWQ3OFEAKUSSKY23FK5AWHIXW6N5MQXEHAVJ7UKEPQB4FPCMBP2UEJXAI");
    CHECK(sc->credential_id() == "971673915f011186");

    Credential e;
    e.kind = CredentialKind::Employer;
    e.holder_id = "E042";
    e.scope = CredentialScope::Campaign;
    e.scope_id = "ah-2024";
    e.valid_from = *Date::parse("20240115");
    e.valid_until = *Date::parse("20241231");
    auto se = issue(e, k);
    REQUIRE(se);
    CHECK(hex(se->payload) == "01020240bca4ea4d194e7804453034320761682d32303234");
    CHECK(encode(*se) ==
          "JF1:AEBAEQF4UTVE2GKOPACEKMBUGIDWC2BNGIYDENGMA6MNOBUAZHPWN5EEKDSLHJNDR4LC5VRK2T63"
          "BX2FATDVJAU65OPOK7YFQCRC6JLFG2SOWJE5F55RHSLKXJRN4YLQWNBHGBBRX3FQI");
}

TEST_CASE("text form: prefix, case, white space and corruption") {
    SigningKey k = vector_key();
    auto sc = issue(attendee_for_fair(), k);
    REQUIRE(sc);
    std::string text = encode(*sc);
    // Every character is in QR alphanumeric mode (0-9 A-Z space $%*+-./:).
    for (char ch : text)
        CHECK(std::string_view("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:").find(ch) !=
              std::string_view::npos);
    CHECK(text.size() < 200);

    auto back = parse(text);
    REQUIRE(back);
    CHECK(back->payload == sc->payload);
    CHECK(back->credential.holder_id == "A0001");
    CHECK(back->credential.valid_until == *Date::parse("20240229"));

    std::string lower = text;
    for (auto& ch : lower)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    CHECK(parse("  " + lower + "\r\n"));

    ParseError why;
    CHECK_FALSE(parse("https://weixin.qq.com/r/abc", &why));
    CHECK(why == ParseError::NotOurs);
    CHECK_FALSE(parse("", &why));
    CHECK(why == ParseError::NotOurs);
    CHECK_FALSE(parse("JF2:AAAA", &why));
    CHECK(why == ParseError::Malformed);
    CHECK_FALSE(parse(text.substr(0, text.size() - 3), &why));
    CHECK(why == ParseError::Malformed);
    CHECK_FALSE(parse(text + "1", &why)); // '1' is not base32
    CHECK(why == ParseError::Malformed);

    // A payload with a byte added after the scope id is not a second encoding of the same fields.
    Bytes extra = sc->payload;
    extra.push_back(0);
    CHECK_FALSE(decode_payload(extra));
    CHECK(encode_payload(*decode_payload(sc->payload)) == sc->payload);
}

TEST_CASE("issue refuses fields the format cannot carry") {
    SigningKey k = vector_key();
    Credential c = attendee_for_fair();
    c.holder_id = std::string(65, 'x');
    CHECK_FALSE(issue(c, k));
    c = attendee_for_fair();
    c.scope_id.clear();
    CHECK_FALSE(issue(c, k));
    c = attendee_for_fair();
    c.valid_until = *Date::parse("20240101"); // before valid_from
    CHECK_FALSE(issue(c, k));
    c = attendee_for_fair();
    c.valid_until = *Date::parse("21600101"); // beyond 16-bit day numbers
    CHECK_FALSE(issue(c, k));
}

TEST_CASE("verify gives each outcome its own verdict") {
    SigningKey k = vector_key();
    VerifyContext ctx = context(k);
    auto text_of = [&](const Credential& c, const SigningKey& key) {
        return encode(*issue(c, key));
    };
    Credential c = attendee_for_fair();

    CHECK(verify(text_of(c, k), ctx).verdict == Verdict::CheckedIn);
    CHECK(verify(text_of(c, k), ctx).credential->credential.holder_id == "A0001");

    VerifyContext other_day = ctx;
    other_day.today = *Date::parse("20240301");
    CHECK(verify(text_of(c, k), other_day).verdict == Verdict::Expired);
    other_day.today = *Date::parse("20240131");
    CHECK(verify(text_of(c, k), other_day).verdict == Verdict::NotYetValid);
    other_day.today = *Date::parse("20240201"); // both ends are inclusive
    CHECK(verify(text_of(c, k), other_day).verdict == Verdict::CheckedIn);
    other_day.today = *Date::parse("20240229");
    CHECK(verify(text_of(c, k), other_day).verdict == Verdict::CheckedIn);

    VerifyContext other_fair = ctx;
    other_fair.fair_id = "fanchang-20240223";
    CHECK(verify(text_of(c, k), other_fair).verdict == Verdict::WrongFair);

    Credential campaign = c;
    campaign.scope = CredentialScope::Campaign;
    campaign.scope_id = "ah-2024";
    CHECK(verify(text_of(campaign, k), other_fair).verdict == Verdict::CheckedIn);
    other_fair.campaign_id = "wh-2024";
    CHECK(verify(text_of(campaign, k), other_fair).verdict == Verdict::WrongFair);

    std::string text = text_of(c, k);
    VerifyContext revoked = ctx;
    std::string id = parse(text)->credential_id();
    revoked.is_revoked = [&](const SignedCredential& sc) { return sc.credential_id() == id; };
    CHECK(verify(text, revoked).verdict == Verdict::Revoked);
    CHECK(verify(text_of(campaign, k), revoked).verdict == Verdict::CheckedIn);

    // One changed character in the signed part: altered.
    std::string altered = text;
    altered[30] = altered[30] == 'A' ? 'B' : 'A'; // inside the holder id
    CHECK(verify(altered, ctx).verdict == Verdict::Forged);
    // The signature of another credential pasted onto this payload.
    auto a = issue(c, k);
    Credential c2 = c;
    c2.holder_id = "A0002";
    auto b = issue(c2, k);
    SignedCredential spliced = *a;
    spliced.signature = b->signature;
    CHECK(verify(encode(spliced), ctx).verdict == Verdict::Forged);
    // A made-up key that claims the trusted key's id.
    SigningKey stranger = SigningKey::generate();
    SignedCredential impostor = *a;
    impostor.signature = stranger.sign(kCredentialDomain, impostor.payload);
    CHECK(verify(encode(impostor), ctx).verdict == Verdict::Forged);
    CHECK(verify("JF1:AAAA", ctx).verdict == Verdict::Forged);

    CHECK(verify(text_of(c, stranger), ctx).verdict == Verdict::UnknownIssuer);
    CHECK(verify("https://mp.weixin.qq.com/s/xyz", ctx).verdict == Verdict::NotOurCode);
    CHECK(verify("6901234567892", ctx).verdict == Verdict::NotOurCode);

    VerifyContext badge_prompt = ctx;
    badge_prompt.expected_kind = CredentialKind::Employer;
    CHECK(verify(text_of(c, k), badge_prompt).verdict == Verdict::WrongKind);
    Credential employer = c;
    employer.kind = CredentialKind::Employer;
    employer.holder_id = "E042";
    CHECK(verify(text_of(employer, k), badge_prompt).verdict == Verdict::CheckedIn);
}

TEST_CASE("a terminal key vouches only for attendee codes of its own fair") {
    REQUIRE(crypto_init());
    SigningKey hub = vector_key(), terminal = SigningKey::generate();
    VerifyContext ctx = context(hub);
    ctx.trusted_keys[terminal.key_id()] = terminal.public_key;
    ctx.terminal_keys[terminal.key_id()] = "wuwei-20240223";
    auto verdict = [&](const Credential& c, const SigningKey& key) {
        return verify(encode(*issue(c, key)), ctx).verdict;
    };
    Credential walk_up = attendee_for_fair();
    CHECK(verdict(walk_up, terminal) == Verdict::CheckedIn);

    Credential badge = walk_up;
    badge.kind = CredentialKind::Employer;
    ctx.expected_kind = CredentialKind::Employer;
    CHECK(verdict(badge, hub) == Verdict::CheckedIn); // the hub may issue badges
    CHECK(verdict(badge, terminal) == Verdict::Forged);
    Credential staff = walk_up;
    staff.kind = CredentialKind::Staff;
    ctx.expected_kind.reset();
    CHECK(verdict(staff, terminal) == Verdict::Forged);

    Credential campaign = walk_up;
    campaign.scope = CredentialScope::Campaign;
    campaign.scope_id = "ah-2024";
    CHECK(verdict(campaign, hub) == Verdict::CheckedIn);
    CHECK(verdict(campaign, terminal) == Verdict::Forged);

    // A code for another fair under a terminal key is not that terminal's to issue.
    Credential elsewhere = walk_up;
    elsewhere.scope_id = "fanchang-20240223";
    CHECK(verdict(elsewhere, terminal) == Verdict::Forged);
    CHECK(verdict(elsewhere, hub) == Verdict::WrongFair);

    // Withdrawn (the terminal was revoked): the key is gone, the issuer unknown.
    ctx.trusted_keys.erase(terminal.key_id());
    ctx.terminal_keys.erase(terminal.key_id());
    CHECK(verdict(walk_up, terminal) == Verdict::UnknownIssuer);
}
