// The command lines of jobfair-kiosk and jobfair-hub: each cmd_*.cpp registers its commands at
// start-up; each program's main() dispatches to them. One registry per executable.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace jf::cli {

using Args = std::vector<std::string>;

struct Command {
    std::string name;                    // e.g. "decode"
    std::string summary;                 // one line for `PROGRAM --help`
    std::string usage;                   // full usage for `PROGRAM NAME --help`
    std::function<int(const Args&)> run; // returns the process exit code
};

std::vector<Command>& commands();

struct RegisterCommand {
    explicit RegisterCommand(Command c) { commands().push_back(std::move(c)); }
};

// --flag value / --flag=value look-up over Args; `fallback` when absent.
std::string option(const Args& args, const std::string& flag, const std::string& fallback = {});
bool has_flag(const Args& args, const std::string& flag);

// Prints the registered commands, sorted, one "  name  summary" line each.
void print_commands();
// Runs command `name` (its usage for --help). Prints an error naming `program` and returns 2 when
// no such command is registered.
int run_command(const char* program, const std::string& name, const Args& args);

} // namespace jf::cli
