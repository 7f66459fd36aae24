// V4L2 camera capture: memory-mapped streaming, YUYV passed through untouched (the decoder reads Y
// in place), MJPEG decoded with libjpeg-turbo straight to YCbCr (no colour conversion; Y is the
// decoder's plane, Cb/Cr only feed the preview).
//
// Index
// - JPEG decoding    libjpeg with a setjmp error manager: a corrupt frame is skipped, never fatal
// - Device set-up    capability check, format choice, frame rate, mmap buffers, stream on
// - Capture          poll() with timeout, dequeue, copy out, requeue
#include "platform/scan/frame_source.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <jpeglib.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace jf::scan {
namespace {

// -----------------------------------------------------------------------------
// JPEG decoding
// -----------------------------------------------------------------------------

struct JpegError {
    jpeg_error_mgr mgr;
    std::jmp_buf jump;
};

void jpeg_error_exit(j_common_ptr cinfo) {
    auto* e = reinterpret_cast<JpegError*>(cinfo->err);
    std::longjmp(e->jump, 1);
}

void jpeg_quiet(j_common_ptr, int) {}

// Decodes one MJPEG frame to interleaved YCbCr; false on a corrupt frame.
bool decode_mjpeg(const uint8_t* data, size_t size, Frame& out) {
    jpeg_decompress_struct cinfo;
    JpegError err;
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_error_exit;
    err.mgr.emit_message = jpeg_quiet;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
    if (jpeg_read_header(&cinfo, TRUE) != JPEG_HEADER_OK) {
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    // Grayscale JPEGs come out as one channel; colour ones as YCbCr without conversion.
    bool gray = cinfo.jpeg_color_space == JCS_GRAYSCALE;
    cinfo.out_color_space = gray ? JCS_GRAYSCALE : JCS_YCbCr;
    cinfo.dct_method = JDCT_ISLOW;
    jpeg_start_decompress(&cinfo);
    out.format = gray ? PixelFormat::Gray8 : PixelFormat::YCbCr24;
    out.width = static_cast<int>(cinfo.output_width);
    out.height = static_cast<int>(cinfo.output_height);
    out.stride = out.width * static_cast<int>(cinfo.output_components);
    out.data.resize(size_t(out.stride) * size_t(out.height));
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = out.data.data() + size_t(cinfo.output_scanline) * size_t(out.stride);
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return true;
}

int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int xioctl(int fd, unsigned long req, void* arg) {
    int r;
    do
        r = ::ioctl(fd, req, arg);
    while (r == -1 && errno == EINTR);
    return r;
}

// -----------------------------------------------------------------------------
// Device set-up
// -----------------------------------------------------------------------------

class V4L2Source : public FrameSource {
  public:
    explicit V4L2Source(V4L2Config c) : cfg_(std::move(c)) {}
    ~V4L2Source() override { close(); }

    bool open(std::string* error) override {
        if (!setup()) {
            close();
            if (error) *error = error_;
            return false;
        }
        return true;
    }

    ReadStatus read(Frame& out, int timeout_ms) override {
        if (fd_ < 0) return ReadStatus::Error;
        pollfd p{fd_, POLLIN, 0};
        int r = ::poll(&p, 1, timeout_ms);
        if (r == 0) return ReadStatus::Timeout;
        if (r < 0) return errno == EINTR ? ReadStatus::Timeout : fail("poll");
        if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) return fail("camera disconnected");
        v4l2_buffer buf{};
        buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        buf.memory = V4L2_MEMORY_MMAP;
        if (xioctl(fd_, VIDIOC_DQBUF, &buf) < 0)
            return errno == EAGAIN ? ReadStatus::Timeout : fail("VIDIOC_DQBUF");
        ReadStatus status = ReadStatus::Timeout;
        if (buf.index < maps_.size() && !(buf.flags & V4L2_BUF_FLAG_ERROR)) {
            const uint8_t* data = static_cast<const uint8_t*>(maps_[buf.index].first);
            size_t used = std::min<size_t>(buf.bytesused, maps_[buf.index].second);
            if (pixfmt_ == V4L2_PIX_FMT_YUYV) {
                if (used >= size_t(stride_) * size_t(height_)) {
                    out.format = PixelFormat::YUYV;
                    out.width = width_;
                    out.height = height_;
                    out.stride = stride_;
                    out.data.assign(data, data + size_t(stride_) * size_t(height_));
                    status = ReadStatus::Ok;
                }
            } else if (decode_mjpeg(data, used, out)) {
                status = ReadStatus::Ok;
            }
            if (status == ReadStatus::Ok) {
                out.seq = ++seq_;
                out.captured_ms = steady_ms();
            } else {
                ++corrupt_;
            }
        }
        if (xioctl(fd_, VIDIOC_QBUF, &buf) < 0) return fail("VIDIOC_QBUF");
        return status;
    }

    void close() override {
        if (fd_ >= 0) {
            v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
            xioctl(fd_, VIDIOC_STREAMOFF, &type);
        }
        for (auto& [ptr, len] : maps_)
            ::munmap(ptr, len);
        maps_.clear();
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    std::string describe() const override {
        char buf[160];
        std::snprintf(buf, sizeof buf, "camera %s %dx%d %s", cfg_.device.c_str(), width_, height_,
                      pixfmt_ == V4L2_PIX_FMT_MJPEG ? "MJPEG" : "YUYV");
        return buf;
    }
    bool live() const override { return true; }
    std::string error() const override {
        return corrupt_ && error_.empty() ? std::to_string(corrupt_) + " corrupt frame(s) skipped"
                                          : error_;
    }

  private:
    ReadStatus fail(const char* what) {
        error_ = cfg_.device + ": " + what + ": " + std::strerror(errno);
        return ReadStatus::Error;
    }

    bool setup_fail(const std::string& what) {
        error_ = cfg_.device + ": " + what +
                 (errno ? std::string(": ") + std::strerror(errno) : std::string());
        return false;
    }

    bool supports(uint32_t fourcc) {
        v4l2_fmtdesc d{};
        d.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        for (d.index = 0; xioctl(fd_, VIDIOC_ENUM_FMT, &d) == 0; ++d.index)
            if (d.pixelformat == fourcc) return true;
        return false;
    }

    bool setup() {
        errno = 0;
        fd_ = ::open(cfg_.device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd_ < 0) return setup_fail("cannot open");
        v4l2_capability cap{};
        if (xioctl(fd_, VIDIOC_QUERYCAP, &cap) < 0) return setup_fail("not a V4L2 device");
        uint32_t caps =
            (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
        if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING))
            return setup_fail("not a streaming capture device");

        // USB 2 cannot carry uncompressed 720p at 30 fps, so larger sizes prefer MJPEG.
        bool want_mjpeg =
            cfg_.format == V4L2Config::Format::MJPEG ||
            (cfg_.format == V4L2Config::Format::Auto && cfg_.width * cfg_.height >= 1280 * 720);
        uint32_t first = want_mjpeg ? V4L2_PIX_FMT_MJPEG : V4L2_PIX_FMT_YUYV;
        uint32_t second = want_mjpeg ? V4L2_PIX_FMT_YUYV : V4L2_PIX_FMT_MJPEG;
        if (cfg_.format != V4L2Config::Format::Auto) second = first;
        pixfmt_ = supports(first) ? first : supports(second) ? second : 0;
        if (!pixfmt_) return setup_fail("offers neither YUYV nor MJPEG");

        v4l2_format fmt{};
        fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        fmt.fmt.pix.width = static_cast<uint32_t>(cfg_.width);
        fmt.fmt.pix.height = static_cast<uint32_t>(cfg_.height);
        fmt.fmt.pix.pixelformat = pixfmt_;
        fmt.fmt.pix.field = V4L2_FIELD_NONE;
        if (xioctl(fd_, VIDIOC_S_FMT, &fmt) < 0) return setup_fail("VIDIOC_S_FMT");
        if (fmt.fmt.pix.pixelformat != pixfmt_)
            return setup_fail("driver refused the pixel format");
        // The driver picks the nearest size it has; use what it gives.
        width_ = static_cast<int>(fmt.fmt.pix.width);
        height_ = static_cast<int>(fmt.fmt.pix.height);
        stride_ = std::max(static_cast<int>(fmt.fmt.pix.bytesperline), width_ * 2);

        v4l2_streamparm parm{};
        parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        parm.parm.capture.timeperframe.numerator = 1;
        parm.parm.capture.timeperframe.denominator = static_cast<uint32_t>(std::max(1, cfg_.fps));
        xioctl(fd_, VIDIOC_S_PARM, &parm); // best effort: not every driver lets the rate be set

        v4l2_requestbuffers req{};
        req.count = static_cast<uint32_t>(std::clamp(cfg_.buffers, 2, 16));
        req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        req.memory = V4L2_MEMORY_MMAP;
        if (xioctl(fd_, VIDIOC_REQBUFS, &req) < 0 || req.count < 2)
            return setup_fail("VIDIOC_REQBUFS");
        for (uint32_t i = 0; i < req.count; ++i) {
            v4l2_buffer buf{};
            buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
            buf.memory = V4L2_MEMORY_MMAP;
            buf.index = i;
            if (xioctl(fd_, VIDIOC_QUERYBUF, &buf) < 0) return setup_fail("VIDIOC_QUERYBUF");
            void* p =
                ::mmap(nullptr, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, buf.m.offset);
            if (p == MAP_FAILED) return setup_fail("mmap");
            maps_.emplace_back(p, buf.length);
            if (xioctl(fd_, VIDIOC_QBUF, &buf) < 0) return setup_fail("VIDIOC_QBUF");
        }
        v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        if (xioctl(fd_, VIDIOC_STREAMON, &type) < 0) return setup_fail("VIDIOC_STREAMON");
        error_.clear();
        return true;
    }

    V4L2Config cfg_;
    int fd_ = -1;
    uint32_t pixfmt_ = 0;
    int width_ = 0, height_ = 0, stride_ = 0;
    std::vector<std::pair<void*, size_t>> maps_;
    uint64_t seq_ = 0;
    size_t corrupt_ = 0;
    std::string error_;
};

} // namespace

std::unique_ptr<FrameSource> make_v4l2_source(const V4L2Config& config) {
    return std::make_unique<V4L2Source>(config);
}

bool decode_mjpeg_frame(const uint8_t* data, size_t size, Frame& out) {
    return decode_mjpeg(data, size, out);
}

} // namespace jf::scan
