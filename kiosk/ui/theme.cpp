// Colours: the union's red on warm paper, the same darkened for older eyes (every text at least
// 7:1 on its ground), and a high-contrast black/white/yellow set; the older-eyes mode's timing
// and speech.
#include "kiosk/ui/app.hpp"
#include "kiosk/ui/ui.hpp"

namespace jf::ui {

const Palette& palette(const Context& ctx) {
    static const Palette normal{
        IM_COL32(244, 241, 234, 255), // bg: warm paper
        IM_COL32(255, 255, 255, 255), // surface: cards
        IM_COL32(236, 230, 218, 255), // surface_alt
        IM_COL32(27, 27, 27, 255),    // text
        IM_COL32(88, 84, 78, 255),    // text_muted
        IM_COL32(183, 28, 28, 255),   // accent: buttons
        IM_COL32(255, 255, 255, 255), // accent_text
        IM_COL32(170, 22, 30, 255),   // brand: header
        IM_COL32(255, 255, 255, 255), // brand_text
        IM_COL32(27, 127, 59, 255),   // good
        IM_COL32(199, 119, 0, 255),   // warn
        IM_COL32(198, 40, 40, 255),   // bad
        IM_COL32(214, 206, 190, 255), // border
        IM_COL32(196, 30, 30, 255),   // highlight: salary
        IM_COL32(232, 226, 212, 255), // chip
    };
    static const Palette contrast{
        IM_COL32(0, 0, 0, 255),       IM_COL32(16, 16, 16, 255),    IM_COL32(40, 40, 40, 255),
        IM_COL32(255, 255, 255, 255), IM_COL32(235, 235, 235, 255), IM_COL32(255, 214, 0, 255),
        IM_COL32(0, 0, 0, 255),       IM_COL32(0, 0, 0, 255),       IM_COL32(255, 214, 0, 255),
        IM_COL32(0, 230, 118, 255),   IM_COL32(255, 214, 0, 255),   IM_COL32(255, 82, 82, 255),
        IM_COL32(255, 255, 255, 255), IM_COL32(255, 214, 0, 255),   IM_COL32(48, 48, 48, 255),
    };
    // Older eyes: the normal look, darkened until white on the red and green grounds, and dark
    // text on paper, the amber and the chips, are all 7:1 or more (WCAG's AAA level, as the
    // 适老化 rules ask).
    static const Palette elder{
        IM_COL32(250, 248, 243, 255), // bg
        IM_COL32(255, 255, 255, 255), // surface
        IM_COL32(238, 234, 226, 255), // surface_alt
        IM_COL32(0, 0, 0, 255),       // text
        IM_COL32(52, 50, 46, 255),    // text_muted
        IM_COL32(150, 16, 16, 255),   // accent: white on it 8.6:1
        IM_COL32(255, 255, 255, 255), // accent_text
        IM_COL32(140, 14, 20, 255),   // brand
        IM_COL32(255, 255, 255, 255), // brand_text
        IM_COL32(16, 92, 40, 255),    // good: white on it 7.9:1
        IM_COL32(255, 196, 40, 255),  // warn: near-black on it 12:1
        IM_COL32(160, 20, 20, 255),   // bad: white on it 7.9:1
        IM_COL32(120, 112, 100, 255), // border
        IM_COL32(150, 16, 16, 255),   // highlight
        IM_COL32(238, 234, 226, 255), // chip
    };
    if (ctx.settings.high_contrast) return contrast;
    return ctx.settings.elder ? elder : normal;
}

double unhurried(const Context& ctx, double seconds) {
    return ctx.settings.elder ? seconds * 2 : seconds;
}

double idle_seconds(const Settings& s) {
    return s.elder ? kIdleSeconds * 3 : kIdleSeconds;
}

double idle_warn_seconds(const Settings& s) {
    return s.elder ? kIdleWarnSeconds * 3 : kIdleWarnSeconds;
}

void speak(Context& ctx, std::string_view text) {
    if (ctx.settings.elder && ctx.settings.volume > 0 && ctx.say && !text.empty())
        ctx.say(text, ctx.settings.lang);
}

const char* mode_code(Mode m) {
    switch (m) {
    case Mode::Entrance:
        return "entrance";
    case Mode::Employer:
        return "employer";
    case Mode::Station:
        return "station";
    }
    return "station";
}

bool parse_mode(std::string_view text, Mode* out) {
    for (Mode m : {Mode::Entrance, Mode::Employer, Mode::Station})
        if (text == mode_code(m)) {
            *out = m;
            return true;
        }
    return false;
}

} // namespace jf::ui
