// The command registry and flag look-up shared by jobfair-kiosk and jobfair-hub.
#include "cli.hpp"

#include <algorithm>
#include <cstdio>

namespace jf::cli {

std::vector<Command>& commands() {
    static std::vector<Command> all;
    return all;
}

std::string option(const Args& args, const std::string& flag, const std::string& fallback) {
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == flag && i + 1 < args.size()) return args[i + 1];
        if (args[i].rfind(flag + "=", 0) == 0) return args[i].substr(flag.size() + 1);
    }
    return fallback;
}

bool has_flag(const Args& args, const std::string& flag) {
    return std::find(args.begin(), args.end(), flag) != args.end();
}

void print_commands() {
    auto cmds = commands();
    std::sort(cmds.begin(), cmds.end(), [](auto& a, auto& b) { return a.name < b.name; });
    for (auto& c : cmds)
        std::printf("  %-18s %s\n", c.name.c_str(), c.summary.c_str());
}

int run_command(const char* program, const std::string& name, const Args& args) {
    for (auto& c : commands()) {
        if (c.name != name) continue;
        if (has_flag(args, "--help")) {
            std::printf("%s\n", c.usage.c_str());
            return 0;
        }
        return c.run(args);
    }
    std::fprintf(stderr, "%s: unknown command '%s' (see %s --help)\n", program, name.c_str(),
                 program);
    return 2;
}

} // namespace jf::cli
