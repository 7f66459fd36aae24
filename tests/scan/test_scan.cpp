// The scan pipeline's parts: hand-scanner bursts vs typing (synthetic key times), one event per
// code held in view, the decoder on camera pixel formats (YUYV in place, MJPEG via libjpeg-turbo),
// the recovery ladder, and image-folder replay through the threaded pipeline.
#include <catch2/catch.hpp>

#include "tests/support/support.hpp"

#include "sync/protocol/credential.hpp"
#include "platform/scan/decoder.hpp"
#include "platform/scan/frame_source.hpp"
#include "platform/scan/pipeline.hpp"
#include "platform/scan/wedge.hpp"
#include "tests/scan/synth.hpp"

#include <stb_image_write.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace jf;
using namespace jf::scan;
namespace fs = std::filesystem;

namespace {

std::string credential_text(const std::string& holder = "A0001") {
    REQUIRE(crypto_init());
    static SigningKey k = SigningKey::generate();
    Credential c;
    c.holder_id = holder;
    c.scope_id = "wuwei-20240223";
    c.valid_from = Date{2024, 2, 1};
    c.valid_until = Date{2024, 2, 29};
    return encode(*issue(c, k));
}

// Types `text` one key every `gap` ms from `t`, then Enter; returns what the parser reported.
std::optional<std::string> type(WedgeParser& w, const std::string& text, int64_t t, int64_t gap,
                                int64_t enter_gap = -1) {
    std::optional<std::string> got;
    for (char ch : text) {
        if (auto s = w.key(static_cast<unsigned char>(ch), t)) got = s;
        t += gap;
    }
    if (auto s = w.enter(t - gap + (enter_gap < 0 ? gap : enter_gap))) got = s;
    return got;
}


} // namespace

TEST_CASE("wedge: a scanner burst ending in Enter is a scan") {
    WedgeParser w;
    std::string code = credential_text();
    CHECK(type(w, code, 1000, 4) == code);
    // Several keys in the same UI frame share a time stamp.
    CHECK(type(w, "JF1:ABCDEFG", 5000, 0) == std::string("JF1:ABCDEFG"));
    // CR and LF typed as characters end the burst like Enter does.
    std::optional<std::string> got;
    for (char ch : std::string("A0001X\r"))
        got = w.key(static_cast<unsigned char>(ch), 9000);
    CHECK(got == std::string("A0001X"));
    CHECK_FALSE(w.enter(9001)); // nothing pending: a stray Enter is not a scan
}

TEST_CASE("wedge: a person typing is never a scan") {
    WedgeParser w;
    CHECK_FALSE(type(w, "13855381234", 1000, 180)); // a phone number typed at a normal pace
    CHECK_FALSE(type(w, "zhangwei", 5000, 45));     // a fast typist still averages more than 30 ms
    CHECK_FALSE(type(w, "ab", 9000, 2));            // two keys at once: too short to be a code
    // A burst that pauses mid-way (a person after a scan) is not completed by a late Enter.
    CHECK_FALSE(type(w, "JF1:ABCDEFG", 12000, 3, 400));
    // Typing right before a scan does not leak into it.
    for (char ch : std::string("hello"))
        w.key(static_cast<unsigned char>(ch), 20000 + 200 * (ch - 'a'));
    CHECK(type(w, "A0001X", 30000, 5) == std::string("A0001X"));
}

TEST_CASE("wedge: in_burst, idle completion, control keys and overlong input") {
    WedgeParser w;
    w.key('J', 100);
    CHECK_FALSE(w.in_burst(100)); // one key could be a person
    w.key('F', 103);
    CHECK(w.in_burst(104));
    CHECK_FALSE(w.in_burst(400)); // the burst is over
    w.reset();

    WedgeOptions o;
    o.idle_complete_ms = 150;
    WedgeParser idle(o);
    for (int i = 0; i < 8; ++i)
        idle.key(static_cast<char32_t>('0' + i), 1000 + i * 3);
    CHECK_FALSE(idle.tick(1050));
    CHECK(idle.tick(1200) == std::string("01234567"));
    // Without tick, the next burst's first key completes the previous one.
    for (int i = 0; i < 8; ++i)
        idle.key(static_cast<char32_t>('A' + i), 2000 + i * 3);
    CHECK(idle.key('Z', 3000) == std::string("ABCDEFGH"));

    WedgeParser ctl;
    for (char32_t c : std::u32string(U"JF1:\x01\x1b"
                                     U"A0X"))
        ctl.key(c, 10);
    CHECK(ctl.enter(12) == std::string("JF1:A0X"));
    for (char32_t c : std::u32string(U"张伟编号"))
        ctl.key(c, 20);
    CHECK(ctl.enter(21) == std::string("张伟编号"));

    WedgeOptions small;
    small.max_length = 16;
    WedgeParser cap(small);
    CHECK_FALSE(type(cap, std::string(40, 'A'), 0, 1));
    CHECK(type(cap, "ABCDEFGH", 500, 1) == std::string("ABCDEFGH"));
}

TEST_CASE("repeat filter: one event per code in view") {
    RepeatFilter f(1500, 4000);
    CHECK(f.accept("A", 0));
    for (int t = 33; t < 3900; t += 33)
        CHECK_FALSE(f.accept("A", t)); // held in view
    CHECK(f.accept("A", 4000));        // a few seconds later: again
    CHECK(f.accept("B", 4100));        // another code at once
    CHECK_FALSE(f.accept("B", 4200));
    CHECK(f.accept("A", 4300)); // back to A: a different code than the last one
    CHECK_FALSE(f.accept("A", 5000));
    CHECK(f.accept("A", 6600)); // out of view for 1.6 s, then shown again
}

TEST_CASE("decoder: YUYV camera frames are read in place, and each degradation has a step") {
    std::string text = credential_text();
    GrayImage qr = render_qr(text, 1, 4);
    REQUIRE(qr.width == 45 + 8); // version 7: the size PROTOCOL.md states

    QrDecoder d(DecoderOptions{1000, true}); // generous budget: this checks what the ladder can do
    synth::Look clean;
    clean.module_px = 4;
    clean.angle_deg = 17;
    Frame f = synth::yuyv(synth::frame(1280, 720, qr, clean, 1));
    auto r = d.decode(f);
    CHECK(r.found);
    CHECK(r.text == text);
    CHECK(std::string(r.step) == "direct");

    synth::Look inverted = clean;
    inverted.inverted = true;
    GrayImage inv = synth::frame(640, 480, qr, inverted, 2);
    QrDecoder bare(DecoderOptions{1000, false});
    CHECK_FALSE(bare.decode(inv).found); // plain ZXing-C++ 1.4 does not read light-on-dark codes
    r = d.decode(inv);
    CHECK(r.found);
    CHECK(r.text == text);
    CHECK(std::string(r.step) == "inverted");

    synth::Look blurred = clean;
    blurred.module_px = 5;
    blurred.angle_deg = 10;
    blurred.blur_sigma = 2.0;
    int ladder = 0, plain = 0;
    for (uint32_t seed = 100; seed < 104; ++seed) {
        GrayImage g = synth::frame(1280, 720, qr, blurred, seed);
        plain += bare.decode(g).found;
        auto rr = d.decode(g);
        ladder += rr.found && rr.text == text;
    }
    CHECK(ladder >= plain);
    CHECK(ladder > 0);

    CHECK_FALSE(d.decode(GrayImage(320, 240, 200)).found); // an empty scene
    CHECK_FALSE(d.decode(Frame{}).found);
}

TEST_CASE("decoder: the camera's MJPEG path decodes to YCbCr and reads the code") {
    std::string text = credential_text("E042");
    synth::Look look;
    look.module_px = 4;
    look.angle_deg = 8;
    look.noise_sigma = 4;
    GrayImage g = synth::frame(1280, 720, render_qr(text, 1, 4), look, 9);
    // A colour JPEG, as a webcam's MJPEG stream delivers it.
    std::vector<uint8_t> rgb(g.pixels.size() * 3), jpeg;
    for (size_t i = 0; i < g.pixels.size(); ++i)
        rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = g.pixels[i];
    stbi_write_jpg_to_func(
        [](void* ctx, void* data, int n) {
            auto* out = static_cast<std::vector<uint8_t>*>(ctx);
            out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + n);
        },
        &jpeg, g.width, g.height, 3, rgb.data(), 85);
    Frame f;
    REQUIRE(decode_mjpeg_frame(jpeg.data(), jpeg.size(), f));
    CHECK(f.format == PixelFormat::YCbCr24);
    CHECK(f.width == 1280);
    auto r = QrDecoder().decode(f);
    CHECK(r.found);
    CHECK(r.text == text);
    auto rgba = to_rgba(f);
    CHECK(rgba.size() == size_t(1280) * 720 * 4);
    // A torn frame (USB hiccup) is skipped, not fatal.
    Frame torn;
    CHECK_FALSE(decode_mjpeg_frame(jpeg.data(), 100, torn));
    CHECK_FALSE(decode_mjpeg_frame(nullptr, 0, torn));
}

TEST_CASE("pipeline: a folder of images replays through the decode thread, one event per code") {
    jf::test::TempDir tmp_dir("jf-scan-folder");
    const fs::path dir = tmp_dir.path;
    std::string a = credential_text("A0001"), b = credential_text("A0002");
    synth::Look look;
    look.module_px = 3;
    // Three frames of A (held in view), one empty, B, a file that is not an image.
    std::string err;
    REQUIRE(write_png((dir / "01.png").string(), synth::frame(640, 480, render_qr(a, 1), look, 1),
                      &err));
    REQUIRE(write_png((dir / "02.png").string(), synth::frame(640, 480, render_qr(a, 1), look, 2),
                      &err));
    REQUIRE(write_png((dir / "03.png").string(), synth::frame(640, 480, render_qr(a, 1), look, 3),
                      &err));
    REQUIRE(write_png((dir / "04.png").string(), GrayImage(640, 480, 180), &err));
    REQUIRE(write_png((dir / "05.png").string(), synth::frame(640, 480, render_qr(b, 1), look, 5),
                      &err));
    { std::ofstream((dir / "06.png").string()) << "not a picture"; }

    ScanPipeline::Options o;
    o.decoder.budget_ms = 1000;
    o.gone_ms = 60000; // frames come faster than a camera's: only the text decides here
    o.repeat_ms = 60000;
    ScanPipeline p(o);
    REQUIRE(p.start(make_image_folder_source(dir.string()), &err));
    // Wait for the replay to finish; the bound only stops a broken build from hanging.
    for (int i = 0; i < 6000 && !p.finished(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(p.finished());
    std::vector<std::string> texts;
    while (auto e = p.poll()) {
        texts.push_back(e->text);
        CHECK(e->method == ScanMethod::Camera);
        CHECK(e->time > 0);
    }
    CHECK(texts == std::vector<std::string>{a, b});
    auto st = p.stats();
    CHECK(st.frames == 5);
    CHECK(st.decoded == 5);
    CHECK(st.found == 4);
    CHECK(st.error.find("1 unreadable") != std::string::npos);
    REQUIRE(p.latest_frame());
    CHECK(p.latest_frame()->width == 640);
    p.stop();
    CHECK_FALSE(p.poll());

    std::string why;
    CHECK_FALSE(p.start(make_image_folder_source((dir / "none").string()), &why));
    CHECK_FALSE(why.empty());
    CHECK_FALSE(p.start(make_image_file_source((dir / "06.png").string()), &why));
    CHECK_FALSE(p.start(make_v4l2_source(V4L2Config{"/dev/video-none"}), &why));
    CHECK(why.find("/dev/video-none") != std::string::npos);
}
