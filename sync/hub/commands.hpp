// The hub's staff command line: each cmd_*.cpp file registers its commands at start-up.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace jf::hub {

using Args = std::vector<std::string>;

struct Command {
    std::string name;    // e.g. "keygen"
    std::string summary; // one line for `jobfair-hub --help`
    std::string usage;   // full usage for `jobfair-hub NAME --help`
    std::function<int(const Args&)> run; // returns the process exit code
};

std::vector<Command>& commands();

struct RegisterCommand {
    explicit RegisterCommand(Command c) { commands().push_back(std::move(c)); }
};

// --flag value / --flag=value look-up over Args; nullopt-like empty string when absent.
std::string option(const Args& args, const std::string& flag, const std::string& fallback = {});
bool has_flag(const Args& args, const std::string& flag);

} // namespace jf::hub
