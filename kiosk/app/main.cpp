// jobfair-kiosk: the venue terminal. No subcommand starts the touchscreen application; a
// subcommand (see --help) runs a tool and exits.
#include "kiosk/app/commands.hpp"
#include "platform/log/private_files.hpp"

#include <cstdio>

static void print_help() {
    std::printf(
        "jobfair-kiosk %s: the job-fair and union-station terminal\n\n"
        "usage: jobfair-kiosk [options]            start the touchscreen application\n"
        "       jobfair-kiosk COMMAND [options]    run a tool (COMMAND --help for details)\n\n"
        "options:\n%s\ncommands:\n",
        JF_VERSION, jf::app::gui_usage());
    jf::cli::print_commands();
}

int main(int argc, char** argv) {
    // Everything the terminal writes (database, logs, exports) is readable by its owner only.
    jf::files::restrict_new_files();
    jf::app::Args all(argv + 1, argv + argc);
    // --help after a command is that command's own help.
    if (jf::app::has_flag(all, "--help") && (argc < 2 || argv[1][0] == '-')) {
        print_help();
        return 0;
    }
    if (jf::app::has_flag(all, "--version")) {
        std::printf("jobfair-kiosk %s\n", JF_VERSION);
        return 0;
    }
    if (argc >= 2 && argv[1][0] != '-')
        return jf::cli::run_command("jobfair-kiosk", argv[1], jf::app::Args(argv + 2, argv + argc));
    return jf::app::run_gui(all);
}
