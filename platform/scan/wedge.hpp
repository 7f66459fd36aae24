// Hand scanners in keyboard-wedge mode type the code's text as a burst of key presses ending in
// Enter. WedgeParser watches the typed characters with their times and reports a complete scan;
// a person typing (slower, uneven) never produces one. Pure logic: no clock, no I/O.
//
// Use from the UI thread: feed every typed character and every Enter, with the time the frame
// saw them (several keys in one frame may share a time):
//     for (char32_t c : io.InputQueueCharacters) if (auto s = wedge.key(c, now_ms)) on_scan(*s);
//     if (enter_pressed) if (auto s = wedge.enter(now_ms)) on_scan(*s);
//     if (auto s = wedge.tick(now_ms)) on_scan(*s); // scanners set up without an Enter suffix
// The parser only observes: the screen decides what a focused text field does with the keys;
// in_burst() tells it a scanner is typing right now, so it can keep the burst out of the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace jf::scan {

struct WedgeOptions {
    int64_t max_gap_ms = 100; // a longer pause between keys ends the burst (a scanner never pauses)
    int64_t max_mean_gap_ms = 30; // scanners type a key every few ms; no person averages this
    size_t min_length = 4;        // shorter bursts are a person hitting two keys at once
    size_t max_length = 4096;     // longer is not a code; the burst is dropped
    int64_t idle_complete_ms = 0; // > 0: a fast burst with no Enter completes after this pause
};

class WedgeParser {
  public:
    explicit WedgeParser(WedgeOptions o = {}) : opt_(o) {}

    // A typed character (control characters other than Tab are ignored). Returns a completed
    // scan only when `idle_complete_ms` is set and this key starts a new burst after one.
    std::optional<std::string> key(char32_t ch, int64_t t_ms);
    // Enter (or the scanner's CR / LF suffix): the burst so far, if a scanner typed it.
    std::optional<std::string> enter(int64_t t_ms);
    // Call once per frame; completes a burst without Enter when idle_complete_ms is set.
    std::optional<std::string> tick(int64_t now_ms);

    bool in_burst(int64_t now_ms) const;
    void reset();

  private:
    std::optional<std::string> finish(int64_t t_ms, bool require_recent);
    WedgeOptions opt_;
    std::string buf_; // UTF-8
    size_t count_ = 0;
    int64_t first_ = 0, last_ = 0;
    bool overflow_ = false;
};

} // namespace jf::scan
