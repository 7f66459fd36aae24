// The kiosk application without a window: owns the views, routes intents, applies settings,
// resets idle screens, and runs one ImGui frame per call. The window (platform/gfx) or a test
// (ui::Driver) feeds it time, screen size and the pointer.
#pragma once

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/ui.hpp"

#include <memory>
#include <vector>

namespace jf::ui {

struct FrameInput {
    double now = 0;  // monotonic seconds
    TimeMs wall = 0; // wall clock (UTC ms)
    ImVec2 size{1920, 1080};
    bool pointer_present = false;
    ImVec2 pointer{};
    bool down = false;
    bool enter = false; // Enter went down since the last frame (it may be up again already)
    // The window saw input (keys, pointer, scanner keystrokes) since the last frame.
    bool events = false;
    // Seconds the window slept waiting for input before this frame; < 0: all the time since the
    // last frame (headless drivers).
    double waited = -1;
};

struct FrameOutcome {
    bool quit = false;          // the admin screen asked to quit
    bool continuous = false;    // something moves: draw the next frame at once (paced)
    bool interactive = false;   // a person is touching or just touched: pace at 60 Hz, else 30 Hz
    // The next frames show the result of an input (a tap's page, a typed key): draw them at
    // once, unpaced; the frame slot is for animations, a person waits for these.
    bool settling = false;
    // What this frame drew is already out of date: it processed a release (ImGui acts on a click
    // while drawing) or applied intents after drawing. The next frame follows at once; a window
    // need not render this one, which takes a whole frame off the time a tap's result waits.
    bool stale = false;
    double wake_at = 1e300;     // otherwise sleep until input or this time
    bool fonts_rebuilt = false; // the font texture must be uploaded again
};

// (Both times three in the mode for older eyes: idle_seconds(), idle_warn_seconds() in ui.hpp.)
constexpr double kIdleSeconds = 60;
// The last seconds before the idle reset of a screen holding personal data (a half-filled form, a
// placement under review) count down on screen, so a slow reader is warned and keeps it by a touch.
constexpr double kIdleWarnSeconds = 20;
// Frames drawn after anything happened (an input event, a release, an intent): a
// press, a release or a state change made while drawing shows only on a later frame (ImGui reacts
// to a click on the frame after the release; a view switches pages at the end of its draw), so the
// application keeps drawing this many frames before it sleeps again.
constexpr int kSettleFrames = 3;

class App {
  public:
    explicit App(Context ctx);
    ~App();
    void add_view(std::unique_ptr<View> v);
    // Shows the view by name (no-op if unknown); the mode's home when empty.
    void show(std::string_view name);
    FrameOutcome frame(const FrameInput& in);

    Context& ctx() { return ctx_; }
    View* current() const { return current_; }
    View* view(std::string_view name) const;
    std::string home_name() const;
    // Applies and persists a settings change (also used by the command line at start).
    void apply(const Intent& intent);
    // Called right after the font atlas was rebuilt (before the frame draws), so the window can
    // upload the new texture and this frame's draw data already points at it.
    std::function<void()> on_fonts_rebuilt;
    // The frame just drawn showed characters the atlas lacks: draw it again before presenting
    // (the next frame rebuilds the atlas first), so no one ever sees a missing glyph.
    bool fonts_stale() const { return ctx_.fonts && ctx_.fonts->needs_rebuild(text_scale_); }

  private:
    void persist(std::string_view key, std::string_view value);
    float text_scale() const; // the fonts' scale for the settings and screen now
    Context ctx_;
    std::vector<std::unique_ptr<View>> views_;
    View* current_ = nullptr;
    bool prev_down_ = false;
    int settle_ = 0;            // frames still to draw after the last thing that happened
    bool forced_enter_ = false; // Enter held down in ImGui for one frame (see frame())
    double last_frame_ = -1;
    float text_scale_ = 1;
    Lang default_lang_ = Lang::ZhCN;
    bool default_elder_ = false;
    bool quit_ = false;
};

// Every screen this build has (views.cpp).
std::vector<std::unique_ptr<View>> make_views();

} // namespace jf::ui
