// The command lines of jobfair-kiosk and jobfair-hub: each cmd_*.cpp registers its commands at
// start-up; each program's main() dispatches to them. One registry per executable.
#pragma once

#include <functional>
#include <optional>
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

// A whole-number option checked against [min, max] (`fallback` when absent). A value that is not
// a whole number or lies outside the range gives nullopt and `error`, one line in Chinese and one
// in English, naming the flag, the range and what was given, e.g.
//   --valid-hours 应为 1 到 720 之间的整数（收到 “-100”）
//   --valid-hours must be a whole number from 1 to 720 (got "-100")
std::optional<long long> number_option(const Args& args, const std::string& flag,
                                       long long fallback, long long min, long long max,
                                       std::string* error);
// The same check for a value from elsewhere (a config file line): `name` names it in messages.
std::optional<long long> checked_number(const std::string& name, const std::string& text,
                                        long long min, long long max, std::string* error);

// The flags a command accepts are exactly those its usage text names ("--fair", "--out", ...): the
// usage is the one declaration, so help and parser cannot disagree. `unknown_flag` gives the first
// argument that looks like a flag (--name or --name=value, before a bare "--") and is not named
// in `usage`, or "" when there is none.
std::vector<std::string> flags_named_in(const std::string& usage);
std::string unknown_flag(const Args& args, const std::string& usage);

// Prints the registered commands, sorted, one "  name  summary" line each.
void print_commands();
// Runs command `name` (its usage for --help). Prints an error naming `program` and returns 2 when
// no such command is registered, or when an argument is a flag its usage does not name (in Chinese
// and English; the command does not run, so nothing changes).
int run_command(const char* program, const std::string& name, const Args& args);

} // namespace jf::cli
