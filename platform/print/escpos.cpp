// ESC/POS command stream, GB18030 text and the QR raster; see escpos.hpp.
#include "platform/print/escpos.hpp"

#include "platform/scan/image.hpp"

#include <algorithm>
#include <cerrno>
#include <iconv.h>

namespace jf::print {

namespace {

constexpr char ESC = 0x1b, GS = 0x1d, FS = 0x1c, LF = 0x0a;
constexpr int kFontADots = 12; // font A is 12x24 dots: 32 characters on 58 mm, 48 on 80 mm
constexpr int kBandRows = 128; // small printers' receive buffers take a band of this at a time

std::optional<std::string> convert(const char* to, const char* from, std::string_view in) {
    iconv_t cd = iconv_open(to, from);
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string out(in.size() * 4 + 16, '\0');
    char* src = const_cast<char*>(in.data());
    size_t src_left = in.size();
    char* dst = out.data();
    size_t dst_left = out.size();
    size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
    if (r != static_cast<size_t>(-1)) r = iconv(cd, nullptr, nullptr, &dst, &dst_left);
    iconv_close(cd);
    if (r == static_cast<size_t>(-1) || src_left != 0) return std::nullopt;
    out.resize(out.size() - dst_left);
    return out;
}

} // namespace

int paper_dots(std::string_view spec) {
    if (spec.size() > 2 && spec.substr(spec.size() - 2) == "mm") spec.remove_suffix(2);
    if (spec == "58") return kDots58;
    if (spec == "80") return kDots80;
    if (spec.empty() || spec.size() > 4) return 0;
    int n = 0;
    for (char c : spec) {
        if (c < '0' || c > '9') return 0;
        n = n * 10 + (c - '0');
    }
    return n >= 128 && n <= 2048 && n % 8 == 0 ? n : 0;
}

std::optional<std::string> to_gb18030(std::string_view utf8) {
    return convert("GB18030", "UTF-8", utf8);
}

std::optional<std::string> from_gb18030(std::string_view gb) {
    return convert("UTF-8", "GB18030", gb);
}

Bitmap qr_bitmap(std::string_view text, int width, int max_side) {
    Bitmap bm;
    // One dot per module first, to learn the code's size with its quiet zone.
    scan::GrayImage one = scan::render_qr(text, 1, 4);
    if (one.empty() || width < one.width) return bm;
    int side_limit = std::min(width, std::max(max_side, one.width));
    // Whole dots per module keep every module the same size: a thermal head cannot print halves.
    int module = std::max(1, side_limit / one.width);
    int side = one.width * module;
    bm.width = width;
    bm.height = side;
    bm.dots.assign(size_t(width) * size_t(side), 0);
    int x0 = (width - side) / 2;
    for (int y = 0; y < one.height; ++y)
        for (int x = 0; x < one.width; ++x)
            if (one.at(x, y) < 128)
                for (int dy = 0; dy < module; ++dy)
                    std::fill_n(bm.dots.begin() + (size_t(y * module + dy) * size_t(width) +
                                                   size_t(x0 + x * module)),
                                module, uint8_t{1});
    return bm;
}

Receipt::Receipt(int paper_dots) : dots_(paper_dots) {
    out_ += {ESC, '@'}; // a clean state whatever the last job left
    out_ += {FS, '&'};  // Chinese mode: bytes >= 0x80 are GB18030 characters
}

Receipt& Receipt::align(Align a) {
    out_ += {ESC, 'a', static_cast<char>(a)};
    return *this;
}

Receipt& Receipt::bold(bool on) {
    out_ += {ESC, 'E', static_cast<char>(on ? 1 : 0)};
    return *this;
}

Receipt& Receipt::size(int width_x, int height_x) {
    width_x = std::clamp(width_x, 1, 8);
    height_x = std::clamp(height_x, 1, 8);
    width_x_ = width_x;
    out_ += {GS, '!', static_cast<char>(((width_x - 1) << 4) | (height_x - 1))};
    return *this;
}

bool Receipt::line(std::string_view utf8) {
    std::string clean;
    clean.reserve(utf8.size());
    for (char c : utf8)
        if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) clean += c;
    auto gb = to_gb18030(clean);
    if (!gb) return false;
    out_ += *gb;
    out_ += LF;
    return true;
}

Receipt& Receipt::rule() {
    int n = dots_ / (kFontADots * width_x_);
    out_.append(static_cast<size_t>(std::max(n, 1)), '-');
    out_ += LF;
    return *this;
}

Receipt& Receipt::image(const Bitmap& bm) {
    if (bm.width <= 0 || bm.height <= 0) return *this;
    const int row_bytes = (bm.width + 7) / 8;
    for (int y0 = 0; y0 < bm.height; y0 += kBandRows) {
        int rows = std::min(kBandRows, bm.height - y0);
        // GS v 0 m xL xH yL yH: m = 0 (normal size), x in bytes, y in dots; MSB = leftmost dot.
        out_ += {GS,
                 'v',
                 '0',
                 0,
                 static_cast<char>(row_bytes & 0xff),
                 static_cast<char>(row_bytes >> 8),
                 static_cast<char>(rows & 0xff),
                 static_cast<char>(rows >> 8)};
        for (int y = y0; y < y0 + rows; ++y)
            for (int xb = 0; xb < row_bytes; ++xb) {
                unsigned char byte = 0;
                for (int bit = 0; bit < 8; ++bit) {
                    int x = xb * 8 + bit;
                    if (x < bm.width && bm.at(x, y)) byte |= 0x80 >> bit;
                }
                out_ += static_cast<char>(byte);
            }
    }
    return *this;
}

Receipt& Receipt::feed(int lines) {
    out_ += {ESC, 'd', static_cast<char>(std::clamp(lines, 0, 255))};
    return *this;
}

Receipt& Receipt::cut() {
    out_ += {GS, 'V', 66, 0};
    return *this;
}

} // namespace jf::print
