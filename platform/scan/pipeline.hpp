// The scan pipeline the screens use: a frame source on a capture thread, QR decoding on its own
// thread, one event per code shown. The UI never waits on it.
//
// Use from the UI thread:
//     jf::scan::ScanPipeline scan;                     // options: frame budget, repeat timing
//     scan.start(jf::scan::make_source("/dev/video0"), &error);
//     // every frame:
//     while (auto e = scan.poll()) desk.present_at_entrance(e->text, e->method, e->time);
//     if (auto f = scan.latest_frame(); f && f->seq != shown) upload(jf::scan::to_rgba(*f));
//
// Only the newest frame is decoded; frames that arrive while the decoder is busy are dropped
// (counted in stats()), so the preview and the verdict never lag behind the camera.
#pragma once

#include "platform/scan/decoder.hpp"
#include "platform/scan/frame_source.hpp"

#include "kiosk/domain/records.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace jf::scan {

struct ScanEvent {
    std::string text;                       // exactly what the code holds
    ScanMethod method = ScanMethod::Camera; // for CheckIn.method
    TimeMs time = 0;                        // wall clock when the frame was decoded
    const char* step = "";                  // decoder ladder step that read it
    double decode_ms = 0;
};

// One event per code held in front of the camera: the same text again is suppressed until it has
// been out of view for `gone_ms`, or `repeat_ms` passed since it was last reported (then the
// person hears "already checked in" instead of nothing). Pure logic, times in milliseconds.
class RepeatFilter {
  public:
    explicit RepeatFilter(int64_t gone_ms = 1500, int64_t repeat_ms = 4000)
        : gone_(gone_ms), repeat_(repeat_ms) {}
    // A frame showed `text` at `now`: true when it should be reported.
    bool accept(const std::string& text, int64_t now);
    void reset() { last_.clear(); }

  private:
    int64_t gone_, repeat_;
    std::string last_;
    int64_t last_seen_ = 0, last_reported_ = 0;
};

struct PipelineStats {
    uint64_t frames = 0, decoded = 0, dropped = 0, found = 0, events = 0;
    uint64_t still = 0; // frames not decoded: the same scene as the last decoded one
    double last_decode_ms = 0;
    bool running = false;
    std::string source, error; // describe() and the last source error
};

class ScanPipeline {
  public:
    struct Options {
        DecoderOptions decoder{}; // frame budget for the recovery ladder
        int64_t gone_ms = 1500, repeat_ms = 4000;
        ScanMethod method = ScanMethod::Camera;
        size_t max_pending_events = 16; // if the UI stops polling, the oldest are dropped
        // A frame showing the same scene as the last decoded one (thumb_difference below this)
        // is not decoded again, so an empty entrance costs almost nothing; < 0 decodes every
        // frame. A still scene is decoded again every `still_recheck_ms` all the same.
        double still_difference = kStillDifference;
        int64_t still_recheck_ms = 2000;
    };
    ScanPipeline() : ScanPipeline(Options{}) {}
    explicit ScanPipeline(Options o);
    ~ScanPipeline();
    ScanPipeline(const ScanPipeline&) = delete;
    ScanPipeline& operator=(const ScanPipeline&) = delete;

    // Opens the source and starts the capture and decode threads. A running pipeline is stopped
    // first. False (and `error`) when the source cannot be opened.
    bool start(std::unique_ptr<FrameSource> source, std::string* error = nullptr);
    void stop();
    bool running() const { return running_.load(); }

    // Never blocks: the next decoded code, if any.
    std::optional<ScanEvent> poll();
    // The newest captured frame (shared, never copied), for the preview; nullptr before the first.
    std::shared_ptr<const Frame> latest_frame() const;
    PipelineStats stats() const;
    // True once a file or folder source has delivered everything and the decoder caught up.
    bool finished() const { return finished_.load(); }

  private:
    void capture_loop();
    void decode_loop();

    Options opt_;
    QrDecoder decoder_;
    std::unique_ptr<FrameSource> source_;
    std::thread capture_, decode_;
    std::atomic<bool> running_{false}, stop_{false}, source_ended_{false}, finished_{false};

    mutable std::mutex m_;
    std::condition_variable cv_;
    std::shared_ptr<const Frame> latest_;
    uint64_t decoded_seq_ = 0;
    Thumb still_thumb_; // the decode thread's last decoded scene
    int64_t still_decoded_ms_ = 0;
    std::deque<ScanEvent> events_;
    PipelineStats stats_;
    RepeatFilter repeat_;
};

} // namespace jf::scan
