// jobfair-kiosk's command line: the GUI by default, plus subcommands (decode, enroll, …) that each
// cmd_*.cpp file registers at start-up (the registry is platform/cli's, shared with the hub).
#pragma once

#include "cli/cli.hpp"

namespace jf::app {

using cli::Args;
using cli::Command;
using cli::commands;
using cli::has_flag;
using cli::option;
using cli::RegisterCommand;

// The touchscreen application (gui_main.cpp): parses the window flags and runs the frame loop.
int run_gui(const Args& args);
// Lines describing the GUI's flags, for --help.
const char* gui_usage();

} // namespace jf::app
