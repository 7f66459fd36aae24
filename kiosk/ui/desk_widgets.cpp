// Shared widgets of the entrance and the employer desk (see desk_widgets.hpp).
#include "kiosk/ui/desk_widgets.hpp"

#include <algorithm>

namespace jf::ui {

bool text_field(Context& ctx, std::string_view id, std::string_view label, std::string_view shown,
                ImVec2 min, ImVec2 size, bool focused, bool error) {
    const Palette& p = palette(ctx);
    auto* dl = ImGui::GetWindowDrawList();
    float label_h = text_size(ctx, FontRole::Body, label).y;
    // A refused field is red (its label too, and a tinted box); the field being typed in is blue
    // (yellow in high contrast): focus and error never look alike.
    text(ctx, FontRole::Body, min, error ? p.bad : p.text_muted, label);
    ImVec2 bmin(min.x, min.y + label_h + ctx.px(4)), bmax(min.x + size.x, min.y + size.y);
    bool tapped = tap_area(ctx, id, bmin, bmax);
    dl->AddRectFilled(bmin, bmax,
                      error ? IM_COL32(255, 235, 235, 255) : IM_COL32(255, 255, 255, 255),
                      ctx.px(10));
    ImU32 focus = ctx.settings.high_contrast ? p.accent : IM_COL32(21, 101, 192, 255);
    ImU32 border = error ? p.bad : focused ? focus : p.border;
    dl->AddRect(bmin, bmax, border, ctx.px(10), 0, ctx.px(focused || error ? 4 : 2));
    if (error && focused) // both: the focus shows inside the red frame
        dl->AddRect(ImVec2(bmin.x + ctx.px(6), bmin.y + ctx.px(6)),
                    ImVec2(bmax.x - ctx.px(6), bmax.y - ctx.px(6)), focus, ctx.px(8), 0, ctx.px(3));
    float th = text_size(ctx, FontRole::Large, "Ag").y;
    ImVec2 tp(bmin.x + ctx.px(16), (bmin.y + bmax.y - th) / 2);
    text_clipped(ctx, FontRole::Large, tp, bmax.x - bmin.x - ctx.px(32), IM_COL32(20, 20, 20, 255),
                 shown);
    if (focused) { // a caret after the text
        float w = std::min(text_size(ctx, FontRole::Large, shown).x, bmax.x - bmin.x - ctx.px(34));
        dl->AddLine(ImVec2(tp.x + w + ctx.px(3), tp.y), ImVec2(tp.x + w + ctx.px(3), tp.y + th),
                    focus, ctx.px(3));
    }
    return tapped;
}

static bool chips(Context& ctx, std::string_view id, const std::vector<std::string>& labels,
                  const std::function<bool(size_t)>& is_on, const std::function<void(size_t)>& tap,
                  ImVec2 min, float width, float* used_h) {
    float x = min.x, y = min.y;
    float h = ctx.px(kMinTouch + 8), gap = ctx.px(12);
    bool changed = false;
    for (size_t i = 0; i < labels.size(); ++i) {
        float w = std::max(ctx.px(140), text_size(ctx, FontRole::Body, labels[i]).x + ctx.px(48));
        if (x > min.x && x + w > min.x + width) {
            x = min.x;
            y += h + gap;
        }
        if (button(ctx, std::string(id) + "." + std::to_string(i), labels[i], ImVec2(x, y),
                   ImVec2(w, h), is_on(i) ? ButtonKind::Selected : ButtonKind::Secondary)) {
            tap(i);
            changed = true;
        }
        x += w + gap;
    }
    if (used_h) *used_h = y + h - min.y;
    return changed;
}

bool chip_row(Context& ctx, std::string_view id, const std::vector<std::string>& labels,
              int* selected, ImVec2 min, float width, float* used_h) {
    return chips(
        ctx, id, labels, [&](size_t i) { return int(i) == *selected; },
        [&](size_t i) { *selected = int(i); }, min, width, used_h);
}

bool chip_toggles(Context& ctx, std::string_view id, const std::vector<std::string>& labels,
                  uint32_t* bits, const std::vector<uint32_t>& values, ImVec2 min, float width,
                  float* used_h) {
    return chips(
        ctx, id, labels, [&](size_t i) { return (*bits & values[i]) != 0; },
        [&](size_t i) { *bits ^= values[i]; }, min, width, used_h);
}

bool date_picker(Context& ctx, std::string_view id, Date* d, ImVec2 min, float width,
                 float* used_h) {
    const Palette& p = palette(ctx);
    if (!d->valid()) *d = ctx.today;
    bool changed = false;
    float h = ctx.px(kMinTouch + 8), gap = ctx.px(12), bw = ctx.px(kMinTouch + 16);
    std::string sid(id);
    // Steppers: a day back or forward, a month back or forward.
    float x = min.x;
    auto step_days = [&](int days) {
        *d = Date::from_days(d->days_since_epoch() + days);
        changed = true;
    };
    if (button(ctx, sid + ".month_prev", "«", ImVec2(x, min.y), ImVec2(bw, h),
               ButtonKind::Secondary, FontRole::Large))
        step_days(-30);
    x += bw + gap;
    if (button(ctx, sid + ".prev", "‹", ImVec2(x, min.y), ImVec2(bw, h), ButtonKind::Secondary,
               FontRole::Large))
        step_days(-1);
    x += bw + gap;
    float date_w = ctx.px(300);
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(x, min.y), ImVec2(x + date_w, min.y + h), IM_COL32(255, 255, 255, 255),
                      ctx.px(10));
    dl->AddRect(ImVec2(x, min.y), ImVec2(x + date_w, min.y + h), p.border, ctx.px(10), 0,
                ctx.px(2));
    text_centered(ctx, FontRole::Large, ImVec2(x, min.y), ImVec2(x + date_w, min.y + h),
                  IM_COL32(20, 20, 20, 255), d->to_iso());
    ctx.record_hit(sid + ".value", ImVec2(x, min.y), ImVec2(x + date_w, min.y + h));
    x += date_w + gap;
    if (button(ctx, sid + ".next", "›", ImVec2(x, min.y), ImVec2(bw, h), ButtonKind::Secondary,
               FontRole::Large))
        step_days(1);
    x += bw + gap;
    if (button(ctx, sid + ".month_next", "»", ImVec2(x, min.y), ImVec2(bw, h),
               ButtonKind::Secondary, FontRole::Large))
        step_days(30);
    // Quick choices on the next line.
    float y = min.y + h + gap;
    int64_t today = ctx.today.days_since_epoch();
    int weekday = int(((today % 7) + 7 + 3) % 7); // 1970-01-01 was a Thursday; 0 = Monday
    int64_t next_monday = today + (7 - weekday);
    struct Quick {
        const char* key;
        int64_t day;
    };
    const Quick quick[] = {{"desk.date.today", today},
                           {"desk.date.tomorrow", today + 1},
                           {"desk.date.next_monday", next_monday}};
    x = min.x;
    for (size_t i = 0; i < 3; ++i) {
        const std::string& label = ctx.t(quick[i].key);
        float w = std::max(ctx.px(160), text_size(ctx, FontRole::Body, label).x + ctx.px(40));
        if (x + w > min.x + width) break;
        bool on = d->days_since_epoch() == quick[i].day;
        if (button(ctx, sid + ".quick." + std::to_string(i), label, ImVec2(x, y), ImVec2(w, h),
                   on ? ButtonKind::Selected : ButtonKind::Quiet)) {
            *d = Date::from_days(quick[i].day);
            changed = true;
        }
        x += w + gap;
    }
    if (used_h) *used_h = 2 * h + gap;
    return changed;
}

std::optional<std::string> WedgeReader::poll(Context& ctx) {
    ImGuiIO& io = ImGui::GetIO();
    bool keys = !io.InputQueueCharacters.empty() ||
                ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
                ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false);
    double gap = last_now_ < 0 ? 0 : std::max(0.0, ctx.input_clock - last_now_);
    clock_ += keys && last_had_keys_ ? std::min(gap, 1.0 / 60) : gap;
    last_now_ = ctx.input_clock;
    last_had_keys_ = keys;
    auto t = static_cast<int64_t>(clock_ * 1000);
    std::optional<std::string> out;
    auto take = [&](std::optional<std::string> s) {
        if (s && !out) out = std::move(s);
    };
    // The screens with a scanner prompt have no hardware text field: every key is the scanner's
    // (or a stray press, which the parser tells from a scanner burst by its timing).
    for (ImWchar c : io.InputQueueCharacters) {
        if (c == '\r' || c == '\n')
            take(parser_.enter(t));
        else
            take(parser_.key(c, t));
    }
    io.InputQueueCharacters.resize(0);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter), false))
        take(parser_.enter(t));
    take(parser_.tick(t));
    return out;
}

void verdict_panel(Context& ctx, Tone tone, std::string_view big, std::string_view line2,
                   std::string_view line3, ImVec2 min, ImVec2 max) {
    const Palette& p = palette(ctx);
    ImU32 bg = tone == Tone::Good ? p.good : tone == Tone::Warn ? p.warn : p.bad;
    ImU32 fg = tone == Tone::Warn ? IM_COL32(20, 20, 20, 255) : IM_COL32(255, 255, 255, 255);
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, bg);
    // A symbol drawn with lines (no font needed): a tick, a clock-ish exclamation, a cross.
    float cx = (min.x + max.x) / 2, r = std::min(max.x - min.x, max.y - min.y) * 0.13f;
    float cy = min.y + (max.y - min.y) * 0.26f;
    dl->AddCircle(ImVec2(cx, cy), r, fg, 64, ctx.px(12));
    if (tone == Tone::Good) {
        dl->AddLine(ImVec2(cx - r * 0.5f, cy), ImVec2(cx - r * 0.1f, cy + r * 0.4f), fg,
                    ctx.px(16));
        dl->AddLine(ImVec2(cx - r * 0.1f, cy + r * 0.4f), ImVec2(cx + r * 0.55f, cy - r * 0.45f),
                    fg, ctx.px(16));
    } else if (tone == Tone::Warn) {
        dl->AddLine(ImVec2(cx, cy - r * 0.55f), ImVec2(cx, cy + r * 0.1f), fg, ctx.px(16));
        dl->AddCircleFilled(ImVec2(cx, cy + r * 0.45f), ctx.px(11), fg);
    } else {
        dl->AddLine(ImVec2(cx - r * 0.45f, cy - r * 0.45f), ImVec2(cx + r * 0.45f, cy + r * 0.45f),
                    fg, ctx.px(16));
        dl->AddLine(ImVec2(cx + r * 0.45f, cy - r * 0.45f), ImVec2(cx - r * 0.45f, cy + r * 0.45f),
                    fg, ctx.px(16));
    }
    float y = cy + r + ctx.px(40);
    float wrap = (max.x - min.x) * 0.86f;
    for (auto [s, role] : {std::pair{big, FontRole::Huge}, std::pair{line2, FontRole::Title},
                           std::pair{line3, FontRole::Large}}) {
        if (s.empty()) continue;
        ImVec2 sz = text_size(ctx, role, s, wrap);
        text(ctx, role, ImVec2(cx - sz.x / 2, y), fg, s, wrap);
        y += sz.y + ctx.px(24);
    }
}

FormSplit split_for_keyboard(const Context& ctx, ImVec2 min, ImVec2 max, float form_share) {
    float gap = ctx.px(24);
    if (ctx.portrait()) {
        float kb_h = std::min((max.y - min.y) * 0.42f, ctx.px(820));
        return {min, ImVec2(max.x, max.y - kb_h - gap), ImVec2(min.x, max.y - kb_h), max};
    }
    float form_w = (max.x - min.x - gap) * form_share;
    return {min, ImVec2(min.x + form_w, max.y), ImVec2(min.x + form_w + gap, min.y), max};
}

float message_line(Context& ctx, std::string_view s, ImVec2 pos, float width, bool error) {
    if (s.empty()) return 0;
    const Palette& p = palette(ctx);
    float pad = ctx.px(14);
    ImVec2 ts = text_size(ctx, FontRole::Large, s, width - 2 * pad);
    ImVec2 max(pos.x + width, pos.y + ts.y + 2 * pad);
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, max, error ? p.bad : p.good, ctx.px(12));
    if (ctx.settings.high_contrast) dl->AddRect(pos, max, p.text, ctx.px(12), 0, ctx.px(3));
    // White on the normal red and green; black on high contrast's lighter ones.
    ImU32 ink = ctx.settings.high_contrast ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
    text(ctx, FontRole::Large, ImVec2(pos.x + pad, pos.y + pad), ink, s, width - 2 * pad);
    ctx.record_hit(error ? "mark:message.error" : "mark:message.ok", pos, max);
    return max.y - pos.y;
}

} // namespace jf::ui
