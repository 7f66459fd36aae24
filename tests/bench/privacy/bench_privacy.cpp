// Privacy benchmarks on a real SQLite file (docs/privacy.md):
// - privacy.lookup_full / _tail / _initials: the entrance screen's look-up
// (desk::look_up_attendees,
//   what the screen calls) by full phone number, its last four digits and pinyin initials, over
//   20,000 people of the fair stored as a terminal stores them (masks, no verifier). p95 < 300 ms.
// - privacy.attack: the offline attack of tests/privacy/attack.hpp on that file with every key in
//   it: attempts per second reached, and what it recovered (nothing).
// Prints one JSON object per line. --quick: 2,000 people and a short attack (ctest runs this).
// --attack FILE [KEYFILE...]: only the attack, on a database found elsewhere (any version),
// with any key files given, for 10 s.
#include "kiosk/desk/registration.hpp"
#include "tests/privacy/attack.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/people.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

using namespace jf;
using Clock = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

} // namespace

int main(int argc, char** argv) {
    if (argc > 2 && std::strcmp(argv[1], "--attack") == 0) {
        if (!crypto_init()) return 1;
        std::vector<std::string> key_files(argv + 3, argv + argc);
        auto r = jf::test::attack_database(argv[2], argv[2], key_files, 10.0);
        std::printf("%s\n", r.json().c_str());
        return 0;
    }
    bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const int people = quick ? 2000 : 20000;
    const int queries = quick ? 50 : 300;
    if (!crypto_init()) return 1;
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("jf-bench-privacy-" + hex(random_bytes(4)));
    fs::create_directories(dir);
    auto cleanup = [&] { fs::remove_all(dir); };
    std::string path = (dir / "kiosk.db").string();
    auto store = Store::open(path);
    if (!store) return 1;
    TerminalIdentity id;
    id.terminal_id = "T-BENCH";
    id.key = SigningKey::generate();
    auto hub = BoxKeyPair::generate();
    id.hub_seal_public_key = hub.public_key;
    id.fair_id = "F1";
    id.mode = "entrance";
    if (!save_identity(*store, id)) return 1;

    std::mt19937 rng(20240223);
    static const char* heads[] = {"139", "158", "187", "135", "150", "177"};
    std::vector<std::string> phones, initials;
    bool ok = store->transaction([&] {
        for (int i = 0; i < people; ++i) {
            AttendeeInput in;
            in.id = "P" + std::to_string(i);
            in.name = "人" + std::to_string(i);
            char phone[16];
            std::snprintf(phone, sizeof phone, "%s%08u", heads[rng() % 6],
                          static_cast<unsigned>(rng() % 100000000));
            in.phone = phone;
            char first17[18];
            std::snprintf(
                first17, sizeof first17, "340225%04u%02u%02u%03u",
                1960 + static_cast<unsigned>(rng() % 40), 1 + static_cast<unsigned>(rng() % 12),
                1 + static_cast<unsigned>(rng() % 28), static_cast<unsigned>(rng() % 1000));
            in.resident_id = std::string(first17) + resident_id_check_char(first17);
            std::string ini;
            for (int k = 0; k < 3; ++k)
                ini += static_cast<char>('a' + rng() % 26);
            in.name_initials = ini;
            in.campaign_id = "C1";
            auto a = seal_attendee(in, hub.public_key);
            if (a.id.empty() || !store->upsert_attendee(a)) return false;
            phones.push_back(in.phone);
            initials.push_back(ini.substr(0, 2));
        }
        return true;
    });
    if (!ok) {
        std::fprintf(stderr, "loading people failed: %s\n", store->last_error().c_str());
        cleanup();
        return 1;
    }

    bool all_found = true;
    auto measure = [&](const char* name, auto typed_for) {
        std::vector<double> ms;
        size_t candidates = 0;
        for (int q = 0; q < queries; ++q) {
            int who = static_cast<int>(rng() % static_cast<unsigned>(people));
            std::string typed = typed_for(who);
            auto t0 = Clock::now();
            auto found = desk::look_up_attendees(*store, typed, 8);
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            candidates += found.size();
            if (found.empty()) all_found = false;
        }
        std::printf("{\"bench\":\"%s\",\"people\":%d,\"queries\":%d,\"p50_ms\":%.3f,"
                    "\"p95_ms\":%.3f,\"max_ms\":%.3f,\"candidates_avg\":%.2f}\n",
                    name, people, queries, percentile(ms, 50), percentile(ms, 95),
                    percentile(ms, 100), static_cast<double>(candidates) / queries);
        std::fflush(stdout);
    };
    measure("privacy.lookup_full", [&](int who) { return phones[who]; });
    measure("privacy.lookup_tail", [&](int who) { return phones[who].substr(7); });
    measure("privacy.lookup_initials", [&](int who) { return initials[who]; });

    store.reset();
    auto r = jf::test::attack_database("terminal.entrance", path, {}, quick ? 0.5 : 5.0);
    std::printf("%s\n", r.json().c_str());
    cleanup();
    if (!all_found) {
        std::fprintf(stderr, "a look-up found nobody: the data or the look-up is broken\n");
        return 1;
    }
    return r.recovered.empty() ? 0 : 1;
}
