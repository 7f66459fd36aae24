// PhoneSignup without a browser, on a real hub store: sealing like a walk-up registration, the
// one-time code, no answer that tells a registered number from another, limits, the challenge,
// and the entrance download carrying phone registrations of its fair.
#include <catch2/catch.hpp>

#include "sync/hub/hub_phone.hpp"
#include "sync/hub/hub_service.hpp"
#include "sync/protocol/credential.hpp"
#include "tests/sync/sync_test_util.hpp"

#include <openssl/sha.h>

#include <future>

using namespace jf;
using namespace jf::hub;

namespace {

struct Outbox : SmsSender {
    std::vector<std::pair<std::string, std::string>> sent; // number, text
    std::shared_future<void> hold; // when set: a provider that answers only once released
    bool send(const std::string& phone, const std::string& text) override {
        if (hold.valid()) hold.wait();
        sent.emplace_back(phone, text);
        return true;
    }
    std::string last_code() const {
        auto& t = sent.back().second;
        auto at = t.find("验证码 ");
        return t.substr(at + std::string("验证码 ").size(), 6);
    }
};

struct Setup {
    test::TempDir dir;
    std::unique_ptr<HubStore> store;
    Outbox* outbox = nullptr;
    std::unique_ptr<PhoneSignup> signup;
    TimeMs now = 1'790'000'000'000; // 2026-09-21
    explicit Setup(PhoneSettings s = {}) {
        crypto_init();
        store = open_hub_store(dir.str("hub"));
        REQUIRE(store);
        Fair f;
        f.id = "F1";
        f.name = "招聘会";
        f.union_unit = "无为市";
        f.date = cst_date(now);
        REQUIRE(store->upsert_fair(f));
        auto o = std::make_unique<Outbox>();
        outbox = o.get();
        signup = std::make_unique<PhoneSignup>(*store, SigningKey::generate(), std::move(o), s);
    }
    // What the sender was handed so far (codes leave from the sender's own thread).
    Outbox& box() {
        signup->flush_sent();
        return *outbox;
    }
    PhoneForm form(const std::string& phone, const std::string& rid = {}) {
        PhoneForm f;
        f.person.name = "陈静";
        f.person.phone = phone;
        f.person.resident_id = rid;
        f.person.consent = true;
        f.id_consent = !rid.empty();
        f.fair_id = "F1";
        return f;
    }
};

} // namespace

TEST_CASE("a phone registration is sealed like a walk-up one and stored only after the code") {
    Setup s;
    auto out =
        s.signup->register_person(s.form("13800138000", "11010519491231002X"), "1.2.3.4", s.now);
    REQUIRE(out.status == 200);
    REQUIRE(s.box().sent.size() == 1);
    CHECK(s.box().sent[0].first == "13800138000");
    CHECK(s.store->attendees().empty()); // nothing stored before the proof
    auto wrong = s.signup->verify(out.ticket,
                                  "000000" == s.box().last_code() ? "111111" : "000000", s.now);
    CHECK(wrong.error_key == "phone.err.otp_wrong");
    auto v = s.signup->verify(out.ticket, s.box().last_code(), s.now);
    REQUIRE(v.code);
    auto people = s.store->attendees();
    REQUIRE(people.size() == 1);
    auto& a = people[0];
    CHECK(a.phone_masked == "138****8000");
    CHECK(a.id_masked == "1101**********002X");
    CHECK(a.phone_hash.empty());
    CHECK(a.id_tail_hash.empty());
    auto keys = s.store->keys();
    CHECK(open_sealed(keys.seal, *from_base64(a.sealed_phone)) == std::string("13800138000"));
    CHECK(open_sealed(keys.seal, *from_base64(a.sealed_id)) == std::string("11010519491231002X"));
    auto parsed = parse(v.code->credential);
    REQUIRE(parsed);
    CHECK(parsed->credential.holder_id == a.id);
    CHECK(parsed->credential.scope_id == "F1");
    // The ticket works once.
    CHECK_FALSE(s.signup->verify(out.ticket, s.box().last_code(), s.now).code);
}

TEST_CASE("nothing tells a registered number from another") {
    Setup s;
    auto out = s.signup->register_person(s.form("13800138000"), "a", s.now);
    auto first = s.signup->verify(out.ticket, s.box().last_code(), s.now);
    REQUIRE(first.code);
    // Coming back: a code to the registered number, the same answer (no message) for another.
    auto known = s.signup->request_code("138 0013 8000", "a", s.now);
    auto unknown = s.signup->request_code("13900139000", "a", s.now);
    CHECK(known.status == unknown.status);
    CHECK(known.error_key == unknown.error_key);
    CHECK(known.problems.empty());
    CHECK(unknown.problems.empty());
    CHECK(known.ticket.size() == unknown.ticket.size());
    REQUIRE(s.box().sent.size() == 2); // none to the unknown number
    auto again = s.signup->verify(known.ticket, s.box().last_code(), s.now);
    REQUIRE(again.code);
    CHECK(again.code->credential == first.code->credential);
    for (int i = 0; i < 5; ++i)
        CHECK_FALSE(s.signup->verify(unknown.ticket, std::to_string(100000 + i), s.now).code);
    // Registering again with the number: the same steps, then the person's own code.
    auto twice = s.signup->register_person(s.form("13800138000"), "a", s.now);
    REQUIRE(twice.status == 200);
    auto v = s.signup->verify(twice.ticket, s.box().last_code(), s.now);
    REQUIRE(v.code);
    CHECK(v.code->credential == first.code->credential);
    CHECK(s.store->attendees().size() == 1);
}

TEST_CASE("the answer to a registered number does not wait for the text message") {
    // A provider that takes its time (here: until released) would make the answer to a registered
    // number, the only one that sends, slower than to another: the code leaves after the answer.
    Setup s;
    auto out = s.signup->register_person(s.form("13800138000"), "a", s.now);
    REQUIRE(s.signup->verify(out.ticket, s.box().last_code(), s.now).code);
    std::promise<void> release;
    s.outbox->hold = release.get_future().share();
    auto answer = std::async(std::launch::async,
                             [&] { return s.signup->request_code("13800138000", "a", s.now); });
    bool answered = answer.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    release.set_value();
    CHECK(answered);
    CHECK(answer.get().status == 200);
    CHECK(s.box().sent.size() == 2); // and the code was sent
}

TEST_CASE("one-time codes: attempts, expiry and limits per number and per address") {
    PhoneSettings ps;
    ps.sms_burst_per_number = 2;
    ps.sms_burst_per_address = 4;
    Setup s(ps);
    auto t = s.signup->request_code("13800138000", "a", s.now);
    for (int i = 0; i < 4; ++i)
        CHECK(s.signup->verify(t.ticket, "99999" + std::to_string(i), s.now).error_key ==
              "phone.err.otp_wrong");
    CHECK(s.signup->verify(t.ticket, "999995", s.now).error_key == "phone.err.otp_attempts");
    CHECK(s.signup->request_code("13800138000", "a", s.now).status == 200);
    CHECK(s.signup->request_code("13800138000", "b", s.now).error_key == "phone.err.sms_limited");
    CHECK(s.signup->request_code("13900139001", "a", s.now).status == 200);
    CHECK(s.signup->request_code("13900139002", "a", s.now).status == 200);
    CHECK(s.signup->request_code("13900139003", "a", s.now).status == 429);
    // Ten minutes on, the number may have a code again; an old ticket has expired.
    auto later = s.now + 11 * 60 * 1000;
    auto fresh = s.signup->request_code("13800138000", "c", later);
    CHECK(fresh.status == 200);
    auto old = s.signup->request_code("13700137000", "d", s.now);
    CHECK(s.signup->verify(old.ticket, "123456", later).error_key == "phone.err.otp_expired");
    CHECK(s.signup->request_code("12345", "e", s.now).problems.at(0).field == "phone");
}

TEST_CASE("bad registrations change nothing and say which field") {
    Setup s;
    auto f = s.form("1380013800", "340222199001011235");
    f.id_consent = false;
    f.person.consent = false;
    f.fair_id = "nope";
    auto out = s.signup->register_person(f, "a", s.now);
    CHECK(out.status == 400);
    std::set<std::string> fields;
    for (auto& p : out.problems)
        fields.insert(p.field);
    CHECK(fields == std::set<std::string>{"phone", "resident_id", "id_consent", "consent", "fair"});
    CHECK(s.box().sent.empty());
    CHECK(s.store->attendees().empty());
}

TEST_CASE("the challenge turns on when registrations rise; an answer works once") {
    PhoneSettings ps;
    ps.challenge_per_minute = 3;
    ps.challenge_bits = 8;
    Setup s(ps);
    for (int i = 0; i < 3; ++i)
        CHECK_FALSE(s.signup->challenge(s.now).active);
    for (int i = 0; i < 3; ++i)
        s.signup->register_person(s.form("138001380" + std::to_string(10 + i)), "a", s.now);
    auto c = s.signup->challenge(s.now);
    REQUIRE(c.active);
    auto f = s.form("13800138099");
    auto out = s.signup->register_person(f, "a", s.now);
    CHECK(out.error_key == "phone.err.challenge");
    f.challenge = c.seed;
    for (int n = 0;; ++n) {
        std::string line = c.seed + ":" + std::to_string(n);
        unsigned char d[32];
        SHA256(reinterpret_cast<const unsigned char*>(line.data()), line.size(), d);
        if (d[0] == 0) {
            f.pow = std::to_string(n);
            break;
        }
    }
    CHECK(s.signup->register_person(f, "a", s.now).status == 200);
    CHECK(s.signup->register_person(f, "a", s.now).error_key == "phone.err.challenge");
    f.challenge = "1." + std::string(16, '0'); // a seed the hub did not make
    CHECK(s.signup->register_person(f, "a", s.now).error_key == "phone.err.challenge");
    // A quiet minute later, no challenge.
    CHECK_FALSE(s.signup->challenge(s.now + 61'000).active);
}

TEST_CASE("an entrance terminal of the fair downloads its phone registrations, without numbers") {
    Setup s;
    auto out = s.signup->register_person(s.form("13800138000"), "a", s.now);
    REQUIRE(s.signup->verify(out.ticket, s.box().last_code(), s.now).code);
    bool more = false;
    auto items = s.store->changes(wire::Stream::Attendees, 0, 100, &more);
    REQUIRE(items.size() == 1);
    TerminalRow entrance;
    entrance.fair_id = "F1";
    entrance.mode = "entrance";
    auto kept = items;
    narrow_attendees(*s.store, entrance, kept);
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].attendee->sealed_phone.empty());
    CHECK(kept[0].attendee->phone_masked == "138****8000");
    TerminalRow other = entrance;
    other.fair_id = "F2";
    kept = items;
    narrow_attendees(*s.store, other, kept);
    CHECK(kept.empty());
}
