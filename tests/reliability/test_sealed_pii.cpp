// Personal data stays sealed (docs/DESIGN.md §3): the demo flow runs through the code the screens
// and commands call — demo seeding, walk-up registration with a phone and an ID number, the
// entrance check-in, phone look-up, a placement at the employer desk, the weekly export, and the
// real jobfair-kiosk process (its window under Xvfb and its `report` command) — and then every file
// in the terminal's data directory is searched for the numbers people gave: the database, its -wal
// and -shm, the logs and the exported spreadsheets (XLSX unzipped). No number may be found, in
// any common formatting (spaces, dashes, dots, +86, full-width digits, UTF-16).
//
// Index
// - Number search    digits bridged over short separators, so "159 2736-4810" still matches
// - Files            every file under the data dir, with XLSX/ZIP members inflated
// - The flow         the demo run, then the search; the sealed copies open with the hub's key
#include <catch2/catch.hpp>

#include "kiosk/checkin/checkin_desk.hpp"
#include "kiosk/desk/placement_flow.hpp"
#include "kiosk/desk/registration.hpp"
#include "kiosk/domain/validate.hpp"
#include "kiosk/forms/export.hpp"
#include "platform/log/log.hpp"
#include "tests/reliability/reliability.hpp"
#include "kiosk/store/demo.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/people.hpp"

#include <nlohmann/json.hpp>
#include <zip.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

using namespace jf;
namespace fs = std::filesystem;

namespace {

// -----------------------------------------------------------------------------
// Number search
// -----------------------------------------------------------------------------

bool alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Every run of digits in `bytes` where digits may be separated by up to two bytes that are not
// letters or digits (space, dash, dot, "+", a UTF-16 zero byte), as digit strings. Full-width
// digits (０-９) count as digits; an X or x right after digits is kept (the ID check character).
std::vector<std::string> digit_runs(const std::string& bytes) {
    std::vector<std::string> runs;
    std::string cur;
    size_t gap = 0;
    for (size_t i = 0; i < bytes.size(); ++i) {
        auto c = static_cast<unsigned char>(bytes[i]);
        char d = 0;
        if (c >= '0' && c <= '9') d = static_cast<char>(c);
        if (c == 0xEF && i + 2 < bytes.size() && static_cast<unsigned char>(bytes[i + 1]) == 0xBC) {
            auto e = static_cast<unsigned char>(bytes[i + 2]);
            if (e >= 0x90 && e <= 0x99) d = static_cast<char>('0' + (e - 0x90)), i += 2;
        }
        if (!d && (c == 'X' || c == 'x') && !cur.empty() && gap == 0) d = 'X';
        if (d) {
            cur += d;
            gap = 0;
            if (d == 'X') {
                runs.push_back(cur);
                cur.clear();
            }
        } else if (!cur.empty() && !alnum(c) && ++gap <= 2) {
            continue;
        } else {
            if (cur.size() >= 7) runs.push_back(cur);
            cur.clear();
            gap = 0;
        }
    }
    if (cur.size() >= 7) runs.push_back(cur);
    return runs;
}

// What must never be found: a whole number, and for the walk-up person also any long piece of it
// (8 digits of the phone, 9 characters of the ID: more than any mask shows).
struct Secret {
    std::string what;
    std::vector<std::string> needles;
};

Secret phone_secret(const std::string& who, const std::string& phone, bool pieces) {
    Secret s{who + " phone " + phone.substr(0, 3) + "****" + phone.substr(7), {phone}};
    if (pieces)
        for (size_t i = 0; i + 8 <= phone.size(); ++i)
            s.needles.push_back(phone.substr(i, 8));
    return s;
}
Secret id_secret(const std::string& who, std::string id, bool pieces) {
    for (auto& c : id)
        if (c == 'x') c = 'X';
    Secret s{who + " ID " + id.substr(0, 4) + "**********" + id.substr(14), {id}};
    if (pieces)
        for (size_t i = 0; i + 9 <= id.size(); ++i)
            s.needles.push_back(id.substr(i, 9));
    return s;
}

// -----------------------------------------------------------------------------
// Files
// -----------------------------------------------------------------------------

std::string file_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The file itself, plus each member of a ZIP container (XLSX) inflated.
std::vector<std::pair<std::string, std::string>> readable_parts(const fs::path& p) {
    std::vector<std::pair<std::string, std::string>> parts{{p.string(), file_bytes(p)}};
    if (parts[0].second.rfind("PK\x03\x04", 0) != 0) return parts;
    int err = 0;
    zip_t* z = zip_open(p.c_str(), ZIP_RDONLY, &err);
    REQUIRE(z); // a ZIP the search cannot read would hide what is inside
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
        zip_stat_t st;
        if (zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
        zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
        REQUIRE(f);
        std::string data(static_cast<size_t>(st.size), '\0');
        zip_int64_t n = zip_fread(f, data.data(), st.size);
        zip_fclose(f);
        REQUIRE(n == static_cast<zip_int64_t>(st.size));
        parts.push_back({p.string() + "!" + st.name, std::move(data)});
    }
    zip_close(z);
    return parts;
}

struct Finding {
    std::string where, what;
};

// Searches every file under `dir`; `searched` receives what was looked at.
std::vector<Finding> search(const fs::path& dir, const std::vector<Secret>& secrets,
                            std::vector<std::string>& searched) {
    std::vector<Finding> found;
    for (auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        for (auto& [name, bytes] : readable_parts(e.path())) {
            searched.push_back(name);
            auto runs = digit_runs(bytes);
            for (auto& s : secrets)
                for (auto& needle : s.needles)
                    for (auto& r : runs)
                        if (r.find(needle) != std::string::npos) {
                            found.push_back({name, s.what + " (as " + needle + ")"});
                            goto next_secret;
                        }
        next_secret:;
        }
    }
    return found;
}

// -----------------------------------------------------------------------------
// The flow
// -----------------------------------------------------------------------------

// A valid 18-digit ID (GB 11643) for an invented person: the check character is found with the
// product's own validator.
std::string invented_id(const std::string& first17) {
    for (char c : std::string("0123456789X"))
        if (check_resident_id(first17 + c).ok()) return first17 + c;
    return {};
}

Signature scribble(int seed) {
    Signature s;
    for (int k = 0; k < 3; ++k) {
        std::vector<std::pair<int16_t, int16_t>> stroke;
        for (int i = 0; i < 12; ++i)
            stroke.emplace_back(int16_t(100 + k * 250 + i * 15),
                                int16_t(300 + ((i + seed) % 4) * 60));
        s.strokes.push_back(stroke);
    }
    return s;
}

// Runs a command line, returning its exit status (output to the test log).
int run(const std::string& cmd) {
    int rc = std::system((cmd + " 2>&1").c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

} // namespace

TEST_CASE("after the demo flow no phone or ID number is found in the terminal's files") {
    jf::test::TempDir tmp;
    fs::path data = tmp.path / "data";
    fs::create_directories(data / "logs");
    const std::string phone = "15927364810";
    const std::string resident_id = invented_id("34022519880512345");
    REQUIRE(resident_id.size() == 18);
    const TimeMs now = now_ms();
    const Date today = cst_date(now);

    std::vector<Secret> secrets{phone_secret("walk-up", phone, true),
                                id_secret("walk-up", resident_id, true)};
    // The demo's invented attendees were given numbers too; none may appear either.
    auto demo = nlohmann::json::parse(file_bytes(default_demo_dir() + "/attendees.json"));
    for (auto& row : demo["rows"]) {
        std::string who = row.value("id", "demo");
        if (row.contains("手机号码")) secrets.push_back(phone_secret(who, row["手机号码"], false));
        if (row.contains("身份证号码")) secrets.push_back(id_secret(who, row["身份证号码"], false));
    }
    REQUIRE(secrets.size() > 10);

    std::vector<std::string> searched;
    {
        REQUIRE(log::open((data / "logs").string(), "kiosk"));
        std::string err;
        auto store = Store::open((data / "kiosk.db").string(), &err);
        REQUIRE(store);
        REQUIRE(seed_demo(*store, default_demo_dir(), today, &err));
        auto identity = load_identity(*store);
        REQUIRE(identity);
        auto keys = load_demo_keys(default_demo_dir());
        REQUIRE(keys);

        // Walk-up registration, the numbers typed the way people type them.
        desk::WalkUpForm form;
        form.name = "周晓梅";
        form.phone = "+86 159-2736-4810";
        form.resident_id = resident_id;
        form.gender = Gender::Female;
        form.key_groups = kMigrantWorker;
        form.consent = true;
        for (auto& c : desk::check_walk_up(form, today))
            FAIL_CHECK(c.field << ": " << c.key);
        // A careless log line with the form as typed: the scrubber is the last line of defence.
        log::warn("desk", "walk_up_typed",
                  {{"phone", form.phone},
                   {"id", form.resident_id},
                   {"id_grouped", resident_id.substr(0, 6) + " " + resident_id.substr(6, 8) + " " +
                                      resident_id.substr(14)}});
        auto reg = desk::register_walk_up(*store, *identity, form, now, &err);
        INFO("register_walk_up: " << err);
        REQUIRE(reg);
        form.forget();
        log::info("desk", "walk_up_registered", {{"attendee", reg->attendee.id}});

        // Only the hub's key opens the sealed copies, and they hold the given numbers.
        auto stored = store->attendee(reg->attendee.id);
        REQUIRE(stored);
        auto sealed_phone = from_base64(stored->sealed_phone);
        auto sealed_id = from_base64(stored->sealed_id);
        REQUIRE(sealed_phone);
        REQUIRE(sealed_id);
        CHECK(open_sealed(keys->hub_seal, *sealed_phone) == phone);
        CHECK(open_sealed(keys->hub_seal, *sealed_id) == resident_id);
        CHECK_FALSE(open_sealed(BoxKeyPair::generate(), *sealed_phone));
        CHECK(stored->phone_masked == "159****4810");

        // The entrance: the new code scanned, then the person found again by phone number.
        CheckInDesk entrance(*store, *identity, identity->fair_id);
        auto in = entrance.present_at_entrance(reg->credential_text, ScanMethod::Camera, now);
        REQUIRE(in.admitted());
        CHECK(in.verdict == Verdict::CheckedIn);
        auto found = desk::look_up_attendees(*store, "159 2736 4810");
        REQUIRE(found.size() == 1);
        auto again = entrance.check_in_attendee(found[0].id, ScanMethod::ManualLookup, now + 1000);
        CHECK(again.verdict == Verdict::AlreadyCheckedIn);
        log::info("entrance", "checked_in", {{"attendee", found[0].id}});

        // The employer desk: a demo employer with open listings hires the walk-up person.
        desk::PlacementFlow flow(*store, identity->signer(), identity->fair_id);
        bool employer_ok = false;
        for (auto& e : store->employers())
            if ((employer_ok = flow.set_employer(e, today).ok())) break;
        REQUIRE(employer_ok);
        REQUIRE(flow.set_seeker(*stored, today).ok());
        REQUIRE(!flow.listings().empty());
        REQUIRE(flow.choose_listing(flow.listings().front().id).ok());
        flow.draft().prev_year_work_place = "江苏省苏州市";
        flow.draft().start_date = today;
        auto problems = flow.to_review(today);
        INFO((problems.empty() ? std::string() : problems.front().key));
        REQUIRE(problems.empty());
        flow.confirm_review();
        REQUIRE(flow.seeker_signs(scribble(1)).ok());
        REQUIRE(flow.employer_signs(scribble(2)).ok());
        auto placed = flow.commit(now + 2000, &err);
        INFO("commit: " << err);
        REQUIRE(placed);
        CHECK(placed->phone_masked == "159****4810");
        log::info("desk", "placement_stored", {{"uuid", placed->h.uuid}});

        // The admin screen's export: this week's forms to a folder (a USB stick).
        auto exported =
            forms::export_reports(*store, (data / "export").string(), ReportWeek::containing(now));
        INFO("export: " << exported.error << " " << exported.detail);
        REQUIRE(!exported.files.empty());
        log::flush();

        // Searched while the store is open: the -wal and -shm files exist now.
        REQUIRE(fs::exists(data / "kiosk.db-wal"));
        auto findings = search(data, secrets, searched);
        for (auto& f : findings)
            UNSCOPED_INFO(f.where << ": " << f.what);
        CHECK(findings.empty());
    }

    // The real programs on the same data directory: the kiosk's window (seeding again, logging)
    // and the report command.
    fs::path kiosk = fs::path(JF_TEST_BUILD_DIR) / "kiosk/app/jobfair-kiosk";
    REQUIRE(fs::exists(kiosk));
    std::string dd = " --data-dir '" + data.string() + "'";
    if (std::getenv("DISPLAY")) {
        // In a sanitizer build, the GL driver's allocations (freed by nobody, in a library unloaded
        // at exit) are not the kiosk's leaks; everything else stays checked.
        CHECK(run("ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:detect_leaks=0\" '" + kiosk.string() +
                  "' --demo" + dd + " --windowed 1280x800 --frames 5" + " --screenshot '" +
                  (tmp.path / "shot.png").string() + "'") == 0);
    } else {
        WARN("no DISPLAY: the kiosk window part is skipped (ctest under xvfb-run runs it)");
    }
    CHECK(run("'" + kiosk.string() + "' report" + dd + " --out '" + (data / "export-cli").string() +
              "'") == 0);
    REQUIRE(fs::exists(data / "export-cli"));

    searched.clear();
    auto findings = search(data, secrets, searched);
    for (auto& f : findings)
        UNSCOPED_INFO(f.where << ": " << f.what);
    CHECK(findings.empty());
    // The search looked where it should: the database, the logs, the spreadsheets' insides.
    auto looked_at = [&](const std::string& part) {
        return std::any_of(searched.begin(), searched.end(),
                           [&](auto& s) { return s.find(part) != std::string::npos; });
    };
    CHECK(looked_at("kiosk.db"));
    CHECK(looked_at("logs/kiosk.log"));
    CHECK(looked_at(".xlsx!xl/worksheets/"));
    CHECK(looked_at(".csv"));
}

TEST_CASE("the number search finds numbers however they are written") {
    std::vector<Secret> s{phone_secret("p", "15927364810", true),
                          id_secret("i", "34022519880512345X", true)};
    auto hits = [&](const std::string& text) {
        jf::test::TempDir tmp;
        std::ofstream(tmp.path / "f", std::ios::binary) << text;
        std::vector<std::string> searched;
        return search(tmp.path, s, searched).size();
    };
    CHECK(hits("tel 15927364810") == 1);
    CHECK(hits("+86 159-2736-4810") == 1);
    CHECK(hits("159.2736.4810") == 1);
    CHECK(hits("\xEF\xBC\x91\xEF\xBC\x95\xEF\xBC\x99"
               "27364810") == 1); // full-width start
    CHECK(hits(std::string("1\0"
                           "5\0"
                           "9\0"
                           "2\0"
                           "7\0"
                           "3\0"
                           "6\0"
                           "4\0"
                           "8\0"
                           "1\0"
                           "0\0",
                           22)) == 1); // UTF-16LE
    CHECK(hits("340225 19880512 345x") == 1);
    CHECK(hits("id 340225198805123") == 1);             // a piece longer than a mask shows
    CHECK(hits("159****4810 3402**********345X") == 0); // masks are fine
    CHECK(hits("15927 and 364810") == 0);
}

TEST_CASE("a revoked terminal's wipe leaves nothing of the people it held in its files") {
    crypto_init();
    jf::test::TempDir tmp;
    auto path = tmp.file("kiosk.db");
    auto store = Store::open(path);
    REQUIRE(store);
    auto hub = BoxKeyPair::generate();
    // Names, masks and sealed copies: everything a row of the registry holds.
    std::vector<std::string> traces;
    REQUIRE(store->transaction([&] {
        for (int i = 0; i < 300; ++i) {
            AttendeeInput in;
            in.id = "W" + std::to_string(i);
            in.name = "WIPEDNAME" + std::to_string(1000 + i);
            in.phone = "1592736" + std::to_string(4000 + i);
            in.resident_id = invented_id("34022519880512" + std::to_string(100 + i));
            in.name_initials = "wn";
            auto a = seal_attendee(in, hub.public_key);
            if (a.id.empty() || !store->upsert_attendee(a)) return false;
            if (i % 50 == 0) {
                traces.push_back(a.name);
                traces.push_back(a.phone_masked);
                traces.push_back(a.sealed_phone.substr(0, 40));
            }
        }
        return true;
    }));
    REQUIRE(store->set_setting("terminal.note", "stays"));
    auto file_bytes = [&] {
        std::string all;
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::ifstream in(path + suffix, std::ios::binary);
            all.append(std::istreambuf_iterator<char>(in), {});
        }
        return all;
    };
    auto found = [&](const std::string& bytes) {
        int n = 0;
        for (auto& t : traces)
            if (bytes.find(t) != std::string::npos) ++n;
        return n;
    };
    REQUIRE(found(file_bytes()) == static_cast<int>(traces.size())); // the search can see them

    REQUIRE(store->wipe_personal_data());
    CHECK(store->count_attendees() == 0);
    CHECK(store->setting("terminal.note") == "stays");
    // Not in the tables, not in free pages, not in the log: the store is still open, as on a
    // running terminal.
    CHECK(found(file_bytes()) == 0);
    CHECK(jf::test::integrity_check(store->handle()) == "ok");
    // Inside a caller's transaction it is refused (the file cannot be rebuilt there), and the
    // transaction changes nothing.
    AttendeeInput again;
    again.id = "W-again";
    again.name = "WIPEDAGAIN";
    REQUIRE(store->upsert_attendee(seal_attendee(again, hub.public_key)));
    CHECK_FALSE(store->transaction([&] { return store->wipe_personal_data(); }));
    CHECK(store->count_attendees() == 1);
    CHECK(store->wipe_personal_data());
    CHECK(store->count_attendees() == 0);
}
