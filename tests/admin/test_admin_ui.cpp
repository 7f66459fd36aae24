// The admin screen driven headlessly with real parts: enrolment against a real hub process over
// TLS (the enrolment QR read by the kiosk's decoder and fed as a hand-scanner burst, or the hub
// address and code typed on the on-screen keyboard), the refusals that change nothing, a check-in
// at the entrance that 立即同步 (sync now) brings to the hub, and the camera test reading a real QR
// image through an image-folder source.
#include <catch2/catch.hpp>

#include "tests/admin/admin_fixture.hpp"

#include "kiosk/domain/event_codec.hpp"
#include "sync/hub/hub_store.hpp"
#include "kiosk/store/identity.hpp"

#include <filesystem>

using namespace jf;
using namespace jf::test;

namespace {

std::vector<hub::StoredEvent> hub_events(HubTrial& t, const std::string& terminal_id) {
    auto hs = hub::open_hub_store(t.data);
    REQUIRE(hs);
    return hs->events(terminal_id);
}

int hub_terminal_count(HubTrial& t) {
    std::string out;
    REQUIRE(run_hub({"terminals", "--data-dir", t.data}, &out) == 0);
    int n = 0;
    for (size_t at = 0; (at = out.find("T-", at)) != std::string::npos; ++at)
        ++n;
    return n;
}

} // namespace

TEST_CASE("admin: enrol by scanning the hub's QR, refusals change nothing, sync now uploads") {
    HubTrial t;
    AdminKiosk k("admin-enrol");
    // The trial hub's self-signed certificate, brought to the terminal's data folder.
    std::filesystem::copy_file(t.cert, k.fx->dir + "/hub-cert.pem");
    k.follow_status();
    auto& d = k.d();
    k.open_admin();
    CHECK(d.visible("admin.enrol"));
    CHECK_FALSE(d.visible("admin.syncnow")); // nothing to sync before enrolment
    REQUIRE(d.tap("admin.enrol"));
    REQUIRE(d.state()["page"] == "enrol");
    CHECK(d.state()["ca"] == k.fx->dir + "/hub-cert.pem");

    // A code the hub never issued: refused by the hub, nothing saved here or there.
    auto good = t.new_code();
    std::string url = t.hub.url();
    std::string pin = good.qr_text.substr(good.qr_text.rfind('|') + 1);
    k.scan("JFENROL1|AAAA-BBBB-CCCC-DDDD|" + url + "|" + pin);
    REQUIRE(k.pump_until([&] { return d.state()["enrol_running"] == "0"; }));
    CHECK(d.state()["enrol_error"] == "sync.err.code_unknown");
    CHECK_FALSE(load_identity(k.store()));
    CHECK(hub_terminal_count(t) == 0);
    CHECK_FALSE(k.link->engine_running());

    // Something that is not an enrolment QR (an attendee's code) is named as such.
    k.scan(t.credential("A0009"));
    CHECK(d.state()["message"] == "admin.enrol.not_enrol_code");
    CHECK(d.state()["enrol_running"] == "0");

    // A plain-http hub address, typed on the on-screen keyboard: refused before any connection.
    // (The fields still hold what the refused QR filled in.)
    CHECK(d.state()["enrol_url"] == url);
    REQUIRE(d.tap("enrol.field.url"));
    REQUIRE(d.tap("kb.clear"));
    k.type("http://127.0.0.1:" + std::to_string(t.hub.port()));
    REQUIRE(d.tap("enrol.field.code"));
    REQUIRE(d.tap("kb.clear"));
    k.type(good.code);
    REQUIRE(d.tap("kb.done"));
    CHECK(d.state()["enrol_code"] == good.code);
    REQUIRE(d.tap("enrol.go"));
    REQUIRE(k.pump_until([&] { return d.state()["enrol_running"] == "0"; }));
    CHECK(d.state()["enrol_error"] == "sync.err.url_not_https");
    CHECK_FALSE(load_identity(k.store()));

    // The hub's real QR as a hand scanner types it: enrolled on the worker, the engine started.
    k.scan(good.qr_text);
    REQUIRE(k.pump_until([&] { return d.state()["enrol_running"] == "0"; }));
    INFO(d.state()["enrol_error"]);
    REQUIRE(!d.state()["enrolled_terminal"].empty());
    auto id = load_identity(k.store());
    REQUIRE(id);
    CHECK(id->terminal_id == d.state()["enrolled_terminal"]);
    CHECK(id->hub_url == url);
    REQUIRE(d.ctx().identity);
    CHECK(d.ctx().identity->terminal_id == id->terminal_id);
    CHECK(d.ctx().fair_id == "F1");
    CHECK(d.ctx().settings.mode == ui::Mode::Entrance); // as the hub enrolled it
    CHECK(k.link->engine_running());
    CHECK(hub_terminal_count(t) == 1);
    // The first cycle runs by itself: the status turns online.
    REQUIRE(k.pump_until([&] { return d.ctx().sync.online && d.ctx().sync.last_success > 0; }));

    // A second enrolment QR on an enrolled terminal: refused, the identity stays.
    k.scan(t.new_code().qr_text);
    REQUIRE(k.pump_until([&] { return d.state()["enrol_running"] == "0"; }));
    CHECK(d.state()["enrol_error"] == "sync.err.already_enrolled");
    CHECK(load_identity(k.store())->terminal_id == id->terminal_id);

    // The hub goes away; a person checks in at the entrance meanwhile.
    t.hub.stop();
    REQUIRE(d.tap("admin.back"));
    REQUIRE(d.tap("admin.leave"));
    REQUIRE(d.screen() == "entrance");
    std::string attendee = t.credential("A0001");
    k.scan(attendee);
    CHECK(d.state()["verdict"] == "checked_in");
    REQUIRE(k.store().pending_events() == 1);
    // The engine tries, fails and backs off for minutes.
    REQUIRE(k.pump_until([&] { return !d.ctx().sync.online && !d.ctx().sync.last_error.empty(); }));
    CHECK(d.ctx().sync.waiting == 1);
    REQUIRE(t.hub.start());
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    CHECK(hub_events(t, id->terminal_id).empty()); // nobody asked yet

    // Staff open admin and press 立即同步: the record reaches the hub, the status lines follow.
    k.open_admin();
    CHECK(d.state()["page"] == "panel");
    REQUIRE(d.tap("admin.syncnow"));
    CHECK(d.state()["message"] == "admin.sync.requested");
    REQUIRE(k.pump_until([&] {
        return d.ctx().sync.waiting == 0 && d.ctx().sync.online && d.ctx().sync.last_error.empty();
    }));
    auto events = hub_events(t, id->terminal_id);
    REQUIRE(events.size() == 1);
    auto c = decode_check_in(std::string(events[0].body.begin(), events[0].body.end()));
    REQUIRE(c);
    CHECK(c->attendee_id == "A0001");
    CHECK(c->fair_id == "F1");
    CHECK(c->method == ScanMethod::HandScanner);
    CHECK(k.store().acknowledged_seq() == k.store().last_seq());
}

TEST_CASE("admin: enrol by typing the hub address and code on the on-screen keyboard") {
    HubTrial t;
    AdminKiosk k("admin-typed");
    std::filesystem::copy_file(t.cert, k.fx->dir + "/hub-cert.pem");
    k.follow_status();
    auto& d = k.d();
    k.open_admin();
    REQUIRE(d.tap("admin.enrol"));
    auto code = t.new_code("station");

    // Nothing typed: the screen says what is missing and sends nothing.
    REQUIRE(d.tap("enrol.go"));
    CHECK(d.state()["message"] == "admin.enrol.need_url");
    CHECK(d.state()["enrol_running"] == "0");

    // An address where no hub listens: unreachable, nothing saved.
    REQUIRE(d.tap("enrol.field.url"));
    k.type("127.0.0.1:" + std::to_string(free_port()));
    REQUIRE(d.tap("enrol.field.code"));
    k.type(code.code);
    REQUIRE(d.tap("enrol.go"));
    REQUIRE(k.pump_until([&] { return d.state()["enrol_running"] == "0"; }));
    CHECK(d.state()["enrol_error"] == "sync.err.offline");
    CHECK_FALSE(load_identity(k.store()));

    // The right address (typed without https://, which the screen adds), the code in lower case.
    REQUIRE(d.tap("enrol.field.url"));
    REQUIRE(d.tap("kb.clear"));
    k.type("127.0.0.1:" + std::to_string(t.hub.port()));
    REQUIRE(d.tap("enrol.go"));
    REQUIRE(k.pump_until([&] { return d.state()["enrol_running"] == "0"; }));
    INFO(d.state()["enrol_error"]);
    REQUIRE(!d.state()["enrolled_terminal"].empty());
    CHECK(d.state()["enrol_url"] == t.hub.url());
    CHECK(d.ctx().settings.mode == ui::Mode::Station);
    REQUIRE(k.pump_until([&] { return d.ctx().sync.online && d.ctx().sync.last_success > 0; }));
    CHECK(hub_terminal_count(t) == 1);
}

TEST_CASE("admin: a pin that does not match the hub's certificate is refused") {
    HubTrial t;
    AdminKiosk k("admin-pin");
    std::filesystem::copy_file(t.cert, k.fx->dir + "/hub-cert.pem");
    auto& d = k.d();
    k.open_admin();
    REQUIRE(d.tap("admin.enrol"));
    auto code = t.new_code();
    k.scan("JFENROL1|" + code.code + "|" + t.hub.url() +
           "|sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    REQUIRE(k.pump_until([&] { return d.state()["enrol_running"] == "0"; }));
    CHECK(d.state()["enrol_error"] == "sync.err.pin_mismatch");
    CHECK_FALSE(load_identity(k.store()));
}

TEST_CASE("admin camera test: preview and decoded text from an image-folder source") {
    AdminKiosk k("admin-camera");
    auto& d = k.d();
    // No camera on this machine and none configured: the panel says so.
    k.store().set_setting("camera.source", "none");
    k.open_admin();
    REQUIRE(d.tap("admin.test"));
    REQUIRE(d.state()["page"] == "test");
    CHECK(d.state()["camera"].empty());
    if (!std::filesystem::exists("/dev/video0")) CHECK(d.state()["cameras"] == "0");
    REQUIRE(d.tap("admin.back"));

    // A folder of pictures stands in for the camera: a real badge QR drawn by the hub.
    std::string folder = k.fx->dir + "/frames";
    std::filesystem::create_directories(folder);
    TempDir keys;
    REQUIRE(run_hub({"keygen", "--out", keys.str("issuer.key")}) == 0);
    std::string out;
    REQUIRE(run_hub({"issue", "--key", keys.str("issuer.key"), "--id", "A0042", "--fair", "F1",
                     "--png", folder + "/badge.png"},
                    &out) == 0);
    std::string text;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (line.rfind("JF", 0) == 0) text = line;
    REQUIRE(!text.empty());
    ::setenv("JF_CAMERA", folder.c_str(), 1); // as a technician points the kiosk at a source
    REQUIRE(d.tap("admin.test"));
    CHECK(d.state()["camera"] == folder);
    bool read = k.pump_until([&] { return d.state()["camera_text"] == text; }, 15);
    ::unsetenv("JF_CAMERA");
    REQUIRE(read);
    // The tested source becomes the entrance camera's setting only when asked.
    CHECK(k.store().setting("camera.source").value_or("") == "none");
    REQUIRE(d.tap("cam.use"));
    CHECK(d.state()["message"] == "admin.test.camera.saved");
    CHECK(k.store().setting("camera.source").value_or("") == folder);
    REQUIRE(d.tap("admin.back"));
    CHECK(d.state()["camera"].empty()); // the camera stops with its page
}
