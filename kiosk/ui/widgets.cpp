// Touch-sized widgets drawn with ImGui's draw list and ButtonBehavior (no stock widgets that
// misbehave under touch: no combos, sliders, scrollbars or hover-only affordances).
//
// Index
// - Text          font(), text_size(), text(), text_centered(), text_clipped()
// - Buttons       button(), tap_area()
// - Screen        begin_screen(), overlays
// - Bars          header_bar(), footer_notice(), language_toggle(), status_pill()
// - KineticScroll drag/swipe with inertia
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/ui.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <ctime>

namespace jf::ui {

// -----------------------------------------------------------------------------
// Text
// -----------------------------------------------------------------------------
ImFont* font(Context& ctx, FontRole role) {
    ImFont* f = ctx.fonts ? ctx.fonts->get(role) : nullptr;
    return f ? f : ImGui::GetFont();
}

ImVec2 text_size(Context& ctx, FontRole role, std::string_view s, float wrap) {
    if (ctx.fonts) ctx.fonts->note(role, s);
    ImFont* f = font(ctx, role);
    return f->CalcTextSizeA(f->FontSize, FLT_MAX, wrap, s.data(), s.data() + s.size());
}

ImVec2 text(Context& ctx, FontRole role, ImVec2 pos, ImU32 color, std::string_view s, float wrap) {
    ImVec2 size = text_size(ctx, role, s, wrap);
    ImFont* f = font(ctx, role);
    ImGui::GetWindowDrawList()->AddText(f, f->FontSize, pos, color, s.data(), s.data() + s.size(),
                                        wrap);
    return size;
}

void text_centered(Context& ctx, FontRole role, ImVec2 min, ImVec2 max, ImU32 color,
                   std::string_view s) {
    ImVec2 sz = text_size(ctx, role, s);
    ImVec2 pos{std::floor(min.x + (max.x - min.x - sz.x) * 0.5f),
               std::floor(min.y + (max.y - min.y - sz.y) * 0.5f)};
    ImFont* f = font(ctx, role);
    ImGui::GetWindowDrawList()->AddText(f, f->FontSize, pos, color, s.data(), s.data() + s.size());
}

ImVec2 text_centered_wrapped(Context& ctx, FontRole role, float cx, float top, float width,
                             ImU32 color, std::string_view s) {
    ImFont* f = font(ctx, role);
    if (ctx.fonts) ctx.fonts->note(role, s);
    auto* dl = ImGui::GetWindowDrawList();
    const char* p = s.data();
    const char* end = s.data() + s.size();
    float y = top, widest = 0;
    while (p < end) {
        const char* nl = static_cast<const char*>(memchr(p, '\n', static_cast<size_t>(end - p)));
        const char* para_end = nl ? nl : end;
        const char* line_end = f->CalcWordWrapPositionA(1.f, p, para_end, width);
        if (line_end <= p) line_end = p + 1; // one character wider than the width: still shown
        while (line_end < para_end && (*line_end & 0xC0) == 0x80)
            ++line_end; // never split a character
        float w = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, p, line_end).x;
        dl->AddText(f, f->FontSize, ImVec2(std::floor(cx - w / 2), y), color, p, line_end);
        widest = std::max(widest, w);
        y += f->FontSize;
        p = line_end;
        while (p < para_end && *p == ' ')
            ++p;
        if (p == para_end && nl) ++p;
    }
    return ImVec2(widest, y - top);
}

void text_clipped(Context& ctx, FontRole role, ImVec2 pos, float max_w, ImU32 color,
                  std::string_view s) {
    ImVec2 sz = text_size(ctx, role, s);
    ImFont* f = font(ctx, role);
    auto* dl = ImGui::GetWindowDrawList();
    if (sz.x <= max_w) {
        dl->AddText(f, f->FontSize, pos, color, s.data(), s.data() + s.size());
        return;
    }
    const char* ell = "…";
    if (ctx.fonts) ctx.fonts->note(role, ell);
    float ell_w = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, ell).x;
    const char* end = s.data();
    f->CalcTextSizeA(f->FontSize, std::max(0.f, max_w - ell_w), 0, s.data(), s.data() + s.size(),
                     &end);
    dl->AddText(f, f->FontSize, pos, color, s.data(), end);
    float w = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, s.data(), end).x;
    dl->AddText(f, f->FontSize, ImVec2(pos.x + w, pos.y), color, ell);
}

// -----------------------------------------------------------------------------
// Buttons
// -----------------------------------------------------------------------------
static bool behave(Context& ctx, std::string_view id, ImVec2 min, ImVec2 max, bool in_overlay,
                   bool* held_out) {
    ImGuiID gid = ImGui::GetID(id.data(), id.data() + id.size());
    ImRect bb(min, max);
    // Where a finger can reach it: the part inside the current clip (a card half scrolled out of
    // the list is tappable only on its visible half).
    ImRect reach = bb;
    reach.ClipWithFull(ImRect(ImGui::GetWindowDrawList()->GetClipRectMin(),
                              ImGui::GetWindowDrawList()->GetClipRectMax()));
    if (reach.GetWidth() > 0 && reach.GetHeight() > 0) ctx.record_hit(id, reach.Min, reach.Max);
    if (held_out) *held_out = false;
    if (!ImGui::ItemAdd(bb, gid)) return false;
    if (ctx.dragging || (ctx.overlay_open && !in_overlay)) return false;
    bool hovered = false, held = false;
    bool pressed = ImGui::ButtonBehavior(bb, gid, &hovered, &held);
    if (held_out) *held_out = held && hovered;
    return pressed;
}

bool tap_area(Context& ctx, std::string_view id, ImVec2 min, ImVec2 max, bool in_overlay,
              bool* held) {
    return behave(ctx, id, min, max, in_overlay, held);
}

bool button(Context& ctx, std::string_view id, std::string_view label, ImVec2 min, ImVec2 size,
            ButtonKind kind, FontRole role, bool in_overlay) {
    ImVec2 max{min.x + size.x, min.y + size.y};
    bool held = false;
    bool pressed = behave(ctx, id, min, max, in_overlay, &held);
    const Palette& p = palette(ctx);
    ImU32 bg = p.surface, fg = p.text, border = p.border;
    switch (kind) {
    case ButtonKind::Primary:
        bg = p.accent, fg = p.accent_text, border = p.accent;
        break;
    case ButtonKind::Danger: // high contrast's red is light: black on it (white is 3.2:1)
        bg = p.bad, border = p.bad;
        fg = ctx.settings.high_contrast ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
        break;
    case ButtonKind::Selected:
        bg = p.text, fg = p.bg, border = p.text;
        break;
    case ButtonKind::Quiet:
        bg = p.surface_alt, fg = p.text, border = p.surface_alt;
        break;
    case ButtonKind::Secondary:
        break;
    }
    auto* dl = ImGui::GetWindowDrawList();
    float r = ctx.px(14);
    dl->AddRectFilled(min, max, bg, r);
    dl->AddRect(min, max, border, r, 0, ctx.px(2));
    if (held) dl->AddRectFilled(min, max, IM_COL32(0, 0, 0, 50), r); // pressed feedback
    text_centered(ctx, role, min, max, fg, label);
    return pressed;
}

// -----------------------------------------------------------------------------
// Screen and overlays
// -----------------------------------------------------------------------------
void begin_screen(Context& ctx, const char* id) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ctx.screen);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
    // No window background: the window clears to palette().bg, which costs nothing per pixel.
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(palette(ctx).bg));
    ImGui::Begin(id, nullptr,
                 ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoDecoration |
                     ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse |
                     ImGuiWindowFlags_NoNav);
}

void end_screen() {
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(3);
}

void begin_overlay(Context& ctx, ImVec2 panel_size, ImVec2* min, ImVec2* max) {
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ctx.screen, IM_COL32(0, 0, 0, 150));
    ImVec2 size{std::min(panel_size.x, ctx.screen.x - ctx.px(24)),
                std::min(panel_size.y, ctx.screen.y - ctx.px(24))};
    *min = ImVec2(std::floor((ctx.screen.x - size.x) * 0.5f),
                  std::floor((ctx.screen.y - size.y) * 0.5f));
    *max = ImVec2(min->x + size.x, min->y + size.y);
    const Palette& p = palette(ctx);
    dl->AddRectFilled(*min, *max, p.surface, ctx.px(20));
    dl->AddRect(*min, *max, p.border, ctx.px(20), 0, ctx.px(3));
    ImGui::PushClipRect(*min, *max, true);
}

void end_overlay(Context&) {
    ImGui::PopClipRect();
}

// -----------------------------------------------------------------------------
// Bars
// -----------------------------------------------------------------------------
void language_toggle(Context& ctx, ImVec2 min, ImVec2 size) {
    // Each language names itself, so a person who cannot read the current one finds theirs.
    bool zh = ctx.settings.lang == Lang::ZhCN;
    const std::string& label = ctx.tr->tr("ui.lang.name", zh ? Lang::EnUS : Lang::ZhCN);
    if (button(ctx, "lang", label, min, size, ButtonKind::Secondary, FontRole::Large))
        ctx.emit({Intent::SetLang, zh ? "en" : "zh"});
}

// What the hub refused, for the status line: never "all uploaded" while records sit in its
// quarantine, and a terminal running from an earlier copy of its disk says so.
static std::string refusal_note(Context& ctx) {
    if (ctx.sync.restored_copy) return " · " + ctx.t("ui.status.restored_copy");
    if (ctx.sync.refused > 0) return " · " + ctx.t("ui.status.refused");
    return {};
}

void status_pill(Context& ctx, ImVec2 min, float height) {
    const Palette& p = palette(ctx);
    std::string label;
    ImU32 dot = p.text_muted;
    if (!ctx.sync.engine) {
        label = ctx.t("ui.status.standalone");
    } else if (ctx.sync.online) {
        label = ctx.t("ui.status.online");
        dot = p.good;
    } else {
        label = ctx.t("ui.status.offline");
        dot = p.warn;
    }
    if (ctx.sync.waiting > 0)
        label += " · " + ctx.f("ui.status.waiting", {std::to_string(ctx.sync.waiting)});
    label += refusal_note(ctx);
    if (ctx.sync.restored_copy || ctx.sync.refused > 0) dot = p.bad;
    ImVec2 sz = text_size(ctx, FontRole::Body, label);
    float pad = ctx.px(18), d = ctx.px(18);
    ImVec2 max{min.x + pad * 2 + d + ctx.px(12) + sz.x, min.y + height};
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, IM_COL32(255, 255, 255, 235), height * 0.5f);
    // The dot has a dark ring: high contrast's light grey "standalone" dot stays visible on white.
    dl->AddCircleFilled(ImVec2(min.x + pad + d * 0.5f, min.y + height * 0.5f), d * 0.5f, dot);
    dl->AddCircle(ImVec2(min.x + pad + d * 0.5f, min.y + height * 0.5f), d * 0.5f,
                  IM_COL32(30, 30, 30, 255), 0, ctx.px(3));
    ctx.record_hit("mark:status.dot", ImVec2(min.x + pad, min.y + height * 0.5f - d * 0.5f),
                   ImVec2(min.x + pad + d, min.y + height * 0.5f + d * 0.5f));
    text(ctx, FontRole::Body,
         ImVec2(min.x + pad + d + ctx.px(12), std::floor(min.y + (height - sz.y) * 0.5f)),
         IM_COL32(30, 30, 30, 255), label);
    ctx.record_hit("status", min, max);
    // Tests find the refusal notes on screen by these ids (over the same pill).
    if (ctx.sync.restored_copy)
        ctx.record_hit("status.restored_copy", min, max);
    else if (ctx.sync.refused > 0)
        ctx.record_hit("status.refused", min, max);
}

float header_bar(Context& ctx, std::string_view title, std::string_view subtitle,
                 bool admin_button) {
    const Palette& p = palette(ctx);
    // Landscape: one row. Portrait (too narrow for both): the title and subtitle get the whole
    // first row, the clock and the controls a second one.
    bool two_rows = ctx.portrait();
    float row = ctx.px(120);
    float h = two_rows ? row + ctx.px(100) : row;
    float ctrl_top = two_rows ? row : 0, ctrl_h = h - ctrl_top;
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(ctx.screen.x, h), p.brand);
    if (ctx.settings.high_contrast)
        dl->AddLine(ImVec2(0, h - 1), ImVec2(ctx.screen.x, h - 1), p.border, ctx.px(3));
    // Right side, from the edge inwards: language, text size, status, clock.
    float x = ctx.screen.x - ctx.px(24);
    float bh = ctx.px(84), by = ctrl_top + (ctrl_h - bh) * 0.5f;
    float lang_w = ctx.px(180);
    x -= lang_w;
    language_toggle(ctx, ImVec2(x, by), ImVec2(lang_w, bh));
    // The mode for older eyes, one tap away on every screen (selected while on); large text is
    // part of it, so its own toggle steps aside meanwhile.
    if (!ctx.staff_screen) {
        const std::string& elder_label = ctx.t("ui.elder.toggle");
        float e_w =
            std::max(ctx.px(110), text_size(ctx, FontRole::Large, elder_label).x + ctx.px(36));
        x -= e_w + ctx.px(16);
        if (button(ctx, "elder", elder_label, ImVec2(x, by), ImVec2(e_w, bh),
                   ctx.settings.elder ? ButtonKind::Selected : ButtonKind::Secondary,
                   FontRole::Large))
            ctx.emit({Intent::ToggleElder});
    }
    if (!ctx.settings.elder || ctx.staff_screen) {
        float a_w = ctx.px(110);
        x -= a_w + ctx.px(16);
        if (button(ctx, "large_text", ctx.t("ui.large_text.toggle"), ImVec2(x, by), ImVec2(a_w, bh),
                   ctx.settings.large_text ? ButtonKind::Selected : ButtonKind::Secondary,
                   FontRole::Large))
            ctx.emit({Intent::ToggleLargeText});
    }
    // The pill's width depends on its text; measure it by drawing into a scratch position first.
    std::string pill_probe =
        ctx.sync.engine ? (ctx.sync.online ? ctx.t("ui.status.online") : ctx.t("ui.status.offline"))
                        : ctx.t("ui.status.standalone");
    if (ctx.sync.waiting > 0)
        pill_probe += " · " + ctx.f("ui.status.waiting", {std::to_string(ctx.sync.waiting)});
    pill_probe += refusal_note(ctx);
    float pill_w = text_size(ctx, FontRole::Body, pill_probe).x + ctx.px(18 * 2 + 18 + 12);
    float pill_h = ctx.px(60);
    x -= pill_w + ctx.px(16);
    status_pill(ctx, ImVec2(x, ctrl_top + (ctrl_h - pill_h) * 0.5f), pill_h);
    if (admin_button) {
        float aw = std::max(ctx.px(130),
                            text_size(ctx, FontRole::Body, ctx.t("ui.admin.open")).x + ctx.px(40));
        x -= aw + ctx.px(16);
        if (button(ctx, "admin", ctx.t("ui.admin.open"), ImVec2(x, by), ImVec2(aw, bh),
                   ButtonKind::Quiet, FontRole::Body))
            ctx.emit({Intent::Show, "admin"});
    }
    {
        std::string clock = cst_hhmm(ctx.wall);
        ImVec2 cs = text_size(ctx, FontRole::Large, clock);
        float cx = two_rows ? ctx.px(32) : x - cs.x - ctx.px(24);
        if (!two_rows) x = cx;
        ImVec2 at(cx, std::floor(ctrl_top + (ctrl_h - cs.y) * 0.5f));
        // In portrait's second row the clock gives way to the controls when they need the room
        // (the mode for older eyes); in landscape the title gives way instead.
        if (!two_rows || at.x + cs.x + ctx.px(16) <= x) {
            text(ctx, FontRole::Large, at, p.brand_text, clock);
            ctx.record_hit("mark:header.clock", at, ImVec2(at.x + cs.x, at.y + cs.y));
        }
        // Redraw when the minute turns.
        double to_next_minute =
            60.0 - std::fmod(static_cast<double>(ctx.wall + kCstOffsetMs) / 1000.0, 60.0);
        ctx.wake(ctx.now + to_next_minute + 0.05);
    }
    // Left: title and subtitle, clipped to what remains (the whole first row in portrait).
    float left = ctx.px(32);
    float avail = (two_rows ? ctx.screen.x - ctx.px(32) : x - ctx.px(24)) - left;
    ctx.record_hit("mark:header.title", ImVec2(left, 0), ImVec2(left + avail, row));
    float title_h = row;
    ImFont* tf = font(ctx, FontRole::Title);
    ImFont* sf = font(ctx, FontRole::Body);
    if (subtitle.empty()) {
        text_clipped(ctx, FontRole::Title,
                     ImVec2(left, std::floor((title_h - tf->FontSize) * 0.5f)), avail, p.brand_text,
                     title);
    } else {
        float total = tf->FontSize + sf->FontSize + ctx.px(2);
        float y = std::floor((title_h - total) * 0.5f);
        text_clipped(ctx, FontRole::Title, ImVec2(left, y), avail, p.brand_text, title);
        text_clipped(ctx, FontRole::Body, ImVec2(left, y + tf->FontSize + ctx.px(2)), avail,
                     ctx.settings.high_contrast ? p.text : IM_COL32(255, 225, 225, 255), subtitle);
    }
    return h;
}

void store_fault_panel(Context& ctx, bool full) {
    const StoreFault& f = ctx.store_fault;
    float pad = ctx.px(40), w = ctx.screen.x - 2 * pad;
    std::string title = ctx.t("store.fault.title"), what = ctx.t(f.key),
                todo = ctx.t("store.fault.todo");
    std::string where = f.copy.empty() ? f.detail : ctx.f("store.fault.kept", {f.copy});
    float h = text_size(ctx, FontRole::Title, title, w).y +
              text_size(ctx, FontRole::Large, what, w).y +
              text_size(ctx, FontRole::Body, todo, w).y +
              text_size(ctx, FontRole::Body, where, w).y + 4 * ctx.px(16) + 2 * pad;
    float top = full ? 0 : std::max(0.f, ctx.screen.y - h);
    ImGui::SetNextWindowPos(ImVec2(0, top));
    ImGui::SetNextWindowSize(ImVec2(ctx.screen.x, ctx.screen.y - top));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    ImGui::Begin("##store_fault", nullptr,
                 ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoDecoration |
                     ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoNav);
    ImU32 red = ctx.settings.high_contrast ? IM_COL32(140, 0, 0, 255) : IM_COL32(178, 34, 34, 255);
    ImU32 white = IM_COL32(255, 255, 255, 255);
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, top), ctx.screen, red);
    float y = top + pad;
    y += text(ctx, FontRole::Title, ImVec2(pad, y), white, title, w).y + ctx.px(16);
    y += text(ctx, FontRole::Large, ImVec2(pad, y), white, what, w).y + ctx.px(16);
    y += text(ctx, FontRole::Body, ImVec2(pad, y), white, todo, w).y + ctx.px(16);
    text(ctx, FontRole::Body, ImVec2(pad, y), white, where, w);
    ImGui::End();
    ImGui::PopStyleVar(2);
}

std::string clock_fault(TimeMs wall, int64_t build_day, const SyncStatus& sync) {
    int64_t day = wall / 86'400'000;
    if (build_day > 0 && day < build_day - 1) return "clock.err.before_build";
    if (build_day > 0 && day > build_day + 5 * 366) return "clock.err.far_future";
    if (sync.clock_offset_ms > 600'000 || sync.clock_offset_ms < -600'000) return "clock.err.hub";
    return "";
}

void clock_notice(Context& ctx) {
    float pad = ctx.px(30), w = ctx.screen.x - 2 * pad;
    std::time_t secs = static_cast<std::time_t>(ctx.wall / 1000 + 8 * 3600); // CST
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char shown[32];
    std::strftime(shown, sizeof shown, "%Y-%m-%d %H:%M", &tm);
    std::string line = ctx.f("clock.notice", {shown}) + " " + ctx.t(ctx.clock_fault);
    float h = text_size(ctx, FontRole::Large, line, w).y + 2 * pad;
    float top = ctx.px(ctx.portrait() ? 250 : 150); // under the header (two rows in portrait)
    ImGui::SetNextWindowPos(ImVec2(0, top));
    ImGui::SetNextWindowSize(ImVec2(ctx.screen.x, h));
    ImGui::Begin("##clock_fault", nullptr,
                 ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoDecoration |
                     ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoNav);
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, top), ImVec2(ctx.screen.x, top + h),
                                              IM_COL32(255, 193, 7, 255));
    text(ctx, FontRole::Large, ImVec2(pad, top + pad), IM_COL32(20, 20, 20, 255), line, w);
    ImGui::End();
}

void idle_warning(Context& ctx, int seconds_left) {
    float h = ctx.px(120); // over the header bar, whose buttons it covers while it shows
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(ctx.screen.x, h));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    ImGui::Begin("##idle_warning", nullptr,
                 ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoDecoration |
                     ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoNav);
    ImU32 band =
        ctx.settings.high_contrast ? IM_COL32(255, 255, 0, 255) : IM_COL32(255, 193, 7, 255);
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, 0), ImVec2(ctx.screen.x, h), band);
    tap_area(ctx, "idle.keep", ImVec2(0, 0), ImVec2(ctx.screen.x, h), true);
    text_centered(ctx, FontRole::Title, ImVec2(0, 0), ImVec2(ctx.screen.x, h),
                  IM_COL32(0, 0, 0, 255), ctx.f("idle.warning", {std::to_string(seconds_left)}));
    ImGui::End();
    ImGui::PopStyleVar(2);
}

float footer_notice(Context& ctx, bool admin_button) {
    const Palette& p = palette(ctx);
    ImFont* lf = font(ctx, FontRole::Large);
    ImFont* bf = font(ctx, FontRole::Body);
    // Tall enough for the legal-aid text wrapped in the room it has (measured as laid out below).
    float block_w0 = std::max(text_size(ctx, FontRole::Body, ctx.t("ui.hotline.label")).x,
                              text_size(ctx, FontRole::Title, "12351").x) +
                     ctx.px(40);
    float wrap0 =
        ctx.screen.x - ctx.px(24) - (admin_button ? ctx.px(130 + 24) : 0) - (ctx.px(32) + block_w0);
    float legal_h = text_size(ctx, FontRole::Body, ctx.t("ui.legal_aid.text"), wrap0).y;
    float h =
        std::max({ctx.px(128), lf->FontSize + bf->FontSize * 2 + ctx.px(30), legal_h + ctx.px(30)});
    float top = ctx.screen.y - h;
    auto* dl = ImGui::GetWindowDrawList();
    ImU32 band = ctx.settings.high_contrast ? IM_COL32(0, 0, 0, 255) : IM_COL32(40, 36, 32, 255);
    dl->AddRectFilled(ImVec2(0, top), ImVec2(ctx.screen.x, ctx.screen.y), band);
    dl->AddRectFilled(ImVec2(0, top), ImVec2(ctx.screen.x, top + ctx.px(6)),
                      p.brand == IM_COL32(0, 0, 0, 255) ? p.accent : p.brand);
    ImU32 gold = IM_COL32(255, 214, 0, 255), white = IM_COL32(255, 255, 255, 255);
    // Hotline block: the number is what people must be able to read from afar.
    float x = ctx.px(32), y = top + ctx.px(16);
    const std::string& label = ctx.t("ui.hotline.label");
    ImVec2 ls = text(ctx, FontRole::Body, ImVec2(x, y), white, label);
    ImFont* hf = font(ctx, FontRole::Title);
    ImVec2 ns = text(ctx, FontRole::Title, ImVec2(x, y + ls.y), gold, "12351");
    (void)hf;
    float block_w = std::max(ls.x, ns.x) + ctx.px(40);
    float right = ctx.screen.x - ctx.px(24);
    if (admin_button) {
        float bw = ctx.px(130), bh = ctx.px(kMinTouch);
        right -= bw;
        if (button(ctx, "admin", ctx.t("ui.admin.open"),
                   ImVec2(right, top + (h - bh) * 0.5f + ctx.px(3)), ImVec2(bw, bh),
                   ButtonKind::Quiet, FontRole::Body))
            ctx.emit({Intent::Show, "admin"});
        right -= ctx.px(24);
    }
    float tx = x + block_w;
    dl->AddLine(ImVec2(tx - ctx.px(20), top + ctx.px(20)),
                ImVec2(tx - ctx.px(20), ctx.screen.y - ctx.px(14)), IM_COL32(120, 110, 100, 255),
                ctx.px(2));
    float wrap = right - tx;
    ImVec2 ts = text_size(ctx, FontRole::Body, ctx.t("ui.legal_aid.text"), wrap);
    text(ctx, FontRole::Body, ImVec2(tx, top + std::floor((h - ts.y) * 0.5f) + ctx.px(3)), white,
         ctx.t("ui.legal_aid.text"), wrap);
    return h;
}

// -----------------------------------------------------------------------------
// KineticScroll
// -----------------------------------------------------------------------------
void KineticScroll::scroll_to(Context& ctx, float y, float seconds) {
    anim_ = true;
    anim_from_ = offset_;
    anim_to_ = std::clamp(y, 0.f, max_);
    anim_t0_ = ctx.now;
    anim_len_ = std::max(0.01f, seconds);
    velocity_ = 0;
    ctx.animate_for(seconds + 0.05);
}

void KineticScroll::update(Context& ctx, ImVec2 min, ImVec2 max, float content_height, bool enabled,
                           bool in_overlay) {
    ImGuiIO& io = ImGui::GetIO();
    max_ = std::max(0.f, content_height - (max.y - min.y));
    ImVec2 m = io.MousePos;
    bool inside = m.x >= min.x && m.x < max.x && m.y >= min.y && m.y < max.y;
    if (enabled && (in_overlay || !ctx.overlay_open) && io.MouseClicked[0] && inside) {
        tracking_ = true;
        dragging_ = false;
        press_ = last_ = m;
        velocity_ = 0;
        anim_ = false; // a touch stops auto-advance and inertia at once
        last_user_ = ctx.now;
    }
    float dt = std::max(ctx.dt, 1.f / 240.f);
    if (tracking_ && io.MouseDown[0]) {
        if (!dragging_ && std::fabs(m.y - press_.y) > ctx.px(18)) {
            dragging_ = true;
            ImGui::ClearActiveID(); // the card under the finger must not fire on release
            last_ = m;
        }
        if (dragging_) {
            float dy = m.y - last_.y;
            offset_ -= dy;
            velocity_ = 0.5f * velocity_ + 0.5f * (-dy / dt);
            last_user_ = ctx.now;
        }
        last_ = m;
    } else if (tracking_) {
        tracking_ = false;
        if (dragging_) {
            dragging_ = false;
            ctx.dragging = true; // this release ends a drag, not a tap
            if (std::fabs(velocity_) < ctx.px(60)) velocity_ = 0;
            velocity_ = std::clamp(velocity_, -ctx.px(9000), ctx.px(9000));
        } else {
            velocity_ = 0;
        }
    }
    if (dragging_) ctx.dragging = true;
    if (!tracking_ && velocity_ != 0) {
        offset_ += velocity_ * dt;
        velocity_ *= std::exp(-3.2f * dt);
        if (std::fabs(velocity_) < ctx.px(25)) velocity_ = 0;
        last_user_ = ctx.now;
    }
    if (anim_) {
        double t = (ctx.now - anim_t0_) / anim_len_;
        if (t >= 1) {
            offset_ = anim_to_;
            anim_ = false;
        } else {
            float e = 1.f - std::pow(1.f - static_cast<float>(t), 3.f);
            offset_ = anim_from_ + (anim_to_ - anim_from_) * e;
        }
    }
    if (offset_ < 0 || offset_ > max_) {
        offset_ = std::clamp(offset_, 0.f, max_);
        if (!tracking_) velocity_ = 0;
    }
    if (moving()) ctx.animate_for(0.1);
}

} // namespace jf::ui
