// Image files and folders replayed as frames, and make_source() for configuration text.
#include "platform/scan/frame_source.hpp"
#include "platform/scan/image.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

namespace jf::scan {
namespace {

namespace fs = std::filesystem;

int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Frame frame_of(GrayImage&& img, uint64_t seq) {
    Frame f;
    f.format = PixelFormat::Gray8;
    f.width = img.width;
    f.height = img.height;
    f.stride = img.width;
    f.data = std::move(img.pixels);
    f.seq = seq;
    f.captured_ms = steady_ms();
    return f;
}

bool is_image_name(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp" || ext == ".gif";
}

// Files and folders pace their frames like a camera would when asked to.
class Pacer {
  public:
    explicit Pacer(int interval_ms) : interval_(interval_ms) {}
    // false when the next frame is not due within `timeout_ms`.
    bool wait(int timeout_ms) {
        if (interval_ <= 0 || next_ == 0) {
            next_ = steady_ms() + interval_;
            return true;
        }
        int64_t now = steady_ms(), wait = next_ - now;
        if (wait > timeout_ms) {
            std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
            return false;
        }
        if (wait > 0) std::this_thread::sleep_for(std::chrono::milliseconds(wait));
        next_ = std::max(next_ + interval_, steady_ms());
        return true;
    }

  private:
    int interval_;
    int64_t next_ = 0;
};

class ImageFileSource : public FrameSource {
  public:
    ImageFileSource(std::string path, bool loop, int interval_ms)
        : path_(std::move(path)), loop_(loop), pacer_(interval_ms) {}
    bool open(std::string* error) override {
        std::string why;
        auto img = load_gray(path_, &why);
        if (!img) {
            error_ = path_ + ": " + why;
            if (error) *error = error_;
            return false;
        }
        image_ = std::move(*img);
        return true;
    }
    ReadStatus read(Frame& out, int timeout_ms) override {
        if (image_.empty() || (served_ && !loop_)) return ReadStatus::End;
        if (!pacer_.wait(timeout_ms)) return ReadStatus::Timeout;
        GrayImage copy = image_;
        out = frame_of(std::move(copy), ++served_);
        return ReadStatus::Ok;
    }
    std::string describe() const override { return "image " + path_; }
    std::string error() const override { return error_; }

  private:
    std::string path_, error_;
    bool loop_;
    Pacer pacer_;
    GrayImage image_;
    uint64_t served_ = 0;
};

class ImageFolderSource : public FrameSource {
  public:
    ImageFolderSource(std::string dir, bool loop, int interval_ms)
        : dir_(std::move(dir)), loop_(loop), pacer_(interval_ms) {}
    bool open(std::string* error) override {
        std::error_code ec;
        for (auto& e : fs::directory_iterator(dir_, ec))
            if (e.is_regular_file() && is_image_name(e.path())) files_.push_back(e.path().string());
        if (ec || files_.empty()) {
            error_ = ec ? dir_ + ": " + ec.message() : dir_ + ": no image files";
            if (error) *error = error_;
            return false;
        }
        std::sort(files_.begin(), files_.end());
        return true;
    }
    ReadStatus read(Frame& out, int timeout_ms) override {
        for (size_t tries = 0; tries < files_.size(); ++tries) {
            if (next_ == files_.size()) {
                if (!loop_) return ReadStatus::End;
                next_ = 0;
            }
            if (tries == 0 && !pacer_.wait(timeout_ms)) return ReadStatus::Timeout;
            // A small folder replayed in a loop (a demo camera) is read once: decoding a 1080p
            // PNG 30 times a second would cost more than the camera it stands in for.
            size_t i = next_++;
            if (loop_ && files_.size() <= kCachedFiles) {
                if (cache_.size() != files_.size()) cache_.resize(files_.size());
                if (!cache_[i]) cache_[i] = load_gray(files_[i]);
                if (!cache_[i]) {
                    ++skipped_;
                    continue;
                }
                GrayImage copy = *cache_[i];
                out = frame_of(std::move(copy), ++seq_);
                return ReadStatus::Ok;
            }
            auto img = load_gray(files_[i]);
            if (!img) {
                ++skipped_;
                continue;
            }
            out = frame_of(std::move(*img), ++seq_);
            return ReadStatus::Ok;
        }
        return loop_ ? ReadStatus::Error : ReadStatus::End;
    }
    std::string describe() const override { return "folder " + dir_; }
    std::string error() const override {
        return skipped_ ? std::to_string(skipped_) + " unreadable image file(s) skipped" : error_;
    }

  private:
    std::string dir_, error_;
    bool loop_;
    Pacer pacer_;
    std::vector<std::string> files_;
    static constexpr size_t kCachedFiles = 16;
    std::vector<std::optional<GrayImage>> cache_;
    size_t next_ = 0, skipped_ = 0;
    uint64_t seq_ = 0;
};

} // namespace

std::unique_ptr<FrameSource> make_image_file_source(const std::string& path, bool loop,
                                                    int interval_ms) {
    return std::make_unique<ImageFileSource>(path, loop, interval_ms);
}

std::unique_ptr<FrameSource> make_image_folder_source(const std::string& dir, bool loop,
                                                      int interval_ms) {
    return std::make_unique<ImageFolderSource>(dir, loop, interval_ms);
}

std::unique_ptr<FrameSource> make_source(const std::string& spec, int interval_ms) {
    if (spec.rfind("/dev/video", 0) == 0) {
        V4L2Config c;
        std::string rest;
        size_t at = spec.find('@');
        c.device = spec.substr(0, at);
        if (at != std::string::npos) {
            rest = spec.substr(at + 1);
            int w = 0, h = 0;
            char fmt[16] = {};
            int n = std::sscanf(rest.c_str(), "%dx%d/%15s", &w, &h, fmt);
            if (n >= 2 && w > 0 && h > 0) c.width = w, c.height = h;
            std::string f = fmt;
            if (f == "yuyv" || f == "YUYV") c.format = V4L2Config::Format::YUYV;
            if (f == "mjpeg" || f == "MJPEG" || f == "mjpg") c.format = V4L2Config::Format::MJPEG;
        }
        return make_v4l2_source(c);
    }
    std::error_code ec;
    if (fs::is_directory(spec, ec)) return make_image_folder_source(spec, true, interval_ms);
    return make_image_file_source(spec, true, interval_ms);
}

} // namespace jf::scan
