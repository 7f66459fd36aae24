// Canonical event bytes: the exact bytes terminal and hub sign, store, send and verify.
#include <catch2/catch.hpp>

#include "tests/store/fixture.hpp"

#include "kiosk/domain/event_codec.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sodium.h>

using namespace jf;
using namespace jf::test;

namespace {

CheckIn sample_check_in() {
    CheckIn c;
    c.h = {"0d9c2f7e-5a43-4c1b-9e2a-7b1f3c5d8e90", "T-ENTRANCE-1", 42, 1708653725000};
    c.attendee_id = "A-0001";
    c.fair_id = "F-WUWEI-20240223";
    c.method = ScanMethod::HandScanner;
    c.verdict = Verdict::CheckedIn;
    c.credential_id = "CRED-7";
    return c;
}

void same(const Placement& a, const Placement& b) {
    CHECK(a.h.uuid == b.h.uuid);
    CHECK(a.h.terminal_id == b.h.terminal_id);
    CHECK(a.h.seq == b.h.seq);
    CHECK(a.h.device_time == b.h.device_time);
    CHECK(a.placement_id == b.placement_id);
    CHECK(a.action == b.action);
    CHECK(a.corrects == b.corrects);
    CHECK(a.reason == b.reason);
    CHECK(a.attendee_id == b.attendee_id);
    CHECK(a.fair_id == b.fair_id);
    CHECK(a.employer_id == b.employer_id);
    CHECK(a.listing_id == b.listing_id);
    CHECK(a.person_name == b.person_name);
    CHECK(a.id_masked == b.id_masked);
    CHECK(a.phone_masked == b.phone_masked);
    CHECK(a.work_place == b.work_place);
    CHECK(a.employer_name == b.employer_name);
    CHECK(a.prev_year_work_place == b.prev_year_work_place);
    CHECK(a.employment_form == b.employment_form);
    CHECK(a.contract_form == b.contract_form);
    CHECK(a.participation == b.participation);
    CHECK(a.start_date == b.start_date);
    CHECK(a.signed_date == b.signed_date);
    CHECK(a.key_groups == b.key_groups);
    CHECK(a.seeker_signature.strokes == b.seeker_signature.strokes);
    CHECK(a.employer_signature.strokes == b.employer_signature.strokes);
}

} // namespace

TEST_CASE("check-ins encode canonically and decode back") {
    auto c = sample_check_in();
    std::string bytes = encode(c);
    CHECK(bytes ==
          R"({"attendee_id":"A-0001","credential_id":"CRED-7","device_time":1708653725000,)"
          R"("fair_id":"F-WUWEI-20240223","kind":"checkin","method":"scanner","seq":42,)"
          R"("terminal_id":"T-ENTRANCE-1","uuid":"0d9c2f7e-5a43-4c1b-9e2a-7b1f3c5d8e90","v":1,)"
          R"("verdict":"checked_in"})");
    auto d = decode_check_in(bytes);
    REQUIRE(d);
    CHECK(d->h.uuid == c.h.uuid);
    CHECK(d->h.seq == 42);
    CHECK(d->h.device_time == c.h.device_time);
    CHECK(d->attendee_id == c.attendee_id);
    CHECK(d->method == ScanMethod::HandScanner);
    CHECK(d->verdict == Verdict::CheckedIn);
    CHECK(encode(*d) == bytes);
    CHECK_FALSE(decode_placement(bytes)); // a check-in is never read as a placement
}

TEST_CASE("placements round-trip every 附件6 field and both signatures") {
    auto p = sample_placement();
    p.h = {"6f1e0c1a-2b3c-4d5e-8f70-112233445566", "T-BOOTH-3", 7, 1708653725000};
    p.placement_id = p.h.uuid;
    p.employment_form = EmploymentForm::GigWork;
    p.contract_form = ContractForm::OfferLetterElectronic;
    p.participation = Participation::Online;
    p.person_name = "欧阳\"小明\"\\ \n"; // quotes, backslash and control characters survive
    std::string bytes = encode(p);
    auto d = decode_placement(bytes);
    REQUIRE(d);
    same(*d, p);
    CHECK_FALSE(decode_check_in(bytes));

    // Unset dates and empty signatures are representable too (a void carries none).
    Placement empty;
    empty.action = PlacementAction::Void;
    auto e = decode_placement(encode(empty));
    REQUIRE(e);
    same(*e, empty);
}

TEST_CASE("only canonical bytes decode: one record, one byte form") {
    std::string bytes = encode(sample_check_in());
    auto with = [&](std::string from, std::string to) {
        std::string s = bytes;
        auto at = s.find(from);
        REQUIRE(at != std::string::npos);
        return s.replace(at, from.size(), to);
    };
    CHECK_FALSE(decode_check_in(bytes + " "));
    CHECK_FALSE(decode_check_in(" " + bytes));
    CHECK_FALSE(decode_check_in(with(",\"v\":1", ", \"v\":1")));           // whitespace
    CHECK_FALSE(decode_check_in(with("\"seq\":42", "\"seq\":42.0")));      // a float
    CHECK_FALSE(decode_check_in(with("\"seq\":42", "\"seq\":\"42\"")));    // a string
    CHECK_FALSE(decode_check_in(with("\"v\":1", "\"v\":2")));              // future format
    CHECK_FALSE(decode_check_in(with("\"scanner\"", "\"telepathy\"")));    // unknown code
    CHECK_FALSE(decode_check_in(with("\"attendee_id\":\"A-0001\",", ""))); // missing key
    CHECK_FALSE(decode_check_in(with("{", "{\"extra\":1,")));              // unknown key
    CHECK_FALSE(decode_check_in(with("\"A-0001\"", "\"A-\\u0030001\"")));  // escaped differently
    CHECK_FALSE(decode_check_in(with("{\"attendee_id\":\"A-0001\",",
                                     "{\"attendee_id\":\"X\",\"attendee_id\":\"A-0001\",")));
    CHECK_FALSE(decode_check_in(""));
    CHECK_FALSE(decode_check_in("[]"));
    CHECK_FALSE(decode_check_in("{\"kind\":\"checkin\""));
    CHECK(decode_check_in(bytes));

    auto p = sample_placement();
    std::string pb = encode(p);
    auto pwith = [&](std::string from, std::string to) {
        std::string s = pb;
        auto at = s.find(from);
        REQUIRE(at != std::string::npos);
        return s.replace(at, from.size(), to);
    };
    CHECK_FALSE(decode_placement(pwith("\"20240301\"", "\"2024-03-01\"")));
    CHECK_FALSE(decode_placement(pwith("\"20240301\"", "\"20240230\"")));
    CHECK_FALSE(decode_placement(pwith("[[500,500,600,520]]", "[[500,500,600]]"))); // odd stroke
    CHECK_FALSE(
        decode_placement(pwith("[[500,500,600,520]]", "[[500,500,600,99999]]"))); // out of int16
    CHECK_FALSE(decode_placement(pwith("\"key_groups\":5", "\"key_groups\":4096")));
    CHECK_FALSE(decode_placement(pwith("\"key_groups\":5", "\"key_groups\":-1")));
    CHECK(decode_placement(pb));
}

TEST_CASE("shared vectors: exact bytes and Ed25519 signatures the hub checks too") {
    std::ifstream in(JF_SOURCE_DIR "/tests/store/vectors/events_v1.json");
    REQUIRE(in);
    auto j = nlohmann::json::parse(in);
    REQUIRE(crypto_init());
    auto seed = from_hex(j["signing_seed_hex"].get<std::string>());
    REQUIRE(seed);
    Bytes pk(32), sk(64);
    crypto_sign_seed_keypair(pk.data(), sk.data(), seed->data());
    CHECK(hex(pk) == j["public_key_hex"].get<std::string>());
    auto key = SigningKey::from_secret(sk);
    REQUIRE(key);
    REQUIRE(j["cases"].size() == 8);
    for (auto& c : j["cases"]) {
        std::string kind = c["kind"], body = c["body"];
        INFO(body);
        CHECK(signature_domain(kind) == c["domain"].get<std::string>());
        auto sig = from_hex(c["signature_hex"].get<std::string>());
        REQUIRE(sig);
        CHECK(verify(pk, signature_domain(kind), to_bytes(body), *sig));
        CHECK(hex(key->sign(signature_domain(kind), to_bytes(body))) ==
              c["signature_hex"].get<std::string>());
        if (kind == "checkin") {
            auto d = decode_check_in(body);
            REQUIRE(d);
            CHECK(encode(*d) == body);
        } else if (kind == "registration") {
            auto d = decode_registration(body);
            REQUIRE(d);
            CHECK(encode(*d) == body);
            CHECK(d->attendee.name == "王小梅");
            CHECK(d->attendee.phone_masked == "170****0123");
            CHECK(d->consent);
            CHECK_FALSE(decode_check_in(body));
            CHECK_FALSE(decode_placement(body));
        } else if (kind == "intent") {
            auto d = decode_intent(body);
            REQUIRE(d);
            CHECK(encode(*d) == body);
            CHECK(d->level == IntentLevel::Interview);
            CHECK(d->note == "second_interview");
            CHECK_FALSE(decode_check_in_undo(body));
            CHECK_FALSE(decode_service(body));
        } else if (kind == "checkin_undo") {
            auto d = decode_check_in_undo(body);
            REQUIRE(d);
            CHECK(encode(*d) == body);
            // It undoes the first vector's check-in.
            CHECK(d->check_in_uuid ==
                  decode_check_in(j["cases"][0]["body"].get<std::string>())->h.uuid);
            CHECK(d->reason == "wrong_person");
            CHECK_FALSE(decode_intent(body));
        } else if (kind == "needs") {
            auto d = decode_needs(body);
            REQUIRE(d);
            CHECK(encode(*d) == body);
            CHECK(d->industries == std::vector<std::string>{"制造业", "居民服务"});
            CHECK(d->skill == "intermediate");
            CHECK(d->certificates == std::vector<std::string>{"special_ops", "health"});
            CHECK(d->services == std::vector<std::string>{"legal_aid", "training"});
            CHECK_FALSE(decode_service(body));
            CHECK_FALSE(decode_intent(body));
        } else if (kind == "service") {
            auto d = decode_service(body);
            REQUIRE(d);
            CHECK(encode(*d) == body);
            CHECK(d->service == ServiceKind::LegalAid);
            CHECK(d->attendee_id.empty());
            CHECK(d->key_groups == kMigrantWorker);
            CHECK_FALSE(decode_check_in(body));
        } else {
            auto d = decode_placement(body);
            REQUIRE(d);
            CHECK(encode(*d) == body);
            CHECK(d->person_name == "李娟");
            CHECK_FALSE(decode_registration(body));
        }
    }
    // The first vector is the record built here, so encoder changes cannot slip past.
    CHECK(encode(sample_check_in()) == j["cases"][0]["body"].get<std::string>());
}

TEST_CASE("a registration decodes only from its canonical bytes") {
    std::ifstream in(JF_SOURCE_DIR "/tests/store/vectors/events_v1.json");
    REQUIRE(in);
    auto j = nlohmann::json::parse(in);
    std::string body = j["cases"][3]["body"];
    REQUIRE(decode_registration(body));
    auto with = [&](const std::string& from, const std::string& to) {
        std::string b = body;
        auto at = b.find(from);
        REQUIRE(at != std::string::npos);
        return b.replace(at, from.size(), to);
    };
    CHECK_FALSE(decode_registration(with("\"consent\":1", "\"consent\":true")));
    CHECK_FALSE(decode_registration(with("\"consent\":1", "\"consent\":2")));
    CHECK_FALSE(decode_registration(with("\"gender\":\"female\"", "\"gender\":\"f\"")));
    CHECK_FALSE(decode_registration(with("\"key_groups\":5", "\"key_groups\":64")));
    CHECK_FALSE(decode_registration(with("{\"attendee_id\"", "{ \"attendee_id\"")));
    CHECK_FALSE(decode_registration(with(",\"v\":1}", ",\"v\":1,\"x\":0}")));
    CHECK_FALSE(decode_registration(with("\"kind\":\"registration\"", "\"kind\":\"checkin\"")));
}

TEST_CASE("the fair day's events decode only from their canonical bytes") {
    std::ifstream in(JF_SOURCE_DIR "/tests/store/vectors/events_v1.json");
    REQUIRE(in);
    auto j = nlohmann::json::parse(in);
    std::string intent = j["cases"][4]["body"], undo = j["cases"][5]["body"],
                service = j["cases"][6]["body"];
    auto with = [](std::string b, const std::string& from, const std::string& to) {
        auto at = b.find(from);
        REQUIRE(at != std::string::npos);
        return b.replace(at, from.size(), to);
    };
    REQUIRE(decode_intent(intent));
    CHECK_FALSE(decode_intent(with(intent, "\"interview\"", "\"hired\"")));
    // A note is a chosen phrase, never free text.
    CHECK_FALSE(decode_intent(with(intent, "\"second_interview\"", "\"张伟 13812345678\"")));
    CHECK_FALSE(decode_intent(with(intent, ",\"v\":1}", ",\"v\":1,\"x\":0}")));
    REQUIRE(decode_check_in_undo(undo));
    CHECK_FALSE(decode_check_in_undo(with(undo, "\"wrong_person\"", "\"\"")));
    CHECK_FALSE(
        decode_check_in_undo(with(undo, "\"kind\":\"checkin_undo\"", "\"kind\":\"checkin\"")));
    REQUIRE(decode_service(service));
    CHECK_FALSE(decode_service(with(service, "\"legal_aid\"", "\"massage\"")));
    CHECK_FALSE(decode_service(with(service, "\"key_groups\":1", "\"key_groups\":64")));
    CHECK_FALSE(decode_service(with(service, "\"key_groups\":1", "\"key_groups\":-1")));
}

TEST_CASE("a needs list decodes only from its canonical bytes: choices, never text") {
    std::ifstream in(JF_SOURCE_DIR "/tests/store/vectors/events_v1.json");
    REQUIRE(in);
    auto j = nlohmann::json::parse(in);
    std::string needs = j["cases"][7]["body"];
    auto with = [](std::string b, const std::string& from, const std::string& to) {
        auto at = b.find(from);
        REQUIRE(at != std::string::npos);
        return b.replace(at, from.size(), to);
    };
    REQUIRE(decode_needs(needs));
    // Out of canonical order, twice, unknown, or typed text: refused.
    CHECK_FALSE(
        decode_needs(with(needs, "[\"special_ops\",\"health\"]", "[\"health\",\"special_ops\"]")));
    CHECK_FALSE(
        decode_needs(with(needs, "[\"制造业\",\"居民服务\"]", "[\"居民服务\",\"制造业\"]")));
    CHECK_FALSE(decode_needs(with(needs, "[\"制造业\",\"居民服务\"]", "[\"制造业\",\"制造业\"]")));
    CHECK_FALSE(decode_needs(with(needs, "[\"制造业\",\"居民服务\"]", "[\"制造业\",\"\"]")));
    CHECK_FALSE(
        decode_needs(with(needs, "[\"legal_aid\",\"training\"]", "[\"training\",\"legal_aid\"]")));
    CHECK_FALSE(decode_needs(with(needs, "\"legal_aid\"", "\"massage\"")));
    CHECK_FALSE(decode_needs(with(needs, "\"intermediate\"", "\"张伟 13812345678\"")));
    CHECK_FALSE(decode_needs(with(needs, "\"special_ops\"", "\"13812345678\"")));
    CHECK_FALSE(decode_needs(with(needs, "\"certificates\":[\"special_ops\",\"health\"]",
                                  "\"certificates\":\"special_ops\"")));
    CHECK_FALSE(decode_needs(with(needs, "[\"legal_aid\",\"training\"]", "[1]")));
    CHECK_FALSE(decode_needs(with(needs, ",\"v\":1}", ",\"v\":1,\"x\":0}")));
    CHECK_FALSE(decode_needs(with(needs, "\"kind\":\"needs\"", "\"kind\":\"service\"")));
    // Six industries: more than a list holds.
    SeekerNeeds many = *decode_needs(needs);
    many.industries = {"a", "b", "c", "d", "e", "f"};
    CHECK_FALSE(decode_needs(encode(many)));
    many.industries.pop_back();
    CHECK(decode_needs(encode(many)));
    // normalise_needs puts a screen's choices in canonical order and drops unknown codes.
    SeekerNeeds n;
    n.industries = {"建筑业", "制造业", "建筑业"};
    n.certificates = {"health", "lockpicking", "special_ops"};
    n.services = {"job_service", "legal_aid", "job_service"};
    normalise_needs(n);
    CHECK(n.industries == std::vector<std::string>{"制造业", "建筑业"});
    CHECK(n.certificates == std::vector<std::string>{"special_ops", "health"});
    CHECK(n.services == std::vector<std::string>{"legal_aid", "job_service"});
    CHECK(needs_ok(n));
    CHECK_FALSE(needs_empty(n));
    CHECK(needs_empty(SeekerNeeds{}));
}
