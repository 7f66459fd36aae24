// Spoken prompts: a sentence read aloud by Debian's espeak-ng (Mandarin with its `cmn` voice,
// English with `en`), at a pace for older ears, played through the verdict sounds' Player.
//
// espeak-ng needs about half a second to synthesise a sentence, and the sentence lasts seconds:
// the Speaker does both on a thread of its own, so say() returns at once and the screen never
// waits. The text goes to espeak-ng on its standard input (never on a command line, never through
// a shell), and the audio comes back on its standard output: nothing is written to disk.
//
// Recipe:
//   sound::Player player;  player.open();
//   sound::Speaker speaker(&player);
//   speaker.say("签到成功", "cmn");       // queued; a newer sentence replaces one still waiting
//   speak_to_file("签到成功", "cmn", "/tmp/x.wav");   // the same synthesis into a WAV file
//
// Without espeak-ng (or without a sound device) nothing is heard and the kiosk works on; the
// first failure is kept in last_error() for the log.
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

class Player;

// Words per minute: slower than espeak-ng's 175, for older listeners.
constexpr int kSpeechWpm = 130;
// Longer text is cut here (a listing's description can be long; nobody listens to minutes).
constexpr size_t kSpeechMaxBytes = 1200;

// Synthesises `text` with espeak-ng in `voice` into 16-bit mono samples at kRate (espeak-ng's own
// rate). False and `error` set when espeak-ng is missing or fails.
bool synthesize_speech(std::string_view text, std::string_view voice, std::vector<int16_t>* out,
                       std::string* error = nullptr);
// The same, written as a WAV file by espeak-ng itself (-w).
bool speak_to_file(std::string_view text, std::string_view voice, const std::string& wav_path,
                   std::string* error = nullptr);
// A 16-bit mono PCM WAV file's samples and rate (the files espeak-ng writes).
bool read_wav(const std::string& path, std::vector<int16_t>* samples, int* rate);

class Speaker {
  public:
    // `player` plays the speech (its volume applies); it may be unavailable (no sound device):
    // speech is then synthesised and dropped.
    explicit Speaker(Player* player);
    ~Speaker();
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    // Queues `text` in `voice` ("cmn", "en") and returns at once.
    void say(std::string_view text, std::string_view voice);
    // A sentence is waiting, being synthesised or being played.
    bool busy() const;
    int spoken() const { return spoken_.load(); } // sentences synthesised and handed to the player
    std::string last_error() const;

  private:
    void run();
    Player* player_;
    std::thread thread_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::pair<std::string, std::string>> queue_; // text, voice
    bool stop_ = false;
    std::atomic<bool> busy_{false};
    std::atomic<int> spoken_{0};
    std::string error_;
};

} // namespace jf::sound
