// jobfair-kiosk's command line: the GUI by default, plus subcommands (decode, enroll, …) that each
// cmd_*.cpp file registers at start-up (the registry is platform/cli's, shared with the hub).
#pragma once

#include "platform/cli/cli.hpp"

#include <string>
#include <string_view>

namespace jf::app {

// Commands name the registry as jf::app::RegisterCommand, option(), …
using namespace cli;

// The touchscreen application (gui_main.cpp): parses the window flags and runs the frame loop.
int run_gui(const Args& args);
// Lines describing the GUI's flags, for --help.
const char* gui_usage();
// A message key (a store's "err.store.emptied", …) as the operator reads it on the command line:
// Chinese, then English; the key itself only if no table has it.
std::string message_text(std::string_view key);

} // namespace jf::app
