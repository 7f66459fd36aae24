// jobfair-hub: the union's central server and staff command line. Commands live in cmd_*.cpp.
#include "sync/hub/commands.hpp"
#include "platform/log/private_files.hpp"

#include <cstdio>
#include <cstring>

static void print_help() {
    std::printf(
        "jobfair-hub %s: the union's central server and staff tools\n\n"
        "usage: jobfair-hub COMMAND [options]   (jobfair-hub COMMAND --help for details)\n\n",
        JF_VERSION);
    jf::cli::print_commands();
}

int main(int argc, char** argv) {
    // hub.db, its key file, logs and exports with opened numbers: owner-only (docs/privacy.md).
    jf::files::restrict_new_files();
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        print_help();
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::printf("jobfair-hub %s\n", JF_VERSION);
        return 0;
    }
    return jf::cli::run_command("jobfair-hub", argv[1], jf::cli::Args(argv + 2, argv + argc));
}
