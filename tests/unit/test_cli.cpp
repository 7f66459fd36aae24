// One flag parser for every subcommand: a command accepts exactly the flags its usage names, and a
// misspelt flag is refused (exit 2, both languages) before the command does anything.
#include <catch2/catch.hpp>

#include "tests/support/support.hpp"

#include "platform/cli/cli.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <sstream>

using namespace jf::cli;
namespace fs = std::filesystem;
using jf::test::run_shell;

TEST_CASE("the flags a usage text names") {
    auto flags = flags_named_in("usage: x add-fair --id ID [--name N]\n  --out FILE.png, --days=30"
                                "\n  --- a rule, and -- alone, name nothing; --2fa does");
    CHECK(flags == std::vector<std::string>{"--2fa", "--days", "--id", "--name", "--out"});
}

TEST_CASE("unknown_flag names the first flag the usage does not") {
    const std::string usage = "usage: x --fair ID [--out FILE]";
    CHECK(unknown_flag({"--fair", "F1", "--out=a.xlsx"}, usage).empty());
    CHECK(unknown_flag({"--help"}, usage).empty());
    CHECK(unknown_flag({"--fiar", "F1"}, usage) == "--fiar");
    CHECK(unknown_flag({"--fair", "F1", "--outt=x"}, usage) == "--outt");
    CHECK(unknown_flag({"-x", "plain", "--"}, usage).empty()); // single dash and operands pass
    CHECK(unknown_flag({"--", "--not-a-flag"}, usage).empty()); // after "--": operands
}

TEST_CASE("run_command refuses an unknown flag without running the command") {
    int ran = 0;
    RegisterCommand reg({"cli-test-cmd", "a command for this test", "usage: t cli-test-cmd --fair ID",
                         [&](const Args&) { return ++ran, 0; }});
    CHECK(run_command("t", "cli-test-cmd", {"--fair", "F1"}) == 0);
    CHECK(ran == 1);
    CHECK(run_command("t", "cli-test-cmd", {"--fiar", "F1"}) == 2);
    CHECK(ran == 1);
    commands().pop_back();
}

namespace {

// The command names `PROGRAM --help` lists ("  name  summary" lines).
std::vector<std::string> listed_commands(const std::string& program) {
    std::string out;
    run_shell(program + " --help", &out);
    std::vector<std::string> names;
    std::istringstream in(out);
    bool in_commands = false;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("commands:", 0) == 0 || line.rfind("usage: jobfair-hub COMMAND", 0) == 0)
            in_commands = true;
        if (!in_commands || line.rfind("  ", 0) != 0 || line.size() < 3 || line[2] == ' ' ||
            line[2] == '-')
            continue;
        names.push_back(line.substr(2, line.find(' ', 2) - 2));
    }
    return names;
}

} // namespace

TEST_CASE("every command of both programs refuses a misspelt flag and changes nothing") {
    const std::string build = JF_TEST_BUILD_DIR;
    fs::path data = fs::path(build) / "tests" / "unit" / "cli-data";
    fs::remove_all(data);
    for (std::string program :
         {build + "/sync/hub/jobfair-hub", build + "/kiosk/app/jobfair-kiosk"}) {
        auto names = listed_commands(program);
        INFO(program);
        REQUIRE(names.size() >= 5);
        for (auto& name : names) {
            INFO(name);
            std::string out;
            CHECK(run_shell(program + " " + name + " --no-such-flag x --data-dir " + data.string(),
                      &out) == 2);
            CHECK(out.find("未知选项 --no-such-flag") != std::string::npos);
            CHECK(out.find("unknown option --no-such-flag") != std::string::npos);
            CHECK_FALSE(fs::exists(data));
        }
    }
}
