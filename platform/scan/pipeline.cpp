// Capture thread → newest-frame slot → decode thread → repeat filter → event queue.
#include "platform/scan/pipeline.hpp"
#include "kiosk/domain/clock.hpp"

#include <chrono>

namespace jf::scan {


bool RepeatFilter::accept(const std::string& text, int64_t now) {
    bool same = !last_.empty() && text == last_;
    if (same && now - last_seen_ < gone_ && now - last_reported_ < repeat_) {
        last_seen_ = now;
        return false;
    }
    last_ = text;
    last_seen_ = last_reported_ = now;
    return true;
}

ScanPipeline::ScanPipeline(Options o)
    : opt_(o), decoder_(o.decoder), repeat_(o.gone_ms, o.repeat_ms) {}

ScanPipeline::~ScanPipeline() {
    stop();
}

bool ScanPipeline::start(std::unique_ptr<FrameSource> source, std::string* error) {
    stop();
    if (!source) {
        if (error) *error = "no frame source";
        return false;
    }
    std::string why;
    if (!source->open(&why)) {
        if (error) *error = why;
        std::lock_guard lk(m_);
        stats_.error = why;
        return false;
    }
    source_ = std::move(source);
    DecoderOptions d = opt_.decoder;
    d.rotate_ladder = d.rotate_ladder || source_->live();
    decoder_ = QrDecoder(d);
    {
        std::lock_guard lk(m_);
        stats_ = {};
        stats_.running = true;
        stats_.source = source_->describe();
        latest_.reset();
        decoded_seq_ = 0;
        events_.clear();
        repeat_.reset();
    }
    stop_ = false;
    source_ended_ = false;
    finished_ = false;
    running_ = true;
    capture_ = std::thread([this] { capture_loop(); });
    decode_ = std::thread([this] { decode_loop(); });
    return true;
}

void ScanPipeline::stop() {
    if (!capture_.joinable() && !decode_.joinable()) return;
    stop_ = true;
    cv_.notify_all();
    if (capture_.joinable()) capture_.join();
    if (decode_.joinable()) decode_.join();
    if (source_) source_->close();
    source_.reset();
    running_ = false;
    std::lock_guard lk(m_);
    stats_.running = false;
}

void ScanPipeline::capture_loop() {
    while (!stop_) {
        auto f = std::make_shared<Frame>();
        ReadStatus st = source_->read(*f, 100);
        if (st == ReadStatus::Timeout) continue;
        if (st != ReadStatus::Ok) {
            std::lock_guard lk(m_);
            stats_.error = source_->error();
            source_ended_ = true;
            cv_.notify_all();
            return;
        }
        {
            std::lock_guard lk(m_);
            ++stats_.frames;
            // The previous frame was never decoded: the decoder was busy, so it is dropped.
            if (latest_ && latest_->seq > decoded_seq_) ++stats_.dropped;
            latest_ = std::move(f);
        }
        cv_.notify_all();
        // File sources without pacing would race ahead of the decoder; wait for it instead, so a
        // folder replay decodes every image (a camera never blocks here: it has its own rate).
        std::unique_lock lk(m_);
        if (!source_->live()) cv_.wait(lk, [&] { return stop_ || decoded_seq_ >= latest_->seq; });
    }
}

void ScanPipeline::decode_loop() {
    while (true) {
        std::shared_ptr<const Frame> f;
        {
            std::unique_lock lk(m_);
            cv_.wait(lk, [&] {
                return stop_ || (latest_ && latest_->seq > decoded_seq_) || source_ended_;
            });
            if (stop_) return;
            if (!latest_ || latest_->seq <= decoded_seq_) {
                if (source_ended_) {
                    finished_ = true;
                    running_ = false;
                    stats_.running = false;
                    return;
                }
                continue;
            }
            f = latest_;
        }
        // Nobody in front of the camera: the same scene again is not decoded again.
        Thumb thumb = thumbnail(*f);
        if (opt_.still_difference >= 0 && !still_thumb_.empty() &&
            f->captured_ms - still_decoded_ms_ < opt_.still_recheck_ms &&
            thumb_difference(thumb, still_thumb_) < opt_.still_difference) {
            std::lock_guard lk(m_);
            decoded_seq_ = f->seq;
            ++stats_.still;
            cv_.notify_all();
            continue;
        }
        still_thumb_ = std::move(thumb);
        still_decoded_ms_ = f->captured_ms;
        DecodeOutcome d = decoder_.decode(*f);
        std::lock_guard lk(m_);
        decoded_seq_ = f->seq;
        ++stats_.decoded;
        stats_.last_decode_ms = d.ms;
        if (d.found) {
            ++stats_.found;
            if (repeat_.accept(d.text, f->captured_ms)) {
                if (events_.size() >= opt_.max_pending_events) events_.pop_front();
                events_.push_back(ScanEvent{d.text, opt_.method, now_ms(), d.step, d.ms});
                ++stats_.events;
            }
        }
        cv_.notify_all();
    }
}

std::optional<ScanEvent> ScanPipeline::poll() {
    std::lock_guard lk(m_);
    if (events_.empty()) return std::nullopt;
    ScanEvent e = std::move(events_.front());
    events_.pop_front();
    return e;
}

std::shared_ptr<const Frame> ScanPipeline::latest_frame() const {
    std::lock_guard lk(m_);
    return latest_;
}

PipelineStats ScanPipeline::stats() const {
    std::lock_guard lk(m_);
    return stats_;
}

} // namespace jf::scan
