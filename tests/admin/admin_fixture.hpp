// Real parts for the admin screen's tests: a `jobfair-hub serve` process over TLS on loopback with
// a dev certificate, a fair, a trusted issuer and enrolment codes (their QR images decoded by the
// kiosk's own decoder), and a headless kiosk whose SyncLink starts the engine as gui_main does.
#pragma once

#include "tests/ui/fixture.hpp"
#include "tests/sync/hub_process.hpp"

#include "sync/engine/engine.hpp"
#include "platform/scan/decoder.hpp"
#include "platform/scan/image.hpp"
#include "kiosk/ui/pin.hpp"
#include "kiosk/ui/sync_link.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

namespace jf::test {

inline std::string today_yyyymmdd() {
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    std::string iso = cst_date(now).to_iso(); // YYYY-MM-DD
    return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

// The text a QR image holds, read by the kiosk's decoder.
inline std::string decode_png(const std::string& path) {
    std::string err;
    auto img = scan::load_gray(path, &err);
    INFO(path << ": " << err);
    REQUIRE(img);
    scan::DecoderOptions o;
    o.budget_ms = 2000;
    auto r = scan::QrDecoder(o).decode(*img);
    REQUIRE(r.found);
    return r.text;
}

struct HubTrial {
    TempDir dir;
    std::string cert = dir.str("hub-cert.pem"), key = dir.str("hub-key.pem"), data = dir.str("hub");
    std::string issuer = dir.str("issuer.key");
    HubProcess hub{data, cert, key, free_port()};

    HubTrial() {
        crypto_init();
        REQUIRE(run_hub({"dev-cert", "--cert", cert, "--key", key}) == 0);
        REQUIRE(run_hub({"add-fair", "--id", "F1", "--name", "无为市工会送岗位招聘会", "--date",
                         today_yyyymmdd(), "--unit", "无为市", "--data-dir", data}) == 0);
        REQUIRE(run_hub({"keygen", "--out", issuer}) == 0);
        REQUIRE(run_hub({"trust-issuer", issuer + ".pub", "--data-dir", data}) == 0);
        REQUIRE(hub.start());
    }

    struct Code {
        std::string code, qr_text;
    };
    // A one-time code and the text of the QR `jobfair-hub enroll` drew for it.
    Code new_code(const std::string& mode = "entrance") {
        std::string out, png = dir.str("enrol.png");
        REQUIRE(run_hub({"enroll", "--fair", "F1", "--mode", mode, "--data-dir", data, "--cert",
                         cert, "--hub-url", hub.url(), "--qr", png},
                        &out) == 0);
        auto at = out.find("enrolment code ");
        REQUIRE(at != std::string::npos);
        return {out.substr(at + 15, 19), decode_png(png)};
    }

    // An attendee credential for fair F1 (its text; its QR in `png` when given).
    std::string credential(const std::string& id, const std::string& png = {}) {
        std::vector<std::string> args = {"issue", "--key", issuer, "--id", id, "--fair", "F1"};
        if (!png.empty()) args.insert(args.end(), {"--png", png});
        std::string out;
        REQUIRE(run_hub(args, &out) == 0);
        std::istringstream in(out);
        for (std::string line; std::getline(in, line);)
            if (line.rfind("JF", 0) == 0) return line;
        FAIL("no credential text in: " << out);
        return {};
    }
};

// Sync options for tests: quick to give up, and a failed attempt is retried only after minutes,
// so what happens sooner was asked for (sync now).
inline sync::SyncOptions slow_retry_options() {
    sync::SyncOptions o;
    o.connect_timeout_ms = 2000;
    o.low_speed_time_s = 2;
    o.request_timeout_ms = 15000;
    o.backoff_min_ms = 180000;
    o.backoff_max_ms = 300000;
    o.poll_interval_ms = 300000;
    return o;
}

// A headless kiosk whose admin screen can enrol: SyncLink on its store, refreshed every frame.
struct AdminKiosk {
    std::unique_ptr<UiFixture> fx;
    std::unique_ptr<ui::SyncLink> link;

    explicit AdminKiosk(const std::string& name, ImVec2 size = ImVec2(1920, 1080),
                        bool use_current_context = false) {
        fx = std::make_unique<UiFixture>(name, 12, 0, size, use_current_context);
        link = std::make_unique<ui::SyncLink>(fx->dir + "/kiosk.db", slow_retry_options());
        d().ctx().hub = link.get();
        REQUIRE(ui::PinGuard(*fx->store).set("2468"));
    }
    ~AdminKiosk() {
        fx->d().before_frame = nullptr;
        fx.reset(); // the screens first, then the engine
        link.reset();
    }
    ui::Driver& d() { return fx->d(); }
    Store& store() { return *fx->store; }
    // Status refresh as the window's loop does it (there once a second; here every frame).
    void follow_status() {
        d().before_frame = [this] { link->refresh(d().ctx()); };
    }

    void open_admin() {
        d().app().show("station");
        d().frames(2);
        REQUIRE(d().tap("admin"));
        for (char c : std::string("2468"))
            REQUIRE(d().tap(std::string("pin:") + c));
        REQUIRE(d().tap("pin:ok"));
        REQUIRE(d().state()["page"] == "panel");
    }

    // A hand scanner in keyboard-wedge mode: the text as a burst of keys, then Enter.
    void scan(const std::string& text) {
        ImGuiIO& io = ImGui::GetIO();
        for (char c : text)
            io.AddInputCharacter(static_cast<unsigned char>(c));
        io.AddInputCharacter('\r');
        d().frame();
        d().frame();
    }

    // Types on the admin's on-screen keyboard: letter and digit keys, and the symbol row.
    void type(const std::string& s) {
        for (char c : s) {
            std::string id;
            if (c == ':')
                id = "enrol.sym.1";
            else if (c == '/')
                id = "enrol.sym.2";
            else if (c == '.')
                id = "enrol.sym.3";
            else if (c == '-')
                id = "enrol.sym.4";
            else
                id = std::string("kb.key.") + static_cast<char>(std::tolower(c));
            INFO("key " << id);
            REQUIRE(d().tap(id));
        }
    }

    // Frames in real time (the worker and the hub run on their own) until `done` or the timeout.
    bool pump_until(const std::function<bool()>& done, double seconds = 20) {
        auto end = std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(static_cast<int>(seconds * 1000));
        while (std::chrono::steady_clock::now() < end) {
            d().frame();
            if (done()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return done();
    }
};

} // namespace jf::test
