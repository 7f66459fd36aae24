// The entrance camera: a scan::ScanPipeline on its own threads (V4L2 camera, or an image folder
// for demos and tests), polled once per frame, with a grey preview of the newest frame.
//
// The source is, in order: the JF_CAMERA environment variable, the store setting
// "camera.source", then /dev/video0 when it exists. "none" switches the camera off.
#pragma once

#include "platform/scan/pipeline.hpp"
#include "kiosk/ui/ui.hpp"

#include <memory>
#include <optional>
#include <string>

namespace jf::ui {

class CameraInput {
  public:
    ~CameraInput();
    // Starts the pipeline if a source is configured and it is not running yet.
    void start(Context& ctx);
    // Starts the pipeline on this source (the admin screen's camera test); error() says why not.
    void start_source(Context& ctx, const std::string& spec);
    const std::string& error() const { return error_; }
    void stop(Context& ctx);
    bool running() const { return pipeline_ && pipeline_->running(); }
    // The next decoded code, never blocking.
    std::optional<scan::ScanEvent> poll();
    // Draws the newest frame (grey, aspect kept) into the square; false when there is none.
    bool draw_preview(Context& ctx, ImVec2 min, ImVec2 max);
    const std::string& source() const { return source_; }

    static std::string configured_source(const Context& ctx);

  private:
    std::unique_ptr<scan::ScanPipeline> pipeline_;
    std::string source_, error_;
    uintptr_t tex_ = 0;
    int tex_w_ = 0, tex_h_ = 0;
    uint64_t tex_seq_ = 0;
    scan::Thumb tex_thumb_; // the scene the preview shows
    std::function<void(uintptr_t)> destroy_;
};

} // namespace jf::ui
