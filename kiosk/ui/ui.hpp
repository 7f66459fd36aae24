// The touchscreen framework: views, the shared UI context, intents and touch-sized widgets.
//
// Index
// - Settings, SyncStatus   what every screen may show (language, large text, contrast, the mode for
//                          older eyes, online)
// - Intent                 what a view asks the application to do (change screen, language, quit)
// - Context                the shared state a view draws from: translations, store, fonts, clock
// - View                   one screen: draw() from state, emit intents
// - Theme                  palettes, touch sizes, the mode for older eyes (长辈模式): scale,
//                          unhurried timing, spoken prompts
// - Widgets                big buttons, text with the right font, the header/footer bars,
//                          KineticScroll (drag/swipe with inertia), the language toggle
//
// How to add a screen
// 1. Create kiosk/ui/<name>_view.cpp with a class deriving from View: name() returns the screen's
//    id ("entrance"), draw(ctx) draws the whole screen from its own state and ctx, and emits
//    Intents (ctx.emit) instead of switching screens itself. A view that holds personal data
//    returns true from holds_personal_data() and forgets it in reset(); the application calls
//    reset() after 60 s without a touch and whenever the view is left.
// 2. Draw text only through the helpers below (text(), button(), ...) or call ctx.fonts->note()
//    for text drawn another way: the font atlas holds only characters that were noted, and is
//    rebuilt between frames when new ones appear (rare name characters included).
// 3. Every string the person sees is a key in assets/i18n/ui/{zh_CN,en_US}.json (or your area's
//    folder), looked up with ctx.t("key"). Sizes are in 1080p pixels times ctx.scale; hit targets
//    are at least kMinTouch.
// 4. Put a header (header_bar) with the language toggle at the top of every screen.
// 5. Declare a make_<name>_view() factory in views.hpp and add it to make_views() in views.cpp.
// 6. Return true from animating() only while something moves (the app then draws continuously;
//    otherwise it sleeps until input or next_wake()).
// 7. Test it headlessly with ui::Driver (driver.hpp): taps and drags fed through ImGui's IO.
#pragma once

#include "kiosk/i18n/i18n.hpp"
#include "kiosk/domain/records.hpp"

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace jf {
class Store;
struct TerminalIdentity;
} // namespace jf

namespace jf::ui {

class Fonts;
class SyncLink;

// -----------------------------------------------------------------------------
// Settings and status
// -----------------------------------------------------------------------------

// Terminal modes: which screen a terminal starts on and returns to.
enum class Mode { Entrance, Employer, Station };
const char* mode_code(Mode m); // "entrance" | "employer" | "station"
bool parse_mode(std::string_view text, Mode* out);

struct Settings {
    Lang lang = Lang::ZhCN;
    bool large_text = false;
    bool high_contrast = false;
    int volume = 80; // 0..100
    Mode mode = Mode::Station;
    // The mode for older eyes (长辈模式): larger everything, ≥ 7:1 contrast, simpler wording, no
    // hurry, spoken prompts. One tap in a public screen's header turns it on for the person in
    // front; the admin screen makes it the terminal's default, to which each idle reset returns.
    bool elder = false;
};

// What the sync engine (or, without one, the store) knows about getting events to the hub.
struct SyncStatus {
    bool engine = false;     // false: no sync engine runs (never enrolled, or demo)
    bool online = false;     // the last attempt reached the hub
    bool syncing = false;    // a cycle is running now
    TimeMs last_success = 0; // 0: never
    int64_t waiting = 0;     // events recorded here and not yet acknowledged by the hub
    std::string last_error;  // message key, empty when fine
    int64_t clock_offset_ms = 0;
    int64_t refused = 0;        // records the hub acknowledged but refused (its quarantine)
    bool restored_copy = false; // the hub refuses new records: this disk is an earlier copy
};

// -----------------------------------------------------------------------------
// Intents: views never switch screens or change global settings themselves
// -----------------------------------------------------------------------------
struct Intent {
    enum Kind {
        Show,    // arg: view name
        Home,    // the mode's start screen
        SetLang, // arg: "zh" | "en"; number 1: also the terminal's default (admin)
        ToggleLargeText,
        ToggleContrast,
        ToggleElder, // arg "1"/"0": on/off (empty: toggle); number 1: also the terminal's default
                     // (admin)
        SetVolume,   // number: 0..100
        SetMode,     // arg: mode code; persisted
        SetPrinter,  // arg: receipt printer destination ("" = none), number: paper dots; persisted
        Quit,        // only the admin screen emits this
    } kind;
    std::string arg;
    int number = 0;
    Intent(Kind k, std::string a = {}, int n = 0) : kind(k), arg(std::move(a)), number(n) {}
};

// -----------------------------------------------------------------------------
// Context
// -----------------------------------------------------------------------------
enum class FontRole { Body, Large, Title, Huge };

// Textures for images drawn on screen (QR codes). The window provides them; headless tests
// provide none (images then draw as plain rectangles).
struct TextureMaker {
    std::function<uintptr_t(const uint8_t* rgba, int w, int h)> create;
    std::function<void(uintptr_t)> destroy;
};

// The terminal's store cannot be trusted (damaged, emptied, cut off, unwritable): every screen
// says so over its lower part, with what staff do and where the damaged file was kept.
struct StoreFault {
    std::string key;    // message key ("err.store.damaged"); empty: the store is sound
    std::string detail; // SQLite's words or the file's path, for staff
    std::string copy;   // where the damaged file was copied for recovery, if it was
};

struct Context {
    Translations* tr = nullptr;
    Store* store = nullptr;                     // may be null only in tests of pure widgets
    const TerminalIdentity* identity = nullptr; // null until enrolled (demo makes one)
    Fonts* fonts = nullptr;
    // Plays a short sound by name ("ok", "already", "error", "tap"); silent without a device.
    std::function<void(std::string_view sound)> play;
    // Reads a sentence aloud in the given language (sound::Speaker: espeak-ng on a thread of its
    // own); returns at once. Unset: no speech. Screens call speak() (below), not this.
    std::function<void(std::string_view text, Lang lang)> say;
    // Writes the weekly reports into a folder (e.g. a USB stick); unset when this build has none.
    std::function<bool(const std::string& folder, std::string* message_key)> export_reports;
    TextureMaker textures;
    Settings settings;
    SyncStatus sync;
    StoreFault store_fault;
    // The wall clock cannot be right (before this build was made, years ahead, or far from the
    // hub's clock when last seen): a message key, empty when plausible. No code is issued while
    // it is set (a code dated by a wrong clock reads expired or not yet valid everywhere).
    std::string clock_fault;
    int64_t build_day = 0;   // days since 1970 when this program was built; 0: unknown (no check)
    SyncLink* hub = nullptr; // engine and enrolment (sync_link.hpp); null when this build has none
    std::string fair_id;  // the fair this terminal serves (empty: none chosen)
    std::string data_dir; // where the store lives, for admin's display
    // The receipt printer for walk-up slips: destination ("" = none) and paper width in dots, from
    // the admin setting or, for this start, from --printer.
    std::string printer;
    int printer_dots = 384;
    bool printer_from_flag = false;

    // Clock: monotonic seconds for animation, wall clock for display and records.
    double now = 0;
    float dt = 0;
    TimeMs wall = 0;
    Date today;
    double last_touch = 0;      // `now` of the last pointer activity
    // Seconds that pass only while the terminal waits for input, not while a slow frame (a font
    // rebuild, a screen switch) keeps it busy: keys queued meanwhile arrived back to back, so a
    // hand scanner's burst is not mistaken for a person typing (scan::WedgeParser's timing).
    double input_clock = 0;
    bool idle_fallback = false; // the station screen stands in for an idle entrance/employer screen
    bool staff_screen = false;  // the screen drawn is View::staff_screen()

    ImVec2 screen{1920, 1080};
    // 1 at 1080p (shorter side); times kElderScale in the mode for older eyes (layout and text).
    // Large text scales only the fonts (1.3×).
    float scale = 1;
    bool portrait() const { return screen.y > screen.x; }
    // GL renders on the CPU (no GPU driver): unattended animations use fewer, shorter frames.
    bool low_power = false;
    float px(float v) const { return v * scale; }

    // Pointer state the widgets share this frame.
    bool dragging = false;     // a KineticScroll owns the pointer: buttons must not fire
    bool overlay_open = false; // a modal panel is up: content under it ignores presses

    // Translation shortcuts.
    const std::string& t(std::string_view key) const { return tr->tr(key); }
    std::string f(std::string_view key, const std::vector<std::string>& args) const {
        return tr->format(key, args);
    }

    // Intents collected this frame; the app applies them after drawing.
    std::vector<Intent> intents;
    void emit(Intent i) { intents.push_back(std::move(i)); }

    // Widgets record where they are (id → rectangle) so tests can tap them by id.
    struct Hit {
        std::string id;
        ImVec2 min, max;
    };
    std::vector<Hit> hits;
    void record_hit(std::string_view id, ImVec2 a, ImVec2 b) {
        hits.push_back({std::string(id), a, b});
    }

    // Frames wanted: views call this while animating; the app draws continuously until then.
    double animate_until = 0;
    void animate_for(double seconds) { animate_until = std::max(animate_until, now + seconds); }
    double wake_at = 1e300; // earliest time a view wants a frame even without input
    void wake(double at) { wake_at = std::min(wake_at, at); }
};

// -----------------------------------------------------------------------------
// View
// -----------------------------------------------------------------------------
class View {
  public:
    virtual ~View() = default;
    virtual const char* name() const = 0;
    virtual void draw(Context& ctx) = 0;
    virtual void enter(Context&) {} // about to be shown
    virtual void leave(Context& ctx) { reset(ctx); }
    virtual bool holds_personal_data() const { return false; }
    virtual void reset(Context&) {} // forget personal data and half-done input
    // After kIdleSeconds untouched (app.hpp): forgets what reset() forgets. A screen that returns
    // true from keeps_screen_when_idle() afterwards stays (the employer desk keeps the employer
    // signed in at the seeker prompt); otherwise the application shows the mode's start.
    virtual void idle(Context& ctx) { reset(ctx); }
    virtual bool keeps_screen_when_idle() const { return false; }
    // A screen for staff and employers (the admin screen, the employer desk): the mode for older
    // eyes keeps its colours, words and pace there but not its 1.5x size (these dense screens are
    // laid out for 1080p and are not what a visitor operates), and the header has no toggle.
    virtual bool staff_screen() const { return false; }
    virtual bool animating() const { return false; }
    // Input waiting for this screen while another stands in for it (a badge scanned while the
    // listings stand in for an idle entrance): the application shows it again at once.
    virtual bool wants_focus(Context&) { return false; }
    // What the screen shows, as key/value facts for tests (e.g. "listed" → "42").
    virtual void describe(std::map<std::string, std::string>*) const {}
};

// -----------------------------------------------------------------------------
// Theme
// -----------------------------------------------------------------------------
struct Palette {
    ImU32 bg, surface, surface_alt, text, text_muted, accent, accent_text, brand, brand_text, good,
        warn, bad, border, highlight, chip;
};
const Palette& palette(const Context& ctx);
constexpr float kMinTouch = 64; // 1080p pixels; > 48 px at 1080p even on a small panel

// The mode for older eyes (Settings::elder), done here once so that every screen follows:
// - size: App::frame multiplies ctx.scale by kElderScale, so every length given to ctx.px(), every
//   touch target and every font is 1.5× (a 1920×1080 screen lays out like 1280×720), on every
//   screen but the staff's (View::staff_screen());
// - contrast: palette() gives the elder palette, every text colour at least 7:1 on its ground;
// - wording: the translation tables' "<key>@elder" entries replace "<key>" (Translations variant);
// - time: unhurried() lengthens every timed step, and the idle reset comes later (idle_seconds());
//   the countdown before it shows on every screen that holds someone's details, and any touch
//   starts it again;
// - speech: speak() reads verdicts and a listing's details aloud at the admin screen's volume.
constexpr float kElderScale = 1.5f;
// How long a timed step (a verdict, a notice) stays: `seconds`, doubled for older eyes.
double unhurried(const Context& ctx, double seconds);
// Seconds untouched before the idle reset, and the countdown shown before it.
double idle_seconds(const Settings& s);
double idle_warn_seconds(const Settings& s);
// Reads `text` aloud, in the screen's language, when the mode for older eyes is on and the
// volume is not zero; never waits for the speech (ctx.say queues it).
void speak(Context& ctx, std::string_view text);

// -----------------------------------------------------------------------------
// Widgets (all sizes in 1080p pixels; they multiply by ctx.scale themselves)
// -----------------------------------------------------------------------------
ImFont* font(Context& ctx, FontRole role);
// Size of `s` in `role`'s font (wrapped at `wrap` pixels if > 0), noting its characters.
ImVec2 text_size(Context& ctx, FontRole role, std::string_view s, float wrap = 0);
// Draws `s` at `pos` (screen coordinates) and returns its size.
ImVec2 text(Context& ctx, FontRole role, ImVec2 pos, ImU32 color, std::string_view s,
            float wrap = 0);
// Text centred in a rectangle (one line; shrinks nothing).
void text_centered(Context& ctx, FontRole role, ImVec2 min, ImVec2 max, ImU32 color,
                   std::string_view s);
// Text wrapped at `width` with each line centred on `cx`, from `top` down; returns its size
// (the widest line, the height). For headlines that must not run off the screen in any language.
ImVec2 text_centered_wrapped(Context& ctx, FontRole role, float cx, float top, float width,
                             ImU32 color, std::string_view s);
// Text clipped to `max_w` with an ellipsis.
void text_clipped(Context& ctx, FontRole role, ImVec2 pos, float max_w, ImU32 color,
                  std::string_view s);

enum class ButtonKind { Primary, Secondary, Quiet, Danger, Selected };
// A big touch button at `min` (screen coordinates) of `size` (already scaled). Fires on release
// inside, never while a drag-scroll owns the pointer or under an open overlay (unless
// `in_overlay`).
bool button(Context& ctx, std::string_view id, std::string_view label, ImVec2 min, ImVec2 size,
            ButtonKind kind = ButtonKind::Secondary, FontRole role = FontRole::Body,
            bool in_overlay = false);
// An invisible tap area (cards, list rows): true on a tap, not a drag.
bool tap_area(Context& ctx, std::string_view id, ImVec2 min, ImVec2 max, bool in_overlay = false,
              bool* held = nullptr);

// The top bar every screen shows: title, then the status pill, text-size and language toggles on
// the right, and with `admin_button` the way to the admin screen (its PIN guards it) for screens
// without the listings' footer. Returns the bar's height (scaled).
float header_bar(Context& ctx, std::string_view title, std::string_view subtitle,
                 bool admin_button = false);
// The hotline and legal-aid band at the bottom of the station screen (and of idle screens).
float footer_notice(Context& ctx, bool admin_button);
// The store fault over the lower part of the screen (`full`: the whole screen, when there is no
// store to show any screen from). Drawn by the application over every screen.
void store_fault_panel(Context& ctx, bool full);
// The clock fault as one band at the top of the screen, under the header (drawn by the app).
void clock_notice(Context& ctx);
// The idle reset is near: a band over the header counts down the seconds left and keeps the
// screen when tapped (any touch does; the band only stops a tap meant for it from reaching what
// lies under it). Drawn by the app over a screen that holds personal data.
void idle_warning(Context& ctx, int seconds_left);
// Why the wall clock `wall` cannot be right, as a message key ("" when plausible): before
// `build_day` (days since 1970), more than five years after it, or more than 10 minutes from the
// hub's clock when the sync engine last saw it.
std::string clock_fault(TimeMs wall, int64_t build_day, const SyncStatus& sync);
void language_toggle(Context& ctx, ImVec2 min, ImVec2 size);
void status_pill(Context& ctx, ImVec2 min, float height);

// Drag or swipe to scroll a region, with inertia after release, rubber-free clamping, and
// animated scrolling for auto-advance. Call update() before drawing the region's items; items
// are drawn at (region.y - offset()).
class KineticScroll {
  public:
    // `in_overlay`: the region is inside the open overlay (it scrolls while the overlay is up).
    void update(Context& ctx, ImVec2 min, ImVec2 max, float content_height, bool enabled = true,
                bool in_overlay = false);
    float offset() const { return offset_; }
    void set_offset(float y) {
        offset_ = y;
        velocity_ = 0;
        anim_ = false;
    }
    void scroll_to(Context& ctx, float y, float seconds);
    bool moving() const { return dragging_ || anim_ || velocity_ != 0; }
    bool dragging() const { return dragging_; }
    double last_user_scroll() const { return last_user_; }

  private:
    float offset_ = 0, velocity_ = 0, max_ = 0;
    bool tracking_ = false, dragging_ = false;
    ImVec2 press_{}, last_{};
    bool anim_ = false;
    float anim_from_ = 0, anim_to_ = 0;
    double anim_t0_ = 0, anim_len_ = 0, last_user_ = -1e9;
};

// The full-screen host window every view draws into (no decorations, no scrolling of its own).
void begin_screen(Context& ctx, const char* id);
void end_screen();
// A dimmed full-screen layer with a centred panel; returns the panel's rectangle (scaled).
void begin_overlay(Context& ctx, ImVec2 panel_size, ImVec2* min, ImVec2* max);
void end_overlay(Context& ctx);

} // namespace jf::ui
