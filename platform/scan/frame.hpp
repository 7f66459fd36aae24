// A camera or image frame as the scan pipeline passes it around, and the preview conversion.
#pragma once

#include <cstdint>
#include <vector>

namespace jf::scan {

enum class PixelFormat : uint8_t {
    Gray8,   // 1 byte per pixel (image files)
    YUYV,    // 4:2:2 packed Y0 U Y1 V (V4L2 cameras)
    YCbCr24, // Y Cb Cr per pixel (MJPEG decoded without colour conversion)
    RGB24,
};

struct Frame {
    PixelFormat format = PixelFormat::Gray8;
    int width = 0, height = 0;
    int stride = 0; // bytes per row
    std::vector<uint8_t> data;
    uint64_t seq = 0;        // 1, 2, 3… per source, so a reader can tell a new frame
    int64_t captured_ms = 0; // steady clock, milliseconds

    // The luminance plane read in place (no copy): Y is every pixel's first byte in every format
    // except RGB24, where the caller must convert (ZXing does that itself for RGB views).
    const uint8_t* luma() const { return data.data(); }
    int pixel_stride() const;
    bool has_luma_plane() const { return format != PixelFormat::RGB24; }
    bool empty() const { return data.empty() || width <= 0 || height <= 0; }
};

// A coarse picture of a frame (64×36 luminance samples) to tell a still scene from a changed one
// cheaply: nobody in front of the camera means frame after frame of the same picture, give or
// take sensor noise.
struct Thumb {
    std::vector<uint8_t> v;
    bool empty() const { return v.empty(); }
};
Thumb thumbnail(const Frame& f);
// Mean absolute difference per sample in grey levels (255 when the shapes differ).
double thumb_difference(const Thumb& a, const Thumb& b);
// Below this a frame is the same scene as the last one (noise of a real sensor is ~1).
constexpr double kStillDifference = 3.0;

// RGBA8 pixels (width * height * 4) for a preview texture.
std::vector<uint8_t> to_rgba(const Frame& f);

} // namespace jf::scan
