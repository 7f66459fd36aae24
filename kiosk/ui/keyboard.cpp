// The on-screen keyboard. Layout: a row of layout tabs and the candidate bar on top, the keys
// below, and the edit keys (backspace, clear, done) on the right, where a right hand finds them.
#include "kiosk/ui/keyboard.hpp"

#include <algorithm>
#include <bit>

namespace jf::ui {

size_t utf8_length(std::string_view s) {
    return static_cast<size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

input::HandwritingRecognizer& Keyboard::recognizer() {
    static input::HandwritingRecognizer r;
    static bool tried = false;
    if (!tried) {
        tried = true;
        r.open();
    }
    return r;
}

void Keyboard::configure(unsigned layouts, bool digit_x, size_t max_chars) {
    if (layouts == layouts_ && digit_x == digit_x_ && max_chars == max_chars_) return;
    layouts_ = layouts ? layouts : kNameLayouts;
    digit_x_ = digit_x;
    max_chars_ = max_chars;
    reset();
    for (KeyLayout l : {KeyLayout::Pinyin, KeyLayout::Digits, KeyLayout::Latin, KeyLayout::Hand})
        if (layouts_ & unsigned(l)) {
            layout_ = l;
            break;
        }
}

void Keyboard::set_layout(KeyLayout l) {
    if (!(layouts_ & unsigned(l))) return;
    composer_.clear();
    candidates_.clear();
    promoted_ = 0;
    pad_.clear();
    page_ = 0;
    layout_ = l;
}

void Keyboard::reset() {
    composer_.clear();
    candidates_.clear();
    promoted_ = 0;
    pad_.clear();
    page_ = 0;
}

void Keyboard::prefer(const std::vector<std::string>& words) {
    preferred_.clear();
    for (const auto& w : words) {
        Preferred p{w, {}};
        bool known = !w.empty();
        for (size_t i = 0; i < w.size() && known;) {
            size_t n = 1;
            while (i + n < w.size() && (static_cast<unsigned char>(w[i + n]) & 0xC0) == 0x80)
                ++n;
            p.readings.push_back(input::hanzi_readings(std::string_view(w).substr(i, n)));
            known = !p.readings.back().empty();
            i += n;
        }
        if (known) preferred_.push_back(std::move(p));
    }
}

namespace {
// Does some reading of each character, in turn, spell exactly `spelling`?
bool spells(const std::vector<std::vector<std::string>>& readings, size_t at,
            std::string_view spelling) {
    if (at == readings.size()) return spelling.empty();
    for (const auto& r : readings[at])
        if (spelling.substr(0, r.size()) == r &&
            spells(readings, at + 1, spelling.substr(r.size())))
            return true;
    return false;
}
} // namespace

void Keyboard::refresh_pinyin() {
    candidates_ = composer_.candidates(60);
    promoted_ = 0;
    // Only while nothing of the spelling is chosen yet: a preferred word covers all of it.
    if (composer_.empty() || composer_.preedit() != composer_.spelling()) return;
    std::string spelling;
    for (char c : composer_.spelling())
        if (c != '\'') spelling += c;
    std::vector<std::string> front;
    for (const auto& p : preferred_)
        if (front.size() < 4 && spells(p.readings, 0, spelling) &&
            std::find(front.begin(), front.end(), p.word) == front.end())
            front.push_back(p.word);
    promoted_ = front.size();
    candidates_.insert(candidates_.begin(), front.begin(), front.end());
}

void Keyboard::append(std::string* text, const std::string& s) {
    if (utf8_length(*text) + utf8_length(s) > max_chars_) return;
    *text += s;
}

void Keyboard::type(std::string* text, char c) {
    if (layout_ == KeyLayout::Pinyin && c >= 'a' && c <= 'z') {
        if (composer_.type(c)) {
            refresh_pinyin();
            page_ = 0;
        }
        return;
    }
    append(text, std::string(1, c));
}

void Keyboard::backspace(std::string* text) {
    if (layout_ == KeyLayout::Pinyin && !composer_.empty()) {
        composer_.backspace();
        refresh_pinyin();
        page_ = 0;
        return;
    }
    if (layout_ == KeyLayout::Hand && !pad_.empty()) {
        pad_.clear();
        candidates_.clear();
        return;
    }
    if (text->empty()) return;
    size_t i = text->size() - 1;
    while (i > 0 && (static_cast<unsigned char>((*text)[i]) & 0xC0) == 0x80)
        --i;
    text->erase(i);
}

bool Keyboard::key_row(Context& ctx, std::string* text, const char* keys, ImVec2 at, float key_w,
                       float key_h, float gap) {
    bool any = false;
    for (const char* k = keys; *k; ++k) {
        char c = *k;
        std::string label(1, layout_ == KeyLayout::Digits || c < 'a' ? c : char(c));
        if (layout_ == KeyLayout::Latin && c >= 'a' && c <= 'z')
            label = std::string(1, char(c - 32));
        if (button(ctx, std::string("kb.key.") + c, label, at, ImVec2(key_w, key_h),
                   ButtonKind::Secondary, FontRole::Large, true)) {
            type(text, c);
            any = true;
        }
        at.x += key_w + gap;
    }
    return any;
}

void Keyboard::draw_candidates(Context& ctx, std::string* field, ImVec2 min, ImVec2 max) {
    const Palette& p = palette(ctx);
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, p.surface_alt, ctx.px(10));
    float x = min.x + ctx.px(10);
    float h = max.y - min.y - ctx.px(12);
    if (layout_ == KeyLayout::Pinyin && !composer_.empty()) {
        ImVec2 sz = text(ctx, FontRole::Large, ImVec2(x, min.y + ctx.px(10)), p.accent,
                         composer_.preedit());
        x += sz.x + ctx.px(20);
    }
    // Paging arrows take the bar's right end when candidates overflow.
    float arrows_w = ctx.px(kMinTouch) * 2 + ctx.px(16);
    float right = max.x - arrows_w;
    size_t shown = 0;
    std::vector<float> widths;
    for (size_t i = page_; i < candidates_.size(); ++i) {
        float w = std::max(ctx.px(kMinTouch),
                           text_size(ctx, FontRole::Large, candidates_[i]).x + ctx.px(36));
        if (x + w > right) break;
        if (button(ctx, "kb.cand." + std::to_string(i - page_), candidates_[i],
                   ImVec2(x, min.y + ctx.px(6)), ImVec2(w, h),
                   i == page_ ? ButtonKind::Primary : ButtonKind::Quiet, FontRole::Large, true)) {
            if (layout_ == KeyLayout::Pinyin && i < promoted_) { // a whole preferred word
                append(field, candidates_[i]);
                composer_.clear();
                candidates_.clear();
                promoted_ = 0;
            } else if (layout_ == KeyLayout::Pinyin) {
                if (auto done = composer_.choose(i - promoted_)) append(field, *done);
                refresh_pinyin();
            } else {
                append(field, candidates_[i]);
                pad_.clear();
                candidates_.clear();
            }
            page_ = 0;
            return;
        }
        x += w + ctx.px(8);
        ++shown;
    }
    ImVec2 a(max.x - arrows_w + ctx.px(8), min.y + ctx.px(6));
    if (page_ > 0 && button(ctx, "kb.prev", "<", a, ImVec2(ctx.px(kMinTouch), h),
                            ButtonKind::Secondary, FontRole::Large, true))
        page_ = page_ > shown ? page_ - std::max<size_t>(shown, 1) : 0;
    a.x += ctx.px(kMinTouch) + ctx.px(8);
    if (page_ + shown < candidates_.size() &&
        button(ctx, "kb.next", ">", a, ImVec2(ctx.px(kMinTouch), h), ButtonKind::Secondary,
               FontRole::Large, true))
        page_ += std::max<size_t>(shown, 1);
}

bool Keyboard::draw(Context& ctx, std::string* text, ImVec2 min, ImVec2 max) {
    const Palette& p = palette(ctx);
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, p.surface, ctx.px(16));
    float gap = ctx.px(10);
    float pad = ctx.px(14);
    float width = max.x - min.x - 2 * pad;
    float height = max.y - min.y - 2 * pad;
    ImVec2 o(min.x + pad, min.y + pad);

    // Tabs for the allowed layouts, then the candidate bar.
    float tab_h = std::clamp(height * 0.16f, ctx.px(kMinTouch), ctx.px(100));
    struct Tab {
        KeyLayout l;
        const char* id;
        const char* key;
    };
    const Tab tabs[] = {{KeyLayout::Pinyin, "kb.mode.pinyin", "kb.pinyin"},
                        {KeyLayout::Hand, "kb.mode.hand", "kb.hand"},
                        {KeyLayout::Latin, "kb.mode.latin", "kb.latin"},
                        {KeyLayout::Digits, "kb.mode.digits", "kb.digits"}};
    float tx = o.x;
    int ntabs = 0;
    for (const Tab& t : tabs) {
        if (!(layouts_ & unsigned(t.l))) continue;
        ++ntabs;
        if (std::popcount(layouts_) < 2) break; // one layout: no tabs
        float w =
            std::max(ctx.px(120), text_size(ctx, FontRole::Body, ctx.t(t.key)).x + ctx.px(40));
        if (button(ctx, t.id, ctx.t(t.key), ImVec2(tx, o.y), ImVec2(w, tab_h),
                   layout_ == t.l ? ButtonKind::Selected : ButtonKind::Quiet, FontRole::Body, true))
            set_layout(t.l);
        tx += w + gap;
    }
    if (std::popcount(layouts_) < 2) tx = o.x;
    bool bar = layout_ == KeyLayout::Pinyin || layout_ == KeyLayout::Hand;
    float top = (std::popcount(layouts_) >= 2 || bar) ? o.y + tab_h + gap : o.y;
    if (bar) {
        // A narrow keyboard (portrait) gives the candidates their own row under the tabs.
        if (o.x + width - tx < width * 0.6f) {
            tx = o.x;
            draw_candidates(ctx, text, ImVec2(tx, top), ImVec2(o.x + width, top + tab_h));
            top += tab_h + gap;
        } else {
            draw_candidates(ctx, text, ImVec2(tx, o.y), ImVec2(o.x + width, o.y + tab_h));
        }
    }

    // Edit keys on the right: backspace, clear, done.
    float side_w = std::max(ctx.px(150), width * 0.14f);
    float keys_w = width - side_w - gap;
    float area_h = o.y + height - top;
    float side_h = (area_h - 2 * gap) / 3;
    ImVec2 s(o.x + keys_w + gap, top);
    if (button(ctx, "kb.back", ctx.t("kb.backspace"), s, ImVec2(side_w, side_h),
               ButtonKind::Secondary, FontRole::Large, true))
        backspace(text);
    s.y += side_h + gap;
    if (button(ctx, "kb.clear", ctx.t("kb.clear"), s, ImVec2(side_w, side_h), ButtonKind::Quiet,
               FontRole::Body, true)) {
        text->clear();
        reset();
    }
    s.y += side_h + gap;
    bool done = button(ctx, "kb.done", ctx.t("kb.done"), s, ImVec2(side_w, side_h),
                       ButtonKind::Primary, FontRole::Large, true);
    if (done && layout_ == KeyLayout::Pinyin && !composer_.empty()) {
        // Done while composing takes the first candidate, as a phone keyboard does.
        if (!candidates_.empty())
            if (auto t = composer_.choose(0)) append(text, *t);
        composer_.clear();
        candidates_.clear();
    }

    // The keys.
    if (layout_ == KeyLayout::Digits) {
        const char* rows[] = {"123", "456", "789", digit_x_ ? "X0" : "0"};
        float kh = std::min((area_h - 3 * gap) / 4, ctx.px(150));
        float kw = std::min((keys_w - 2 * gap) / 3, kh * 2.2f);
        float x0 = o.x + (keys_w - (3 * kw + 2 * gap)) / 2;
        for (int r = 0; r < 4; ++r) {
            float x = x0;
            if (!digit_x_ && r == 3) x += kw + gap;
            key_row(ctx, text, rows[r], ImVec2(x, top + r * (kh + gap)), kw, kh, gap);
        }
    } else if (layout_ == KeyLayout::Hand) {
        float side = std::min(keys_w * 0.7f, area_h);
        ImVec2 pmin(o.x, top), pmax(o.x + side, top + side);
        if (pad_.draw(ctx, "kb.pad", pmin, pmax, ctx.t("kb.hand.hint"))) {
            input::Ink ink;
            ink.width = ink.height = StrokePad::kUnits;
            for (const auto& st : pad_.strokes()) {
                ink.strokes.emplace_back();
                for (auto [x, y] : st)
                    ink.strokes.back().emplace_back(x, y);
            }
            candidates_.clear();
            for (auto& g : recognizer().recognize(ink, 20))
                candidates_.push_back(g.text);
            page_ = 0;
        }
        if (!recognizer().ready())
            text_clipped(ctx, FontRole::Body, ImVec2(o.x + side + gap, top), keys_w - side - gap,
                         p.bad, ctx.t("kb.hand.unavailable"));
        if (button(ctx, "kb.rewrite", ctx.t("kb.hand.rewrite"),
                   ImVec2(o.x + side + gap, top + side - ctx.px(kMinTouch) * 1.5f),
                   ImVec2(keys_w - side - gap, ctx.px(kMinTouch) * 1.5f), ButtonKind::Secondary,
                   FontRole::Large, true)) {
            pad_.clear();
            candidates_.clear();
        }
    } else {
        const char* rows[] = {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"};
        bool with_digits = layout_ == KeyLayout::Latin;
        int nrows = with_digits ? 4 : 3;
        float kh = std::min((area_h - (nrows - 1) * gap) / nrows, ctx.px(150));
        float kw = (keys_w - 9 * gap) / 10;
        for (int r = 0; r < nrows; ++r) {
            const char* row = rows[with_digits ? r : r + 1];
            size_t n = std::char_traits<char>::length(row);
            float x = o.x + (keys_w - (n * kw + (n - 1) * gap)) / 2;
            key_row(ctx, text, row, ImVec2(x, top + r * (kh + gap)), kw, kh, gap);
        }
    }
    (void)ntabs;
    (void)dl;
    return done;
}

} // namespace jf::ui
