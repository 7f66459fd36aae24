// Station notices end to end: union staff write a notice on the console in a real browser
// (chromium, tests/web/station_notices.py) against a real hub over TLS; a real station terminal
// receives it at its sync (the real sync engine) and its station screen's view model shows it
// (ui::Driver, headless); ended in the browser, it is gone from the terminal after the next sync.
#include <catch2/catch.hpp>

#include "sync/hub/hub_tls.hpp"
#include "kiosk/store/identity.hpp"
#include "tests/sync/sync_trial.hpp"
#include "kiosk/ui/driver.hpp"

#include <regex>

using namespace jf;
using namespace jf::test;

namespace {

std::string browser(const std::string& args) {
    std::string cmd =
        std::string(JF_WEB_PYTHON) + " " + JF_WEB_DIR + "/station_notices.py " + args + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    int rc = ::pclose(p);
    INFO(out);
    REQUIRE(rc == 0);
    return out;
}

// The station screen of `store`'s terminal, drawn headless for a few seconds: its view model.
std::map<std::string, std::string> station_state(Store& store, const TerminalIdentity& id,
                                                 Lang lang) {
    Translations tr;
    REQUIRE(tr.load(JF_ASSETS_DIR "/i18n"));
    ui::Context ctx;
    ctx.settings.mode = ui::Mode::Station;
    ctx.settings.lang = lang;
    ctx.tr = &tr;
    ctx.store = &store;
    ctx.identity = &id;
    ctx.fair_id = id.fair_id;
    ui::Driver d(std::move(ctx));
    d.frames(3);
    CHECK(d.screen() == "station");
    return d.state();
}

} // namespace

TEST_CASE("a notice written in the console shows on a station after its sync; ended, it goes") {
    Trial t;
    auto station = Store::open(t.dir.str("station.db"));
    REQUIRE(station);
    sync::EnrollOptions o;
    o.ca_file = t.cert;
    o.device = "station";
    auto enrolled = sync::enroll(*station, t.hub.url(), t.new_code("station"), o);
    INFO(enrolled.error << " " << enrolled.detail);
    REQUIRE(enrolled.ok);
    auto id = identity_of(*station);
    REQUIRE(id.mode == "station");
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*station, fast_options(), st));
    CHECK(station_state(*station, id, Lang::ZhCN)["notices"] == "0");

    std::string out;
    REQUIRE(run_hub({"add-user", "--name", "ww", "--union", "无为市", "--role", "staff",
                     "--hub-url", "https://example.invalid/", "--data-dir", t.data},
                    &out) == 0);
    std::smatch m;
    REQUIRE(std::regex_search(out, m, std::regex("/console/setup\\?token=([A-Z2-7]+)")));
    std::string pin = hub::public_key_pin(t.cert).substr(8);
    const std::string text = "下一场：3月1日 南陵县体育馆 <b id=pwned>请带身份证</b>";
    auto said = browser(t.hub.url() + " " + pin + " create " + std::string(m[1]) + " F1 '" + text +
                        "' " + t.dir.str("console-notice.png"));
    CHECK(said.find("create done") != std::string::npos);

    REQUIRE(sync::sync_once(*station, fast_options(), st));
    for (Lang lang : {Lang::ZhCN, Lang::EnUS}) {
        auto s = station_state(*station, id, lang);
        CHECK(s["notices"] == "1");
        CHECK(s["notice.0"] == text);
    }

    said = browser(t.hub.url() + " " + pin + " end '" + text + "' " +
                   t.dir.str("console-notice-ended.png"));
    CHECK(said.find("end done") != std::string::npos);
    REQUIRE(sync::sync_once(*station, fast_options(), st));
    CHECK(station->notices().empty());
    CHECK(station_state(*station, id, Lang::ZhCN)["notices"] == "0");
}
