// Still images for the scan pipeline and the hub's badge printing: load any PNG/JPEG as grayscale,
// write grayscale PNG, render a QR code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jf::scan {

// 8-bit grayscale, rows packed (stride == width).
struct GrayImage {
    int width = 0, height = 0;
    std::vector<uint8_t> pixels;
    GrayImage() = default;
    GrayImage(int w, int h, uint8_t fill = 255)
        : width(w), height(h), pixels(size_t(w) * size_t(h), fill) {}
    uint8_t& at(int x, int y) { return pixels[size_t(y) * size_t(width) + size_t(x)]; }
    uint8_t at(int x, int y) const { return pixels[size_t(y) * size_t(width) + size_t(x)]; }
    bool empty() const { return pixels.empty(); }
};

// PNG, JPEG, BMP, GIF… (stb_image), converted to luminance. nullopt and `error` when the bytes
// are not an image this can read.
std::optional<GrayImage> decode_gray(const uint8_t* data, size_t size,
                                     std::string* error = nullptr);
std::optional<GrayImage> load_gray(const std::string& path, std::string* error = nullptr);

// Writes an 8-bit grayscale PNG (libpng); false and `error` on failure.
bool write_png(const std::string& path, const GrayImage& img, std::string* error = nullptr);
// The same PNG as bytes in memory (empty on failure): pages serve codes without a file.
std::string png_bytes(const GrayImage& img);

// A QR code for `text` (ZXing-C++ writer, error correction level M), each module `module_px`
// pixels, with a quiet zone of `quiet_modules` modules. Empty image if the text does not fit.
GrayImage render_qr(std::string_view text, int module_px, int quiet_modules = 4);

// Draws `src` into `dst` with its top-left corner at (x, y), clipped.
void blit(GrayImage& dst, const GrayImage& src, int x, int y);

} // namespace jf::scan
