// Headless driving of the kiosk; see driver.hpp.
#include "kiosk/ui/driver.hpp"
#include "kiosk/domain/clock.hpp"

#include <chrono>

namespace jf::ui {

Driver::Driver(Context ctx, ImVec2 size, bool use_current_context) : size_(size) {
    if (!use_current_context || !ImGui::GetCurrentContext()) {
        imgui_ = ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr;
    }
    if (!ctx.fonts) {
        own_fonts_ = std::make_unique<Fonts>();
        std::string path;
        int index = 0;
        if (Fonts::find_default(&path, &index)) own_fonts_->load(path, index, nullptr);
        if (ctx.tr) own_fonts_->seed(ctx.tr->all_text());
        ctx.fonts = own_fonts_.get();
    }
    wall = now_ms();
    app_ = std::make_unique<App>(std::move(ctx));
    for (auto& v : make_views())
        app_->add_view(std::move(v));
}

Driver::~Driver() {
    app_.reset();
    if (imgui_) ImGui::DestroyContext(imgui_);
}

FrameOutcome Driver::frame(bool down, ImVec2 pos, double dt) {
    now += dt;
    wall += static_cast<TimeMs>(dt * 1000);
    if (before_frame) before_frame();
    FrameInput in;
    in.now = now;
    in.wall = wall;
    in.size = size_;
    in.down = down;
    in.pointer_present = pos.x >= 0;
    in.pointer = pos.x >= 0 ? pos : last_pos_;
    if (pos.x >= 0) last_pos_ = pos;
    FrameOutcome out = app_->frame(in);
    if (after_frame) after_frame(out);
    return out;
}

void Driver::frames(int n) {
    for (int i = 0; i < n; ++i)
        frame();
}

void Driver::wait(double seconds) {
    // Time jumps, as it does when the kiosk sleeps in glfwWaitEventsTimeout; then settle.
    frame(false, ImVec2(-1, -1), seconds);
    frame();
}

void Driver::tap(ImVec2 pos) {
    frame(true, pos);
    frame(false, pos);
    frame();
}

bool Driver::visible(std::string_view id) const {
    for (auto& h : app_->ctx().hits)
        if (h.id == id) return true;
    return false;
}

ImVec2 Driver::center(std::string_view id) const {
    for (auto& h : app_->ctx().hits)
        if (h.id == id) return ImVec2((h.min.x + h.max.x) * 0.5f, (h.min.y + h.max.y) * 0.5f);
    return ImVec2(-1, -1);
}

bool Driver::tap(std::string_view id) {
    if (!visible(id)) return false;
    tap(center(id));
    return true;
}

void Driver::drag(ImVec2 from, ImVec2 to, int steps, double seconds) {
    double dt = seconds / steps;
    frame(true, from, dt);
    for (int i = 1; i <= steps; ++i) {
        float t = static_cast<float>(i) / steps;
        frame(true, ImVec2(from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t), dt);
    }
    frame(false, to, dt);
}

std::map<std::string, std::string> Driver::state() const {
    std::map<std::string, std::string> out;
    if (app_->current()) app_->current()->describe(&out);
    return out;
}

} // namespace jf::ui
