// zinnia behind a lock: one recognizer, opened once, shared by every handwriting pad.
#include "platform/input/handwriting.hpp"

#include <zinnia.h>

#include <fstream>

namespace jf::input {

struct HandwritingRecognizer::Impl {
    zinnia::Recognizer* recognizer = nullptr;
    ~Impl() { delete recognizer; }
};

HandwritingRecognizer::HandwritingRecognizer() : impl_(std::make_unique<Impl>()) {}
HandwritingRecognizer::~HandwritingRecognizer() = default;

std::string HandwritingRecognizer::default_model_path() {
    return JF_ZINNIA_MODEL;
}

bool HandwritingRecognizer::open(const std::string& model_path, std::string* error) {
    std::lock_guard lock(mutex_);
    ready_ = false;
    // zinnia memory-maps the model and answers garbage for a short file; check it is there first.
    if (!std::ifstream(model_path, std::ios::binary).good()) {
        if (error) *error = "handwriting model not found: " + model_path;
        return false;
    }
    delete impl_->recognizer;
    impl_->recognizer = zinnia::Recognizer::create();
    if (!impl_->recognizer->open(model_path.c_str())) {
        if (error)
            *error = std::string("handwriting model unreadable: ") + impl_->recognizer->what();
        delete impl_->recognizer;
        impl_->recognizer = nullptr;
        return false;
    }
    ready_ = true;
    return true;
}

std::vector<Guess> HandwritingRecognizer::recognize(const Ink& ink, size_t n) const {
    std::vector<Guess> out;
    std::lock_guard lock(mutex_);
    if (!ready_ || ink.empty() || n == 0 || ink.width <= 0 || ink.height <= 0) return out;
    std::unique_ptr<zinnia::Character> ch(zinnia::Character::create());
    ch->set_width(ink.width);
    ch->set_height(ink.height);
    size_t id = 0;
    for (const auto& stroke : ink.strokes) {
        if (stroke.empty()) continue;
        for (const auto& [x, y] : stroke)
            ch->add(id, x, y);
        ++id;
    }
    if (id == 0) return out;
    std::unique_ptr<zinnia::Result> result(impl_->recognizer->classify(*ch, n));
    if (!result) return out;
    for (size_t i = 0; i < result->size(); ++i)
        out.push_back({result->value(i), result->score(i)});
    return out;
}

} // namespace jf::input
