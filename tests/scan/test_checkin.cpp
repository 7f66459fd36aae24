// Round trips for every verdict through the real parts: a credential is issued and signed, drawn
// as a QR code into a camera-like PNG, replayed through ScanPipeline (decode thread, ZXing-C++),
// verified and recorded by CheckInDesk in a real SQLite store; and the same through the hand
// scanner's WedgeParser and the manual check-in, which must give the same verdicts.
#include <catch2/catch.hpp>

#include "tests/support/support.hpp"

#include "kiosk/checkin/checkin_desk.hpp"
#include "kiosk/i18n/i18n.hpp"
#include "platform/scan/frame_source.hpp"
#include "platform/scan/pipeline.hpp"
#include "platform/scan/wedge.hpp"
#include "tests/scan/synth.hpp"

#include <chrono>
#include <filesystem>
#include <thread>

using namespace jf;
namespace fs = std::filesystem;

namespace {

constexpr const char* kFair = "wuwei-20240223";
constexpr const char* kCampaign = "ah-2024";
// 2024-02-23 10:02:05 CST, the fair's morning.
constexpr TimeMs kMorning = 1708653725000;

struct Terminal {
    jf::test::TempDir tmp{"jf-checkin"};
    fs::path dir = tmp.path;
    std::unique_ptr<Store> store;
    TerminalIdentity identity;
    SigningKey issuer, stranger;
    int frames = 0;

    Terminal() {
        REQUIRE(crypto_init());
        std::string err;
        store = Store::open((dir / "kiosk.db").string(), &err);
        REQUIRE(store);
        identity.terminal_id = "T-entrance-1";
        identity.key = SigningKey::generate();
        identity.hub_seal_public_key = BoxKeyPair::generate().public_key;
        identity.fair_id = kFair;
        identity.mode = "entrance";
        REQUIRE(save_identity(*store, identity));
        issuer = SigningKey::generate();
        stranger = SigningKey::generate();
        REQUIRE(store->upsert_issuer_key(issuer.key_id(), issuer.public_key));
        Campaign c;
        c.id = kCampaign;
        c.name = "2024 工会送岗位 乐业在江淮";
        c.concentrated_from = Date{2024, 1, 15};
        c.concentrated_until = Date{2024, 4, 10};
        c.year_from = Date{2024, 1, 1};
        c.year_until = Date{2024, 12, 31};
        REQUIRE(store->upsert_campaign(c));
        Fair f;
        f.id = kFair;
        f.campaign_id = kCampaign;
        f.name = "2024年无为市工会送岗位招聘会";
        f.union_unit = "无为市";
        f.date = Date{2024, 2, 23};
        REQUIRE(store->upsert_fair(f));
        Attendee a;
        a.id = "A0001";
        a.name = "张伟";
        a.campaign_id = kCampaign;
        REQUIRE(store->upsert_attendee(a));
        Employer e;
        e.id = "E042";
        e.name = "奇瑞汽车股份有限公司";
        REQUIRE(store->upsert_employer(e));
    }
    ~Terminal() { store.reset(); }

    std::string code(CredentialKind kind, const std::string& holder,
                     const std::string& scope_id = kFair, Date from = {2024, 2, 1},
                     Date until = {2024, 2, 29}, const SigningKey* key = nullptr,
                     CredentialScope scope = CredentialScope::Fair) {
        Credential c;
        c.kind = kind;
        c.holder_id = holder;
        c.scope = scope;
        c.scope_id = scope_id;
        c.valid_from = from;
        c.valid_until = until;
        auto sc = issue(c, key ? *key : issuer);
        REQUIRE(sc);
        return encode(*sc);
    }

    // The code as a camera would see it: drawn into a 1280x720 frame, saved as PNG, replayed
    // through the threaded pipeline. Returns the decoded text ("" when nothing was read).
    std::string camera(const std::string& text) {
        scan::synth::Look look;
        look.module_px = 4;
        look.angle_deg = 7 + 11 * (frames % 4);
        look.noise_sigma = 5;
        auto path = dir / ("frame" + std::to_string(++frames) + ".png");
        REQUIRE(scan::write_png(
            path.string(), scan::synth::frame(1280, 720, scan::render_qr(text, 1), look, frames)));
        scan::ScanPipeline p;
        std::string err;
        REQUIRE(p.start(scan::make_image_file_source(path.string()), &err));
        for (int i = 0; i < 6000 && !p.finished(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        REQUIRE(p.finished());
        auto e = p.poll();
        return e ? e->text : std::string();
    }

    DeskResult entrance(const std::string& text, TimeMs now = kMorning) {
        std::string seen = camera(text);
        CHECK(seen == text);
        CheckInDesk desk(*store, identity, kFair);
        return desk.present_at_entrance(seen, ScanMethod::Camera, now);
    }
};

size_t count_verdict(Store& s, Verdict v) {
    size_t n = 0;
    for (auto& c : s.check_ins(kFair))
        n += c.verdict == v;
    return n;
}

} // namespace

TEST_CASE("every entrance verdict, from a camera frame to the store") {
    Terminal t;
    auto good = t.code(CredentialKind::Attendee, "A0001");

    DeskResult r = t.entrance(good);
    CHECK(r.verdict == Verdict::CheckedIn);
    CHECK(r.recorded);
    CHECK(r.admitted());
    CHECK(r.display_name == "张*");
    CHECK(r.message_key == "scan.verdict.checked_in");
    CHECK(r.sound == "verdict.checked_in");
    REQUIRE(t.store->accepted_check_in("A0001", kFair));

    r = t.entrance(good, kMorning + 25 * 60 * 1000);
    CHECK(r.verdict == Verdict::AlreadyCheckedIn);
    CHECK(r.admitted());
    CHECK(r.first_check_in_hhmm == "10:02");
    CHECK(r.message_key == "scan.verdict.already");
    CHECK(r.message_args.at(0) == "10:02");
    CHECK(count_verdict(*t.store, Verdict::CheckedIn) == 1); // a second scan is not a second record

    r = t.entrance(t.code(CredentialKind::Attendee, "A0002", "fanchang-20240223"));
    CHECK(r.verdict == Verdict::WrongFair);
    CHECK_FALSE(r.admitted());

    r = t.entrance(t.code(CredentialKind::Attendee, "A0003", kFair, {2024, 1, 1}, {2024, 2, 22}));
    CHECK(r.verdict == Verdict::Expired);
    CHECK(r.message_args.at(0) == "2024-02-22");

    r = t.entrance(t.code(CredentialKind::Attendee, "A0004", kFair, {2024, 2, 24}, {2024, 2, 29}));
    CHECK(r.verdict == Verdict::NotYetValid);
    CHECK(r.message_key == "scan.verdict.not_yet");

    auto revoked = t.code(CredentialKind::Attendee, "A0005");
    REQUIRE(t.store->add_revocation(parse(revoked)->credential_id(), "lost"));
    r = t.entrance(revoked);
    CHECK(r.verdict == Verdict::Revoked);

    // Altered: one character of the signed part changed, then printed and scanned.
    std::string altered = good;
    altered[30] = altered[30] == 'A' ? 'B' : 'A';
    r = t.entrance(altered);
    CHECK(r.verdict == Verdict::Forged);
    CHECK(r.holder_id.empty()); // an unverified holder is never taken as a fact
    // Forged: signed by someone else's key but claiming the union's key id.
    auto sc = parse(good);
    sc->signature = t.stranger.sign(kCredentialDomain, sc->payload);
    r = t.entrance(encode(*sc));
    CHECK(r.verdict == Verdict::Forged);

    r = t.entrance(
        t.code(CredentialKind::Attendee, "A0006", kFair, {2024, 2, 1}, {2024, 2, 29}, &t.stranger));
    CHECK(r.verdict == Verdict::UnknownIssuer);

    r = t.entrance("https://weixin.qq.com/r/mDgBQ0jE2NjOrcgH92-Q");
    CHECK(r.verdict == Verdict::NotOurCode);
    CHECK(r.message_key == "scan.verdict.not_ours");

    r = t.entrance(t.code(CredentialKind::Employer, "E042"));
    CHECK(r.verdict == Verdict::WrongKind);
    CHECK(r.message_key == "scan.wrong_kind.employer_at_entrance");
    r = t.entrance(t.code(CredentialKind::Staff, "S01"));
    CHECK(r.message_key == "scan.wrong_kind.staff_at_entrance");

    // A campaign-wide code is good at every fair of its campaign.
    r = t.entrance(t.code(CredentialKind::Attendee, "A0007", kCampaign, {2024, 1, 15},
                          {2024, 12, 31}, nullptr, CredentialScope::Campaign));
    CHECK(r.verdict == Verdict::CheckedIn);
    CHECK(r.display_name.empty()); // not synced to this terminal yet: the signed code is enough

    // Failed scans are recorded too, each with its verdict.
    for (Verdict v : {Verdict::WrongFair, Verdict::Expired, Verdict::NotYetValid, Verdict::Revoked,
                      Verdict::UnknownIssuer, Verdict::NotOurCode})
        CHECK(count_verdict(*t.store, v) == 1);
    CHECK(count_verdict(*t.store, Verdict::Forged) == 2);
    CHECK(count_verdict(*t.store, Verdict::WrongKind) == 2);
    CHECK(count_verdict(*t.store, Verdict::CheckedIn) == 2);
    for (auto& c : t.store->check_ins(kFair))
        if (c.verdict == Verdict::Forged || c.verdict == Verdict::NotOurCode)
            CHECK(c.attendee_id.empty());
}

TEST_CASE("hand scanner, camera and manual look-up share one path") {
    Terminal t;
    auto good = t.code(CredentialKind::Attendee, "A0001");
    CheckInDesk desk(*t.store, t.identity, kFair);

    // The scanner types the same text in a burst; the desk sees the same string.
    scan::WedgeParser wedge;
    std::optional<std::string> typed;
    int64_t ms = 0;
    for (char ch : good)
        typed = wedge.key(static_cast<unsigned char>(ch), ms += 3);
    typed = wedge.enter(ms + 3);
    REQUIRE(typed == good);
    DeskResult r = desk.present_at_entrance(*typed, ScanMethod::HandScanner, kMorning);
    CHECK(r.verdict == Verdict::CheckedIn);
    REQUIRE(t.store->accepted_check_in("A0001", kFair));
    CHECK(t.store->accepted_check_in("A0001", kFair)->method == ScanMethod::HandScanner);

    // Lower case (caps lock on the scanner) is the same code.
    std::string lower = good;
    for (auto& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r = desk.present_at_entrance(lower, ScanMethod::HandScanner, kMorning + 60000);
    CHECK(r.verdict == Verdict::AlreadyCheckedIn);

    // Manual look-up of a person already in: "already", then their code: "already" too.
    r = desk.check_in_attendee("A0001", ScanMethod::ManualLookup, kMorning + 120000);
    CHECK(r.verdict == Verdict::AlreadyCheckedIn);
    CHECK(r.first_check_in_hhmm == "10:02");
    Attendee b;
    b.id = "A0009";
    b.name = "欧阳娜娜";
    REQUIRE(t.store->upsert_attendee(b));
    r = desk.check_in_attendee("A0009", ScanMethod::WalkUp, kMorning);
    CHECK(r.verdict == Verdict::CheckedIn);
    CHECK(r.display_name == "欧**娜");
    CHECK(t.camera(t.code(CredentialKind::Attendee, "A0009")) != "");
    r = desk.present_at_entrance(t.code(CredentialKind::Attendee, "A0009"), ScanMethod::Camera,
                                 kMorning + 1000);
    CHECK(r.verdict == Verdict::AlreadyCheckedIn);
    r = desk.check_in_attendee("nobody", ScanMethod::ManualLookup, kMorning);
    CHECK_FALSE(r.recorded);
    CHECK(r.message_key == "scan.error.unknown_attendee");
}

TEST_CASE("employer desk: badge first, then the seeker's code") {
    Terminal t;
    CheckInDesk desk(*t.store, t.identity, kFair);
    auto badge = t.camera(t.code(CredentialKind::Employer, "E042"));
    auto seeker = t.camera(t.code(CredentialKind::Attendee, "A0001"));

    DeskResult r = desk.present_employer_badge(seeker, kMorning);
    CHECK(r.verdict == Verdict::WrongKind);
    CHECK(r.message_key == "scan.wrong_kind.attendee_at_badge");
    r = desk.present_employer_badge(badge, kMorning);
    CHECK(r.verdict == Verdict::CheckedIn);
    REQUIRE(r.employer);
    CHECK(r.employer->name == "奇瑞汽车股份有限公司");
    CHECK(r.message_key == "scan.booth.employer_ok");

    r = desk.present_seeker_at_booth(badge, kMorning);
    CHECK(r.verdict == Verdict::WrongKind);
    CHECK(r.message_key == "scan.wrong_kind.employer_at_seeker");
    r = desk.present_seeker_at_booth(seeker, kMorning);
    CHECK(r.verdict == Verdict::CheckedIn);
    REQUIRE(r.attendee);
    CHECK(r.attendee->id == "A0001");
    CHECK(t.store->check_ins(kFair).empty()); // the booth records placements, not check-ins

    r = desk.present_seeker_at_booth("https://example.com", kMorning);
    CHECK(r.verdict == Verdict::NotOurCode);
}

TEST_CASE("nothing is shown as checked in unless it is durable") {
    Terminal t;
    CheckInDesk nowhere(*t.store, t.identity, ""); // a terminal not yet assigned to a fair
    DeskResult r = nowhere.present_at_entrance(t.code(CredentialKind::Attendee, "A0001"),
                                               ScanMethod::Camera, kMorning);
    CHECK_FALSE(r.recorded);
    CHECK_FALSE(r.admitted());
    CHECK(r.sound == "error");
    CHECK(r.message_key.rfind("err.", 0) == 0);
    CHECK(t.store->last_seq() == 0);
}

TEST_CASE("every message key the desk can give is translated") {
    Translations tr;
    REQUIRE(tr.load(JF_ASSETS_DIR "/i18n"));
    for (const char* k :
         {"scan.verdict.checked_in", "scan.verdict.already", "scan.verdict.wrong_fair",
          "scan.verdict.expired", "scan.verdict.not_yet", "scan.verdict.revoked",
          "scan.verdict.forged", "scan.verdict.unknown_issuer", "scan.verdict.not_ours",
          "scan.verdict.wrong_kind", "scan.wrong_kind.employer_at_entrance",
          "scan.wrong_kind.staff_at_entrance", "scan.wrong_kind.attendee_at_badge",
          "scan.wrong_kind.staff_at_badge", "scan.wrong_kind.employer_at_seeker",
          "scan.wrong_kind.staff_at_seeker", "scan.booth.employer_ok", "scan.booth.seeker_ok",
          "scan.error.unknown_attendee"}) {
        INFO(k);
        CHECK(tr.tr(k, Lang::ZhCN) != k);
        CHECK(tr.tr(k, Lang::EnUS) != k);
    }
    tr.set_lang(Lang::EnUS);
    CHECK(tr.format("scan.verdict.already", {"10:02"}).find("10:02") != std::string::npos);
}
