// Where frames come from: a V4L2 camera, one image file, or a folder of images replayed as frames
// (demos, tests, the `decode` command). The hand scanner is not a frame source: see wedge.hpp.
#pragma once

#include "platform/scan/frame.hpp"

#include <memory>
#include <string>

namespace jf::scan {

enum class ReadStatus {
    Ok,      // `out` holds a new frame
    Timeout, // nothing within the timeout; try again
    End,     // a file or folder source has nothing more
    Error,   // the device failed (unplugged…); error() says why
};

class FrameSource {
  public:
    virtual ~FrameSource() = default;
    virtual bool open(std::string* error) = 0;
    // Blocks at most `timeout_ms` for the next frame.
    virtual ReadStatus read(Frame& out, int timeout_ms) = 0;
    virtual void close() {}
    virtual std::string describe() const = 0; // for logs and the admin screen
    // A live source (camera) runs at its own rate and drops what the decoder cannot take; a
    // replayed one (files) waits for the decoder, so every image is decoded.
    virtual bool live() const { return false; }
    virtual std::string error() const { return {}; }
};

struct V4L2Config {
    std::string device = "/dev/video0";
    int width = 1280, height = 720, fps = 30;
    enum class Format { Auto, YUYV, MJPEG } format = Format::Auto; // Auto: MJPEG from 1280x720 up
    int buffers = 4;
};
std::unique_ptr<FrameSource> make_v4l2_source(const V4L2Config& config);
// The camera's MJPEG path on its own (libjpeg-turbo, to YCbCr24 or Gray8): false on a corrupt
// frame.
bool decode_mjpeg_frame(const uint8_t* data, size_t size, Frame& out);

// One image file, delivered once (or every `interval_ms` when `loop` is set).
std::unique_ptr<FrameSource> make_image_file_source(const std::string& path, bool loop = false,
                                                    int interval_ms = 0);
// Every PNG/JPEG/BMP/GIF in a folder in name order, one frame each `interval_ms` (0 = as fast as
// they are read), starting over at the end when `loop` is set. Unreadable files are skipped.
std::unique_ptr<FrameSource> make_image_folder_source(const std::string& dir, bool loop = false,
                                                      int interval_ms = 0);

// From configuration text: "/dev/videoN" (optionally "/dev/video0@1920x1080" or "…@1280x720/yuyv"),
// a folder, or an image file.
std::unique_ptr<FrameSource> make_source(const std::string& spec, int interval_ms = 33);

} // namespace jf::scan
