// jobfair-kiosk's command line: the GUI by default, plus subcommands (decode, enroll, …) that each
// cmd_*.cpp file registers at start-up, as the hub's commands do.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace jf::app {

using Args = std::vector<std::string>;

struct Command {
    std::string name;    // e.g. "decode"
    std::string summary; // one line for `jobfair-kiosk --help`
    std::string usage;   // full usage for `jobfair-kiosk NAME --help`
    std::function<int(const Args&)> run; // returns the process exit code
};

std::vector<Command>& commands();

struct RegisterCommand {
    explicit RegisterCommand(Command c) { commands().push_back(std::move(c)); }
};

// --flag value / --flag=value look-up over Args; `fallback` when absent.
std::string option(const Args& args, const std::string& flag, const std::string& fallback = {});
bool has_flag(const Args& args, const std::string& flag);

// The touchscreen application (gui_main.cpp): parses the window flags and runs the frame loop.
int run_gui(const Args& args);
// Lines describing the GUI's flags, for --help.
const char* gui_usage();

} // namespace jf::app
