// Reading back the PNGs that screenshot tests write, and the cheap checks made on them.
#pragma once

#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace jf::testing {

struct Png {
    int w = 0, h = 0;
    std::vector<uint8_t> rgba;
    uint32_t at(int x, int y) const {
        const uint8_t* p = &rgba[(static_cast<size_t>(y) * w + x) * 4];
        return p[0] << 16 | p[1] << 8 | p[2];
    }
};

inline bool read_png(const std::string& path, Png* out) {
    png_image img{};
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path.c_str())) return false;
    img.format = PNG_FORMAT_RGBA;
    out->w = img.width;
    out->h = img.height;
    out->rgba.resize(PNG_IMAGE_SIZE(img));
    bool ok = png_image_finish_read(&img, nullptr, out->rgba.data(), 0, nullptr);
    png_image_free(&img);
    return ok;
}

// A screen with text on it has many colours (anti-aliased glyphs); a blank or failed one has few.
inline size_t colours(const Png& p) {
    std::set<uint32_t> seen;
    for (int y = 0; y < p.h; y += 2)
        for (int x = 0; x < p.w; x += 2)
            seen.insert(p.at(x, y));
    return seen.size();
}

// WCAG's relative luminance and contrast ratio of two 0xRRGGBB colours.
inline double luminance(uint32_t c) {
    auto lin = [](int v) {
        double s = v / 255.0;
        return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin((c >> 16) & 255) + 0.7152 * lin((c >> 8) & 255) + 0.0722 * lin(c & 255);
}
inline double contrast(uint32_t a, uint32_t b) {
    double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}
// The most common colour in a rectangle (a button's fill) and the colour, seen on more than 20
// pixels, that stands out most from it (its text's ink). 6 pixels in from each edge (borders).
inline std::pair<uint32_t, uint32_t> fill_and_ink(const Png& p, float x0, float y0, float x1,
                                                  float y1) {
    std::map<uint32_t, int> seen;
    int ya = std::max(0, int(y0) + 6), yb = std::min(p.h, int(y1) - 6);
    int xa = std::max(0, int(x0) + 6), xb = std::min(p.w, int(x1) - 6);
    for (int y = ya; y < yb; ++y)
        for (int x = xa; x < xb; ++x)
            ++seen[p.at(x, y)];
    uint32_t fill = 0;
    int most = 0;
    for (auto [c, n] : seen)
        if (n > most) fill = c, most = n;
    uint32_t ink = fill;
    for (auto [c, n] : seen)
        if (n > 20 && contrast(c, fill) > contrast(ink, fill)) ink = c;
    return {fill, ink};
}

} // namespace jf::testing
