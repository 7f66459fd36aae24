// Drives the kiosk without a person: time, taps and drags fed through ImGui's IO frame by frame,
// exactly as the window feeds a touchscreen (imgui_test_engine cannot hook Debian's 1.86 build).
// Without a window it runs headless (no GL: the atlas is built on the CPU, nothing is drawn);
// with before/after hooks a test can render the same frames into a real window and screenshot.
#pragma once

#include "kiosk/ui/app.hpp"

#include <map>
#include <memory>
#include <string>

namespace jf::ui {

class Driver {
  public:
    // Creates its own ImGui context unless `use_current_context` (a window made one already).
    // If ctx.fonts is null, loads the system CJK font into a Fonts it owns.
    explicit Driver(Context ctx, ImVec2 size = ImVec2(1920, 1080),
                    bool use_current_context = false);
    ~Driver();
    Driver(const Driver&) = delete;
    Driver& operator=(const Driver&) = delete;

    App& app() { return *app_; }
    Context& ctx() { return app_->ctx(); }
    void resize(ImVec2 size) { size_ = size; }

    // One frame with the pointer as given; advances the clock by `dt` first.
    FrameOutcome frame(bool down = false, ImVec2 pos = ImVec2(-1, -1), double dt = 1.0 / 60);
    void frames(int n);
    void wait(double seconds); // time passes without input (one frame at the end, plus one)
    void tap(ImVec2 pos);
    // Taps the widget recorded under `id` in the last frame; false if it is not on screen.
    bool tap(std::string_view id);
    bool visible(std::string_view id) const;
    ImVec2 center(std::string_view id) const;
    void drag(ImVec2 from, ImVec2 to, int steps = 12, double seconds = 0.2);
    std::map<std::string, std::string> state() const; // the current view's describe()
    std::string screen() const { return app_->current() ? app_->current()->name() : ""; }

    double now = 1000; // monotonic seconds
    TimeMs wall = 0;   // wall clock; defaults to the real one at construction
    std::function<void()> before_frame;
    std::function<void(const FrameOutcome&)> after_frame;

  private:
    std::unique_ptr<Fonts> own_fonts_;
    std::unique_ptr<App> app_;
    ImGuiContext* imgui_ = nullptr;
    ImVec2 size_;
    ImVec2 last_pos_{-1, -1};
};

} // namespace jf::ui
