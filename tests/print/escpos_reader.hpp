// Reads an ESC/POS stream back the way a printer would, for tests: the commands the kiosk sends
// (ESC @, FS &, ESC a/E/d, GS !, GS V, GS v 0), the text lines decoded from GB18030 with iconv, and
// each raster image rebuilt (bands joined) as a grayscale picture ZXing-C++ can read.
#pragma once

#include "platform/scan/image.hpp"

#include <ReadBarcode.h>
#include <iconv.h>

#include <string>
#include <vector>

namespace jf::testing {

struct PrintedReceipt {
    std::vector<std::string> lines;      // UTF-8, as printed (one per LF)
    std::vector<scan::GrayImage> images; // each GS v 0 run, black on white, with a white margin
    int inits = 0, chinese_mode = 0, cuts = 0;
    int raster_commands = 0, max_raster_width_dots = 0;
    std::string problem; // empty when every byte was understood
};

inline std::string gb18030_to_utf8(const std::string& gb, bool* ok) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    std::string out(gb.size() * 4 + 8, '\0');
    char* src = const_cast<char*>(gb.data());
    size_t sl = gb.size(), dl = out.size();
    char* dst = out.data();
    size_t r = iconv(cd, &src, &sl, &dst, &dl);
    iconv_close(cd);
    *ok = r != static_cast<size_t>(-1) && sl == 0;
    out.resize(out.size() - dl);
    return out;
}

// Splits a stream of several receipts (a file printer collects them) at each ESC @.
inline std::vector<std::string> split_receipts(const std::string& stream) {
    std::vector<std::string> out;
    size_t at = stream.find("\x1b@");
    while (at != std::string::npos) {
        size_t next = stream.find("\x1b@", at + 2);
        out.push_back(stream.substr(at, next == std::string::npos ? std::string::npos : next - at));
        at = next;
    }
    return out;
}

inline PrintedReceipt read_escpos(const std::string& s) {
    PrintedReceipt r;
    std::string text;
    auto u = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    auto need = [&](size_t i, size_t n) {
        if (i + n > s.size()) {
            r.problem = "truncated command at byte " + std::to_string(i);
            return false;
        }
        return true;
    };
    // Rows of the raster being built (bands in a row join into one image).
    int raster_w = 0;
    std::vector<uint8_t> raster;
    auto flush_image = [&] {
        if (raster.empty()) return;
        int h = static_cast<int>(raster.size() / size_t(raster_w));
        const int m = 32;
        scan::GrayImage img(raster_w + 2 * m, h + 2 * m, 255);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < raster_w; ++x)
                if (raster[size_t(y) * size_t(raster_w) + size_t(x)]) img.at(x + m, y + m) = 0;
        r.images.push_back(std::move(img));
        raster.clear();
        raster_w = 0;
    };
    size_t i = 0;
    while (i < s.size() && r.problem.empty()) {
        unsigned char c = u(i);
        if (c == 0x1b) { // ESC
            if (!need(i, 2)) break;
            char k = s[i + 1];
            flush_image();
            if (k == '@') {
                ++r.inits;
                i += 2;
            } else if (k == 'a' || k == 'E' || k == 'd') {
                if (!need(i, 3)) break;
                i += 3;
            } else {
                r.problem = "unknown ESC " + std::to_string(int(k));
            }
        } else if (c == 0x1c) { // FS
            if (!need(i, 2)) break;
            flush_image();
            if (s[i + 1] == '&')
                ++r.chinese_mode;
            else if (s[i + 1] != '.')
                r.problem = "unknown FS command";
            i += 2;
        } else if (c == 0x1d) { // GS
            if (!need(i, 2)) break;
            char k = s[i + 1];
            if (k == '!') {
                flush_image();
                if (!need(i, 3)) break;
                i += 3;
            } else if (k == 'V') {
                flush_image();
                if (!need(i, 3)) break;
                bool with_feed = u(i + 2) == 65 || u(i + 2) == 66;
                if (with_feed && !need(i, 4)) break;
                ++r.cuts;
                i += with_feed ? 4 : 3;
            } else if (k == 'v') {
                if (!need(i, 8)) break;
                if (s[i + 2] != '0') {
                    r.problem = "GS v not followed by 0";
                    break;
                }
                int xb = u(i + 4) | (u(i + 5) << 8), rows = u(i + 6) | (u(i + 7) << 8);
                size_t len = size_t(xb) * size_t(rows);
                if (!need(i + 8, len)) break;
                ++r.raster_commands;
                r.max_raster_width_dots = std::max(r.max_raster_width_dots, xb * 8);
                if (raster_w != xb * 8) flush_image();
                raster_w = xb * 8;
                for (int y = 0; y < rows; ++y)
                    for (int x = 0; x < xb * 8; ++x) {
                        unsigned char byte = u(i + 8 + size_t(y) * size_t(xb) + size_t(x / 8));
                        raster.push_back((byte >> (7 - x % 8)) & 1);
                    }
                i += 8 + len;
            } else {
                r.problem = "unknown GS " + std::to_string(int(k));
            }
        } else if (c == 0x0a) {
            flush_image();
            bool ok = false;
            r.lines.push_back(gb18030_to_utf8(text, &ok));
            if (!ok) r.problem = "text that is not GB18030: line " + std::to_string(r.lines.size());
            text.clear();
            ++i;
        } else if (c < 0x20) {
            r.problem = "stray control byte " + std::to_string(int(c));
        } else {
            flush_image();
            text += s[i++];
        }
    }
    flush_image();
    if (!text.empty() && r.problem.empty()) r.problem = "text after the last line feed";
    return r;
}

inline std::string zxing_text(const scan::GrayImage& img) {
    ZXing::ImageView view(img.pixels.data(), img.width, img.height, ZXing::ImageFormat::Lum);
    auto res =
        ZXing::ReadBarcode(view, ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode));
    return res.isValid() ? res.text() : std::string();
}

} // namespace jf::testing
