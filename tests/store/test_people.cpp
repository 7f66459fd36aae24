// Personal data at rest: sealed to the hub, masked for screens (look-up matches the masks); and the
// terminal identity that signs events.
#include <catch2/catch.hpp>

#include "tests/store/fixture.hpp"

#include "kiosk/store/identity.hpp"
#include "kiosk/store/people.hpp"

#include <fstream>
#include <iterator>

using namespace jf;
using namespace jf::test;

namespace {

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

AttendeeInput sample_input() {
    AttendeeInput in;
    in.name = " 张伟 ";
    in.phone = "+86 138-1234-5678";
    in.resident_id = "11010519491231002x";
    in.gender = Gender::Male;
    in.key_groups = kMigrantWorker | kDisabled;
    in.name_initials = "ZW";
    in.union_unit = "无为市";
    in.campaign_id = "C-2024";
    return in;
}

} // namespace

TEST_CASE(
    "seal_attendee seals and masks, keeps no look-up hash; only the hub's key opens the numbers") {
    REQUIRE(crypto_init());
    auto hub = BoxKeyPair::generate();
    Check problem;
    Attendee a = seal_attendee(sample_input(), hub.public_key, &problem);
    REQUIRE(problem.ok());
    CHECK(a.id.size() == 36);
    CHECK(a.name == "张伟");
    CHECK(a.phone_masked == "138****5678");
    CHECK(a.id_masked == "1101**********002X");
    CHECK(a.name_initials == "zw");
    CHECK(a.gender == Gender::Male);
    CHECK(a.key_groups == (kMigrantWorker | kDisabled));
    auto phone = open_sealed(hub, *from_base64(a.sealed_phone));
    auto id = open_sealed(hub, *from_base64(a.sealed_id));
    CHECK(phone == std::string("13812345678"));
    CHECK(id == std::string("11010519491231002X"));
    CHECK_FALSE(open_sealed(BoxKeyPair::generate(), *from_base64(a.sealed_id)));

    // Nothing verifies a guessed full number: no hash of it, keyed or not.
    CHECK(a.phone_hash.empty());
    CHECK(a.phone_tail_hash.empty());
    CHECK(a.id_tail_hash.empty());
    // The sealed box is randomised: sealing the same number again gives other bytes.
    CHECK(seal_attendee(sample_input(), hub.public_key).sealed_phone != a.sealed_phone);

    // What a person types at the look-up screen becomes the visible characters of the masks.
    auto full = person_query("138 1234 5678", "");
    CHECK(full.phone_masked == a.phone_masked);
    CHECK(full.phone_tail.empty());
    auto tail = person_query("5678", "002x", "ZW");
    CHECK(tail.phone_tail == "5678");
    CHECK(tail.id_tail == "002X");
    CHECK(tail.initials == "zw");
    CHECK(person_query("567", "02X").phone_tail.empty());
    CHECK(person_query("567", "02X").id_tail.empty());
    CHECK(person_query("12345678901", "").phone_masked.empty()); // not a mobile number

    // Legacy 15-digit numbers are upgraded before sealing.
    auto legacy = sample_input();
    legacy.resident_id = "110105491231002";
    Attendee b = seal_attendee(legacy, hub.public_key, &problem);
    REQUIRE(problem.ok());
    CHECK(open_sealed(hub, *from_base64(b.sealed_id)) == std::string("11010519491231002X"));

    // A number typed in groups is the same number: same sealed text, same mask.
    auto spaced = sample_input();
    spaced.resident_id = "110105 19491231 002x";
    Attendee c = seal_attendee(spaced, hub.public_key, &problem);
    REQUIRE(problem.ok());
    CHECK(open_sealed(hub, *from_base64(c.sealed_id)) == std::string("11010519491231002X"));
    CHECK(c.id_masked == a.id_masked);
}

TEST_CASE("seal_attendee refuses bad numbers with the validation key") {
    auto hub = BoxKeyPair::generate();
    Check problem;
    auto in = sample_input();
    in.phone = "1234";
    CHECK(seal_attendee(in, hub.public_key, &problem).id.empty());
    CHECK(problem.key == "err.phone.length");
    in = sample_input();
    in.resident_id = "110105194912310021";
    CHECK(seal_attendee(in, hub.public_key, &problem).id.empty());
    CHECK(problem.key == "err.id.checksum");
    in = sample_input();
    in.name = "  ";
    CHECK(seal_attendee(in, hub.public_key, &problem).id.empty());
    CHECK(problem.key == "err.store.name_missing");
    CHECK(seal_attendee(sample_input(), Bytes(5), &problem).id.empty());
    CHECK(problem.key == "err.identity.invalid");
    // Phone and ID are optional; a name alone registers.
    in = sample_input();
    in.phone.clear();
    in.resident_id.clear();
    Attendee a = seal_attendee(in, hub.public_key, &problem);
    CHECK(problem.ok());
    CHECK_FALSE(a.id.empty());
    CHECK(a.sealed_phone.empty());
    CHECK(a.phone_hash.empty());
}

TEST_CASE("no plain ID or phone number reaches the database file") {
    TempDir dir;
    auto hub = BoxKeyPair::generate();
    {
        auto s = Store::open(dir.file("kiosk.db"));
        REQUIRE(s);
        Attendee a = seal_attendee(sample_input(), hub.public_key);
        REQUIRE(s->upsert_attendee(a));
        auto found = s->find_attendees(person_query("13812345678", ""));
        REQUIRE(found.size() == 1);
        CHECK(found[0].id == a.id);
        CHECK(s->find_attendees(person_query("5678", "", "zw")).size() == 1);
    }
    for (auto name : {"kiosk.db", "kiosk.db-wal"}) {
        std::string bytes = file_bytes(dir.file(name));
        INFO(name);
        CHECK(bytes.find("13812345678") == std::string::npos);
        CHECK(bytes.find("11010519491231002X") == std::string::npos);
        CHECK(bytes.find("110105194912") == std::string::npos);
    }
}

TEST_CASE("the terminal identity is saved whole, loads back and signs verifiable events") {
    TempDir dir;
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    CHECK_FALSE(load_identity(*s));

    TerminalIdentity t;
    t.terminal_id = "T-WUWEI-ENTRANCE-1";
    t.key = SigningKey::generate();
    t.hub_seal_public_key = BoxKeyPair::generate().public_key;
    t.fair_id = "F-1";
    t.mode = "entrance";
    t.hub_url = "https://hub.example:8443";
    REQUIRE(save_identity(*s, t));

    s.reset();
    s = Store::open(dir.file("kiosk.db"));
    auto back = load_identity(*s);
    REQUIRE(back);
    CHECK(back->terminal_id == t.terminal_id);
    CHECK(back->key.public_key == t.key.public_key);
    CHECK(back->key.secret_key == t.key.secret_key);
    CHECK(back->hub_seal_public_key == t.hub_seal_public_key);
    CHECK(back->fair_id == "F-1");
    CHECK(back->mode == "entrance");
    CHECK(back->hub_url == t.hub_url);

    CheckIn c;
    c.attendee_id = "A-1";
    c.fair_id = "F-1";
    auto out = s->record_check_in(c, back->signer());
    REQUIRE(out.ok);
    CHECK(out.record.h.terminal_id == "T-WUWEI-ENTRANCE-1");
    auto e = s->events_after(0, 1);
    REQUIRE(e.size() == 1);
    CHECK(verify(t.key.public_key, "jf.checkin.v1", e[0].body, e[0].signature));

    // A broken identity is refused whole: the saved one stays.
    std::string before = db_digest(s->handle());
    auto bad = t;
    bad.terminal_id = "T-OTHER";
    bad.hub_seal_public_key = Bytes(3);
    std::string err;
    CHECK_FALSE(save_identity(*s, bad, &err));
    CHECK(err == "err.identity.invalid");
    bad = t;
    bad.mode = "kitchen";
    CHECK_FALSE(save_identity(*s, bad, &err));
    CHECK(db_digest(s->handle()) == before);
    CHECK(load_identity(*s)->terminal_id == "T-WUWEI-ENTRANCE-1");
}
