// Codes at the entrance and the booth, over a real store: every verdict, the attempt recorded
// and signed, a second scan "already checked in at HH:MM" without a second record.
#include <catch2/catch.hpp>

#include "desk/booth.hpp"
#include "desk_fixture.hpp"
#include "protocol/credential.hpp"

using namespace jf;
using namespace jf::desk;
using jf::testing::DeskFixture;

namespace {
struct Issuer {
    SigningKey key = SigningKey::generate();
    std::string code(CredentialKind kind, std::string holder, std::string fair, Date from,
                     Date until) const {
        Credential c;
        c.kind = kind;
        c.holder_id = std::move(holder);
        c.scope = CredentialScope::Fair;
        c.scope_id = std::move(fair);
        c.valid_from = from;
        c.valid_until = until;
        auto sc = issue(c, key);
        REQUIRE(sc);
        return encode(*sc);
    }
};
} // namespace

TEST_CASE("entrance: each verdict, recorded with the terminal's signature") {
    DeskFixture f("booth");
    Issuer hub, stranger;
    REQUIRE(f.store->upsert_issuer_key(hub.key.key_id(), hub.key.public_key));
    Date yesterday = Date::from_days(f.today.days_since_epoch() - 1);
    Date tomorrow = Date::from_days(f.today.days_since_epoch() + 1);
    std::string good = hub.code(CredentialKind::Attendee, f.seeker.id, f.fair.id, f.today, f.today);

    auto r = present_at_entrance(*f.store, f.identity, good, ScanMethod::Camera, f.noon());
    CHECK(r.verdict == Verdict::CheckedIn);
    REQUIRE(r.attendee);
    CHECK(r.attendee->name == "张伟");
    CHECK(r.message_key == "entrance.verdict.checked_in");

    auto again =
        present_at_entrance(*f.store, f.identity, good, ScanMethod::HandScanner, f.noon() + 60000);
    CHECK(again.verdict == Verdict::AlreadyCheckedIn);
    CHECK(cst_hhmm(again.first_time) == "12:00");

    auto parse_key = [&](const std::string& text) {
        return present_at_entrance(*f.store, f.identity, text, ScanMethod::Camera, f.noon())
            .message_key;
    };
    CHECK(parse_key(hub.code(CredentialKind::Attendee, "A-0002", f.fair.id, yesterday,
                             yesterday)) == "entrance.verdict.expired");
    CHECK(parse_key(hub.code(CredentialKind::Attendee, "A-0002", f.fair.id, tomorrow, tomorrow)) ==
          "entrance.verdict.not_yet");
    CHECK(parse_key(hub.code(CredentialKind::Attendee, "A-0002", "F-OTHER", f.today, f.today)) ==
          "entrance.verdict.wrong_fair");
    CHECK(parse_key(stranger.code(CredentialKind::Attendee, "A-0002", f.fair.id, f.today,
                                  f.today)) == "entrance.verdict.unknown_issuer");
    CHECK(parse_key(hub.code(CredentialKind::Employer, f.employer.id, f.fair.id, f.today,
                             f.today)) == "entrance.verdict.wrong_kind");
    CHECK(parse_key("https://weixin.qq.com/r/abc") == "entrance.verdict.not_ours");
    // Altered after signing.
    auto sc = parse(hub.code(CredentialKind::Attendee, "A-0002", f.fair.id, f.today, f.today));
    REQUIRE(sc);
    sc->payload[sc->payload.size() - 1] ^= 1;
    CHECK(parse_key(encode(*sc)) == "entrance.verdict.forged");
    // Revoked.
    std::string revoked = hub.code(CredentialKind::Attendee, "A-0002", f.fair.id, f.today, f.today);
    REQUIRE(f.store->add_revocation(parse(revoked)->credential_id(), "lost"));
    CHECK(parse_key(revoked) == "entrance.verdict.revoked");

    // One accepted check-in; the refused attempts are recorded too, all signed by this terminal.
    CHECK(f.store->check_ins(f.fair.id).size() >= 1);
    auto events = f.store->events_after(0, 100);
    CHECK(events.size() >= 9);
    for (const auto& e : events)
        CHECK(verify(f.identity.key.public_key, signature_domain("checkin"), e.body, e.signature));
}

TEST_CASE("people without a code are checked in by id") {
    DeskFixture f("booth-id");
    auto r = check_in_attendee(*f.store, f.identity, f.second_seeker.id, ScanMethod::ManualLookup,
                               f.noon());
    CHECK(r.verdict == Verdict::CheckedIn);
    auto again = check_in_attendee(*f.store, f.identity, f.second_seeker.id, ScanMethod::WalkUp,
                                   f.noon() + 1);
    CHECK(again.verdict == Verdict::AlreadyCheckedIn);
    auto nobody =
        check_in_attendee(*f.store, f.identity, "A-NOPE", ScanMethod::ManualLookup, f.noon());
    CHECK(nobody.message_key == "entrance.err.unknown_person");
    CHECK_FALSE(nobody.attendee);
}

TEST_CASE("the booth: employer badge, then the seeker's code") {
    DeskFixture f("booth-desk");
    Issuer hub;
    REQUIRE(f.store->upsert_issuer_key(hub.key.key_id(), hub.key.public_key));
    std::string badge =
        hub.code(CredentialKind::Employer, f.employer.id, f.fair.id, f.today, f.today);
    std::string seeker =
        hub.code(CredentialKind::Attendee, f.seeker.id, f.fair.id, f.today, f.today);
    auto b = read_employer_badge(*f.store, f.identity, badge, f.noon());
    REQUIRE(b.employer);
    CHECK(b.employer->name == "奇瑞汽车股份有限公司");
    CHECK(read_employer_badge(*f.store, f.identity, seeker, f.noon()).verdict ==
          Verdict::WrongKind);
    auto s = read_seeker_code(*f.store, f.identity, seeker, f.noon());
    REQUIRE(s.attendee);
    CHECK(s.attendee->id == f.seeker.id);
    CHECK(read_seeker_code(*f.store, f.identity, badge, f.noon()).verdict == Verdict::WrongKind);
    std::string unknown =
        hub.code(CredentialKind::Employer, "E-UNKNOWN", f.fair.id, f.today, f.today);
    CHECK(read_employer_badge(*f.store, f.identity, unknown, f.noon()).message_key ==
          "desk.err.unknown_employer");
    // Reading codes at the booth records nothing.
    CHECK(f.store->last_seq() == 0);
}
