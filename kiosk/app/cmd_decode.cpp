// `jobfair-kiosk decode FILE...`: reads QR codes from image files with the camera's decoder (the
// same recovery ladder), printing the text (or "no code") and the decode time for each file.
// Exit status 1 when any file is not a readable image.
#include "commands.hpp"

#include "scan/decoder.hpp"
#include "scan/image.hpp"

#include <cstdio>
#include <cstdlib>

namespace jf::app {
namespace {

int cmd_decode(const Args& args) {
    scan::DecoderOptions opt;
    // A still image has no next frame coming, so it may use more than one camera frame's budget.
    opt.budget_ms = 1000;
    std::vector<std::string> files;
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
        } else {
            files.push_back(args[i]);
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "usage: jobfair-kiosk decode [--budget-ms MS] [--bare] FILE...\n");
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

RegisterCommand
    decode_cmd({"decode", "read QR codes from image files (text and decode time per file)",
                "usage: jobfair-kiosk decode [--budget-ms MS] [--bare] FILE...\n\n"
                "Decodes each PNG/JPEG/BMP/GIF with the camera pipeline's QR decoder and prints\n"
                "  FILE<TAB>TEXT<TAB>TIME ms<TAB>STEP    (STEP: which recovery step read it)\n"
                "  FILE<TAB>no code<TAB>TIME ms\n"
                "  FILE<TAB>not an image: REASON\n"
                "--budget-ms MS   decoder CPU time per image for recovery steps (default 1000;\n"
                "                 the camera uses 30, one frame at 30 fps)\n"
                "--bare           first attempt only: what plain ZXing-C++ reads, for comparison\n"
                "Exit status: 0, or 1 when any file is not a readable image.",
                cmd_decode});

} // namespace
} // namespace jf::app
