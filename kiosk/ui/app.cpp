// The application: routing, settings, idle reset and one frame; see app.hpp.
#include "kiosk/ui/app.hpp"

#include "kiosk/store/store.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace jf::ui {

App::App(Context ctx) : ctx_(std::move(ctx)) {
    default_lang_ = ctx_.settings.lang;
    default_elder_ = ctx_.settings.elder;
    if (ctx_.tr) ctx_.tr->set_lang(ctx_.settings.lang);
}

App::~App() {
    for (auto& v : views_)
        v->reset(ctx_);
}

void App::add_view(std::unique_ptr<View> v) {
    views_.push_back(std::move(v));
}

View* App::view(std::string_view name) const {
    for (auto& v : views_)
        if (name == v->name()) return v.get();
    return nullptr;
}

std::string App::home_name() const {
    std::string home = mode_code(ctx_.settings.mode);
    return view(home) ? home : "station";
}

void App::show(std::string_view name) {
    View* next = view(name.empty() ? home_name() : name);
    if (!next) next = view(home_name());
    if (!next || next == current_) return;
    if (current_) current_->leave(ctx_);
    current_ = next;
    ctx_.idle_fallback = false;
    current_->enter(ctx_);
}

void App::persist(std::string_view key, std::string_view value) {
    if (ctx_.store) ctx_.store->set_setting(key, value);
}

void App::apply(const Intent& in) {
    Settings& s = ctx_.settings;
    switch (in.kind) {
    case Intent::Show:
        show(in.arg);
        break;
    case Intent::Home:
        show("");
        break;
    case Intent::SetLang:
        s.lang = in.arg == "en" ? Lang::EnUS : Lang::ZhCN;
        if (ctx_.tr) ctx_.tr->set_lang(s.lang);
        if (in.number == 1) { // from admin: the terminal's own language from now on
            default_lang_ = s.lang;
            persist("ui.lang", in.arg);
        }
        break;
    case Intent::ToggleLargeText:
        s.large_text = !s.large_text;
        persist("ui.large_text", s.large_text ? "1" : "0");
        break;
    case Intent::ToggleContrast:
        s.high_contrast = !s.high_contrast;
        persist("ui.high_contrast", s.high_contrast ? "1" : "0");
        break;
    case Intent::ToggleElder:
        s.elder = in.arg.empty() ? !s.elder : in.arg == "1";
        if (in.number == 1) { // from admin: the terminal's own default from now on
            default_elder_ = s.elder;
            persist("ui.elder", s.elder ? "1" : "0");
        }
        break;
    case Intent::SetVolume:
        s.volume = std::clamp(in.number, 0, 100);
        persist("ui.volume", std::to_string(s.volume));
        break;
    case Intent::SetMode: {
        Mode m;
        if (parse_mode(in.arg, &m)) {
            s.mode = m;
            persist("ui.mode", in.arg);
        }
        break;
    }
    case Intent::SetPrinter:
        ctx_.printer = in.arg;
        if (in.number > 0) ctx_.printer_dots = in.number;
        ctx_.printer_from_flag = false;
        persist("printer.dest", ctx_.printer);
        persist("printer.paper", std::to_string(ctx_.printer_dots));
        break;
    case Intent::Quit:
        quit_ = true;
        break;
    }
}

float App::text_scale() const {
    float base = std::max(0.4f, std::min(ctx_.screen.x, ctx_.screen.y) / 1080.f);
    bool staff = current_ && current_->staff_screen();
    if (ctx_.settings.elder && !staff) return base * kElderScale; // larger than large text
    return base * (ctx_.settings.large_text ? 1.3f : 1.f);
}

FrameOutcome App::frame(const FrameInput& in) {
    FrameOutcome out;
    if (!current_) show("");
    // The idle clock starts with the application: a terminal just started on the entrance stays
    // there for a full idle period before the listings stand in for it.
    if (last_frame_ < 0) ctx_.last_touch = in.now;
    if (last_frame_ < 0)
        ctx_.input_clock = in.now;
    else if (in.waited < 0)
        ctx_.input_clock += std::max(0.0, in.now - last_frame_);
    else
        ctx_.input_clock +=
            std::clamp(in.waited + 1.0 / 30, 0.0, std::max(0.0, in.now - last_frame_));
    ctx_.dt = last_frame_ < 0 ? 1.f / 60.f
                              : static_cast<float>(std::clamp(in.now - last_frame_, 0.0, 0.25));
    last_frame_ = in.now;
    ctx_.now = in.now;
    ctx_.wall = in.wall;
    ctx_.today = cst_date(in.wall);
    ctx_.screen = in.size;
    ctx_.staff_screen = current_ && current_->staff_screen();
    ctx_.scale = std::max(0.4f, std::min(in.size.x, in.size.y) / 1080.f) *
                 (ctx_.settings.elder && !ctx_.staff_screen ? kElderScale : 1.f);
    if (ctx_.tr) ctx_.tr->set_variant(ctx_.settings.elder ? "elder" : "");

    // Fonts first: a rebuild must happen between frames, never inside one.
    text_scale_ = text_scale();
    if (ctx_.fonts && ctx_.fonts->needs_rebuild(text_scale_)) {
        ctx_.fonts->rebuild(text_scale_);
        out.fonts_rebuilt = true;
        if (on_fonts_rebuilt) on_fonts_rebuilt();
    }
    if (ctx_.fonts) ctx_.fonts->begin_frame();

    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = in.size;
    io.DeltaTime = std::max(ctx_.dt, 1e-4f);
    // Input since the last frame keeps frames coming until its result is drawn: a tap's release,
    // a key, a scanner's keystrokes. (A view whose state changes without input, at a deadline or
    // from the camera, asks for frames itself with ctx.animate_for.)
    if (in.down || prev_down_ || in.events) settle_ = kSettleFrames;
    // A finger that lifted leaves no hover behind: park the pointer off-screen after the release
    // frame, so the last tapped button does not stay highlighted for the next person.
    if (in.down || prev_down_) {
        io.MousePos = in.pointer;
        ctx_.last_touch = in.now;
    } else {
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    }
    io.MouseDown[0] = in.down;
    bool released = prev_down_ && !in.down;
    prev_down_ = in.down;
    // An Enter pressed and released between two frames is held down for this one frame, so the
    // screens see it pressed (the backend only saw it go down and up again).
    int enter_key = io.KeyMap[ImGuiKey_Enter];
    if (enter_key >= 0 && enter_key < IM_ARRAYSIZE(io.KeysDown)) {
        if (forced_enter_) {
            io.KeysDown[enter_key] = false;
            forced_enter_ = false;
        } else if (in.enter && !io.KeysDown[enter_key]) {
            io.KeysDown[enter_key] = true;
            forced_enter_ = true;
        }
    }

    // A scan while an entrance terminal shows the listings (standing in for the idle entrance, or
    // opened by someone): the entrance comes back at once and checks it in (the scanner's
    // keystrokes are still queued for it).
    if (current_ && ctx_.settings.mode == Mode::Entrance &&
        std::string_view(current_->name()) == "station")
        if (View* home = view(home_name()); home && home->wants_focus(ctx_)) {
            current_->leave(ctx_);
            current_ = home;
            ctx_.idle_fallback = false;
            current_->enter(ctx_);
            ctx_.last_touch = in.now;
            settle_ = kSettleFrames;
        }

    ctx_.intents.clear();
    ctx_.hits.clear();
    ctx_.dragging = false;
    ctx_.overlay_open = false;
    ctx_.wake_at = 1e300;

    ctx_.clock_fault = clock_fault(in.wall, ctx_.build_day, ctx_.sync);
    ImGui::NewFrame();
    if (current_) current_->draw(ctx_);
    double idle_at = ctx_.last_touch + idle_seconds(ctx_.settings);
    if (current_ && current_->holds_personal_data() &&
        in.now >= idle_at - idle_warn_seconds(ctx_.settings) && in.now < idle_at) {
        double left = idle_at - in.now;
        idle_warning(ctx_, static_cast<int>(std::ceil(left)));
        ctx_.wake(in.now + (left - std::floor(left)) + 0.01); // the next second's number
    }
    if (!ctx_.store_fault.key.empty())
        store_fault_panel(ctx_, !current_ || !ctx_.store);
    else if (!ctx_.clock_fault.empty())
        clock_notice(ctx_);
    ImGui::Render();

    for (auto& i : ctx_.intents)
        apply(i);
    if (quit_) out.quit = true;

    // Idle: forget personal data, return to the start, and let the listings stand in for an idle
    // entrance or employer screen; the next person also starts in the terminal's own language.
    idle_at = ctx_.last_touch + idle_seconds(ctx_.settings); // a touch this frame moved it
    if (in.now >= idle_at && current_) {
        current_->idle(ctx_);
        bool stays = current_->keeps_screen_when_idle() && current_->name() == home_name();
        if (!stays) show("");
        if (ctx_.settings.lang != default_lang_)
            apply({Intent::SetLang, default_lang_ == Lang::EnUS ? "en" : "zh"});
        if (ctx_.settings.elder != default_elder_) apply({Intent::ToggleElder});
        if (!stays && std::string(current_->name()) != "station" && view("station")) {
            ctx_.idle_fallback = true; // set first: the home screen may keep its scanner open
            current_->leave(ctx_);
            current_ = view("station");
            current_->enter(ctx_);
        }
        ctx_.last_touch = in.now; // one reset per idle period
        out.continuous = true;    // draw the new screen now
    } else {
        ctx_.wake(idle_at);
    }

    if (!ctx_.intents.empty()) settle_ = kSettleFrames;
    out.stale = released || !ctx_.intents.empty();
    bool settling = settle_ > 0;
    if (settle_ > 0) --settle_;
    out.continuous = out.continuous || (current_ && current_->animating()) ||
                     ctx_.animate_until > in.now || in.down || out.fonts_rebuilt || settling;
    out.interactive = in.down || in.now - ctx_.last_touch < 2.0;
    out.settling = settle_ > 0;
    text_scale_ = text_scale(); // a toggle this frame counts
    out.wake_at = ctx_.wake_at;
    return out;
}

} // namespace jf::ui
