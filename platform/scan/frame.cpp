// Frame helpers: pixel strides and the BT.601 conversion for preview textures.
#include "platform/scan/frame.hpp"

#include <algorithm>

namespace jf::scan {

int Frame::pixel_stride() const {
    switch (format) {
    case PixelFormat::Gray8:
        return 1;
    case PixelFormat::YUYV:
        return 2;
    case PixelFormat::YCbCr24:
    case PixelFormat::RGB24:
        return 3;
    }
    return 1;
}

static inline uint8_t clamp8(int v) {
    return static_cast<uint8_t>(std::clamp(v, 0, 255));
}

static inline void ycc_to_rgba(int y, int cb, int cr, uint8_t* o) {
    // BT.601 full range (JFIF), fixed point in 1/256.
    cb -= 128;
    cr -= 128;
    o[0] = clamp8(y + ((359 * cr) >> 8));
    o[1] = clamp8(y - ((88 * cb + 183 * cr) >> 8));
    o[2] = clamp8(y + ((454 * cb) >> 8));
    o[3] = 255;
}

std::vector<uint8_t> to_rgba(const Frame& f) {
    if (f.empty()) return {};
    std::vector<uint8_t> out(size_t(f.width) * size_t(f.height) * 4);
    for (int y = 0; y < f.height; ++y) {
        const uint8_t* row = f.data.data() + size_t(y) * size_t(f.stride);
        uint8_t* o = out.data() + size_t(y) * size_t(f.width) * 4;
        for (int x = 0; x < f.width; ++x, o += 4) {
            switch (f.format) {
            case PixelFormat::Gray8:
                o[0] = o[1] = o[2] = row[x], o[3] = 255;
                break;
            case PixelFormat::YUYV: {
                const uint8_t* p = row + (x & ~1) * 2;
                ycc_to_rgba(row[x * 2], p[1], p[3], o);
                break;
            }
            case PixelFormat::YCbCr24:
                ycc_to_rgba(row[x * 3], row[x * 3 + 1], row[x * 3 + 2], o);
                break;
            case PixelFormat::RGB24:
                o[0] = row[x * 3], o[1] = row[x * 3 + 1], o[2] = row[x * 3 + 2], o[3] = 255;
                break;
            }
        }
    }
    return out;
}

Thumb thumbnail(const Frame& f) {
    Thumb t;
    if (f.empty()) return t;
    constexpr int W = 64, H = 36;
    t.v.resize(W * H);
    int ps = f.pixel_stride();
    for (int y = 0; y < H; ++y) {
        const uint8_t* row = f.data.data() + static_cast<size_t>((y * 2 + 1) * f.height / (2 * H)) *
                                                 static_cast<size_t>(f.stride);
        for (int x = 0; x < W; ++x)
            t.v[static_cast<size_t>(y * W + x)] =
                row[static_cast<size_t>((x * 2 + 1) * f.width / (2 * W) * ps)];
    }
    return t;
}

double thumb_difference(const Thumb& a, const Thumb& b) {
    if (a.v.size() != b.v.size() || a.v.empty()) return 255;
    long sum = 0;
    for (size_t i = 0; i < a.v.size(); ++i)
        sum += std::abs(int(a.v[i]) - int(b.v[i]));
    return double(sum) / double(a.v.size());
}

} // namespace jf::scan
