// StrokePad: ButtonBehavior keeps the pad active while the finger moves, even past its edge,
// so a stroke is never cut in two; points are clamped to the pad.
#include "kiosk/ui/stroke_pad.hpp"

#include <imgui_internal.h>

#include <algorithm>

namespace jf::ui {

bool StrokePad::draw(Context& ctx, std::string_view id, ImVec2 min, ImVec2 max,
                     std::string_view hint) {
    const Palette& p = palette(ctx);
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, IM_COL32(255, 255, 255, 255), ctx.px(12));
    dl->AddRect(min, max, p.border, ctx.px(12), 0, ctx.px(3));
    // A baseline to write on, and the hint while the pad is empty.
    float base = min.y + (max.y - min.y) * 0.78f;
    dl->AddLine(ImVec2(min.x + ctx.px(30), base), ImVec2(max.x - ctx.px(30), base),
                IM_COL32(180, 180, 180, 255), ctx.px(2));
    if (strokes_.empty() && !hint.empty())
        text_centered(ctx, FontRole::Large, min, ImVec2(max.x, base), IM_COL32(150, 150, 150, 255),
                      hint);

    ImGuiID gid = ImGui::GetID(id.data(), id.data() + id.size());
    ImRect bb(min, max);
    ctx.record_hit(id, min, max);
    bool finished = false;
    if (ImGui::ItemAdd(bb, gid)) {
        bool hovered = false, held = false;
        ImGui::ButtonBehavior(bb, gid, &hovered, &held, ImGuiButtonFlags_PressedOnClick);
        float w = std::max(1.f, max.x - min.x), h = std::max(1.f, max.y - min.y);
        if (held) {
            ImVec2 m = ImGui::GetIO().MousePos;
            auto ux = int16_t(std::clamp((m.x - min.x) / w, 0.f, 1.f) * kUnits);
            auto uy = int16_t(std::clamp((m.y - min.y) / h, 0.f, 1.f) * kUnits);
            if (!live_) {
                strokes_.emplace_back();
                live_ = true;
            }
            auto& s = strokes_.back();
            if (s.empty() || s.back() != std::make_pair(ux, uy)) s.emplace_back(ux, uy);
            ctx.animate_for(0.2); // follow the finger smoothly
        } else if (live_) {
            live_ = false;
            finished = true;
        }
    }
    draw_ink(ctx, strokes_, min, max, IM_COL32(20, 30, 60, 255), ctx.px(5));
    return finished;
}

void StrokePad::draw_ink(Context& ctx, const std::vector<Stroke>& strokes, ImVec2 min, ImVec2 max,
                         ImU32 color, float width) {
    (void)ctx;
    auto* dl = ImGui::GetWindowDrawList();
    float w = max.x - min.x, h = max.y - min.y;
    for (const auto& s : strokes) {
        if (s.size() == 1) {
            dl->AddCircleFilled(
                ImVec2(min.x + s[0].first * w / kUnits, min.y + s[0].second * h / kUnits),
                width * 0.6f, color);
            continue;
        }
        for (size_t i = 1; i < s.size(); ++i)
            dl->AddLine(
                ImVec2(min.x + s[i - 1].first * w / kUnits, min.y + s[i - 1].second * h / kUnits),
                ImVec2(min.x + s[i].first * w / kUnits, min.y + s[i].second * h / kUnits), color,
                width);
    }
}

} // namespace jf::ui
