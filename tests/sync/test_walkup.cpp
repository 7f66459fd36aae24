// Walk-up registrations fair-wide, with real parts: a real `jobfair-hub serve` over TLS on
// loopback, two entrance terminals enrolled at the same fair syncing with the real engine, the
// real registration code, the credential drawn as a QR PNG and read back by ZXing-C++ into the
// real CheckInDesk, the hub's 附件6 export written by its own command, and revoke-terminal.
#include <catch2/catch.hpp>

#include "kiosk/checkin/checkin_desk.hpp"
#include "kiosk/domain/clock.hpp"
#include "kiosk/desk/registration.hpp"
#include "sync/hub/hub_service.hpp"
#include "tests/sync/sync_trial.hpp"
#include "sync/protocol/credential.hpp"
#include "platform/scan/decoder.hpp"
#include "platform/scan/image.hpp"

#include <httplib.h>
#include <sqlite3.h>

using namespace jf;
using namespace jf::test;

namespace {

constexpr const char* kPhone = "17055550123";
constexpr const char* kResidentId = "340299198503121232";

desk::WalkUpForm wang_xiaomei() {
    desk::WalkUpForm f;
    f.name = "王小梅";
    f.phone = kPhone;
    f.resident_id = kResidentId;
    f.gender = Gender::Female;
    f.key_groups = kMigrantWorker | kHardshipFamily;
    f.consent = true;
    return f;
}

// The code as a person shows it: a PNG of the QR on their phone, read by the decoder.
std::string shown_and_scanned(const std::string& text, const std::string& png) {
    auto qr = scan::render_qr(text, 4);
    REQUIRE_FALSE(qr.empty());
    REQUIRE(scan::write_png(png, qr));
    auto img = scan::load_gray(png);
    REQUIRE(img);
    auto out = scan::QrDecoder().decode(*img);
    REQUIRE(out.found);
    return out.text;
}

// Sends events to the hub as a terminal's engine would, with its access token.
wire::UploadResponse upload(Trial& t, const Store& terminal, std::vector<wire::WireEvent> events) {
    httplib::SSLClient cli("127.0.0.1", t.hub.port());
    cli.set_ca_cert_path(t.cert.c_str());
    cli.enable_server_certificate_verification(true);
    wire::UploadRequest q;
    q.terminal_id = identity_of(terminal).terminal_id;
    q.device_now = jf::now_ms();
    q.events = std::move(events);
    auto token = terminal.setting("sync.token");
    REQUIRE(token);
    auto res = cli.Post("/v1/events", {{"Authorization", "Bearer " + *token}}, wire::encode(q),
                        "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    auto r = wire::decode_upload_response(res->body);
    REQUIRE(r);
    return *r;
}

wire::WireEvent wire_event(const OutboxEvent& e) {
    return {e.seq, e.uuid, e.kind, e.body, e.signature, e.device_time};
}

// A registration signed with a terminal's real key but carrying what the terminal chose.
wire::WireEvent signed_registration(const TerminalIdentity& id, Registration r, int64_t seq) {
    r.h.uuid = new_uuid();
    r.h.seq = seq;
    r.h.terminal_id = id.terminal_id;
    r.h.device_time = jf::now_ms();
    std::string body = encode(r);
    return {seq,
            r.h.uuid,
            "registration",
            to_bytes(body),
            id.key.sign(signature_domain("registration"), to_bytes(body)),
            r.h.device_time};
}

bool file_holds(const std::string& path, const std::string& needle) {
    std::string bytes = read_file(path);
    return bytes.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("a walk-up registered at one entrance is known at every terminal of the fair and on "
          "the hub's 附件6; revoking the terminal stops its codes") {
    Trial t;
    auto a = t.terminal("A");
    auto b = t.terminal("B");
    auto ida = identity_of(*a), idb = identity_of(*b);
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*a, fast_options(), st));
    REQUIRE(sync::sync_once(*b, fast_options(), st));
    // Each terminal already knows the other's key, as a terminal key for the fair.
    CHECK(b->terminal_key_fairs().at(ida.key.key_id()) == "F1");
    CHECK(a->terminal_key_fairs().at(idb.key.key_id()) == "F1");

    // A registers a person who came without a code.
    TimeMs now = jf::now_ms();
    std::string error;
    auto reg = desk::register_walk_up(*a, ida, wang_xiaomei(), now, &error);
    INFO(error);
    REQUIRE(reg);
    const std::string person = reg->attendee.id;
    auto outbox = a->events_after(a->acknowledged_seq(), 10);
    REQUIRE(outbox.size() == 1); // the attendee, the key and the event went in together
    CHECK(outbox[0].kind == "registration");
    auto body = decode_registration(std::string_view(
        reinterpret_cast<const char*>(outbox[0].body.data()), outbox[0].body.size()));
    REQUIRE(body);
    CHECK(body->attendee.id == person);
    CHECK(body->credential_id == reg->credential_id);
    CHECK(body->attendee.phone_masked == "170****0123");

    // Before A syncs, B does not know the person (only the issuer): look-up finds nobody.
    CHECK(desk::look_up_attendees(*b, kPhone).empty());

    REQUIRE(sync::sync_once(*a, fast_options(), st));
    {
        auto hub = t.hub_view();
        auto regs = hub->registrations();
        REQUIRE(regs.size() == 1);
        CHECK(regs[0].attendee_id == person);
        CHECK(regs[0].terminal_id == ida.terminal_id);
        CHECK(regs[0].credential_id == reg->credential_id);
        bool in_registry = false;
        for (auto& p : hub->attendees())
            if (p.id == person) {
                in_registry = true;
                CHECK(p.name == "王小梅");
                CHECK(p.sealed_phone == reg->attendee.sealed_phone);
            }
        CHECK(in_registry);
    }

    // B syncs; A's walk-up shows A's code at B's entrance, as a real QR image.
    REQUIRE(sync::sync_once(*b, fast_options(), st));
    CheckInDesk desk_b(*b, idb, "F1");
    std::string scanned = shown_and_scanned(reg->credential_text, t.dir.str("walkup.png"));
    CHECK(scanned == reg->credential_text);
    auto r = desk_b.present_at_entrance(scanned, ScanMethod::Camera, jf::now_ms());
    CHECK(r.verdict == Verdict::CheckedIn);
    CHECK(r.recorded);
    CHECK(r.holder_id == person);
    // And B finds the person by phone, by its last four digits and by ID tail.
    auto found = desk::look_up_attendees(*b, kPhone);
    REQUIRE(found.size() == 1);
    CHECK(found[0].id == person);
    CHECK(found[0].phone_masked == "170****0123");
    CHECK(desk::look_up_attendees(*b, "1232").size() == 1);

    // A's key vouches only for A's attendee codes of this fair: a badge under it is forged.
    Credential badge;
    badge.kind = CredentialKind::Employer;
    badge.holder_id = "E-forged";
    badge.scope_id = "F1";
    badge.valid_from = badge.valid_until = cst_date(now);
    auto forged = issue(badge, ida.key);
    REQUIRE(forged);
    CHECK(desk_b.present_employer_badge(encode(*forged), jf::now_ms()).verdict == Verdict::Forged);

    // B records a placement for the person; the hub's 附件6 opens the real numbers.
    Placement p = placement_draft("F1", 1);
    p.attendee_id = person;
    p.person_name = found[0].name;
    p.id_masked = found[0].id_masked;
    p.phone_masked = found[0].phone_masked;
    p.key_groups = found[0].key_groups;
    REQUIRE(b->record_placement(p, idb.signer()));
    REQUIRE(sync::sync_once(*b, fast_options(), st));
    std::string csv = t.dir.str("annex6.csv"), out;
    REQUIRE(run_hub({"report", "detail", "--period", "20240301-20240331", "--format", "csv",
                     "--out", csv, "--data-dir", t.data},
                    &out) == 0);
    std::string annex6 = read_file(csv);
    INFO(annex6);
    CHECK(annex6.find("王小梅") != std::string::npos);
    CHECK(annex6.find(kResidentId) != std::string::npos);
    CHECK(annex6.find(kPhone) != std::string::npos);
    // The terminals hold neither number in plain text, in the database or its write-ahead log.
    for (const char* name : {"A", "B"})
        for (const char* suffix : {".db", ".db-wal"}) {
            std::string f = t.dir.str(std::string(name) + suffix);
            INFO(f);
            CHECK_FALSE(file_holds(f, kPhone));
            CHECK_FALSE(file_holds(f, kResidentId));
        }

    SECTION("a registration sent twice is stored once; tampered ones are quarantined") {
        auto again = upload(t, *a, {wire_event(outbox[0])});
        CHECK(again.duplicates == 1);
        CHECK(again.stored == 0);
        // Someone alters the stored registration (another name) and sends it as it stands.
        auto altered = wire_event(outbox[0]);
        std::string text(altered.body.begin(), altered.body.end());
        auto at = text.find("王小梅");
        REQUIRE(at != std::string::npos);
        text.replace(at, std::string("王小梅").size(), "王小妹");
        altered.body = to_bytes(text);
        auto q1 = upload(t, *a, {altered});
        CHECK(q1.quarantined == 1);
        // Signed with A's real key, but a plain phone number where the mask belongs.
        Registration plain = *body;
        plain.attendee.id = "A-plain";
        plain.attendee.phone_masked = kPhone;
        auto q2 = upload(t, *a, {signed_registration(ida, plain, a->last_seq() + 1)});
        CHECK(q2.quarantined == 1);
        // B claiming A's person as its own registration: the registry is never overwritten.
        Registration taken = *body;
        taken.attendee.name = "冒名";
        auto q3 = upload(t, *b, {signed_registration(idb, taken, b->last_seq() + 1)});
        CHECK(q3.quarantined == 1);

        auto hub = t.hub_view();
        std::map<std::string, std::string> reasons;
        for (auto& q : hub->quarantine())
            reasons[q.terminal_id + "/" + q.kind + "/" + q.reason] = q.uuid;
        CHECK(reasons.count(ida.terminal_id + "/registration/signature_invalid"));
        CHECK(reasons.count(ida.terminal_id + "/registration/registration_unsealed"));
        CHECK(reasons.count(idb.terminal_id + "/registration/attendee_exists"));
        CHECK(hub->registrations().size() == 1);
        int registration_events = 0;
        for (auto& e : hub->events())
            registration_events += e.kind == "registration";
        CHECK(registration_events == 1);
        for (auto& person_row : hub->attendees()) {
            CHECK(person_row.id != "A-plain");
            if (person_row.id == person) CHECK(person_row.name == "王小梅");
        }
    }

    SECTION("after revoke-terminal A, a new scan of A's code at B is an unknown issuer") {
        REQUIRE(run_hub({"revoke-terminal", "--terminal", ida.terminal_id, "--data-dir", t.data},
                        &out) == 0);
        CHECK(out.find("stop verifying") != std::string::npos);
        REQUIRE(sync::sync_once(*b, fast_options(), st));
        CHECK_FALSE(b->issuer_keys().count(ida.key.key_id()));
        auto again = desk_b.present_at_entrance(
            shown_and_scanned(reg->credential_text, t.dir.str("walkup2.png")), ScanMethod::Camera,
            jf::now_ms());
        CHECK(again.verdict == Verdict::UnknownIssuer);
        // The person stays registered: the entrance still finds them by phone.
        auto still = desk::look_up_attendees(*b, kPhone);
        REQUIRE(still.size() == 1);
        CHECK(still[0].id == person);
        // A itself is refused from now on.
        CHECK_FALSE(sync::sync_once(*a, fast_options(), st));
        CHECK(st.last_error == "sync.err.terminal_revoked");
    }
}

TEST_CASE("a terminal whose key id is already an issuer key is refused at enrolment") {
    Trial t;
    auto a = t.terminal("A");
    auto ida = identity_of(*a);
    // Someone enrols again with A's public key (a key id collision): refused, nothing published.
    httplib::SSLClient cli("127.0.0.1", t.hub.port());
    cli.set_ca_cert_path(t.cert.c_str());
    cli.enable_server_certificate_verification(true);
    wire::EnrollRequest q;
    q.code = t.new_code();
    q.public_key = ida.key.public_key;
    q.device = "copy";
    auto res = cli.Post("/v1/enroll", wire::encode(q), "application/json");
    REQUIRE(res);
    CHECK(res->status == 409);
    CHECK(wire::decode_error(res->body)->error == "key_conflict");
    auto hub = t.hub_view();
    CHECK(hub->terminals().size() == 1);
    int terminal_keys = 0;
    for (auto& k : hub->issuer_keys())
        terminal_keys += k.kind == "terminal";
    CHECK(terminal_keys == 1);
}

TEST_CASE("a walk-up registration is all or nothing: a failed event write stores no person") {
    crypto_init();
    TempDir dir;
    auto store = Store::open(dir.str("A.db"));
    REQUIRE(store);
    TerminalIdentity id;
    id.terminal_id = "T-walkup";
    id.key = SigningKey::generate();
    id.hub_seal_public_key = BoxKeyPair::generate().public_key;
    id.fair_id = "F1";
    id.mode = "entrance";
    REQUIRE(save_identity(*store, id));
    Fair fair;
    fair.id = "F1";
    fair.campaign_id = "C1";
    fair.name = "招聘会";
    fair.union_unit = "无为市";
    fair.date = {2024, 2, 23};
    REQUIRE(store->upsert_fair(fair));
    // The disk refuses the event (as a full disk would), after the person and key were written.
    REQUIRE(sqlite3_exec(store->handle(),
                         "CREATE TEMP TRIGGER full_disk BEFORE INSERT ON main.events "
                         "WHEN new.kind = 'registration' BEGIN SELECT RAISE(ABORT, 'disk full'); "
                         "END",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    std::string error;
    CHECK_FALSE(desk::register_walk_up(*store, id, wang_xiaomei(), jf::now_ms(), &error));
    CHECK(error == "desk.err.store");
    CHECK(store->count_attendees() == 0);
    CHECK(store->issuer_keys().empty());
    CHECK(store->last_seq() == 0);
    // Once the disk takes it, the person, the key and the event are written together.
    REQUIRE(sqlite3_exec(store->handle(), "DROP TRIGGER temp.full_disk", nullptr, nullptr,
                         nullptr) == SQLITE_OK);
    auto reg = desk::register_walk_up(*store, id, wang_xiaomei(), jf::now_ms(), &error);
    REQUIRE(reg);
    CHECK(store->count_attendees() == 1);
    CHECK(store->terminal_key_fairs().at(id.key.key_id()) == "F1");
    REQUIRE(store->last_seq() == 1);
    CHECK(store->events_after(0, 1).at(0).kind == "registration");
}
