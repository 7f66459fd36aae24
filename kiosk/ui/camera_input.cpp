// CameraInput: the pipeline decodes on its own threads; the UI thread only polls and, for the
// preview, downsamples the luma plane to a small grey texture when a new frame has come.
#include "kiosk/ui/camera_input.hpp"

#include "kiosk/store/store.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace jf::ui {

namespace {
constexpr int kPreviewWidth = 480; // enough for a person to aim; cheap to upload
}

CameraInput::~CameraInput() {
    if (pipeline_) pipeline_->stop();
    if (tex_ && destroy_) destroy_(tex_);
}

std::string CameraInput::configured_source(const Context& ctx) {
    if (const char* env = std::getenv("JF_CAMERA"); env && *env) return env;
    if (ctx.store)
        if (auto s = ctx.store->setting("camera.source"); s && !s->empty()) return *s;
    std::error_code ec;
    if (std::filesystem::exists("/dev/video0", ec)) return "/dev/video0";
    return "none";
}

void CameraInput::start(Context& ctx) {
    start_source(ctx, configured_source(ctx));
}

void CameraInput::start_source(Context& ctx, const std::string& spec) {
    if (running() && spec == source_) return;
    stop(ctx);
    source_ = spec;
    error_.clear();
    if (spec == "none") return;
    auto src = scan::make_source(spec);
    if (!src) return;
    pipeline_ = std::make_unique<scan::ScanPipeline>();
    if (!pipeline_->start(std::move(src), &error_)) pipeline_.reset(); // no camera: scanner only
}

void CameraInput::stop(Context& ctx) {
    if (pipeline_) pipeline_->stop();
    pipeline_.reset();
    if (tex_ && ctx.textures.destroy) ctx.textures.destroy(tex_);
    tex_ = 0;
    tex_seq_ = 0;
}

std::optional<scan::ScanEvent> CameraInput::poll() {
    if (!pipeline_) return std::nullopt;
    return pipeline_->poll();
}

bool CameraInput::draw_preview(Context& ctx, ImVec2 min, ImVec2 max) {
    if (!pipeline_) return false;
    auto frame = pipeline_->latest_frame();
    if (!frame || frame->empty()) return false;
    // A live picture needs frames while something moves before the camera; a still scene (nobody
    // there) keeps the picture it has and is looked at again a few times a second.
    bool changed = frame->seq != tex_seq_;
    if (changed && tex_) {
        scan::Thumb t = scan::thumbnail(*frame);
        changed = scan::thumb_difference(t, tex_thumb_) >= scan::kStillDifference;
        if (!changed) tex_seq_ = frame->seq;
    }
    if (changed)
        ctx.animate_for(0.1);
    else
        ctx.wake(ctx.now + 0.25);
    if (changed && ctx.textures.create) {
        tex_thumb_ = scan::thumbnail(*frame);
        int w = std::min(kPreviewWidth, frame->width);
        int h = std::max(1, frame->height * w / frame->width);
        std::vector<uint8_t> rgba(static_cast<size_t>(w) * h * 4);
        int ps = frame->pixel_stride();
        for (int y = 0; y < h; ++y) {
            int sy = y * frame->height / h;
            for (int x = 0; x < w; ++x) {
                int sx = x * frame->width / w;
                const uint8_t* px =
                    frame->data.data() + static_cast<size_t>(sy) * frame->stride + sx * ps;
                uint8_t g = frame->has_luma_plane()
                                ? px[0]
                                : uint8_t((px[0] * 77 + px[1] * 150 + px[2] * 29) >> 8);
                uint8_t* o = &rgba[(static_cast<size_t>(y) * w + x) * 4];
                o[0] = o[1] = o[2] = g;
                o[3] = 255;
            }
        }
        if (tex_ && ctx.textures.destroy) ctx.textures.destroy(tex_);
        tex_ = ctx.textures.create(rgba.data(), w, h);
        destroy_ = ctx.textures.destroy;
        tex_w_ = w;
        tex_h_ = h;
        tex_seq_ = frame->seq;
    }
    if (!tex_) return false;
    float bw = max.x - min.x, bh = max.y - min.y;
    float s = std::min(bw / tex_w_, bh / tex_h_);
    ImVec2 c((min.x + max.x) / 2, (min.y + max.y) / 2);
    ImVec2 a(c.x - tex_w_ * s / 2, c.y - tex_h_ * s / 2),
        b(c.x + tex_w_ * s / 2, c.y + tex_h_ * s / 2);
    // Mirrored, as people expect of a camera facing them.
    ImGui::GetWindowDrawList()->AddImage(reinterpret_cast<ImTextureID>(tex_), a, b, ImVec2(1, 0),
                                         ImVec2(0, 1));
    return true;
}

} // namespace jf::ui
