// Handwriting input for names: zinnia with the Simplified Chinese model (Debian package
// tegaki-zinnia-simplified-chinese, 6,763 characters of GB 2312).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace jf::input {

// What a finger drew on the pad: strokes of points in pad coordinates (0..width, 0..height).
struct Ink {
    int width = 1000, height = 1000;
    std::vector<std::vector<std::pair<int, int>>> strokes;
    bool empty() const { return strokes.empty(); }
};

struct Guess {
    std::string text; // one character, UTF-8
    float score = 0;  // higher is better; zinnia's SVM margin
};

class HandwritingRecognizer {
  public:
    HandwritingRecognizer();
    ~HandwritingRecognizer();
    HandwritingRecognizer(const HandwritingRecognizer&) = delete;
    HandwritingRecognizer& operator=(const HandwritingRecognizer&) = delete;

    static std::string default_model_path();
    // Opens the model; false and `error` when the file is missing or unreadable.
    bool open(const std::string& model_path = default_model_path(), std::string* error = nullptr);
    bool ready() const { return ready_; }
    // The best `n` characters for the ink, best first; empty when not ready or the ink is empty.
    std::vector<Guess> recognize(const Ink& ink, size_t n = 10) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    bool ready_ = false;
    mutable std::mutex mutex_;
};

} // namespace jf::input
