// Short, distinct sounds for the touchscreen's verdicts, played through ALSA on a thread of their
// own so the screen never waits. A terminal without a sound device (or a CI machine) plays nothing
// and carries on: open() failing is not an error for the kiosk.
//
// The sounds are synthesised, so they are the same everywhere and need no files:
//   ok       two rising notes (check-in accepted, placement saved)
//   already  two equal, softer notes (already checked in)
//   error    a low falling buzz (refused code, wrong PIN)
//   tap      a short tick
// Spoken prompts (speech.hpp) are played by the same Player, as samples.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace jf::sound {

constexpr int kRate = 22050;

// 16-bit mono samples of a named sound at full volume; empty for an unknown name.
std::vector<int16_t> synthesize(std::string_view name);

class Player {
  public:
    Player() = default;
    ~Player();
    Player(const Player&) = delete;
    Player& operator=(const Player&) = delete;

    // Opens the ALSA device ("default" unless JF_SOUND_DEVICE names another). False (and
    // `error` set) when there is none; play() then does nothing.
    bool open(std::string* error = nullptr);
    bool available() const { return pcm_ != nullptr; }
    void set_volume(int percent) { volume_ = percent; }
    // Queues the sound and returns at once; a newer verdict cuts an older one short.
    void play(std::string_view name);
    // Queues 16-bit mono samples at kRate (spoken prompts); also cuts what plays short.
    void play_samples(std::vector<int16_t> samples);
    int played() const { return played_; } // sounds written to the device (for tests)
    bool playing() const { return playing_; }

  private:
    void run();
    void* pcm_ = nullptr; // snd_pcm_t*
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    struct Item {
        std::string name;             // a synthesised sound, or
        std::vector<int16_t> samples; // ready samples
    };
    std::deque<Item> queue_;
    bool stop_ = false;
    std::atomic<int> volume_{80};
    std::atomic<int> played_{0};
    std::atomic<bool> playing_{false};
};

} // namespace jf::sound
