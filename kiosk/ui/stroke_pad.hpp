// A pad a finger writes on: the signature pad of the employer desk and the handwriting pad of the
// on-screen keyboard. Strokes are kept in pad units (0..1000 on both axes) whatever the size on
// screen, so a signature looks the same on every terminal.
#pragma once

#include "kiosk/ui/ui.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace jf::ui {

class StrokePad {
  public:
    using Stroke = std::vector<std::pair<int16_t, int16_t>>;
    static constexpr int kUnits = 1000;

    // Draws the pad in [min,max] (a ruled box with the ink) and records the finger while it is
    // down. Returns true on the frame a stroke is finished (the finger lifted).
    bool draw(Context& ctx, std::string_view id, ImVec2 min, ImVec2 max, std::string_view hint);
    const std::vector<Stroke>& strokes() const { return strokes_; }
    bool empty() const { return strokes_.empty(); }
    void clear() {
        strokes_.clear();
        live_ = false;
    }
    // Draws strokes (of any pad) scaled into a rectangle: the review of a stored signature.
    static void draw_ink(Context& ctx, const std::vector<Stroke>& strokes, ImVec2 min, ImVec2 max,
                         ImU32 color, float width);

  private:
    std::vector<Stroke> strokes_;
    bool live_ = false;
};

} // namespace jf::ui
