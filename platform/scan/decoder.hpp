// QR decoding with ZXing-C++ 1.4 and a recovery ladder: one code per frame, read from the
// luminance plane in place; when the first attempt fails, the rest of the frame budget goes to
// what recovers hard images.
//
// Large frames (1080p) first try a half-size copy: a quarter of the work, and enough for a code at
// camera distance. Then, whatever the budget, the full frame with exactly the hints of a bare
// ZXing::ReadBarcodes call restricted to QR (LocalAverage binarizer, tryHarder, tryRotate,
// tryDownscale), so the pipeline never reads less than bare ZXing-C++; the ladder can only add.
// Ladder steps (on the half-size copy for large frames), each only while budget remains:
//   sharpened   unsharp mask (defocus, motion blur, faded print)
//   denoised    3x3 box blur, then sharpened (sensor noise, print grain, cloth weave)
//   histogram   GlobalHistogram binarizer (even light, fine modules the local one smears)
//   inverted    light code on dark ground (phone screens in dark mode, cloth badges)
//   scaled      the other scale: 2x up for small images, full size sharpened for large ones
//   stretched   contrast stretch + fixed threshold (faded print, deep shadow)
#pragma once

#include "platform/scan/frame.hpp"
#include "platform/scan/image.hpp"

#include <string>

namespace jf::scan {

struct DecodeOutcome {
    bool found = false;
    std::string text;
    const char* step = ""; // which ladder step read it ("direct", "inverted", …)
    double ms = 0;         // wall time spent, found or not
    double cpu_ms = 0;     // the decoding thread's CPU time (what the budget counts)
    int attempts = 0;      // ZXing calls made
};

struct DecoderOptions {
    double budget_ms = 30; // decoder CPU time per frame: one camera frame at 30 fps
    bool recovery = true;  // false: the first attempt only (what bare ZXing-C++ would do)
    // Start each frame's ladder one step further on (camera: a held code gets every step within
    // a few frames). Off, every decode starts at the first step (files, tests).
    bool rotate_ladder = false;
};

class QrDecoder {
  public:
    explicit QrDecoder(DecoderOptions o = {}) : opt_(o) {}
    const DecoderOptions& options() const { return opt_; }

    DecodeOutcome decode(const Frame& f) const; // Y plane in place (RGB24 is converted)
    DecodeOutcome decode(const GrayImage& img) const;
    // Any 8-bit luminance plane: `pixel_stride` 2 reads the Y bytes of YUYV without copying.
    DecodeOutcome decode_luma(const uint8_t* data, int width, int height, int row_stride,
                              int pixel_stride) const;

  private:
    DecoderOptions opt_;
    mutable unsigned rotation_ = 0; // one decoder per thread (the pipeline has its own)
};

} // namespace jf::scan
