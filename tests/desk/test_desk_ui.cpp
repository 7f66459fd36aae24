// The entrance and the employer desk driven like a person would: taps, drags and scanner bursts
// through ImGui's IO, frame by frame, against a real store file.
#include <catch2/catch.hpp>

#include "tests/print/escpos_reader.hpp"
#include "tests/print/raw_port.hpp"
#include "kiosk/desk/needs_flow.hpp"
#include "kiosk/desk/receipt.hpp"
#include "kiosk/desk/registration.hpp"
#include "tests/desk/desk_ui_fixture.hpp"
#include "kiosk/ui/app.hpp"
#include "kiosk/ui/pin.hpp"
#include "kiosk/ui/qr.hpp"

#include <fcntl.h>
#include <png.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace jf;
using jf::testing::DeskUi;

namespace {
void type_keys(ui::Driver& d, const std::string& keys) {
    for (char c : keys)
        REQUIRE(d.tap(std::string("kb.key.") + c));
}
} // namespace

TEST_CASE("entrance: each verdict on screen, back to the prompt") {
    DeskUi u("ui-verdicts");
    auto& d = u.d();
    d.app().show("entrance");
    d.frames(2);
    REQUIRE(d.screen() == "entrance");
    CHECK(d.state()["page"] == "prompt");

    std::string good = u.code_today(CredentialKind::Attendee, u.f.seeker.id);
    u.scan(good);
    auto s = d.state();
    CHECK(s["page"] == "verdict");
    CHECK(s["verdict"] == "checked_in");
    CHECK(s["name"] == "张*"); // masked on screen
    CHECK(s["big"] == "签到成功");
    // A tap brings the prompt back at once.
    REQUIRE(d.tap("entrance.verdict"));
    CHECK(d.state()["page"] == "prompt");

    u.scan(good);
    s = d.state();
    CHECK(s["verdict"] == "already");
    CHECK(s["big"] == "已于 12:00 签到");
    // Without a tap the prompt comes back after a few seconds.
    d.wait(6);
    CHECK(d.state()["page"] == "prompt");

    Date yesterday = Date::from_days(u.f.today.days_since_epoch() - 1);
    Date tomorrow = Date::from_days(u.f.today.days_since_epoch() + 1);
    SigningKey stranger = SigningKey::generate();
    Credential c;
    c.holder_id = "A-0002";
    c.scope_id = u.f.fair.id;
    c.valid_from = c.valid_until = u.f.today;
    auto forged = parse(u.code_today(CredentialKind::Attendee, "A-0002"));
    REQUIRE(forged);
    forged->payload.back() ^= 1;
    std::string revoked = u.code(CredentialKind::Attendee, "A-0002", u.f.today, tomorrow);
    REQUIRE(u.f.store->add_revocation(parse(revoked)->credential_id(), "lost"));
    const std::pair<std::string, std::string> cases[] = {
        {u.code(CredentialKind::Attendee, "A-0002", yesterday, yesterday), "expired"},
        {u.code(CredentialKind::Attendee, "A-0002", tomorrow, tomorrow), "not_yet"},
        {u.code(CredentialKind::Attendee, "A-0002", u.f.today, u.f.today, "F-ELSEWHERE"),
         "wrong_fair"},
        {encode(*issue(c, stranger)), "unknown_issuer"},
        {encode(*forged), "forged"},
        {revoked, "revoked"},
        {u.code_today(CredentialKind::Employer, u.f.employer.id), "wrong_kind"},
        {"https://weixin.qq.com/r/abcdef", "not_ours"},
    };
    for (const auto& [text, verdict] : cases) {
        INFO(verdict);
        u.scan(text);
        s = d.state();
        CHECK(s["page"] == "verdict");
        CHECK(s["verdict"] == verdict);
        CHECK(s["message"] == "entrance.verdict." + verdict);
        CHECK(s["big"] == u.tr.tr("entrance.verdict." + verdict));
        CHECK(s["name"].empty());
        REQUIRE(d.tap("entrance.verdict"));
    }
    // Typing slowly on a keyboard is not a scan.
    ImGui::GetIO().AddInputCharacter('1');
    d.frame();
    CHECK(d.state()["page"] == "prompt");
}

TEST_CASE("entrance: operator look-up by phone tail checks the person in") {
    DeskUi u("ui-lookup");
    auto& d = u.d();
    d.app().show("entrance");
    d.frames(2);
    desk::WalkUpForm form;
    form.name = "王芳";
    form.phone = "13955384321";
    form.consent = true;
    REQUIRE(desk::register_walk_up(*u.f.store, u.f.identity, form, u.f.noon()));
    REQUIRE(d.tap("entrance.lookup"));
    CHECK(d.state()["page"] == "lookup");
    type_keys(d, "4321");
    CHECK(d.state()["found"] == "1");
    REQUIRE(d.tap("entrance.lookup.row.0"));
    auto s = d.state();
    CHECK(s["verdict"] == "checked_in");
    CHECK(s["name"] == "王*");
    auto ins = u.f.store->check_ins(u.f.fair.id);
    REQUIRE(ins.size() == 1);
    CHECK(ins[0].method == ScanMethod::ManualLookup);
}

TEST_CASE("entrance: walk-up registration typed with pinyin, issued code verifies") {
    DeskUi u("ui-walkup");
    auto& d = u.d();
    d.app().show("entrance");
    d.frames(2);
    REQUIRE(d.tap("entrance.register"));
    CHECK(d.state()["page"] == "register");
    // "zhangwei" on the pinyin keys, then 张伟 from the candidate bar.
    type_keys(d, "zhangwei");
    REQUIRE(d.visible("kb.cand.0"));
    REQUIRE(d.tap("kb.cand.0"));
    CHECK(d.state()["reg.name"] == "张伟");
    REQUIRE(d.tap("entrance.reg.phone"));
    type_keys(d, "13855385678");
    CHECK(d.state()["reg.phone"] == "13855385678"); // in full while the form is open
    // Without consent nothing is stored.
    auto before = u.f.store->count_attendees();
    REQUIRE(d.tap("entrance.reg.submit"));
    CHECK(d.state()["error"] == "desk.err.consent");
    CHECK(u.f.store->count_attendees() == before);
    REQUIRE(d.tap("entrance.reg.group.0"));
    REQUIRE(d.tap("entrance.reg.consent"));
    REQUIRE(d.tap("entrance.reg.submit"));
    auto s = d.state();
    REQUIRE(s["page"] == "issued");
    auto a = u.f.store->attendee(s["attendee"]);
    REQUIRE(a);
    CHECK(a->name == "张伟");
    CHECK(a->name_initials == "zw");
    CHECK(a->key_groups == kMigrantWorker);
    CHECK(a->phone_masked == "138****5678");
    VerifyContext vc;
    vc.fair_id = u.f.fair.id;
    vc.today = u.f.today;
    vc.trusted_keys = u.f.store->issuer_keys();
    CHECK(verify(s["credential"], vc).verdict == Verdict::CheckedIn);
    REQUIRE(u.f.store->accepted_check_in(a->id, u.f.fair.id));
    REQUIRE(d.tap("entrance.issued.done"));
    CHECK(d.state()["page"] == "prompt");
}

TEST_CASE("entrance: the needs list after a walk-up registration, choices only, once") {
    DeskUi u("ui-needs-walkup");
    auto& d = u.d();
    d.app().show("entrance");
    d.frames(2);
    REQUIRE(d.tap("entrance.register"));
    type_keys(d, "zhangwei");
    REQUIRE(d.tap("kb.cand.0"));
    REQUIRE(d.tap("entrance.reg.phone"));
    type_keys(d, "13855385678");
    REQUIRE(d.tap("entrance.reg.consent"));
    REQUIRE(d.tap("entrance.reg.submit"));
    auto s = d.state();
    REQUIRE(s["page"] == "issued");
    std::string person = s["attendee"];
    REQUIRE(d.tap("entrance.needs.open"));
    s = d.state();
    REQUIRE(s["page"] == "needs");
    CHECK(s["needs.person"] == person);
    CHECK(s["needs.offered"] == "1"); // the fixture's listings are all 制造业
    REQUIRE(d.tap("entrance.needs.industry.0"));
    REQUIRE(d.tap("entrance.needs.skill.2")); // 中级工
    REQUIRE(d.tap("entrance.needs.skill.4")); // one level: 技师及以上 replaces it
    CHECK(d.state()["needs.skill"] == "technician");
    REQUIRE(d.tap("entrance.needs.cert.2"));
    REQUIRE(d.tap("entrance.needs.service.1"));
    REQUIRE(d.tap("entrance.needs.service.0"));
    REQUIRE(d.tap("entrance.needs.submit"));
    s = d.state();
    CHECK(s["page"] == "issued"); // back to the code, to photograph it
    auto n = u.f.store->latest_needs(person, u.f.fair.id);
    REQUIRE(n);
    CHECK(s["needs.saved"] == n->h.uuid);
    CHECK(n->industries == std::vector<std::string>{"制造业"});
    CHECK(n->skill == "technician");
    CHECK(n->certificates == std::vector<std::string>{"health"});
    CHECK(n->services == std::vector<std::string>{"legal_aid", "training"});
    auto log = u.f.store->events_after(0, 100);
    REQUIRE_FALSE(log.empty());
    CHECK(log.back().kind == "needs");
    // Once per registration: the button is gone.
    CHECK_FALSE(d.visible("entrance.needs.open"));
    REQUIRE(d.tap("entrance.issued.done"));
    CHECK(d.state()["page"] == "prompt");
}

TEST_CASE("entrance: the needs list after a check-in is skippable and holds at most five "
          "industries") {
    DeskUi u("ui-needs-checkin");
    auto& d = u.d();
    // Listings of six more industries open today.
    const char* industries[] = {"建筑业", "交通运输", "住宿餐饮", "居民服务", "信息技术", "农业"};
    int i = 10;
    for (auto* ind : industries) {
        JobListing l = u.f.listing;
        l.id = "L-" + std::to_string(i++);
        l.industry = ind;
        REQUIRE(u.f.store->upsert_listing(l));
    }
    d.app().show("entrance");
    d.frames(2);
    u.scan(u.code_today(CredentialKind::Attendee, u.f.seeker.id));
    REQUIRE(d.state()["verdict"] == "checked_in");
    REQUIRE(d.tap("entrance.needs.open"));
    REQUIRE(d.state()["page"] == "needs");
    CHECK(d.state()["needs.offered"] == "7");
    // Skipped: nothing stored, back to the prompt.
    auto before = u.f.store->last_seq();
    REQUIRE(d.tap("entrance.needs.skip"));
    CHECK(d.state()["page"] == "prompt");
    CHECK(u.f.store->last_seq() == before);
    // A bad scan offers nothing.
    u.scan("https://weixin.qq.com/r/abcdef");
    CHECK_FALSE(d.visible("entrance.needs.open"));
    REQUIRE(d.tap("entrance.verdict"));
    // The person already in gets no button: only a fresh check-in does.
    u.scan(u.code_today(CredentialKind::Attendee, u.f.seeker.id));
    CHECK(d.state()["verdict"] == "already");
    CHECK_FALSE(d.visible("entrance.needs.open"));
    REQUIRE(d.tap("entrance.verdict"));
    // Submitting nothing is a skip too.
    u.scan(u.code_today(CredentialKind::Attendee, u.f.second_seeker.id));
    REQUIRE(d.tap("entrance.needs.open"));
    REQUIRE(d.tap("entrance.needs.submit"));
    CHECK(d.state()["page"] == "prompt");
    CHECK(u.f.store->needs(u.f.fair.id).empty()); // the check-in alone
    // Five industries at most: the sixth tap is refused with a message.
    u.scan(u.code_today(CredentialKind::Attendee, "A-0009"));
    REQUIRE(d.state()["verdict"] == "checked_in");
    REQUIRE(d.tap("entrance.needs.open"));
    for (int k = 0; k < 6; ++k)
        REQUIRE(d.tap("entrance.needs.industry." + std::to_string(k)));
    CHECK(d.state()["error"] == "entrance.needs.too_many");
    REQUIRE(d.tap("entrance.needs.service.2"));
    REQUIRE(d.tap("entrance.needs.submit"));
    auto n = u.f.store->latest_needs("A-0009", u.f.fair.id);
    REQUIRE(n);
    CHECK(n->industries.size() == 5);
    CHECK(n->services == std::vector<std::string>{"entrepreneurship"});
    // Coming back to it shows the list as saved.
    u.scan(u.code_today(CredentialKind::Attendee, "A-0010"));
    REQUIRE(d.tap("entrance.verdict"));
    desk::NeedsSelection again;
    again.start(*u.f.store, "A-0009", u.f.fair.id, u.f.today);
    CHECK(again.industry_count() == 5);
    CHECK(again.services == 4u);
}

TEST_CASE("employer desk: a whole placement from badge scan to a signed stored record") {
    DeskUi u("ui-placement");
    auto& d = u.d();
    d.app().show("employer");
    d.frames(2);
    REQUIRE(d.screen() == "employer");
    CHECK(d.state()["step"] == "badge");
    // The seeker's code at the badge prompt is refused with a message.
    u.scan(u.code_today(CredentialKind::Attendee, u.f.seeker.id));
    CHECK(d.state()["step"] == "badge");
    CHECK(d.state()["message"] == "scan.wrong_kind.attendee_at_badge");
    u.scan(u.code_today(CredentialKind::Employer, u.f.employer.id));
    CHECK(d.state()["step"] == "seeker");
    u.scan(u.code_today(CredentialKind::Attendee, u.f.seeker.id));
    REQUIRE(d.state()["step"] == "form");

    // The listing chooser, then the forms; 就业地 follows the listing.
    REQUIRE(d.tap("desk.listing.1"));
    std::string listing = d.state()["listing"];
    CHECK_FALSE(listing.empty());
    CHECK(d.state()["work_place"] == u.f.store->listing(listing)->work_location);
    REQUIRE(d.tap("desk.ef.2"));         // 零活用工
    REQUIRE(d.tap("desk.cf.0"));         // 劳动合同
    REQUIRE(d.tap("desk.date.quick.2")); // next Monday
    CHECK(d.state()["start_date"] == "2024-02-26");
    REQUIRE(d.tap("desk.to_review"));
    REQUIRE(d.state()["step"] == "review");
    REQUIRE(d.tap("desk.confirm"));
    REQUIRE(d.state()["step"] == "seeker_signs");
    // An empty pad is refused.
    REQUIRE(d.tap("desk.sign.ok"));
    CHECK(d.state()["message"] == "desk.err.sign.seeker");
    u.sign("desk.pad");
    REQUIRE(d.tap("desk.sign.ok"));
    REQUIRE(d.state()["step"] == "employer_signs");
    u.sign("desk.pad");
    REQUIRE(d.tap("desk.sign.ok"));
    auto s = d.state();
    REQUIRE(s["step"] == "done");
    CHECK(s["insurance"] == "yes");

    auto versions = u.f.store->placement_versions(s["stored"]);
    REQUIRE(versions.size() == 1);
    const Placement& p = versions[0];
    CHECK(p.employer_id == u.f.employer.id);
    CHECK(p.attendee_id == u.f.seeker.id);
    CHECK(p.listing_id == listing);
    CHECK(p.employment_form == EmploymentForm::GigWork);
    CHECK(p.contract_form == ContractForm::LabourContract);
    CHECK(p.participation == Participation::Offline);
    CHECK(p.start_date == Date{2024, 2, 26});
    CHECK(p.seeker_signature.strokes.size() == 3);
    CHECK(p.employer_signature.strokes.size() == 3);
    auto events = u.f.store->events_after(0, 10);
    REQUIRE(events.size() == 1);
    CHECK(verify(u.f.identity.key.public_key, signature_domain("placement"), events[0].body,
                 events[0].signature));

    // The employer corrects its own record: a later start, a reason, a new signature.
    REQUIRE(d.tap("desk.next_seeker"));
    REQUIRE(d.tap("desk.records"));
    CHECK(d.state()["records"] == "1");
    REQUIRE(d.tap("desk.records.correct.0"));
    CHECK(d.state()["page"] == "amend");
    REQUIRE(d.tap("kb.mode.latin"));
    type_keys(d, "late");
    REQUIRE(d.tap("kb.done"));
    REQUIRE(d.tap("desk.amend.date.next"));
    u.sign("desk.amend.pad");
    REQUIRE(d.tap("desk.amend.save"));
    CHECK(d.state()["message"] == "desk.correct.done");
    versions = u.f.store->placement_versions(p.placement_id);
    REQUIRE(versions.size() == 2);
    CHECK(versions[1].action == PlacementAction::Correction);
    CHECK(versions[1].start_date == Date{2024, 2, 27});
    CHECK(versions[1].reason == "late");
}

TEST_CASE("entrance: a real QR image before the camera checks the person in") {
    DeskUi u("ui-camera");
    auto& d = u.d();
    // The code as a picture, as a phone screen shows it: ZXing writes it, the pipeline reads it.
    ui::QrMatrix m;
    REQUIRE(ui::make_qr(u.code_today(CredentialKind::Attendee, u.f.seeker.id), &m));
    const int scale = 8, side = m.size * scale;
    std::vector<uint8_t> grey(static_cast<size_t>(side) * side);
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x)
            grey[static_cast<size_t>(y) * side + x] =
                m.dark[(y / scale) * m.size + x / scale] ? 0 : 255;
    auto folder = u.f.dir / "camera";
    std::filesystem::create_directories(folder);
    png_image img{};
    img.version = PNG_IMAGE_VERSION;
    img.width = side;
    img.height = side;
    img.format = PNG_FORMAT_GRAY;
    REQUIRE(
        png_image_write_to_file(&img, (folder / "code.png").c_str(), 0, grey.data(), 0, nullptr));
    REQUIRE(u.f.store->set_setting("camera.source", folder.string()));

    d.app().show("entrance");
    // The pipeline decodes on its own threads; the screen polls it each frame.
    for (int i = 0; i < 500 && d.state()["page"] != "verdict"; ++i) {
        d.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    auto s = d.state();
    REQUIRE(s["page"] == "verdict");
    CHECK(s["verdict"] == "checked_in");
    CHECK(s["name"] == "张*");
    auto ins = u.f.store->check_ins(u.f.fair.id);
    REQUIRE(ins.size() == 1);
    CHECK(ins[0].method == ScanMethod::Camera);
    CHECK(s["camera"] == folder.string());
}

// -- Receipt printer ---------------------------------------------------------------------------

namespace {

// Registers 张伟 through the screen as the operator would, up to the issued code.
std::map<std::string, std::string> register_zhang_wei(ui::Driver& d) {
    REQUIRE(d.tap("entrance.register"));
    type_keys(d, "zhangwei");
    REQUIRE(d.tap("kb.cand.0"));
    REQUIRE(d.tap("entrance.reg.phone"));
    type_keys(d, "13855385678");
    REQUIRE(d.tap("entrance.reg.resident_id"));
    type_keys(d, "11010519491231002");
    REQUIRE(d.tap("kb.key.X"));
    REQUIRE(d.tap("entrance.reg.consent"));
    REQUIRE(d.tap("entrance.reg.submit"));
    auto s = d.state();
    REQUIRE(s["page"] == "issued");
    return s;
}

// Frames go on (the screen stays responsive) until the print job is done.
std::map<std::string, std::string> until_printed(ui::Driver& d) {
    for (int i = 0; i < 3000; ++i) {
        auto s = d.state();
        if (s["print"] != "queued" && s["print"] != "printing") return s;
        d.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    FAIL("the print job never finished");
    return {};
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

TEST_CASE("entrance: a walk-up with a receipt printer gets the shown code on paper") {
    DeskUi u("ui-walkup-print");
    auto& d = u.d();
    auto file = u.f.dir / "receipts.bin";
    d.ctx().printer = file.string();
    d.ctx().printer_dots = 384;
    d.app().show("entrance");
    d.frames(2);
    auto s = register_zhang_wei(d);
    CHECK((s["print"] == "queued" || s["print"] == "printing" || s["print"] == "printed"));
    s = until_printed(d);
    CHECK(s["print"] == "printed");
    CHECK(s["print.error"].empty());
    d.frame();
    CHECK(d.visible("entrance.issued.reprint"));

    std::string paper = slurp(file);
    auto p = jf::testing::read_escpos(paper);
    INFO(p.problem);
    REQUIRE(p.problem.empty());
    REQUIRE(p.images.size() == 1);
    CHECK(jf::testing::zxing_text(p.images[0]) == s["credential"]);
    CHECK(std::find(p.lines.begin(), p.lines.end(), "姓名 / Name: 张*") != p.lines.end());
    for (const char* n : {"13855385678", "11010519491231002X", "5385678"})
        CHECK(paper.find(n) == std::string::npos);

    // Reprint: the same slip again, nothing registered twice.
    auto people = u.f.store->count_attendees();
    REQUIRE(d.tap("entrance.issued.reprint"));
    s = until_printed(d);
    CHECK(s["print"] == "printed");
    auto parts = jf::testing::split_receipts(slurp(file));
    REQUIRE(parts.size() == 2);
    CHECK(parts[1] == paper);
    CHECK(u.f.store->count_attendees() == people);
    REQUIRE(d.tap("entrance.issued.done"));
    CHECK(d.state()["page"] == "prompt");
}

TEST_CASE("entrance: a printer fault shows why; the registration is kept and never repeated") {
    DeskUi u("ui-walkup-print-fault");
    auto& d = u.d();
    d.ctx().printer = "tcp://127.0.0.1:" + std::to_string(jf::testing::closed_port());
    d.app().show("entrance");
    d.frames(2);
    auto before = u.f.store->count_attendees();
    auto s = register_zhang_wei(d);
    s = until_printed(d);
    CHECK(s["print"] == "failed");
    CHECK(s["print.error"] == "print.err.refused");
    auto a = u.f.store->attendee(s["attendee"]);
    REQUIRE(a);
    CHECK(u.f.store->count_attendees() == before + 1);
    REQUIRE(u.f.store->accepted_check_in(a->id, u.f.fair.id));
    auto check_ins = u.f.store->check_ins(u.f.fair.id).size();

    d.frame();
    REQUIRE(d.tap("entrance.issued.reprint"));
    s = until_printed(d);
    CHECK(s["print.error"] == "print.err.refused");
    // The printer is fixed (here: another destination); Reprint prints the same code.
    auto file = u.f.dir / "fixed.bin";
    d.ctx().printer = file.string();
    d.frame();
    REQUIRE(d.tap("entrance.issued.reprint"));
    s = until_printed(d);
    CHECK(s["print"] == "printed");
    auto p = jf::testing::read_escpos(slurp(file));
    REQUIRE(p.images.size() == 1);
    CHECK(jf::testing::zxing_text(p.images[0]) == s["credential"]);
    CHECK(u.f.store->count_attendees() == before + 1);
    CHECK(u.f.store->check_ins(u.f.fair.id).size() == check_ins);
}

TEST_CASE("entrance: without a printer the issued screen shows no print line") {
    DeskUi u("ui-walkup-noprint");
    auto& d = u.d();
    d.app().show("entrance");
    d.frames(2);
    auto s = register_zhang_wei(d);
    CHECK(s["print"] == "none");
    d.frame();
    CHECK_FALSE(d.visible("entrance.issued.reprint"));
}

TEST_CASE("admin: a network printer set on the keypad, kept, and a test page printed") {
    DeskUi u("ui-admin-printer");
    auto& d = u.d();
    REQUIRE(ui::PinGuard(*u.f.store).set("2468"));
    d.app().show("admin");
    d.frames(2);
    for (char c : std::string("2468"))
        REQUIRE(d.tap(std::string("pin:") + c));
    REQUIRE(d.tap("pin:ok"));
    REQUIRE(d.state()["page"] == "panel");
    REQUIRE(d.tap("admin.printer"));
    REQUIRE(d.state()["page"] == "printer");
    jf::testing::Listener printer;
    for (char c : "127.0.0.1:" + std::to_string(printer.port))
        REQUIRE(d.tap(std::string("printer.key.") + c));
    CHECK(d.state()["printer.address"] == "127.0.0.1:" + std::to_string(printer.port));
    REQUIRE(d.tap("printer.net.use"));
    REQUIRE(d.tap("printer.paper.80"));
    CHECK(d.ctx().printer == printer.url());
    CHECK(d.ctx().printer_dots == 576);
    auto kept = desk::printer_config(*u.f.store);
    CHECK(kept.destination == printer.url());
    CHECK(kept.paper_dots == 576);
    REQUIRE(d.tap("printer.test"));
    auto s = until_printed(d);
    CHECK(s["print"] == "printed");
    auto got = printer.got.get();
    REQUIRE(got.size() == 1);
    auto p = jf::testing::read_escpos(got[0]);
    CHECK(p.max_raster_width_dots == 576);
    REQUIRE(p.images.size() == 1);
    CHECK(jf::testing::zxing_text(p.images[0]).rfind("JF-PRINT-TEST|T-DESK-01|", 0) == 0);

    // A bad address is refused with its message; "No printer" switches printing off.
    REQUIRE(d.tap("printer.key.clear"));
    for (char c : std::string("1.2:99999"))
        REQUIRE(d.tap(std::string("printer.key.") + c));
    REQUIRE(d.tap("printer.net.use"));
    CHECK(d.state()["printer.message"] == "print.err.destination");
    CHECK(d.ctx().printer == printer.url());
    REQUIRE(d.tap("printer.none"));
    CHECK(d.ctx().printer.empty());
    CHECK(desk::printer_config(*u.f.store).destination.empty());
}

TEST_CASE(
    "entrance: a stalled printer never holds the screen; the slip prints once it takes bytes") {
    DeskUi u("ui-walkup-print-stall");
    auto& d = u.d();
    // A printer that stops taking bytes: a FIFO whose buffer is full and nobody reads.
    auto fifo = u.f.dir / "stalled-lp";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    int end = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
    REQUIRE(end >= 0);
    std::string fill(4096, 'x');
    size_t filled = 0;
    for (ssize_t n; (n = ::write(end, fill.data(), fill.size())) > 0;)
        filled += size_t(n);
    d.ctx().printer = fifo.string();
    d.app().show("entrance");
    d.frames(2);
    auto s = register_zhang_wei(d);
    // The screen goes on drawing and answering while the slip waits for the printer.
    for (int i = 0; i < 20; ++i)
        d.frame();
    s = d.state();
    CHECK((s["print"] == "queued" || s["print"] == "printing"));
    CHECK(d.visible("entrance.issued.done"));
    CHECK(u.f.store->attendee(s["attendee"]));
    // The printer takes bytes again: everything queued arrives and the screen says printed.
    std::string got;
    char buf[4096];
    for (int i = 0; i < 3000 && d.state()["print"] != "printed"; ++i) {
        for (ssize_t n; (n = ::read(end, buf, sizeof buf)) > 0;)
            got.append(buf, size_t(n));
        d.frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    for (ssize_t n; (n = ::read(end, buf, sizeof buf)) > 0;)
        got.append(buf, size_t(n));
    ::close(end);
    CHECK(d.state()["print"] == "printed");
    REQUIRE(got.size() > filled);
    auto p = jf::testing::read_escpos(got.substr(filled));
    INFO(p.problem);
    REQUIRE(p.images.size() == 1);
    CHECK(jf::testing::zxing_text(p.images[0]) == s["credential"]);
}

TEST_CASE("entrance: a clock that cannot be right is told, and no code is issued by it") {
    DeskUi u("ui-clock");
    auto& d = u.d();
    // This build was made on the fair's day; the terminal's clock says 2020.
    d.ctx().build_day = u.f.today.days_since_epoch();
    TimeMs right = d.wall;
    d.wall = Date{2020, 6, 1}.days_since_epoch() * 86400000LL + 4 * 3600000LL;
    d.app().show("entrance");
    d.frames(2);
    CHECK(d.ctx().clock_fault == "clock.err.before_build");
    REQUIRE(d.tap("entrance.register"));
    type_keys(d, "zhangwei");
    REQUIRE(d.tap("kb.cand.0"));
    REQUIRE(d.tap("entrance.reg.phone"));
    type_keys(d, "13855385678");
    REQUIRE(d.tap("entrance.reg.consent"));
    auto before = u.f.store->count_attendees();
    REQUIRE(d.tap("entrance.reg.submit"));
    CHECK(d.state()["page"] == "register");
    CHECK(d.state()["error"] == "entrance.err.clock");
    CHECK(u.f.store->count_attendees() == before);
    // Far from the hub's clock when last seen: told too.
    d.wall = right;
    d.ctx().sync.clock_offset_ms = 3 * 3600 * 1000;
    d.frames(2);
    CHECK(d.ctx().clock_fault == "clock.err.hub");
    // Set right: the same form registers.
    d.ctx().sync.clock_offset_ms = 0;
    d.frames(2);
    CHECK(d.ctx().clock_fault.empty());
    REQUIRE(d.tap("entrance.reg.submit"));
    CHECK(d.state()["page"] == "issued");
    CHECK(u.f.store->count_attendees() == before + 1);
}

namespace {
// An employer desk with the employer signed in and a seeker's form filled, on the review screen.
void to_review(DeskUi& u) {
    auto& d = u.d();
    d.ctx().settings.mode = ui::Mode::Employer;
    d.app().show("employer");
    d.frames(2);
    u.scan(u.code_today(CredentialKind::Employer, u.f.employer.id));
    u.scan(u.code_today(CredentialKind::Attendee, u.f.seeker.id));
    REQUIRE(d.state()["step"] == "form");
    REQUIRE(d.tap("desk.listing.0"));
    REQUIRE(d.tap("desk.to_review"));
    REQUIRE(d.state()["step"] == "review");
}
} // namespace

TEST_CASE("employer desk: a countdown before the idle reset, a touch keeps the form") {
    DeskUi u("ui-idle-warning");
    auto& d = u.d();
    to_review(u);
    // A slow reader: no warning for most of the minute.
    d.wait(35);
    CHECK(d.state()["step"] == "review");
    CHECK_FALSE(d.visible("idle.keep"));
    // Then the countdown, over the header, with the seconds left.
    d.wait(10);
    REQUIRE(d.visible("idle.keep"));
    CHECK(d.center("idle.keep").y < 130);
    CHECK(d.state()["step"] == "review");
    // A touch keeps everything for another full minute.
    REQUIRE(d.tap("idle.keep"));
    CHECK_FALSE(d.visible("idle.keep"));
    d.wait(50);
    CHECK(d.state()["step"] == "review");
    CHECK(d.screen() == "employer");
    // Untouched to the end: the seeker's form is forgotten, but the employer stays signed in
    // at the seeker prompt (the listings do not stand in while an employer is at the desk).
    d.wait(15);
    auto s = d.state();
    CHECK(d.screen() == "employer");
    CHECK(s["step"] == "seeker");
    CHECK(s["employer"] == u.f.employer.id);
    CHECK(s["listing"].empty());
    CHECK_FALSE(d.visible("idle.keep"));
    // Nothing to lose at the seeker prompt: no countdown there, and the next seeker goes on.
    d.wait(50);
    CHECK_FALSE(d.visible("idle.keep"));
    u.scan(u.code_today(CredentialKind::Attendee, u.f.second_seeker.id));
    CHECK(d.state()["step"] == "form");
}

TEST_CASE("employer desk: the same person placed twice on one day is refused on screen") {
    DeskUi u("ui-duplicate");
    auto& d = u.d();
    to_review(u);
    REQUIRE(d.tap("desk.confirm"));
    u.sign("desk.pad");
    REQUIRE(d.tap("desk.sign.ok"));
    u.sign("desk.pad");
    REQUIRE(d.tap("desk.sign.ok"));
    REQUIRE(d.state()["step"] == "done");
    REQUIRE(d.tap("desk.next_seeker"));
    u.scan(u.code_today(CredentialKind::Attendee, u.f.seeker.id));
    auto s = d.state();
    CHECK(s["step"] == "seeker");
    CHECK(s["message"] == "desk.err.duplicate");
    CHECK(d.visible("mark:message.error"));
    CHECK(u.f.store->current_placements().size() == 1);
}

TEST_CASE("employer desk: refusals stand out, go when put right and never follow to the next "
          "screen") {
    DeskUi u("ui-refusals");
    auto& d = u.d();
    d.app().show("employer");
    d.frames(2);
    u.scan(u.code_today(CredentialKind::Employer, u.f.employer.id));
    u.scan(u.code_today(CredentialKind::Attendee, u.f.seeker.id));
    REQUIRE(d.state()["step"] == "form");
    // No listing chosen: a refusal panel in the large font, not one small line.
    REQUIRE(d.tap("desk.to_review"));
    CHECK(d.state()["message"] == "desk.err.no_listing");
    REQUIRE(d.visible("mark:message.error"));
    bool found = false;
    for (const auto& hit : d.ctx().hits)
        if (hit.id == "mark:message.error") {
            found = true;
            CHECK(hit.max.y - hit.min.y >= 64); // a panel a person sees, not a 1-line footnote
        }
    CHECK(found);
    // Choosing a listing puts it right: the refusal goes without another tap on 下一步.
    REQUIRE(d.tap("desk.listing.0"));
    CHECK(d.state()["message"].empty());
    CHECK_FALSE(d.visible("mark:message.error"));

    // An unsigned pad is refused; signing removes the refusal.
    REQUIRE(d.tap("desk.to_review"));
    REQUIRE(d.tap("desk.confirm"));
    REQUIRE(d.tap("desk.sign.ok"));
    CHECK(d.state()["message"] == "desk.err.sign.seeker");
    u.sign("desk.pad");
    d.frame();
    CHECK(d.state()["message"].empty());

    // A refusal does not follow to another step: back to the review screen, it is gone.
    REQUIRE(d.tap("desk.pad.clear"));
    REQUIRE(d.tap("desk.sign.ok"));
    CHECK(d.state()["message"] == "desk.err.sign.seeker");
    REQUIRE(d.tap("desk.back"));
    CHECK(d.state()["step"] == "review");
    CHECK(d.state()["message"].empty());

    // A correction's "saved" on the records page does not follow back to the prompt.
    REQUIRE(d.tap("desk.confirm"));
    u.sign("desk.pad");
    REQUIRE(d.tap("desk.sign.ok"));
    u.sign("desk.pad");
    REQUIRE(d.tap("desk.sign.ok"));
    REQUIRE(d.tap("desk.next_seeker"));
    REQUIRE(d.tap("desk.records"));
    REQUIRE(d.tap("desk.records.void.0"));
    REQUIRE(d.tap("kb.mode.latin"));
    type_keys(d, "wrong");
    REQUIRE(d.tap("kb.done"));
    u.sign("desk.amend.pad");
    REQUIRE(d.tap("desk.amend.save"));
    CHECK(d.state()["message"] == "desk.void.done");
    REQUIRE(d.tap("desk.back"));
    CHECK(d.state()["page"] == "flow");
    CHECK(d.state()["message"].empty());
}

TEST_CASE("entrance and employer desk: staff reach the admin screen without waiting") {
    DeskUi u("ui-admin-button");
    auto& d = u.d();
    d.ctx().settings.mode = ui::Mode::Entrance;
    d.app().show("entrance");
    d.frames(2);
    // The entrance prompt's header carries 管理 (the admin PIN guards the screen).
    REQUIRE(d.tap("admin"));
    CHECK(d.screen() == "admin");
    d.app().show("employer");
    d.frames(2);
    REQUIRE(d.tap("admin"));
    CHECK(d.screen() == "admin");
    // Not while a person's form is open: only on the prompts.
    d.app().show("employer");
    d.frames(2);
    u.scan(u.code_today(CredentialKind::Employer, u.f.employer.id));
    u.scan(u.code_today(CredentialKind::Attendee, u.f.seeker.id));
    REQUIRE(d.state()["step"] == "form");
    CHECK_FALSE(d.visible("admin"));
}

TEST_CASE("entrance: the header names the fair; a staff badge is not called an employer badge") {
    DeskUi u("ui-entrance-words");
    auto& d = u.d();
    d.app().show("entrance");
    d.frames(2);
    CHECK(d.state()["fair"] == u.f.fair.name);
    u.scan(u.code_today(CredentialKind::Staff, "S-01"));
    auto s = d.state();
    CHECK(s["verdict"] == "wrong_kind");
    CHECK(s["detail"] == "scan.wrong_kind.staff_at_entrance");
    // The headline and the line below agree: neither calls it an employer's badge.
    CHECK(s["big"].find("企业") == std::string::npos);
    CHECK(s["big"].find("用人单位") == std::string::npos);
}

TEST_CASE("entrance prompt: headlines and hint stay inside the screen and the frame, in both "
          "languages, landscape and portrait, with large text") {
    for (ImVec2 size : {ImVec2(1920, 1080), ImVec2(1080, 1920)})
        for (const char* lang : {"zh", "en"})
            for (bool large : {false, true}) {
                DeskUi u("ui-prompt-fit", size);
                auto& d = u.d();
                d.app().apply({ui::Intent::SetLang, lang});
                if (large) d.app().apply({ui::Intent::ToggleLargeText});
                d.app().show("entrance");
                d.frames(4);
                INFO(lang << (large ? " large" : "") << " " << size.x << "x" << size.y);
                auto rect = [&](const char* id) {
                    for (const auto& h : d.ctx().hits)
                        if (h.id == id) return std::pair{h.min, h.max};
                    FAIL("not on screen: " << id);
                    return std::pair{ImVec2(), ImVec2()};
                };
                auto [fmin, fmax] = rect("mark:entrance.frame");
                auto [hmin, hmax] = rect("mark:entrance.prompt.hint.text");
                CHECK(hmin.x >= fmin.x);
                CHECK(hmax.x <= fmax.x);
                CHECK(hmin.y >= fmin.y);
                CHECK(hmax.y <= fmax.y);
                for (const char* id :
                     {"mark:entrance.prompt.text", "mark:entrance.prompt.other.text"}) {
                    auto [tmin, tmax] = rect(id);
                    CHECK(tmin.x >= 0);
                    CHECK(tmax.x <= size.x);
                    CHECK(tmax.y <= fmin.y); // above the frame, not under it
                }
                auto [bmin, bmax] = rect("entrance.lookup");
                CHECK(fmax.y <= bmin.y); // the frame ends above the buttons
            }
}

TEST_CASE("entrance registration: every refusal at once, each goes when put right; numbers stay "
          "readable; a look-up that finds no one leads to registration") {
    DeskUi u("ui-walkup-errors");
    auto& d = u.d();
    d.app().show("entrance");
    d.frames(2);
    // Look-up finds no one for this number: 现场登记 is offered, with the number kept.
    REQUIRE(d.tap("entrance.lookup"));
    type_keys(d, "13900001111");
    CHECK(d.state()["found"] == "0");
    REQUIRE(d.tap("entrance.lookup.register"));
    auto s = d.state();
    CHECK(s["page"] == "register");
    CHECK(s["reg.phone"] == "13900001111"); // in full, to be checked by the person
    // Leaving the field does not mask it while the form is open.
    REQUIRE(d.tap("entrance.reg.resident_id"));
    CHECK(d.state()["reg.phone"] == "13900001111");
    // Submitting with no name and no consent: both refusals, not only the first.
    REQUIRE(d.tap("entrance.reg.submit"));
    s = d.state();
    CHECK(s["reg.errors"] == "consent,name");
    CHECK(d.visible("mark:message.error"));
    // The name put right: its refusal goes, the consent's stays.
    REQUIRE(d.tap("entrance.reg.name"));
    REQUIRE(d.tap("kb.mode.latin"));
    type_keys(d, "wang");
    CHECK(d.state()["reg.errors"] == "consent");
    REQUIRE(d.tap("entrance.reg.consent"));
    CHECK(d.state()["reg.errors"].empty());
    CHECK_FALSE(d.visible("mark:message.error"));
}

TEST_CASE("portrait: the header's title and the fair's name have the whole width, and the clock "
          "shows") {
    for (const char* lang : {"zh", "en"}) {
        DeskUi u("ui-portrait-header", ImVec2(1080, 1920));
        auto& d = u.d();
        d.app().apply({ui::Intent::SetLang, lang});
        d.ctx().settings.mode = ui::Mode::Entrance;
        d.app().show("entrance");
        d.frames(3);
        INFO(lang);
        REQUIRE(d.visible("mark:header.title"));
        CHECK(d.visible("mark:header.clock"));
        CHECK(d.visible("admin"));
        float avail = 0;
        for (const auto& h : d.ctx().hits)
            if (h.id == "mark:header.title") avail = h.max.x - h.min.x;
        CHECK(avail >= ui::text_size(d.ctx(), ui::FontRole::Title, u.tr.tr("entrance.title")).x);
        CHECK(avail >= ui::text_size(d.ctx(), ui::FontRole::Body, u.f.fair.name).x);
        // The controls (language, text size, status, 管理) sit below it, not over it.
        CHECK(d.center("lang").y > 120);
    }
}

TEST_CASE("employer desk: one tap after the seeker's scan records an intent; the day's list turns "
          "it into a pre-filled placement; admin shows the day's numbers and undoes a check-in") {
    DeskUi u("ui-intent");
    auto& d = u.d();
    d.app().show("employer");
    d.frames(2);
    u.scan(u.code_today(CredentialKind::Employer, u.f.employer.id));
    u.scan(u.code_today(CredentialKind::Attendee, u.f.seeker.id));
    REQUIRE(d.state()["step"] == "form");
    REQUIRE(d.tap("desk.listing.1"));
    std::string listing = d.state()["listing"];
    // The one tap.
    REQUIRE(d.tap("desk.intent.interview"));
    auto s = d.state();
    CHECK(s["step"] == "seeker");
    CHECK(s["intent"] == "interview");
    auto intents = u.f.store->intents(u.f.fair.id);
    REQUIRE(intents.size() == 1);
    CHECK(intents[0].h.uuid == s["intent_uuid"]);
    CHECK(intents[0].listing_id == listing);
    CHECK(intents[0].attendee_id == u.f.seeker.id);

    // The day's list; the intent becomes a placement with the seeker and listing filled in.
    REQUIRE(d.tap("desk.intents"));
    CHECK(d.state()["page"] == "intents");
    CHECK(d.state()["intents"] == "1");
    REQUIRE(d.tap("desk.intents.place.0"));
    s = d.state();
    CHECK(s["page"] == "flow");
    CHECK(s["step"] == "form");
    CHECK(s["listing"] == listing);
    CHECK(s["work_place"] == u.f.store->listing(listing)->work_location);

    // The admin screen's day numbers, and a check-in undone at the door with a reason.
    auto in = u.f.store->record_check_in(
        [&] {
            CheckIn c;
            c.attendee_id = u.f.seeker.id;
            c.fair_id = u.f.fair.id;
            return c;
        }(),
        u.f.identity.signer());
    REQUIRE(in.ok);
    REQUIRE(ui::PinGuard(*u.f.store).set("2468"));
    d.app().show("admin");
    d.frames(2);
    for (char c : std::string("2468"))
        REQUIRE(d.tap(std::string("pin:") + c));
    REQUIRE(d.tap("pin:ok"));
    REQUIRE(d.tap("admin.fairday"));
    s = d.state();
    REQUIRE(s["page"] == "fairday");
    CHECK(s["check_ins"] == "1");
    CHECK(s["intents"] == "1");
    CHECK(s["placements"] == "0");
    CHECK(s["services"] == "0");
    REQUIRE(d.tap("undo.0.wrong_person"));
    s = d.state();
    CHECK(s["message"] == "admin.undo.done");
    CHECK(s["check_ins"] == "0");
    CHECK_FALSE(d.visible("undo.0.wrong_person")); // nothing left to undo
    auto undos = u.f.store->check_in_undos(u.f.fair.id);
    REQUIRE(undos.size() == 1);
    CHECK(undos[0].check_in_uuid == in.record.h.uuid);
    CHECK(undos[0].reason == "wrong_person");
    CHECK(u.f.store->check_ins(u.f.fair.id).size() == 1); // the original stays

    // Staff mode: an anonymous service with the person's groups, one tap on the service.
    REQUIRE(d.tap("admin.back"));
    REQUIRE(d.tap("admin.service"));
    REQUIRE(d.state()["page"] == "service");
    REQUIRE(d.tap("service.group.migrant"));
    REQUIRE(d.tap("service.group.rural"));
    CHECK(d.state()["groups"] == std::to_string(kMigrantWorker | kRuralLabourer));
    REQUIRE(d.tap("service.legal_aid"));
    CHECK(d.state()["message"] == "admin.service.done");
    CHECK(d.state()["groups"] == "0");
    auto services = u.f.store->services(u.f.fair.id);
    REQUIRE(services.size() == 1);
    CHECK(services[0].service == ServiceKind::LegalAid);
    CHECK(services[0].attendee_id.empty());
    CHECK(services[0].key_groups == (kMigrantWorker | kRuralLabourer));
    REQUIRE(d.tap("admin.back"));
    REQUIRE(d.tap("admin.fairday"));
    CHECK(d.state()["services"] == "1");
}

TEST_CASE("station services: staff scan the person's code and record the service for them; a "
          "wrong code changes nothing; without a code the service stays anonymous") {
    DeskUi u("ui-service-person");
    auto& d = u.d();
    REQUIRE(ui::PinGuard(*u.f.store).set("2468"));
    d.app().show("admin");
    d.frames(2);
    for (char c : std::string("2468"))
        REQUIRE(d.tap(std::string("pin:") + c));
    REQUIRE(d.tap("pin:ok"));
    REQUIRE(d.tap("admin.service"));
    REQUIRE(d.state()["page"] == "service");
    CHECK(d.state()["person"] == "");

    // Not a person's code: an employer's badge, then a web address. Nobody is chosen.
    u.scan(u.code_today(CredentialKind::Employer, u.f.employer.id));
    auto s = d.state();
    CHECK(s["person"] == "");
    CHECK(s["scan_message"] == "scan.wrong_kind.employer_at_seeker");
    u.scan("https://example.com/not-a-code");
    CHECK(d.state()["scan_message"] == "scan.verdict.not_ours");
    // Yesterday's code is refused as at a booth.
    Date yesterday = Date::from_days(u.f.today.days_since_epoch() - 1);
    u.scan(u.code(CredentialKind::Attendee, u.f.seeker.id, yesterday, yesterday));
    CHECK(d.state()["scan_message"] == "scan.verdict.expired");
    CHECK(d.state()["person"] == "");
    CHECK(u.f.store->services(u.f.fair.id).empty());

    // The person's code: the service is theirs, with the groups this terminal knows of them.
    u.scan(u.code_today(CredentialKind::Attendee, u.f.seeker.id));
    s = d.state();
    CHECK(s["person"] == u.f.seeker.id);
    CHECK(s["scan_message"] == "");
    CHECK(s["groups"] == std::to_string(u.f.seeker.key_groups));
    REQUIRE(d.tap("service.training"));
    s = d.state();
    CHECK(s["message"] == "admin.service.done");
    CHECK(s["person"] == ""); // the next person starts afresh
    auto services = u.f.store->services(u.f.fair.id);
    REQUIRE(services.size() == 1);
    CHECK(services[0].attendee_id == u.f.seeker.id);
    CHECK(services[0].service == ServiceKind::Training);
    CHECK(services[0].key_groups == u.f.seeker.key_groups);

    // Scanned, then cleared: anonymous again.
    u.scan(u.code_today(CredentialKind::Attendee, u.f.second_seeker.id));
    CHECK(d.state()["person"] == u.f.second_seeker.id);
    REQUIRE(d.tap("service.person.clear"));
    CHECK(d.state()["person"] == "");
    REQUIRE(d.tap("service.group.disabled"));
    REQUIRE(d.tap("service.job_service"));
    services = u.f.store->services(u.f.fair.id);
    REQUIRE(services.size() == 2);
    CHECK(services[1].attendee_id.empty());
    CHECK(services[1].key_groups == kDisabled);
    // Counted as the reports count it: the person once, the anonymous service once.
    REQUIRE(d.tap("admin.back"));
    REQUIRE(d.tap("admin.fairday"));
    CHECK(d.state()["services"] == "2");
}
