// The recovery ladder around ZXing::ReadBarcodes (see decoder.hpp for the steps and why).
#include "platform/scan/decoder.hpp"

#include <ReadBarcode.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <ctime>

namespace jf::scan {
namespace {

using Clock = std::chrono::steady_clock;

// Frames at least this tall (1080p, most 720p-rotated phones excluded) try a half-size copy first.
constexpr int kHalfFirstMinSide = 900;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// CPU time of the calling thread: the budget counts the decoder's own work, so a machine busy
// with other programs does not make it give up on recovery it would finish on a quiet kiosk.
double thread_cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

ZXing::DecodeHints hints(ZXing::Binarizer b) {
    return ZXing::DecodeHints()
        .setFormats(ZXing::BarcodeFormat::QRCode)
        .setBinarizer(b)
        .setMaxNumberOfSymbols(1); // one code per frame: stop at the first
}

bool read(const ZXing::ImageView& view, ZXing::Binarizer b, DecodeOutcome& out, const char* step) {
    ++out.attempts;
    auto results = ZXing::ReadBarcodes(view, hints(b));
    for (auto& r : results) {
        if (!r.isValid()) continue;
        out.found = true;
        out.text = r.text();
        out.step = step;
        return true;
    }
    return false;
}

// Contiguous copy of a strided plane, with a per-pixel transform.
template <class F> GrayImage copy_plane(const uint8_t* d, int w, int h, int rs, int ps, F f) {
    GrayImage g(w, h);
    for (int y = 0; y < h; ++y) {
        const uint8_t* row = d + static_cast<ptrdiff_t>(y) * rs;
        uint8_t* o = g.pixels.data() + size_t(y) * size_t(w);
        for (int x = 0; x < w; ++x)
            o[x] = f(row[static_cast<ptrdiff_t>(x) * ps]);
    }
    return g;
}

// Separable box filter of radius r (sliding sums, edges clamped).
GrayImage box_blur(const GrayImage& s, int r) {
    const int w = s.width, h = s.height, n = 2 * r + 1;
    std::vector<int> t(size_t(w) * size_t(h));
    for (int y = 0; y < h; ++y) {
        const uint8_t* row = s.pixels.data() + size_t(y) * size_t(w);
        int acc = 0;
        for (int x = -r; x <= r; ++x)
            acc += row[std::clamp(x, 0, w - 1)];
        for (int x = 0; x < w; ++x) {
            t[size_t(y) * size_t(w) + size_t(x)] = acc;
            acc += row[std::min(x + r + 1, w - 1)] - row[std::max(x - r, 0)];
        }
    }
    GrayImage o(w, h);
    for (int x = 0; x < w; ++x) {
        int acc = 0;
        for (int y = -r; y <= r; ++y)
            acc += t[size_t(std::clamp(y, 0, h - 1)) * size_t(w) + size_t(x)];
        for (int y = 0; y < h; ++y) {
            o.at(x, y) = static_cast<uint8_t>((acc + n * n / 2) / (n * n));
            acc += t[size_t(std::min(y + r + 1, h - 1)) * size_t(w) + size_t(x)] -
                   t[size_t(std::max(y - r, 0)) * size_t(w) + size_t(x)];
        }
    }
    return o;
}

// Unsharp mask: img + 1.5 * (img - blur(img)). Restores module edges that defocus or motion
// smeared, and lifts faded print above the binarizer's minimum contrast.
GrayImage sharpened(const GrayImage& s) {
    GrayImage b = box_blur(s, 2), o(s.width, s.height);
    for (size_t i = 0; i < s.pixels.size(); ++i)
        o.pixels[i] = static_cast<uint8_t>(
            std::clamp(s.pixels[i] + (3 * (s.pixels[i] - b.pixels[i])) / 2, 0, 255));
    return o;
}

// 2x2 average straight from a strided plane (the YUYV Y bytes), no full-size copy.
GrayImage half_plane(const uint8_t* d, int w, int h, int rs, int ps) {
    GrayImage o(w / 2, h / 2);
    for (int y = 0; y < o.height; ++y) {
        const uint8_t* r0 = d + static_cast<ptrdiff_t>(2 * y) * rs;
        const uint8_t* r1 = r0 + rs;
        uint8_t* out = o.pixels.data() + size_t(y) * size_t(o.width);
        for (int x = 0; x < o.width; ++x) {
            ptrdiff_t a = static_cast<ptrdiff_t>(2 * x) * ps, b = a + ps;
            out[x] = static_cast<uint8_t>((r0[a] + r0[b] + r1[a] + r1[b] + 2) / 4);
        }
    }
    return o;
}

GrayImage half(const GrayImage& s) {
    GrayImage o(s.width / 2, s.height / 2);
    for (int y = 0; y < o.height; ++y)
        for (int x = 0; x < o.width; ++x)
            o.at(x, y) =
                static_cast<uint8_t>((s.at(2 * x, 2 * y) + s.at(2 * x + 1, 2 * y) +
                                      s.at(2 * x, 2 * y + 1) + s.at(2 * x + 1, 2 * y + 1) + 2) /
                                     4);
    return o;
}

GrayImage twice(const GrayImage& s) {
    GrayImage o(s.width * 2, s.height * 2);
    for (int y = 0; y < o.height; ++y) {
        int y0 = std::max(0, (y - 1) / 2), y1 = std::min(s.height - 1, y0 + 1);
        int wy = (y & 1) ? 1 : 3; // bilinear weights for the half-pixel grid: 3/4 and 1/4
        if (y == 0) y1 = y0;
        for (int x = 0; x < o.width; ++x) {
            int x0 = std::max(0, (x - 1) / 2), x1 = std::min(s.width - 1, x0 + 1);
            int wx = (x & 1) ? 1 : 3;
            if (x == 0) x1 = x0;
            int top = s.at(x0, y0) * (4 - wx) + s.at(x1, y0) * wx;
            int bot = s.at(x0, y1) * (4 - wx) + s.at(x1, y1) * wx;
            o.at(x, y) = static_cast<uint8_t>((top * (4 - wy) + bot * wy + 8) / 16);
        }
    }
    return o;
}

// Stretches the 2nd..98th percentile to full range, so a fixed threshold splits faded print.
GrayImage stretched(const GrayImage& s) {
    size_t hist[256] = {};
    for (uint8_t v : s.pixels)
        ++hist[v];
    size_t n = s.pixels.size(), acc = 0;
    int lo = 0, hi = 255;
    for (int i = 0; i < 256; ++i)
        if ((acc += hist[i]) >= n / 50) {
            lo = i;
            break;
        }
    acc = 0;
    for (int i = 255; i >= 0; --i)
        if ((acc += hist[i]) >= n / 50) {
            hi = i;
            break;
        }
    GrayImage o(s.width, s.height);
    int span = std::max(1, hi - lo);
    for (size_t i = 0; i < n; ++i)
        o.pixels[i] = static_cast<uint8_t>(std::clamp((s.pixels[i] - lo) * 255 / span, 0, 255));
    return o;
}

ZXing::ImageView view_of(const GrayImage& g) {
    return ZXing::ImageView(g.pixels.data(), g.width, g.height, ZXing::ImageFormat::Lum);
}

} // namespace

DecodeOutcome QrDecoder::decode_luma(const uint8_t* data, int w, int h, int rs, int ps) const {
    DecodeOutcome out;
    auto t0 = Clock::now();
    double c0 = thread_cpu_ms();
    auto done = [&]() -> DecodeOutcome {
        out.ms = ms_since(t0);
        out.cpu_ms = thread_cpu_ms() - c0;
        return out;
    };
    if (!data || w <= 0 || h <= 0) return done();
    ZXing::ImageView view(data, w, h, ZXing::ImageFormat::Lum, rs, ps);
    // Large frames: a half-size copy first. A code at camera distance still has >= 1.5 pixels per
    // module there, and it costs a quarter of the full frame; if it fails, the full frame follows.
    bool large = opt_.recovery && std::min(w, h) >= kHalfFirstMinSide;
    GrayImage halved;
    if (large) {
        halved = half_plane(data, w, h, rs, ps);
        if (read(view_of(halved), ZXing::Binarizer::LocalAverage, out, "half")) return done();
    }
    // Exactly what a bare ReadBarcodes call does, whatever the budget: never read less than it.
    double before_direct = thread_cpu_ms();
    if (read(view, ZXing::Binarizer::LocalAverage, out, "direct") || !opt_.recovery) return done();

    // The ladder works on the half-size copy for large frames (4x cheaper), the frame itself
    // otherwise. Each step costs about what the first attempt did per pixel: start one only when
    // it can finish inside the budget. Ordered by what they recover per millisecond.
    double per_pixel = (thread_cpu_ms() - before_direct) / (double(w) * h);
    GrayImage work =
        large ? std::move(halved) : copy_plane(data, w, h, rs, ps, [](uint8_t v) { return v; });
    double step = per_pixel * double(work.width) * work.height;
    auto fits = [&](double cost) { return thread_cpu_ms() - c0 + cost <= opt_.budget_ms; };

    struct Step {
        double cost; // in units of one attempt on `work`
        std::function<bool()> run;
    };
    const bool small_image = std::min(w, h) < 800;
    const Step steps[] = {
        {1.2,
         [&] {
             return read(view_of(sharpened(work)), ZXing::Binarizer::LocalAverage, out,
                         "sharpened");
         }},
        {1.3,
         [&] {
             return read(view_of(sharpened(box_blur(work, 1))), ZXing::Binarizer::LocalAverage, out,
                         "denoised");
         }},
        {0.7,
         [&] { return read(view_of(work), ZXing::Binarizer::GlobalHistogram, out, "histogram"); }},
        {1.1,
         [&] {
             GrayImage inv = work;
             for (auto& v : inv.pixels)
                 v = static_cast<uint8_t>(255 - v);
             return read(view_of(inv), ZXing::Binarizer::LocalAverage, out, "inverted");
         }},
        // The other scale: small images 2x up; large frames at full size, sharpened.
        {large         ? 5.0
         : small_image ? 4.5
                       : 0.4,
         [&] {
             if (large) {
                 GrayImage full = copy_plane(data, w, h, rs, ps, [](uint8_t v) { return v; });
                 return read(view_of(sharpened(full)), ZXing::Binarizer::LocalAverage, out,
                             "scaled");
             }
             return read(view_of(small_image ? twice(work) : half(work)),
                         ZXing::Binarizer::LocalAverage, out, "scaled");
         }},
        {1.1,
         [&] {
             return read(view_of(stretched(work)), ZXing::Binarizer::FixedThreshold, out,
                         "stretched");
         }},
    };
    constexpr size_t n = sizeof steps / sizeof steps[0];
    // Sharpening recovers the most (defocus and motion are what cameras at a fair suffer), so it
    // always goes first. A code held in front of the camera fails the same way frame after
    // frame: each new frame starts the remaining steps one further on, so within a few frames
    // every step has had its turn even when the budget allows only one or two per frame.
    if (fits(step * steps[0].cost) && steps[0].run()) return done();
    size_t first = opt_.rotate_ladder ? rotation_++ % (n - 1) : 0;
    for (size_t k = 0; k < n - 1; ++k) {
        const Step& st = steps[1 + (first + k) % (n - 1)];
        if (fits(step * st.cost) && st.run()) return done();
    }
    return done();
}

DecodeOutcome QrDecoder::decode(const Frame& f) const {
    if (f.empty()) return {};
    if (f.has_luma_plane())
        return decode_luma(f.luma(), f.width, f.height, f.stride, f.pixel_stride());
    auto t0 = Clock::now();
    double c0 = thread_cpu_ms();
    GrayImage g(f.width, f.height);
    for (int y = 0; y < f.height; ++y)
        for (int x = 0; x < f.width; ++x) {
            const uint8_t* p = f.data.data() + size_t(y) * size_t(f.stride) + size_t(x) * 3;
            g.at(x, y) = ZXing::RGBToLum(p[0], p[1], p[2]);
        }
    DecodeOutcome out = decode(g);
    out.ms = ms_since(t0);
    out.cpu_ms = thread_cpu_ms() - c0;
    return out;
}

DecodeOutcome QrDecoder::decode(const GrayImage& img) const {
    return decode_luma(img.pixels.data(), img.width, img.height, img.width, 1);
}

} // namespace jf::scan
