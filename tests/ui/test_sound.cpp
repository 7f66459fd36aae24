// Verdict sounds: distinct, audible, and harmless on a machine without a sound card.
#include <catch2/catch.hpp>

#include "sound/sound.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>

using namespace jf::sound;

static double peak(const std::vector<int16_t>& s) {
    int m = 0;
    for (auto v : s)
        m = std::max(m, std::abs(static_cast<int>(v)));
    return m / 32767.0;
}

// Zero crossings per second: a rough pitch, enough to tell the sounds apart.
static double crossings(const std::vector<int16_t>& s) {
    int n = 0;
    for (size_t i = 1; i < s.size(); ++i)
        n += (s[i - 1] < 0) != (s[i] < 0);
    return n / (2.0 * s.size() / kRate);
}

TEST_CASE("each verdict has its own audible sound") {
    auto ok = synthesize("ok"), already = synthesize("already"), error = synthesize("error");
    for (auto* s : {&ok, &already, &error}) {
        CHECK(s->size() > kRate / 5); // at least 0.2 s: heard in a noisy hall
        CHECK(s->size() < kRate);     // under a second: the queue moves on
        CHECK(peak(*s) > 0.4);
        CHECK(std::abs(s->front()) < 2000); // soft start, no click
    }
    CHECK(crossings(ok) > crossings(already) * 1.3); // accepted sounds higher
    CHECK(crossings(error) < crossings(already));    // refused sounds low
    CHECK(synthesize("no-such-sound").empty());
}

TEST_CASE("no sound device: open fails cleanly and play does nothing") {
    setenv("JF_SOUND_DEVICE", "hw:97,0", 1);
    Player p;
    std::string err;
    CHECK_FALSE(p.open(&err));
    CHECK_FALSE(err.empty());
    CHECK_FALSE(p.available());
    p.play("ok");
    CHECK(p.played() == 0);
    unsetenv("JF_SOUND_DEVICE");
}

TEST_CASE("sounds are written to an ALSA device without blocking the caller") {
    setenv("JF_SOUND_DEVICE", "null", 1); // ALSA's null plugin: a real PCM that discards samples
    Player p;
    std::string err;
    INFO(err);
    REQUIRE(p.open(&err));
    auto t0 = std::chrono::steady_clock::now();
    p.play("ok");
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(50));
    for (int i = 0; i < 300 && p.played() < 1; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(p.played() == 1);
    unsetenv("JF_SOUND_DEVICE");
}
