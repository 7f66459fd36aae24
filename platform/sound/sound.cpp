// Verdict sounds: synthesis and the ALSA player thread; see sound.hpp.
#include "platform/sound/sound.hpp"

#include <alsa/asoundlib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace jf::sound {

namespace {

// A note with a soft attack and decay, so it never clicks; `square` adds odd harmonics (a buzz).
void note(std::vector<int16_t>* out, double hz_from, double hz_to, double seconds, double amp,
          bool square = false) {
    int n = static_cast<int>(seconds * kRate);
    double phase = 0;
    for (int i = 0; i < n; ++i) {
        double t = static_cast<double>(i) / n;
        double hz = hz_from + (hz_to - hz_from) * t;
        phase += 2 * M_PI * hz / kRate;
        double env = std::min(1.0, i / (0.008 * kRate)) * std::pow(1.0 - t, 1.5);
        double v = std::sin(phase);
        if (square) v = 0.6 * v + 0.3 * std::sin(3 * phase) + 0.1 * std::sin(5 * phase);
        out->push_back(static_cast<int16_t>(std::clamp(v * env * amp, -1.0, 1.0) * 32000));
    }
}

void silence(std::vector<int16_t>* out, double seconds) {
    out->insert(out->end(), static_cast<size_t>(seconds * kRate), 0);
}

void quiet_alsa(const char*, int, const char*, int, const char*, ...) {}

} // namespace

std::vector<int16_t> synthesize(std::string_view name) {
    std::vector<int16_t> s;
    if (name == "ok") {
        note(&s, 880, 880, 0.12, 0.8);
        note(&s, 1318.5, 1318.5, 0.28, 0.8);
    } else if (name == "already") {
        note(&s, 660, 660, 0.14, 0.6);
        silence(&s, 0.06);
        note(&s, 660, 660, 0.20, 0.6);
    } else if (name == "error") {
        note(&s, 330, 220, 0.45, 0.9, true);
    } else if (name == "tap") {
        note(&s, 1800, 1600, 0.03, 0.4);
    }
    return s;
}

Player::~Player() {
    {
        std::lock_guard<std::mutex> l(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (pcm_) snd_pcm_close(static_cast<snd_pcm_t*>(pcm_));
}

bool Player::open(std::string* error) {
    const char* env = std::getenv("JF_SOUND_DEVICE");
    std::string dev = env && *env ? env : "default";
    snd_pcm_t* pcm = nullptr;
    // ALSA prints its own complaints on stderr when there is no card; keep them out of the logs.
    snd_lib_error_set_handler(quiet_alsa);
    int rc = snd_pcm_open(&pcm, dev.c_str(), SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK);
    if (rc >= 0) {
        snd_pcm_nonblock(pcm, 0);
        rc = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, kRate,
                                1, 100000);
        if (rc < 0) snd_pcm_close(pcm);
    }
    if (rc < 0) {
        if (error) *error = std::string("no sound device (") + snd_strerror(rc) + ")";
        return false;
    }
    pcm_ = pcm;
    thread_ = std::thread([this] { run(); });
    return true;
}

void Player::play(std::string_view name) {
    if (!pcm_) return;
    {
        std::lock_guard<std::mutex> l(mu_);
        queue_.clear(); // only the latest verdict matters
        queue_.push_back({std::string(name), {}});
        playing_ = true;
    }
    cv_.notify_all();
}

void Player::play_samples(std::vector<int16_t> samples) {
    if (!pcm_) return;
    {
        std::lock_guard<std::mutex> l(mu_);
        queue_.clear();
        queue_.push_back({{}, std::move(samples)});
        playing_ = true;
    }
    cv_.notify_all();
}

void Player::run() {
    auto* pcm = static_cast<snd_pcm_t*>(pcm_);
    for (;;) {
        Item item;
        {
            std::unique_lock<std::mutex> l(mu_);
            cv_.wait(l, [&] { return stop_ || !queue_.empty(); });
            if (stop_) return;
            item = std::move(queue_.front());
            queue_.pop_front();
            playing_ = true;
        }
        std::vector<int16_t> s =
            item.name.empty() ? std::move(item.samples) : synthesize(item.name);
        double gain = std::clamp(volume_.load(), 0, 100) / 100.0;
        for (auto& v : s)
            v = static_cast<int16_t>(v * gain * gain); // loudness feels quadratic
        snd_pcm_prepare(pcm);
        // Written a tenth of a second at a time, so a newer sound (or closing) cuts a long
        // sentence short instead of waiting for its end.
        size_t off = 0;
        bool cut = false;
        while (off < s.size()) {
            {
                std::lock_guard<std::mutex> l(mu_);
                cut = stop_ || !queue_.empty();
            }
            if (cut) break;
            size_t n = std::min<size_t>(s.size() - off, kRate / 10);
            snd_pcm_sframes_t w = snd_pcm_writei(pcm, s.data() + off, n);
            if (w < 0) w = snd_pcm_recover(pcm, static_cast<int>(w), 1);
            if (w < 0) break; // the device went away: give up on this sound, keep the kiosk
            off += static_cast<size_t>(w);
        }
        if (cut)
            snd_pcm_drop(pcm);
        else
            snd_pcm_drain(pcm);
        ++played_;
        std::lock_guard<std::mutex> l(mu_);
        playing_ = !queue_.empty();
    }
}

} // namespace jf::sound
