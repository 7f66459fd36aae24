// jobfair-kiosk: the venue terminal. No subcommand starts the touchscreen application; a
// subcommand (see --help) runs a tool and exits.
#include "commands.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace jf::app {

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

} // namespace jf::app

static void print_help() {
    std::printf("jobfair-kiosk %s: the job-fair and union-station terminal\n\n"
                "usage: jobfair-kiosk [options]            start the touchscreen application\n"
                "       jobfair-kiosk COMMAND [options]    run a tool (COMMAND --help for details)\n\n"
                "options:\n%s\ncommands:\n",
                JF_VERSION, jf::app::gui_usage());
    auto cmds = jf::app::commands();
    std::sort(cmds.begin(), cmds.end(), [](auto& a, auto& b) { return a.name < b.name; });
    for (auto& c : cmds) std::printf("  %-18s %s\n", c.name.c_str(), c.summary.c_str());
}

int main(int argc, char** argv) {
    jf::app::Args all(argv + 1, argv + argc);
    if (jf::app::has_flag(all, "--help") && (argc < 2 || argv[1][0] == '-')) {
        print_help();
        return 0;
    }
    if (jf::app::has_flag(all, "--version")) {
        std::printf("jobfair-kiosk %s\n", JF_VERSION);
        return 0;
    }
    if (argc >= 2 && argv[1][0] != '-') {
        jf::app::Args args(argv + 2, argv + argc);
        for (auto& c : jf::app::commands()) {
            if (c.name != argv[1]) continue;
            if (jf::app::has_flag(args, "--help")) {
                std::printf("%s\n", c.usage.c_str());
                return 0;
            }
            return c.run(args);
        }
        std::fprintf(stderr, "jobfair-kiosk: unknown command '%s' (see jobfair-kiosk --help)\n", argv[1]);
        return 2;
    }
    return jf::app::run_gui(all);
}
