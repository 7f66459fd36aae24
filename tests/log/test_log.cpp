// Logs are JSON lines, rotate, and never carry a phone or ID number even when a caller passes one.
#include <catch2/catch.hpp>

#include "log/log.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

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
    fs::path dir = fs::temp_directory_path() / ("jf_log_test_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
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
    fs::remove_all(dir);
}
