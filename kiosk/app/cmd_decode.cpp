// `jobfair-kiosk decode FILE...`: reads QR codes from image files with the camera's decoder (the
// same recovery ladder), printing the text (or "no code") and the decode time for each file.
// Exit status 1 when any file is not a readable image.
#include "kiosk/app/commands.hpp"

#include "platform/scan/decoder.hpp"
#include "platform/scan/frame_source.hpp"
#include "platform/scan/image.hpp"
#include "platform/scan/pipeline.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace jf::app {
namespace {

// --source: the live pipeline (capture thread, decode thread, one event per code in view) on a
// camera or a replayed folder, printing events as the screens would receive them.
int run_source(const std::string& spec, double seconds, bool once) {
    scan::ScanPipeline pipeline;
    std::string error;
    std::error_code ec;
    auto source = once && std::filesystem::is_directory(spec, ec)
                      ? scan::make_image_folder_source(spec, false, 33)
                      : scan::make_source(spec);
    if (!pipeline.start(std::move(source), &error)) {
        std::fprintf(stderr, "decode: cannot open %s: %s\n", spec.c_str(), error.c_str());
        return 1;
    }
    std::fprintf(stderr, "decode: %s, %s\n", pipeline.stats().source.c_str(),
                 seconds > 0 ? (std::to_string(static_cast<int>(seconds)) + " s").c_str()
                             : "until Ctrl-C");
    auto t0 = std::chrono::steady_clock::now();
    while (pipeline.running()) {
        while (auto e = pipeline.poll()) {
            std::printf("%s\t%.1f ms\t%s\n", e->text.c_str(), e->decode_ms, e->step);
            std::fflush(stdout);
        }
        double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (seconds > 0 && elapsed >= seconds) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(16)); // one UI frame
    }
    while (auto e = pipeline.poll())
        std::printf("%s\t%.1f ms\t%s\n", e->text.c_str(), e->decode_ms, e->step);
    auto st = pipeline.stats();
    pipeline.stop();
    std::fprintf(
        stderr,
        "decode: %llu frames, %llu decoded, %llu dropped, %llu with a code, %llu events%s%s\n",
        (unsigned long long)st.frames, (unsigned long long)st.decoded,
        (unsigned long long)st.dropped, (unsigned long long)st.found, (unsigned long long)st.events,
        st.error.empty() ? "" : "; ", st.error.c_str());
    return 0;
}

int cmd_decode(const Args& args) {
    scan::DecoderOptions opt;
    // A still image has no next frame coming, so it may use more than one camera frame's budget.
    opt.budget_ms = 1000;
    std::vector<std::string> files;
    std::string source;
    double seconds = 0;
    bool once = false;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--budget-ms" && i + 1 < args.size()) {
            char* end = nullptr;
            double v = std::strtod(args[++i].c_str(), &end);
            if (!end || *end || v < 0) {
                std::fprintf(stderr, "decode: --budget-ms needs a number of milliseconds\n");
                return 2;
            }
            opt.budget_ms = v;
        } else if (args[i] == "--bare") {
            opt.recovery = false;
        } else if (args[i] == "--source" && i + 1 < args.size()) {
            source = args[++i];
        } else if (args[i] == "--once") {
            once = true;
        } else if (args[i] == "--seconds" && i + 1 < args.size()) {
            seconds = std::atof(args[++i].c_str());
        } else {
            files.push_back(args[i]);
        }
    }
    if (!source.empty()) return run_source(source, seconds, once);
    if (files.empty()) {
        std::fprintf(stderr,
                     "usage: jobfair-kiosk decode [--budget-ms MS] [--bare] FILE...\n"
                     "       jobfair-kiosk decode --source /dev/video0|FOLDER [--seconds N]\n");
        return 2;
    }
    scan::QrDecoder decoder(opt);
    int unreadable = 0, found = 0;
    for (auto& f : files) {
        std::string error;
        auto img = scan::load_gray(f, &error);
        if (!img) {
            std::printf("%s\tnot an image: %s\n", f.c_str(), error.c_str());
            ++unreadable;
            continue;
        }
        auto r = decoder.decode(*img);
        if (r.found) {
            ++found;
            std::printf("%s\t%s\t%.1f ms\t%s\n", f.c_str(), r.text.c_str(), r.ms, r.step);
        } else {
            std::printf("%s\tno code\t%.1f ms\n", f.c_str(), r.ms);
        }
    }
    std::fflush(stdout);
    if (files.size() > 1)
        std::fprintf(stderr,
                     "decode: %d of %zu file(s) held a QR code, %d not readable as an image\n",
                     found, files.size(), unreadable);
    return unreadable ? 1 : 0;
}

RegisterCommand decode_cmd(
    {"decode", "read QR codes from image files or a camera (text and decode time)",
     "usage: jobfair-kiosk decode [--budget-ms MS] [--bare] FILE...\n"
     "       jobfair-kiosk decode --source /dev/video0[@1920x1080[/mjpeg|/yuyv]]|FOLDER\n"
     "                            [--seconds N] [--once]\n\n"
     "Decodes each PNG/JPEG/BMP/GIF with the camera pipeline's QR decoder and prints\n"
     "  FILE<TAB>TEXT<TAB>TIME ms<TAB>STEP    (STEP: which recovery step read it)\n"
     "  FILE<TAB>no code<TAB>TIME ms\n"
     "  FILE<TAB>not an image: REASON\n"
     "--budget-ms MS   decoder CPU time per image for recovery steps (default 1000;\n"
     "                 the camera uses 30, one frame at 30 fps)\n"
     "--bare           first attempt only: what plain ZXing-C++ reads, for comparison\n"
     "--source SPEC    run the live pipeline (capture and decode threads) on a V4L2 camera,\n"
     "                 or replay a folder of images as 30 fps frames, and print\n"
     "                 TEXT<TAB>TIME ms<TAB>STEP once per code shown; --seconds N stops after\n"
     "                 N seconds, --once plays a folder through once\n"
     "Exit status: 0, or 1 when any file is not a readable image (or the source cannot be\n"
     "opened).",
     cmd_decode});

} // namespace
} // namespace jf::app
