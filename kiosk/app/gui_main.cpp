// The touchscreen application's entry point (replaced by the real frame loop in kiosk/ui).
#include "commands.hpp"

#include <cstdio>

namespace jf::app {

const char* gui_usage() { return ""; }

int run_gui(const Args&) {
    std::fprintf(stderr, "jobfair-kiosk: the touchscreen application is not built yet\n");
    return 1;
}

} // namespace jf::app
