// Image loading (stb_image), PNG writing (platform/png) and QR rendering (ZXing-C++ MultiFormatWriter).
#include "platform/scan/image.hpp"
#include "platform/png/png.hpp"

#include <BitMatrix.h>
#include <MultiFormatWriter.h>
#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>

namespace jf::scan {

std::optional<GrayImage> decode_gray(const uint8_t* data, size_t size, std::string* error) {
    if (size == 0 || size > 0x7fffffff) {
        if (error) *error = size ? "file too large" : "empty file";
        return std::nullopt;
    }
    int w = 0, h = 0, n = 0;
    std::unique_ptr<uint8_t, void (*)(void*)> px(
        stbi_load_from_memory(data, static_cast<int>(size), &w, &h, &n, 1), stbi_image_free);
    if (!px) {
        if (error) *error = std::string("not a readable image (") + stbi_failure_reason() + ")";
        return std::nullopt;
    }
    GrayImage img;
    img.width = w;
    img.height = h;
    img.pixels.assign(px.get(), px.get() + size_t(w) * size_t(h));
    return img;
}

std::optional<GrayImage> load_gray(const std::string& path, std::string* error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (error) *error = "cannot open file";
        return std::nullopt;
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    return decode_gray(bytes.data(), bytes.size(), error);
}

bool write_png(const std::string& path, const GrayImage& img, std::string* error) {
    if (img.empty()) {
        if (error) *error = "empty image";
        return false;
    }
    return png::write(path, img.pixels.data(), img.width, img.height, 1, error);
}

std::string png_bytes(const GrayImage& img) {
    if (img.empty()) return {};
    return png::encode(img.pixels.data(), img.width, img.height, 1);
}

GrayImage render_qr(std::string_view text, int module_px, int quiet_modules) {
    if (module_px < 1 || quiet_modules < 0) return {};
    ZXing::BitMatrix m;
    try {
        // ZXing 1.4 maps the 0..8 level as 0-2 L, 3-4 M, 5-6 Q, 7-8 H. M keeps the code small and
        // still survives a crease or a smudge.
        m = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode)
                .setMargin(0)
                .setEccLevel(4)
                .encode(std::string(text), 1, 1);
    } catch (const std::exception&) {
        return {};
    }
    int n = m.width(), side = (n + 2 * quiet_modules) * module_px;
    GrayImage img(side, side, 255);
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x)
            if (m.get(x, y))
                for (int dy = 0; dy < module_px; ++dy)
                    for (int dx = 0; dx < module_px; ++dx)
                        img.at((x + quiet_modules) * module_px + dx,
                               (y + quiet_modules) * module_px + dy) = 0;
    return img;
}

void blit(GrayImage& dst, const GrayImage& src, int x0, int y0) {
    for (int y = 0; y < src.height; ++y) {
        int ty = y0 + y;
        if (ty < 0 || ty >= dst.height) continue;
        for (int x = 0; x < src.width; ++x) {
            int tx = x0 + x;
            if (tx >= 0 && tx < dst.width) dst.at(tx, ty) = src.at(x, y);
        }
    }
}

} // namespace jf::scan
