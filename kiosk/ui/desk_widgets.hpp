// Widgets the entrance and employer desk share: text fields that open the on-screen keyboard,
// choice chips, a touch date picker, the hand-scanner reader and the full-screen verdict.
#pragma once

#include "platform/scan/wedge.hpp"
#include "kiosk/ui/keyboard.hpp"
#include "kiosk/ui/ui.hpp"

#include <optional>
#include <string>
#include <vector>

namespace jf::ui {

// A labelled field; tapping it focuses it (the screen then shows the keyboard for it).
// `shown` is what to display (a mask, or text plus the keyboard's preedit).
bool text_field(Context& ctx, std::string_view id, std::string_view label, std::string_view shown,
                ImVec2 min, ImVec2 size, bool focused, bool error = false);

// A row of chips, one selected; returns true when the choice changed. Wraps to new lines.
// Returns the height used through *used_h.
bool chip_row(Context& ctx, std::string_view id, const std::vector<std::string>& labels,
              int* selected, ImVec2 min, float width, float* used_h);
// Toggle chips (several may be on): bit i of *bits.
bool chip_toggles(Context& ctx, std::string_view id, const std::vector<std::string>& labels,
                  uint32_t* bits, const std::vector<uint32_t>& values, ImVec2 min, float width,
                  float* used_h);

// Year/month/day steppers and quick chips (today, tomorrow, next Monday); keeps the date valid.
bool date_picker(Context& ctx, std::string_view id, Date* d, ImVec2 min, float width,
                 float* used_h);

// Reads a keyboard-wedge hand scanner from ImGui's input queue through scan::WedgeParser, which
// tells a scanner's burst from a person pressing keys.
class WedgeReader {
  public:
    std::optional<std::string> poll(Context& ctx);
    void clear() { parser_.reset(); }

  private:
    // A prompt has no text field, so the timing rules only need to tell a scanner's burst from a
    // stray press: a terminal that is busy for a moment (another program, a font rebuild) must
    // not break a burst in two.
    scan::WedgeParser parser_{scan::WedgeOptions{.max_gap_ms = 300, .max_mean_gap_ms = 60}};
    // The parser's clock: frames that both delivered keys count as one frame apart, however long
    // the terminal was busy or descheduled between them (the keys were waiting in the queue, back
    // to back); a person typing leaves frames without keys between their keys.
    double clock_ = 0, last_now_ = -1;
    bool last_had_keys_ = false;
};

// A verdict filling the area below the header: colour, one big line, a second line.
enum class Tone { Good, Warn, Bad };
void verdict_panel(Context& ctx, Tone tone, std::string_view big, std::string_view line2,
                   std::string_view line3, ImVec2 min, ImVec2 max);

// Where a form and its on-screen keyboard go: side by side in landscape (form on the left),
// stacked in portrait (keyboard at the bottom, under the thumb of a standing person).
struct FormSplit {
    ImVec2 form_min, form_max, kb_min, kb_max;
};
FormSplit split_for_keyboard(const Context& ctx, ImVec2 min, ImVec2 max, float form_share = 0.47f);

// A message under a form as a panel from `pos` down, `width` wide: white text on red for a
// refusal, on green for a success, wrapped, in the large font (recorded as the hit
// "mark:message.error" or "mark:message.ok": a mark, not a touch target). Returns its height (0
// when `text` is empty).
float message_line(Context& ctx, std::string_view text, ImVec2 pos, float width, bool error);

} // namespace jf::ui
