// Verdict sounds: distinct, audible, and harmless on a machine without a sound card.
#include <catch2/catch.hpp>

#include "platform/sound/sound.hpp"

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

// Spoken prompts (speech.hpp): the real espeak-ng with its Mandarin voice.
#include "platform/sound/speech.hpp"

#include <filesystem>

static double seconds(const std::vector<int16_t>& s) {
    return static_cast<double>(s.size()) / kRate;
}
// Root mean square over the loudest tenth of a second: speech, not silence.
static double loudest_rms(const std::vector<int16_t>& s) {
    double best = 0;
    const size_t win = kRate / 10;
    for (size_t at = 0; at + win <= s.size(); at += win / 2) {
        double sum = 0;
        for (size_t i = at; i < at + win; ++i)
            sum += double(s[i]) * s[i];
        best = std::max(best, std::sqrt(sum / win) / 32768.0);
    }
    return best;
}

TEST_CASE(
    "a spoken verdict is Mandarin audio of the expected length, written as WAV by espeak-ng") {
    auto dir = std::filesystem::temp_directory_path() / ("jf-speech-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    std::string shortp = (dir / "verdict.wav").string(), longp = (dir / "listing.wav").string();
    std::string err;
    // Four syllables; then a listing read out (about 40 syllables).
    INFO(err);
    REQUIRE(speak_to_file("签到成功", "cmn", shortp, &err));
    REQUIRE(speak_to_file("普工，芜湖鑫昊电子有限公司。工资：四千元每月。地点：无为。招三人。"
                          "流水线操作，两班倒，包吃住。",
                          "cmn", longp, &err));
    std::vector<int16_t> v, l;
    int rate = 0;
    REQUIRE(read_wav(shortp, &v, &rate));
    CHECK(rate == kRate);
    REQUIRE(read_wav(longp, &l, &rate));
    // At kSpeechWpm a Mandarin syllable takes 0.25–0.8 s (with the pauses espeak-ng adds).
    INFO(seconds(v) << " s and " << seconds(l) << " s");
    CHECK(seconds(v) > 4 * 0.25);
    CHECK(seconds(v) < 4 * 0.8);
    CHECK(seconds(l) > 40 * 0.25);
    CHECK(seconds(l) < 40 * 0.8);
    CHECK(loudest_rms(v) > 0.05); // voiced, not silence
    // The speaker's own path (espeak-ng's standard output) gives the same audio.
    std::vector<int16_t> piped;
    REQUIRE(synthesize_speech("签到成功", "cmn", &piped, &err));
    CHECK(std::abs(static_cast<long>(piped.size()) - static_cast<long>(v.size())) < kRate / 20);
    // The text is data, never options or a shell line: a leading dash and quotes are spoken.
    REQUIRE(synthesize_speech("-w /tmp/x.wav \"; rm -rf /", "cmn", &piped, &err));
    CHECK(seconds(piped) > 1);
    std::filesystem::remove_all(dir);
}

TEST_CASE("speech is synthesised and played off the caller's thread; a newer prompt replaces a "
          "waiting one") {
    setenv("JF_SOUND_DEVICE", "null", 1);
    Player p;
    REQUIRE(p.open());
    Speaker s(&p);
    s.say("请出示二维码", "cmn");
    CHECK(s.busy()); // synthesis takes espeak-ng a good part of a second: still under way
    s.say("签到成功", "cmn");
    for (int i = 0; i < 1000 && s.busy(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK_FALSE(s.busy());
    CHECK(s.spoken() >= 1);
    CHECK(s.spoken() <= 2);
    CHECK(p.played() >= 1);
    CHECK(s.last_error().empty());
    unsetenv("JF_SOUND_DEVICE");
}
