// Camera-like test frames made from a QR image: a cluttered, unevenly lit background, the code at
// a chosen size and rotation, then blur and sensor noise. Deterministic for a given seed, so tests
// and benchmarks see the same frames on every run.
#pragma once

#include "platform/scan/frame.hpp"
#include "platform/scan/image.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace jf::scan::synth {

struct Look {
    double module_px = 4; // size of one QR module in the frame
    double angle_deg = 0;
    double blur_sigma = 0; // Gaussian blur (3 box passes)
    double noise_sigma = 0;
    double contrast = 1;   // 1: black on white; lower: faded print or glare
    double shadow = 0;     // 0..1: how dark one side of the frame gets
    bool inverted = false; // light code on dark ground
};

inline void box_pass(std::vector<float>& p, int w, int h, int r) {
    if (r <= 0) return;
    std::vector<float> t(p.size());
    for (int y = 0; y < h; ++y) {
        float acc = 0;
        for (int x = -r; x <= r; ++x)
            acc += p[size_t(y) * w + size_t(std::clamp(x, 0, w - 1))];
        for (int x = 0; x < w; ++x) {
            t[size_t(y) * w + x] = acc / float(2 * r + 1);
            acc += p[size_t(y) * w + size_t(std::min(x + r + 1, w - 1))] -
                   p[size_t(y) * w + size_t(std::max(x - r, 0))];
        }
    }
    for (int x = 0; x < w; ++x) {
        float acc = 0;
        for (int y = -r; y <= r; ++y)
            acc += t[size_t(std::clamp(y, 0, h - 1)) * w + x];
        for (int y = 0; y < h; ++y) {
            p[size_t(y) * w + x] = acc / float(2 * r + 1);
            acc += t[size_t(std::min(y + r + 1, h - 1)) * w + x] -
                   t[size_t(std::max(y - r, 0)) * w + x];
        }
    }
}

// `qr` is a QR image with 1 pixel per module and its quiet zone (render_qr(text, 1)).
inline GrayImage frame(int W, int H, const GrayImage& qr, const Look& look, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0, 1);
    std::vector<float> p(size_t(W) * H);
    // Background: a grey gradient with a few darker and lighter boxes (table, clothes, a sign).
    float g0 = 120 + 60 * u(rng), gx = 40 * (u(rng) - 0.5f), gy = 40 * (u(rng) - 0.5f);
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
            p[size_t(y) * W + x] = g0 + gx * x / W + gy * y / H;
    for (int k = 0; k < 12; ++k) {
        int bx = int(u(rng) * W), by = int(u(rng) * H), bw = int(40 + u(rng) * W / 4),
            bh = int(40 + u(rng) * H / 4);
        float v = 30 + 200 * u(rng);
        for (int y = by; y < std::min(H, by + bh); ++y)
            for (int x = bx; x < std::min(W, bx + bw); ++x)
                p[size_t(y) * W + x] = v;
    }
    // The code, placed so its rotated square stays inside the frame.
    double side = qr.width * look.module_px, half = side / 2;
    double reach = half * (std::abs(std::cos(look.angle_deg * M_PI / 180)) +
                           std::abs(std::sin(look.angle_deg * M_PI / 180)));
    double cx = reach + u(rng) * std::max(0.0, W - 2 * reach),
           cy = reach + u(rng) * std::max(0.0, H - 2 * reach);
    double c = std::cos(-look.angle_deg * M_PI / 180), s = std::sin(-look.angle_deg * M_PI / 180);
    float lo = float(128 - 127 * look.contrast), hi = float(128 + 127 * look.contrast);
    if (look.inverted) std::swap(lo, hi);
    int x0 = std::max(0, int(cx - reach - 1)), x1 = std::min(W, int(cx + reach + 2));
    int y0 = std::max(0, int(cy - reach - 1)), y1 = std::min(H, int(cy + reach + 2));
    const int ss = 3; // supersampling per axis: module edges come out anti-aliased like a lens
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            int inside = 0, dark = 0;
            for (int sy = 0; sy < ss; ++sy)
                for (int sx = 0; sx < ss; ++sx) {
                    double dx = x + (sx + 0.5) / ss - cx, dy = y + (sy + 0.5) / ss - cy;
                    double qx = (dx * c - dy * s + half) / look.module_px,
                           qy = (dx * s + dy * c + half) / look.module_px;
                    if (qx < 0 || qy < 0 || qx >= qr.width || qy >= qr.height) continue;
                    ++inside;
                    dark += qr.at(int(qx), int(qy)) < 128;
                }
            if (!inside) continue;
            float code = (dark * lo + (inside - dark) * hi) / float(inside);
            float& px = p[size_t(y) * W + x];
            px = (px * float(ss * ss - inside) + code * float(inside)) / float(ss * ss);
        }
    // Uneven light: one side in shadow.
    if (look.shadow > 0)
        for (int y = 0; y < H; ++y)
            for (int x = 0; x < W; ++x)
                p[size_t(y) * W + x] *= float(1 - look.shadow * x / W);
    if (look.blur_sigma > 0) {
        // Three box passes approximate a Gaussian: sigma^2 = 3 * ((2r+1)^2 - 1) / 12.
        int r = std::max(
            1, int(std::lround((std::sqrt(4 * look.blur_sigma * look.blur_sigma + 1) - 1) / 2)));
        for (int i = 0; i < 3; ++i)
            box_pass(p, W, H, r);
    }
    GrayImage out(W, H);
    std::normal_distribution<float> n(0, float(look.noise_sigma));
    for (size_t i = 0; i < p.size(); ++i)
        out.pixels[i] =
            uint8_t(std::clamp(p[i] + (look.noise_sigma > 0 ? n(rng) : 0.f), 0.f, 255.f));
    return out;
}

// The same picture as a camera's YUYV frame (Y = the grey value, neutral chroma).
inline Frame yuyv(const GrayImage& g, uint64_t seq = 1) {
    Frame f;
    f.format = PixelFormat::YUYV;
    f.width = g.width;
    f.height = g.height;
    f.stride = g.width * 2;
    f.data.resize(size_t(f.stride) * g.height);
    for (size_t i = 0; i < g.pixels.size(); ++i) {
        f.data[2 * i] = g.pixels[i];
        f.data[2 * i + 1] = 128;
    }
    f.seq = seq;
    return f;
}

} // namespace jf::scan::synth
