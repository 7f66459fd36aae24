// Logs are JSON lines, rotate, and never carry a phone or ID number even when a caller passes one.
#include <catch2/catch.hpp>

#include "tests/support/support.hpp"

#include "platform/log/log.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <csignal>
#include <exception>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

TEST_CASE("scrub masks mobile and resident ID shapes and leaves the rest") {
    using jf::log::scrub;
    CHECK(scrub("phone 13855385678 ok") == "phone 138****5678 ok");
    CHECK(scrub("id=11010519491231002X") == "id=1101**********002X");
    CHECK(scrub("id=110105194912310021,") == "id=1101**********0021,");
    CHECK(scrub("seq 123456 of 20240410") == "seq 123456 of 20240410");
    CHECK(scrub("23855385678") == "23855385678"); // 11 digits not starting with 1: not a mobile
}

TEST_CASE("log lines are JSON, scrubbed, in the named file") {
    jf::test::TempDir tmp_dir("jf-log-test");
    const fs::path dir = tmp_dir.path;
    REQUIRE(jf::log::open(dir.string(), "kiosk"));
    jf::log::info("store", "checkin", {{"attendee", "A-1"}, {"note", "typed 13855385678"}});
    jf::log::error("sync", "upload_failed", {{"detail", "timeout"}});
    jf::log::flush();
    std::ifstream in(dir / "kiosk.log");
    std::stringstream all;
    all << in.rdbuf();
    std::string text = all.str();
    CHECK(text.find("13855385678") == std::string::npos);
    std::istringstream lines(text);
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        auto j = nlohmann::json::parse(line);
        CHECK(j.contains("t"));
        CHECK(j.contains("level"));
        ++n;
    }
    CHECK(n == 2);
}

TEST_CASE("scrub masks phone and ID numbers however people format them") {
    using jf::log::scrub;
    CHECK(scrub("138 5538 5678") == "138 **** 5678");
    CHECK(scrub("138-5538-5678") == "138-****-5678");
    CHECK(scrub("+86 13855385678") == "+86 138****5678");
    CHECK(scrub("+86-138-5538-5678") == "+86-138-****-5678");
    CHECK(scrub("0086 13855385678") == "0086 138****5678");
    CHECK(scrub("8613855385678") == "86138****5678");
    CHECK(scrub("110105 19491231 002X") == "1101** ******** 002X");
    CHECK(scrub("11010519491231002x.") == "1101**********002x.");
    CHECK(scrub("340524800101001") == "3405*******1001"); // legacy 15-digit ID
    // Two numbers in one field, side by side.
    CHECK(scrub("13855385678 13955385678") == "138****5678 139****5678");
    CHECK(scrub("13855385678,13955385678") == "138****5678,139****5678");
    // Inside other text, JSON-ish or URL-ish.
    CHECK(scrub("{\"p\":\"13855385678\"}") == "{\"p\":\"138****5678\"}");
    CHECK(scrub("tel:13855385678&id=11010519491231002X") ==
          "tel:138****5678&id=1101**********002X");
    // Full-width digits (typed with a Chinese input method) are masked in place.
    CHECK(
        scrub("\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98\xEF\xBC\x95\xEF\xBC\x95\xEF\xBC\x93\xEF\xBC\x98"
              "\xEF\xBC\x95\xEF\xBC\x96\xEF\xBC\x97\xEF\xBC\x98") ==
        "\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98\xEF\xBC\x8A\xEF\xBC\x8A\xEF\xBC\x8A\xEF\xBC\x8A"
        "\xEF\xBC\x95\xEF\xBC\x96\xEF\xBC\x97\xEF\xBC\x98");
    // What is not personal stays readable.
    CHECK(scrub("2026-11-23 18:08:19 seq 42") == "2026-11-23 18:08:19 seq 42");
    CHECK(scrub("1700000000000") == "1700000000000"); // a 13-digit millisecond time
    CHECK(scrub("v1.2.3") == "v1.2.3");
}

TEST_CASE("field names are scrubbed as well as values") {
    jf::test::TempDir tmp_dir("jf-log-keys");
    const fs::path dir = tmp_dir.path;
    REQUIRE(jf::log::open(dir.string(), "hub"));
    jf::log::warn("13855385678", "id 11010519491231002X", {{"13955385678", "138 5538 5678"}});
    jf::log::flush();
    std::ifstream in(dir / "hub.log");
    std::stringstream all;
    all << in.rdbuf();
    for (const char* plain : {"13855385678", "13955385678", "11010519491231002X", "5538 5678"})
        CHECK(all.str().find(plain) == std::string::npos);
}

// -- A crash leaves a useful last line --------------------------------------------

namespace {

// Runs `crash` in a child that logs "checkin.recording" first; returns the child's log lines.
std::vector<nlohmann::json> crash_log(const char* name, void (*crash)()) {
    jf::test::TempDir tmp_dir(std::string("jf-log-crash-") + name);
    const fs::path dir = tmp_dir.path;
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        // As a fresh process would start: no test framework handlers underneath.
        for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT})
            std::signal(sig, SIG_DFL);
        std::set_terminate(nullptr);
        if (!jf::log::open(dir.string(), "kiosk")) ::_exit(3);
        jf::log::info("checkin", "recording", {{"attendee", "A-7"}});
        crash();
        ::_exit(4); // not reached
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    // Killed by the signal, or (in a sanitizer build) ended by the sanitizer's report.
    CHECK((WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
                                   WEXITSTATUS(status) != 3 && WEXITSTATUS(status) != 4)));
    std::ifstream in(dir / "kiosk.log");
    std::vector<nlohmann::json> lines;
    std::string line;
    while (std::getline(in, line))
        lines.push_back(nlohmann::json::parse(line));
    return lines;
}

} // namespace

TEST_CASE("a crash leaves a last line naming the signal and what was being done") {
    SECTION("abort") {
        auto lines = crash_log("abort", [] { std::abort(); });
        REQUIRE(lines.size() == 2);
        CHECK(lines[0]["event"] == "recording");
        CHECK(lines[1]["level"] == "fatal");
        CHECK(lines[1]["event"] == "fatal_signal");
        CHECK(lines[1]["signal"] == "SIGABRT");
        CHECK(lines[1]["last_event"] == "checkin.recording");
        CHECK(lines[1]["t"].get<int64_t>() >= lines[0]["t"].get<int64_t>());
    }
    SECTION("a bad pointer") {
        // The kernel's SIGSEGV, delivered directly: a real null store would be stopped by UBSan
        // (halt_on_error) before the handler runs in the sanitizer build.
        auto lines = crash_log("segv", [] { std::raise(SIGSEGV); });
        REQUIRE(lines.size() == 2);
        CHECK(lines[1]["signal"] == "SIGSEGV");
        CHECK(lines[1]["last_event"] == "checkin.recording");
    }
    SECTION("an uncaught exception") {
        auto lines = crash_log("throw", [] {
            // Thrown on a thread of its own, where nothing catches it.
            std::thread([] { throw std::runtime_error("disk full at 13855385678"); }).join();
        });
        REQUIRE(lines.size() == 3);
        CHECK(lines[1]["event"] == "uncaught_exception");
        CHECK(lines[1]["what"] == "disk full at 138****5678"); // scrubbed like any line
        CHECK(lines[2]["signal"] == "SIGABRT");
        CHECK(lines[2]["last_event"] == "process.uncaught_exception");
    }
}
