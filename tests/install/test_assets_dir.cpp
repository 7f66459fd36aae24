// $JF_ASSETS_DIR is honoured by every program that reads assets: a copy of assets/ with one message
// changed must show that message, so a program still reading the source tree fails here.
#include <catch2/catch.hpp>

#include "tests/support/support.hpp"

#include "kiosk/i18n/i18n.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace fs = std::filesystem;
using jf::test::run_shell;

namespace {

const std::string kBuild = JF_TEST_BUILD_DIR;

// A copy of assets/ whose English text for `key` (in area `area`) reads `text`.
fs::path assets_copy_with(const std::string& area, const std::string& key,
                          const std::string& text) {
    fs::path dir = fs::path(kBuild) / "tests" / "install" / "assets-copy";
    fs::remove_all(dir);
    fs::create_directories(dir.parent_path());
    fs::copy(JF_ASSETS_DIR, dir, fs::copy_options::recursive);
    fs::path file = dir / "i18n" / area / "en_US.json";
    nlohmann::json j;
    std::ifstream(file) >> j;
    REQUIRE(j.contains(key));
    j[key] = text;
    std::ofstream(file) << j.dump(2);
    return dir;
}

} // namespace

TEST_CASE("assets_dir() follows $JF_ASSETS_DIR and falls back to the build's copy") {
    ::unsetenv("JF_ASSETS_DIR");
    CHECK(jf::assets_dir() == JF_ASSETS_DIR);
    ::setenv("JF_ASSETS_DIR", "/opt/jobfair/assets", 1);
    CHECK(jf::assets_dir() == "/opt/jobfair/assets");
    ::unsetenv("JF_ASSETS_DIR");
}

TEST_CASE("jobfair-kiosk enroll reads its messages from $JF_ASSETS_DIR") {
    auto copy =
        assets_copy_with("sync", "sync.err.code_unknown", "MARKER enrol text from the copy");
    fs::path data = fs::path(kBuild) / "tests" / "install" / "kiosk-data";
    fs::remove_all(data);
    std::string out;
    std::string cmd = kBuild + "/kiosk/app/jobfair-kiosk enroll --data-dir " + data.string() +
                      " --qr-text not-an-enrolment-code --lang en";
    CHECK(run_shell("JF_ASSETS_DIR=" + copy.string() + " " + cmd, &out) == 2);
    CHECK(out.find("MARKER enrol text from the copy") != std::string::npos);
    CHECK(run_shell(cmd, &out) == 2);
    CHECK(out.find("MARKER") == std::string::npos);
}

TEST_CASE("jobfair-hub's import messages come from $JF_ASSETS_DIR") {
    fs::path dir = fs::path(kBuild) / "tests" / "install" / "hub";
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "empty.csv") << "";
    jf::Translations t;
    REQUIRE(t.load(std::string(JF_ASSETS_DIR) + "/i18n"));
    t.set_lang(jf::Lang::EnUS);
    std::string out;
    std::string cmd = kBuild + "/sync/hub/jobfair-hub import-listings " +
                      (dir / "empty.csv").string() + " --dry-run --lang en --data-dir " +
                      (dir / "data").string();
    int plain = run_shell(cmd, &out);
    INFO(out);
    REQUIRE(plain != 0);
    // Whatever the refusal says in the source tree's English, the copy's text must replace it.
    std::string found;
    nlohmann::json en;
    std::ifstream(std::string(JF_ASSETS_DIR) + "/i18n/forms/en_US.json") >> en;
    for (auto& [k, v] : en.items())
        if (v.is_string() && !v.get<std::string>().empty() &&
            out.find(v.get<std::string>()) != std::string::npos &&
            v.get<std::string>().find('{') == std::string::npos)
            found = k;
    REQUIRE_FALSE(found.empty());
    auto copy = assets_copy_with("forms", found, "MARKER import text from the copy");
    CHECK(run_shell("JF_ASSETS_DIR=" + copy.string() + " " + cmd, &out) == plain);
    CHECK(out.find("MARKER import text from the copy") != std::string::npos);
}
