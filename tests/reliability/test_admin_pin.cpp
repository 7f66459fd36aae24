// The admin PIN from the attacker's side (docs/DESIGN.md §3, the admin screen's PinGuard): it is
// kept only as a salted Argon2id hash at no less than libsodium's interactive cost (t >= 2 passes,
// m >= 64 MiB) with a 16-byte salt, the same PIN in two terminals gives two different strings,
// and its digits appear nowhere in the database files. The lock-out after five wrong tries is
// counted in the database before the PIN is compared, so it holds across real process restarts:
// wrong tries from separate processes add up, a fresh process finds the lock, and a process
// killed with SIGKILL at random moments while it tries PINs never sees more than five answers.
#include <catch2/catch.hpp>

#include "tests/support/support.hpp"

#include "tests/reliability/sqlite_read.hpp"
#include "kiosk/store/store.hpp"
#include "kiosk/ui/pin.hpp"

#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>

using namespace jf;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPin = "73914682";
constexpr const char* kWrong = "11112222";
constexpr TimeMs kNow = 1708653725000; // one fixed clock for every process: no timing involved

struct Dir : jf::test::TempDir {
    Dir() : TempDir("jf-pin") {}
    std::string db() const { return file("kiosk.db"); }
};

std::string pin_hash(const std::string& db) {
    auto s = Store::open(db);
    return s ? s->setting("admin.pin_hash").value_or("") : "";
}

// Every byte of the database and its -wal and -shm files.
std::string file_bytes(const std::string& db) {
    std::string all;
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::ifstream in(db + suffix, std::ios::binary);
        all.append(std::istreambuf_iterator<char>(in), {});
    }
    return all;
}

// Runs `fn` in a child process (its own Store connection) and returns what it wrote to the pipe,
// one character per attempt: W wrong, L locked, K ok, E error. When `kill_after_ms` >= 0 the
// child is killed with SIGKILL after that long, wherever it is.
std::string in_child(const std::string& db, int tries, const char* pin, int kill_after_ms = -1) {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(p[0]);
        auto store = Store::open(db);
        if (!store) ::_exit(2);
        ui::PinGuard guard(*store);
        for (int i = 0; i < tries; ++i) {
            auto r = guard.check(pin, kNow);
            char c = r.result == ui::PinCheck::Wrong    ? 'W'
                     : r.result == ui::PinCheck::Locked ? 'L'
                     : r.result == ui::PinCheck::Ok     ? 'K'
                                                        : 'E';
            if (::write(p[1], &c, 1) != 1) ::_exit(3);
        }
        ::_exit(0);
    }
    ::close(p[1]);
    if (kill_after_ms >= 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
        ::kill(pid, SIGKILL);
    }
    std::string seen;
    char buf[64];
    ssize_t n;
    while ((n = ::read(p[0], buf, sizeof buf)) > 0)
        seen.append(buf, static_cast<size_t>(n));
    ::close(p[0]);
    int st = 0;
    ::waitpid(pid, &st, 0);
    if (kill_after_ms < 0) CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 0));
    return seen;
}

} // namespace

TEST_CASE("the admin PIN is kept only as a salted Argon2id hash of at least interactive cost") {
    REQUIRE(sodium_init() >= 0);
    Dir one, two;
    for (auto* d : {&one, &two}) {
        auto s = Store::open(d->db());
        REQUIRE(s);
        REQUIRE(ui::PinGuard(*s).set(kPin));
    }
    std::string h1 = pin_hash(one.db()), h2 = pin_hash(two.db());
    INFO(h1);
    CHECK(h1 != h2); // a random salt per store
    // $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>
    unsigned version = 0, m = 0, t = 0, lanes = 0;
    REQUIRE(std::sscanf(h1.c_str(), "$argon2id$v=%u$m=%u,t=%u,p=%u$", &version, &m, &t, &lanes) ==
            4);
    CHECK(version == 19);
    CHECK(m >= crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024); // 64 MiB
    CHECK(t >= crypto_pwhash_OPSLIMIT_INTERACTIVE);        // 2 passes
    CHECK(lanes >= 1);
    auto salt_at = h1.find('$', h1.find("p=")) + 1;
    auto salt = h1.substr(salt_at, h1.find('$', salt_at) - salt_at);
    CHECK(salt.size() >= 22); // 16 bytes, base64 without padding
    CHECK(crypto_pwhash_str_needs_rehash(h1.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                         crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0);
    // The digits are nowhere in the files, not even in the write-ahead log.
    for (auto* d : {&one, &two}) {
        auto bytes = file_bytes(d->db());
        CHECK(bytes.size() > 4096);
        CHECK(bytes.find(kPin) == std::string::npos);
        bool holds_hash = bytes.find(h1.substr(h1.rfind('$'))) != std::string::npos;
        CHECK(holds_hash == (d == &one)); // the search does see what is stored
    }
    auto s = Store::open(one.db());
    CHECK(ui::PinGuard(*s).check(kPin, kNow).result == ui::PinCheck::Ok);
    CHECK(ui::PinGuard(*s).check("73914683", kNow).result == ui::PinCheck::Wrong);
}

TEST_CASE("wrong PINs from separate processes add up; a fresh process finds the lock") {
    Dir d;
    {
        auto s = Store::open(d.db());
        REQUIRE(s);
        REQUIRE(ui::PinGuard(*s).set(kPin));
    }
    // Four processes, one wrong try each, then a fifth: the fifth wrong try locks.
    for (int i = 0; i < ui::kPinMaxTries - 1; ++i)
        CHECK(in_child(d.db(), 1, kWrong) == "W");
    CHECK(in_child(d.db(), 1, kWrong) == "W");
    // Restarted: the right PIN is refused while the lock lasts, in any new process.
    CHECK(in_child(d.db(), 1, kPin) == "L");
    CHECK(in_child(d.db(), 2, kPin) == "LL");
    auto s = Store::open(d.db());
    TimeMs until = 0;
    CHECK(ui::PinGuard(*s).locked(kNow, &until));
    CHECK(until == kNow + ui::kPinLockMs);
    // Once served, the right PIN opens.
    CHECK(ui::PinGuard(*s).check(kPin, until + 1).result == ui::PinCheck::Ok);
}

TEST_CASE("killing the process while it tries PINs never buys a sixth answer") {
    Dir d;
    {
        auto s = Store::open(d.db());
        REQUIRE(s);
        REQUIRE(ui::PinGuard(*s).set(kPin));
    }
    // An attacker tries wrong PINs and cuts the power at random moments, hoping to see an answer
    // before the failure is counted. Every answer it sees counts: at most five before the lock.
    // The kill window follows how long one check takes here (Argon2id at 64 MiB is slower on a busy
    // or sanitized build): up to three checks' time, so rounds see answers whatever the machine.
    int window_ms = 400;
    {
        Dir scratch;
        auto s = Store::open(scratch.db());
        REQUIRE(s);
        REQUIRE(ui::PinGuard(*s).set(kPin));
        auto t0 = std::chrono::steady_clock::now();
        CHECK(in_child(scratch.db(), 1, kWrong) == "W");
        auto one = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - t0)
                       .count();
        window_ms = std::max(window_ms, static_cast<int>(3 * one));
    }
    std::mt19937 rng(std::random_device{}());
    std::string seen;
    int kills = 0;
    for (int round = 0; round < 60 && seen.find('L') == std::string::npos; ++round) {
        int delay = static_cast<int>(rng() % static_cast<unsigned>(window_ms));
        auto got = in_child(d.db(), 20, kWrong, delay);
        seen += got;
        ++kills;
        auto s = Store::open(d.db());
        REQUIRE(s);
        CHECK(jf::test::integrity_check(s->handle()) == "ok");
    }
    INFO("answers seen: " << seen << " over " << kills << " kills");
    std::printf("{\"test\":\"admin_pin_kills\",\"kills\":%d,\"answers\":\"%s\"}\n", kills,
                seen.c_str());
    auto first_lock = seen.find('L');
    REQUIRE(first_lock != std::string::npos);
    CHECK(first_lock <= static_cast<size_t>(ui::kPinMaxTries));
    CHECK(seen.substr(0, first_lock).find_first_not_of('W') == std::string::npos);
    CHECK(seen.find('K') == std::string::npos);
    CHECK(in_child(d.db(), 1, kPin) == "L"); // and the lock holds for the right PIN too
}
