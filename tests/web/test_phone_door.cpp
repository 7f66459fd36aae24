// The door test: a person registers on the hub's phone page in a real browser at phone size
// (chromium at 360x640, tests/web/phone_door.py), the screenshot of their code is decoded by the
// kiosk's camera decoder, and an entrance terminal of the fair checks them in after its sync, as
// it would a printed badge. Real hub over TLS, real SQLite, real sync engine, real ZXing-C++.
#include <catch2/catch.hpp>

#include "kiosk/checkin/checkin_desk.hpp"
#include "kiosk/domain/clock.hpp"
#include "kiosk/desk/registration.hpp"
#include "sync/hub/hub_service.hpp"
#include "sync/hub/hub_tls.hpp"
#include "platform/scan/decoder.hpp"
#include "platform/scan/image.hpp"
#include "tests/sync/sync_trial.hpp"

using namespace jf;
using namespace jf::test;

TEST_CASE("a code shown on a phone checks the person in at the fair's entrance after its sync") {
    Trial t;
    // The trial's fair is today's, so people can still register for it.
    std::string today = cst_date(jf::now_ms()).to_string();
    REQUIRE(run_hub({"add-fair", "--id", "F1", "--name", "2024年无为市工会送岗位招聘会", "--date",
                     today, "--unit", "无为市", "--data-dir", t.data}) == 0);
    auto terminal = t.terminal("A");
    auto id = identity_of(*terminal);
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*terminal, fast_options(), st));

    // The browser registers 刘芳 and keeps a screenshot of the page showing her code.
    std::string pin = hub::public_key_pin(t.cert);
    REQUIRE(pin.rfind("sha256//", 0) == 0);
    std::string shot = t.dir.str("phone-code.png");
    std::string cmd = std::string(JF_WEB_PYTHON) + " " + JF_WEB_DIR + "/phone_door.py " +
                      t.hub.url() + " " + pin.substr(8) + " " + t.hub.log_path() +
                      " 13955501234 刘芳 F1 " + shot + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    int rc = ::pclose(p);
    INFO(out);
    REQUIRE(rc == 0);
    CHECK(out.find("viewport 360x640") != std::string::npos);

    // The entrance camera's decoder reads the screenshot.
    auto img = scan::load_gray(shot);
    REQUIRE(img);
    CHECK(img->width == 360);
    auto decoded = scan::QrDecoder().decode(*img);
    REQUIRE(decoded.found);
    INFO(decoded.text);
    REQUIRE(decoded.text.rfind("JF1:", 0) == 0);

    // Before its sync the terminal does not know the hub's phone registration.
    CHECK(desk::look_up_attendees(*terminal, "13955501234").empty());
    REQUIRE(sync::sync_once(*terminal, fast_options(), st));
    auto found = desk::look_up_attendees(*terminal, "13955501234");
    REQUIRE(found.size() == 1);
    CHECK(found[0].name == "刘芳");
    CHECK(found[0].phone_masked == "139****1234");
    CHECK(found[0].sealed_phone.empty()); // the terminal holds no sealed number of hers

    CheckInDesk desk(*terminal, id, "F1");
    auto r = desk.present_at_entrance(decoded.text, ScanMethod::Camera, jf::now_ms());
    CHECK(r.verdict == Verdict::CheckedIn);
    CHECK(r.recorded);
    CHECK(r.holder_id == found[0].id);
    // Shown a second time, it is the same person already in.
    CHECK(desk.present_at_entrance(decoded.text, ScanMethod::Camera, jf::now_ms()).verdict ==
          Verdict::AlreadyCheckedIn);

    // The number never reached the hub's log in the clear.
    CHECK(read_file(t.hub.log_path()).find("13955501234") == std::string::npos);
}
