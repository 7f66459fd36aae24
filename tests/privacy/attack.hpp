// The best offline attack known on a stolen database, as a thief with the disk would run it
// (docs/privacy.md): copy the file with its WAL, harvest everything that could be a key (every
// 32- or 64-byte value anywhere: settings, blobs, base64 or hex text, and any extra file given,
// such as a key file), everything that could verify a guess (every 64-hex-digit value: keyed or
// plain hashes) and every sealed box, then
// - try every key as the X25519 secret of every sealed box (an Ed25519 secret converted too);
// - for every phone mask (138****5678) enumerate the 10,000 completions, and for every ID mask
//   (3402**********1234) the completions with a real birth date and the right check character,
//   and test each against every verifier with every key (BLAKE2b keyed under each look-up
//   domain, unkeyed BLAKE2b, SHA-256), until the time budget runs out.
// A number counts as recovered only when a verifier confirms it (or a sealed box opens). The
// attempts per second reached are the measured cost the docs quote.
#pragma once

#include "kiosk/crypto/crypto.hpp"
#include "kiosk/domain/validate.hpp"

#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

namespace jf::test {

struct AttackReport {
    std::string what;
    int64_t phone_masks = 0, id_masks = 0; // distinct people's masks found
    int64_t keys = 0, verifiers = 0, sealed = 0;
    int64_t attempts = 0; // hash evaluations tested against the verifiers
    double seconds = 0;
    int64_t recovered_phones = 0, recovered_ids = 0, opened_sealed = 0;
    std::set<std::string> recovered; // the full numbers confirmed
    double per_second() const { return seconds > 0 ? attempts / seconds : 0; }
    std::string json() const {
        char buf[512];
        std::snprintf(buf, sizeof buf,
                      "{\"bench\":\"privacy.attack\",\"target\":\"%s\",\"phone_masks\":%lld,"
                      "\"id_masks\":%lld,\"keys\":%lld,\"verifiers\":%lld,\"sealed\":%lld,"
                      "\"attempts\":%lld,\"seconds\":%.2f,\"attempts_per_s\":%.0f,"
                      "\"recovered_phones\":%lld,\"recovered_ids\":%lld,\"opened_sealed\":%lld}",
                      what.c_str(), static_cast<long long>(phone_masks),
                      static_cast<long long>(id_masks), static_cast<long long>(keys),
                      static_cast<long long>(verifiers), static_cast<long long>(sealed),
                      static_cast<long long>(attempts), seconds, per_second(),
                      static_cast<long long>(recovered_phones),
                      static_cast<long long>(recovered_ids), static_cast<long long>(opened_sealed));
        return buf;
    }
};

namespace attack_detail {

inline std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct Harvest {
    std::set<Bytes> keys;
    std::unordered_set<std::string> verifiers; // lower-case hex
    std::set<Bytes> sealed;
    std::set<std::string> phone_masks, id_masks;

    void add_key(const Bytes& b) {
        if (b.size() == 32) keys.insert(b);
        if (b.size() == 64) { // an Ed25519 secret: its seed, and its X25519 form
            keys.insert(Bytes(b.begin(), b.begin() + 32));
            Bytes x(32);
            if (crypto_sign_ed25519_sk_to_curve25519(x.data(), b.data()) == 0) keys.insert(x);
        }
    }
    // Hand-written scanners (std::regex is far too slow for whole databases).
    void scan_text(const std::string& s) {
        auto is_hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
        auto is_b64 = [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
        };
        auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
        for (size_t i = 0; i < s.size();) {
            size_t j = i;
            while (j < s.size() && is_b64(s[j]))
                ++j;
            if (j - i >= 40) {
                std::string run = s.substr(i, j - i);
                size_t eq = j;
                while (eq < s.size() && eq - j < 2 && s[eq] == '=')
                    ++eq;
                if (auto b = from_base64(s.substr(i, eq - i))) {
                    add_key(*b);
                    if (b->size() >= crypto_box_SEALBYTES) sealed.insert(*b);
                }
                if (run.size() == 64 && std::all_of(run.begin(), run.end(), is_hex)) {
                    for (auto& c : run)
                        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                    verifiers.insert(run);
                    if (auto b = from_hex(run)) add_key(*b);
                }
            }
            i = j == i ? i + 1 : j;
        }
        for (size_t at = s.find("****"); at != std::string::npos; at = s.find("****", at + 1)) {
            if (at >= 3 && at + 8 <= s.size() && s[at - 3] == '1' && is_digit(s[at - 2]) &&
                is_digit(s[at - 1]) && (at < 4 || !is_digit(s[at - 4])) &&
                std::all_of(s.begin() + at + 4, s.begin() + at + 8, is_digit) &&
                (at + 8 == s.size() || !is_digit(s[at + 8])))
                phone_masks.insert(s.substr(at - 3, 11));
            if (at >= 4 && at + 14 <= s.size() && s.compare(at, 10, std::string(10, '*')) == 0 &&
                std::all_of(s.begin() + at - 4, s.begin() + at, is_digit) &&
                std::all_of(s.begin() + at + 10, s.begin() + at + 13, is_digit) &&
                (is_digit(s[at + 13]) || s[at + 13] == 'X')) {
                id_masks.insert(s.substr(at - 4, 18));
                at += 9;
            }
        }
    }
    void scan_cell(sqlite3_stmt* st, int c) {
        int type = sqlite3_column_type(st, c);
        if (type == SQLITE_BLOB) {
            auto p = static_cast<const uint8_t*>(sqlite3_column_blob(st, c));
            Bytes b(p, p + sqlite3_column_bytes(st, c));
            add_key(b);
            if (b.size() >= crypto_box_SEALBYTES) sealed.insert(b);
            scan_text(std::string(b.begin(), b.end())); // event bodies are JSON in blobs
        } else if (type == SQLITE_TEXT) {
            scan_text(reinterpret_cast<const char*>(sqlite3_column_text(st, c)));
        }
    }
};

// Every row of every table of a copy of the database (with its WAL, as it was on disk).
inline void harvest_database(const std::string& db_path, Harvest& h) {
    namespace fs = std::filesystem;
    fs::path copy = fs::temp_directory_path() /
                    ("jf-attack-" + std::to_string(::getpid()) + "-" + hex(random_bytes(4)));
    fs::create_directories(copy);
    fs::path db = copy / "stolen.db";
    fs::copy_file(db_path, db);
    if (fs::exists(db_path + "-wal")) fs::copy_file(db_path + "-wal", db.string() + "-wal");
    sqlite3* conn = nullptr;
    if (sqlite3_open(db.c_str(), &conn) == SQLITE_OK) {
        std::vector<std::string> tables;
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(conn, "SELECT name FROM sqlite_master WHERE type='table'", -1, &st,
                           nullptr);
        while (sqlite3_step(st) == SQLITE_ROW)
            tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        for (auto& t : tables) {
            std::string sql = "SELECT * FROM \"" + t + "\"";
            if (sqlite3_prepare_v2(conn, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) continue;
            while (sqlite3_step(st) == SQLITE_ROW)
                for (int c = 0; c < sqlite3_column_count(st); ++c)
                    h.scan_cell(st, c);
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(conn);
    fs::remove_all(copy);
}

// The hidden digits of an ID mask: county (2 digits) and birth date, the check character must
// match the visible last one. Calls `f` with each consistent full number until it returns false.
template <class F> void id_completions(const std::string& mask, F&& f) {
    std::string id = mask;
    for (int county = 0; county < 100; ++county)
        for (int y = 2009; y >= 1950; --y)
            for (int m = 1; m <= 12; ++m)
                for (int d = 1; d <= 31; ++d) {
                    if (!Date{y, m, d}.valid()) continue;
                    char buf[16];
                    std::snprintf(buf, sizeof buf, "%02d%04d%02d%02d", county, y, m, d);
                    id.replace(4, 10, buf);
                    if (resident_id_check_char(id.substr(0, 17)) != id[17]) continue;
                    if (!f(id)) return;
                }
}

} // namespace attack_detail

// Runs the attack on `db_path` (and any `extra_files`, e.g. key files found beside it) for at most
// `budget_s` seconds of hashing.
inline AttackReport attack_database(const std::string& what, const std::string& db_path,
                                    const std::vector<std::string>& extra_files, double budget_s) {
    using namespace attack_detail;
    using Clock = std::chrono::steady_clock;
    AttackReport r;
    r.what = what;
    Harvest h;
    harvest_database(db_path, h);
    for (auto& f : extra_files)
        h.scan_text(read_all(f));
    r.phone_masks = static_cast<int64_t>(h.phone_masks.size());
    r.id_masks = static_cast<int64_t>(h.id_masks.size());
    r.keys = static_cast<int64_t>(h.keys.size());
    r.verifiers = static_cast<int64_t>(h.verifiers.size());
    r.sealed = static_cast<int64_t>(h.sealed.size());

    // 1. Every key against every sealed box.
    std::vector<BoxKeyPair> pairs;
    for (auto& k : h.keys) {
        BoxKeyPair p{Bytes(32), k};
        crypto_scalarmult_base(p.public_key.data(), k.data());
        pairs.push_back(std::move(p));
    }
    for (auto& box : h.sealed)
        for (auto& p : pairs)
            if (auto plain = open_sealed(p, box)) {
                ++r.opened_sealed;
                r.recovered.insert(*plain);
                break;
            }

    // 2. Guesses against verifiers, with every key (and none).
    std::vector<Bytes> keys(h.keys.begin(), h.keys.end());
    keys.push_back(Bytes{});
    const char* domains[] = {"jf.phone.v1", "jf.phone_tail.v1", "jf.id_tail.v1", "jf.id.v1"};
    auto t0 = Clock::now();
    auto out_of_time = [&] {
        return std::chrono::duration<double>(Clock::now() - t0).count() >= budget_s;
    };
    // keyed_hash() of crypto.cpp (BLAKE2b-256 over domain || 0x00 || value), computed in place
    // and compared as raw bytes, so the rate is the hash's, not string handling's.
    std::unordered_set<std::string> targets;
    for (auto& v : h.verifiers)
        if (auto b = from_hex(v)) targets.emplace(b->begin(), b->end());
    auto try_guess = [&](const std::string& guess) {
        bool hit = false;
        uint8_t out[32];
        std::string msg;
        for (const char* d : domains) {
            msg.assign(d);
            msg.push_back('\0');
            msg += guess;
            for (auto& k : keys) {
                ++r.attempts;
                crypto_generichash(out, sizeof out, reinterpret_cast<const uint8_t*>(msg.data()),
                                   msg.size(), k.empty() ? nullptr : k.data(), k.size());
                if (targets.count(std::string(reinterpret_cast<char*>(out), sizeof out)))
                    hit = true;
            }
        }
        crypto_hash_sha256(out, reinterpret_cast<const uint8_t*>(guess.data()), guess.size());
        ++r.attempts;
        if (targets.count(std::string(reinterpret_cast<char*>(out), sizeof out))) hit = true;
        return hit;
    };
    bool stop = false;
    for (auto& mask : h.phone_masks) {
        if (stop) break;
        std::string phone = mask;
        for (int hidden = 0; hidden < 10000; ++hidden) {
            if ((hidden & 63) == 0 && out_of_time()) {
                stop = true;
                break;
            }
            char buf[8];
            std::snprintf(buf, sizeof buf, "%04d", hidden);
            phone.replace(3, 4, buf);
            if (try_guess(phone)) {
                ++r.recovered_phones;
                r.recovered.insert(phone);
                break;
            }
        }
    }
    for (auto& mask : h.id_masks) {
        if (stop || out_of_time()) break;
        int n = 0;
        attack_detail::id_completions(mask, [&](const std::string& id) {
            if ((++n & 63) == 0 && out_of_time()) return stop = true, false;
            if (try_guess(id)) {
                ++r.recovered_ids;
                r.recovered.insert(id);
                return false;
            }
            return true;
        });
    }
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return r;
}

} // namespace jf::test
