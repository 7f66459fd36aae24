// jobfair-hub: the union's central server and staff command line. Commands live in cmd_*.cpp.
#include "commands.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace jf::hub {

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

} // namespace jf::hub

static void print_help() {
    std::printf(
        "jobfair-hub %s: the union's central server and staff tools\n\n"
        "usage: jobfair-hub COMMAND [options]   (jobfair-hub COMMAND --help for details)\n\n",
        JF_VERSION);
    auto cmds = jf::hub::commands();
    std::sort(cmds.begin(), cmds.end(), [](auto& a, auto& b) { return a.name < b.name; });
    for (auto& c : cmds)
        std::printf("  %-18s %s\n", c.name.c_str(), c.summary.c_str());
}

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        print_help();
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::printf("jobfair-hub %s\n", JF_VERSION);
        return 0;
    }
    jf::hub::Args args(argv + 2, argv + argc);
    for (auto& c : jf::hub::commands()) {
        if (c.name != argv[1]) continue;
        if (jf::hub::has_flag(args, "--help")) {
            std::printf("%s\n", c.usage.c_str());
            return 0;
        }
        return c.run(args);
    }
    std::fprintf(stderr, "jobfair-hub: unknown command '%s' (see jobfair-hub --help)\n", argv[1]);
    return 2;
}
