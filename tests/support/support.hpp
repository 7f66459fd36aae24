// The tests' shared support: what nearly every test needs, written once (namespace jf::test).
//
// Index
// - TempDir        a fresh directory per test, removed with everything in it at the end
// - read_file()    a whole file as bytes ("" when it cannot be read)
// - run_shell()  a shell command line with its output (stdout and stderr) and exit status
//
// Area fixtures build on these: tests/store/fixture.hpp (records, digests), tests/sync/
// sync_test_util.hpp and sync_trial.hpp (terminals and a hub), tests/ui/fixture.hpp (screens).
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace jf::test {

struct TempDir {
    std::filesystem::path path;
    // `prefix` names the directory under the system's temporary folder, to tell who left one
    // behind after a crash; a random suffix keeps parallel tests apart.
    explicit TempDir(const std::string& prefix = "jf-test") {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() /
               (prefix + "-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    // The path of `name` inside (the directory itself for "").
    std::string str(const std::string& name = {}) const {
        return name.empty() ? path.string() : (path / name).string();
    }
    std::string file(const std::string& name) const { return str(name); }
};

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs `cmd` through the shell (stderr folded into stdout) under `timeout_s` seconds; `out` gets
// everything it printed. Returns its exit status, or -1 when it was killed or could not start.
inline int run_shell(const std::string& cmd, std::string* out, int timeout_s = 60) {
    out->clear();
    // The line runs in its own shell under the time limit, so it may start with NAME=value.
    std::string quoted = "'";
    for (char c : cmd)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    quoted += "'";
    std::string line = "timeout " + std::to_string(timeout_s) + " sh -c " + quoted + " 2>&1";
    FILE* p = ::popen(line.c_str(), "r");
    if (!p) return -1;
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, p))
        out->append(buf, n);
    int st = ::pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

} // namespace jf::test
