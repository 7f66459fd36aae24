// Reading back the PNGs that screenshot tests write, and the cheap checks made on them.
#pragma once

#include <png.h>

#include <cstdint>
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

} // namespace jf::testing
