// Personal data that a stolen terminal or a local account on the hub cannot open (docs/privacy.md),
// tested as an attacker would, with real parts: a real `jobfair-hub serve` over TLS holding 2,000
// people of a fair's campaign (and others of another campaign), terminals of each mode enrolled
// and synced by the real engine, a walk-up registered, a placement made and the hub's 附件6 written
// by its own command; then the stolen files are attacked with every key on the machine.
//
// Index
// - Setup         the hub, its people, one terminal per mode in its own data directory
// - Attack        each mode's database and the hub's, with the attack of attack.hpp
// - Files         modes after first start, after an upgrade from a 0644 install, after an export
// - Wipe          a revoked terminal's data directory, searched byte by byte
//
// JF_PRIVACY_ATTACK_SECONDS sets the attack's budget per database (0.5 s in the suite).
#include <catch2/catch.hpp>

#include "tests/privacy/attack.hpp"
#include "kiosk/desk/registration.hpp"
#include "sync/hub/hub_keyfile.hpp"
#include "platform/log/log.hpp"
#include "platform/log/private_files.hpp"
#include "tests/reliability/sqlite_read.hpp"
#include "kiosk/store/people.hpp"
#include "tests/sync/sync_trial.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace jf;
using namespace jf::test;
namespace fs = std::filesystem;

namespace {

// -----------------------------------------------------------------------------
// Setup
// -----------------------------------------------------------------------------

double attack_budget() {
    if (const char* s = std::getenv("JF_PRIVACY_ATTACK_SECONDS"))
        return std::max(0.1, std::atof(s));
    return 0.5;
}

struct Person {
    std::string id, name, phone, resident_id, initials, campaign;
};

// Invented people with valid numbers: mobile 13x/15x/18x, IDs from 340225 with real birth dates
// and check characters.
std::vector<Person> invented_people(int n, const std::string& prefix, const std::string& campaign,
                                    int seed) {
    static const char* family[] = {"张", "王", "李", "赵", "陈", "刘", "杨", "黄", "周", "吴"};
    static const char* family_py[] = {"z", "w", "l", "z", "c", "l", "y", "h", "z", "w"};
    static const char* given[] = {"伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰"};
    static const char* given_py[] = {"w", "f", "n", "m", "j", "l", "y", "y", "y", "j"};
    std::vector<Person> out;
    for (int i = 0; i < n; ++i) {
        uint64_t k = static_cast<uint64_t>(i) * 7919u + static_cast<uint64_t>(seed);
        Person p;
        p.id = prefix + std::to_string(10000 + i);
        // The number in the name keeps names unique, so a byte search can tell them apart.
        p.name = std::string(family[k % 10]) + given[(k / 10) % 10] + "试" + std::to_string(i);
        p.initials = std::string(family_py[k % 10]) + given_py[(k / 10) % 10] + "s";
        static const char* heads[] = {"139", "158", "187", "135"};
        char phone[16];
        std::snprintf(phone, sizeof phone, "%s%08u", heads[k % 4],
                      static_cast<unsigned>((k * 104729u + 12345u) % 100000000u));
        p.phone = phone;
        char first17[18];
        std::snprintf(first17, sizeof first17, "340225%04u%02u%02u%03u",
                      static_cast<unsigned>(1960 + k % 40), static_cast<unsigned>(1 + k % 12),
                      static_cast<unsigned>(1 + k % 28), static_cast<unsigned>(k % 1000));
        p.resident_id = std::string(first17) + resident_id_check_char(first17);
        p.campaign = campaign;
        out.push_back(std::move(p));
    }
    return out;
}

void write_people_csv(const std::string& path, const std::vector<Person>& people) {
    std::ofstream out(path);
    out << "编号,姓名,手机号码,身份证号码,性别,拼音首字母,重点群体,活动\n";
    for (auto& p : people)
        out << p.id << "," << p.name << "," << p.phone << "," << p.resident_id << ",男,"
            << p.initials << ",农民工," << p.campaign << "\n";
}

struct World {
    Trial t;
    std::vector<Person> fair_people, others;

    // `n` people of the fair's campaign C1 (and a twentieth as many of campaign C2) on the hub.
    explicit World(int n)
        : fair_people(invented_people(n, "P", "C1", 1)),
          others(invented_people(std::max(1, n / 20), "Q", "C2", 5)) {
        // The fair belongs to campaign C1; the hub's registry holds C1's people and C2's.
        REQUIRE(run_hub({"add-fair", "--id", "F1", "--name", "2024年无为市工会送岗位招聘会",
                         "--date", "20240223", "--unit", "无为市", "--campaign", "C1", "--data-dir",
                         t.data}) == 0);
        auto all = fair_people;
        all.insert(all.end(), others.begin(), others.end());
        write_people_csv(t.dir.str("people.csv"), all);
        std::string out;
        REQUIRE(run_hub({"import-attendees", t.dir.str("people.csv"), "--data-dir", t.data},
                        &out) == 0);
    }

    std::string data_dir(const std::string& name) { return t.dir.str("terminal-" + name); }

    // A terminal of `mode` enrolled in its own data directory, as `jobfair-kiosk enroll` does.
    std::unique_ptr<Store> terminal(const std::string& mode) {
        std::string dir = data_dir(mode);
        REQUIRE(files::private_dir(dir));
        auto store = Store::open(dir + "/kiosk.db");
        REQUIRE(store);
        sync::EnrollOptions o;
        o.ca_file = t.cert;
        o.device = mode;
        auto r = sync::enroll(*store, t.hub.url(), t.new_code(mode), o);
        INFO(r.error << " " << r.detail);
        REQUIRE(r.ok);
        return store;
    }
};

desk::WalkUpForm walk_up_form() {
    desk::WalkUpForm f;
    f.name = "步入登记人";
    f.phone = "17055550123";
    f.resident_id = "340299198503121232";
    f.gender = Gender::Female;
    f.key_groups = kMigrantWorker;
    f.consent = true;
    return f;
}

std::string file_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

// Every file and directory under `dir` (and `dir` itself) is owner-only; lists the wider ones.
std::vector<std::string> not_private(const fs::path& dir) {
    std::vector<std::string> wide;
    auto check = [&](const fs::path& p, mode_t want) {
        mode_t m = mode_of(p);
        if (m != want) {
            char buf[16];
            std::snprintf(buf, sizeof buf, " %03o", static_cast<unsigned>(m));
            wide.push_back(p.string() + buf);
        }
    };
    check(dir, 0700);
    for (auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_symlink()) continue;
        check(e.path(), e.is_directory() ? 0700 : 0600);
    }
    return wide;
}

} // namespace

// -----------------------------------------------------------------------------
// Attack
// -----------------------------------------------------------------------------

TEST_CASE("an offline attack on each mode's synced database, with every key it holds, recovers no "
          "full number; the stream carries only the fair's people, and a station none") {
    World w(2000);
    auto entrance = w.terminal("entrance");
    auto employer = w.terminal("employer");
    auto station = w.terminal("station");
    sync::SyncStatus st;
    for (Store* s : {entrance.get(), employer.get(), station.get()})
        REQUIRE(sync::sync_once(*s, fast_options(), st));

    // A walk-up at the entrance puts a registration body in its log and the person on the hub.
    auto id = identity_of(*entrance);
    std::string error;
    auto reg = desk::register_walk_up(*entrance, id, walk_up_form(), now_ms(), &error);
    INFO(error);
    REQUIRE(reg);
    REQUIRE(sync::sync_once(*entrance, fast_options(), st));
    REQUIRE(sync::sync_once(*employer, fast_options(), st));
    REQUIRE(sync::sync_once(*station, fast_options(), st));

    // Minimisation: the fair's 2,000 and the walk-up; nobody of campaign C2; a station nobody.
    CHECK(entrance->count_attendees() == 2001);
    CHECK(employer->count_attendees() == 2001);
    CHECK(station->count_attendees() == 0);
    CHECK_FALSE(entrance->attendee(w.others[0].id));
    auto someone = employer->attendee(w.fair_people[7].id);
    REQUIRE(someone);
    CHECK(someone->sealed_phone.empty()); // the screens need no sealed copy
    CHECK(someone->sealed_id.empty());
    CHECK(someone->phone_masked == mask_mobile(w.fair_people[7].phone));
    // Staff still find people by full number, last four and initials, offline.
    auto by_phone = desk::look_up_attendees(*employer, w.fair_people[7].phone);
    CHECK(std::any_of(by_phone.begin(), by_phone.end(),
                      [&](const Attendee& a) { return a.id == w.fair_people[7].id; }));
    CHECK(by_phone.size() <= 3); // 7 visible digits: rarely more than one candidate
    CHECK_FALSE(desk::look_up_attendees(*employer, w.fair_people[7].phone.substr(7)).empty());
    CHECK(!desk::look_up_attendees(*entrance, "17055550123").empty());

    // The attack, per mode: the file as stolen (database and WAL), every key in it.
    double budget = attack_budget();
    for (auto mode : {"entrance", "employer", "station"}) {
        auto r = attack_database(std::string("terminal.") + mode, w.data_dir(mode) + "/kiosk.db",
                                 {}, budget);
        std::printf("%s\n", r.json().c_str());
        INFO(r.json());
        CHECK(r.recovered.empty());
        CHECK(r.recovered_phones == 0);
        CHECK(r.recovered_ids == 0);
        CHECK(r.opened_sealed == 0);
        CHECK(r.verifiers == 0); // nothing on a terminal verifies a guessed number
        CHECK(r.keys > 0);       // the terminal's own keys were found and tried
        if (std::string(mode) == "station") {
            CHECK(r.phone_masks == 0); // no person to attack at all
            CHECK(r.id_masks == 0);
        } else {
            CHECK(r.phone_masks >= 2000);
            CHECK(r.attempts > 0); // the attack ran, and its rate is the measured figure
        }
    }

    // The hub's database alone (a backup, a copy, a local account reading it) opens nothing:
    // the sealing secret is in its own key file. With that file the same attack opens all.
    auto hub_db = w.t.data + "/hub.db";
    auto alone = attack_database("hub.db", hub_db, {}, budget / 2);
    std::printf("%s\n", alone.json().c_str());
    CHECK(alone.sealed >= 4000);
    CHECK(alone.opened_sealed == 0);
    CHECK(alone.recovered.empty());
    auto with_key = attack_database("hub.db+key", hub_db, {hub::seal_key_path(w.t.data)}, 0.01);
    CHECK(with_key.opened_sealed >= 4000); // the attack is real: the right key opens every box
    CHECK(with_key.recovered.count(w.fair_people[0].phone));
}

TEST_CASE("the same attack recovers every phone from a database laid out as before schema 5 "
          "(mask + keyed hash + its key in one file)") {
    TempDir dir;
    auto path = dir.str("old.db");
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT);"
                         "CREATE TABLE attendees(id TEXT, phone_masked TEXT, phone_hash TEXT);",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    Bytes key = random_bytes(32);
    std::string sql = "INSERT INTO settings VALUES('terminal.lookup_key','" + base64(key) + "');";
    auto people = invented_people(4, "P", "C1", 3);
    for (auto& p : people)
        sql += "INSERT INTO attendees VALUES('" + p.id + "','" + mask_mobile(p.phone) + "','" +
               keyed_hash(key, "jf.phone.v1", p.phone) + "');";
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    auto r = attack_database("schema-4 layout", path, {}, 30);
    std::printf("%s\n", r.json().c_str());
    CHECK(r.recovered_phones == 4);
    for (auto& p : people)
        CHECK(r.recovered.count(p.phone));
}

// -----------------------------------------------------------------------------
// Files
// -----------------------------------------------------------------------------

TEST_CASE("files: owner-only after first start, after an upgrade from a 0644 install, and after "
          "an export with opened numbers, which the audit log records") {
    World w(50);
    // First start of the terminal program on a new data directory.
    fs::path kiosk = fs::path(JF_TEST_BUILD_DIR) / "kiosk/app/jobfair-kiosk";
    REQUIRE(fs::exists(kiosk));
    fs::path fresh = w.t.dir.str("first-start");
    auto run = [](const std::string& cmd) { return std::system(cmd.c_str()); };
    if (std::getenv("DISPLAY")) {
        CHECK(run("umask 022; ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:detect_leaks=0\" '" +
                  kiosk.string() + "' --demo --data-dir '" + fresh.string() +
                  "' --windowed 1280x800 --frames 3 --screenshot '" +
                  (fs::path(w.t.dir.str()) / "shot.png").string() + "' > /dev/null 2>&1") == 0);
        CHECK(fs::exists(fresh / "logs" / "kiosk.log"));
    } else {
        WARN("no DISPLAY: first start through `sync --status` (ctest under xvfb-run runs the "
             "window)");
        run("umask 022; '" + kiosk.string() + "' sync --status --data-dir '" + fresh.string() +
            "' > /dev/null 2>&1");
    }
    REQUIRE(fs::exists(fresh / "kiosk.db"));
    for (auto& p : not_private(fresh))
        FAIL_CHECK("not owner-only after first start: " << p);

    // An install of an older version: everything 0644 in 0755 directories.
    fs::path old = w.t.dir.str("old-install");
    fs::create_directories(old / "logs");
    {
        auto s = Store::open((old / "kiosk.db").string());
        REQUIRE(s);
        REQUIRE(s->set_setting("k", "v"));
    }
    std::ofstream(old / "logs" / "kiosk.log") << "{}\n";
    std::ofstream(old / "logs" / "kiosk.1.log") << "{}\n";
    for (auto& e : fs::recursive_directory_iterator(old))
        fs::permissions(e.path(), e.is_directory() ? fs::perms(0755) : fs::perms(0644));
    fs::permissions(old, fs::perms(0755));
    REQUIRE(not_private(old).size() >= 4);
    run("umask 022; '" + kiosk.string() + "' sync --status --data-dir '" + old.string() +
        "' > /dev/null 2>&1");
    for (auto& p : not_private(old))
        FAIL_CHECK("not corrected on upgrade: " << p);

    // The hub: its data directory, hub.db, its WAL and the key file, on a fresh hub and on one
    // made by an older version (sealing secret inside hub.db, files 0644).
    for (auto& p : not_private(w.t.data))
        FAIL_CHECK("hub file not owner-only: " << p);
    CHECK(fs::exists(hub::seal_key_path(w.t.data)));

    // An export with opened numbers: a placement of one of the fair's people, the hub's 附件6.
    auto employer = w.terminal("employer");
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*employer, fast_options(), st));
    auto id = identity_of(*employer);
    auto p = placement_draft("F1", 0);
    p.attendee_id = w.fair_people[3].id;
    p.person_name = w.fair_people[3].name;
    REQUIRE(employer->record_placement(p, id.signer()));
    REQUIRE(sync::sync_once(*employer, fast_options(), st));
    auto report = w.t.dir.str("附件6.csv");
    std::string out;
    REQUIRE(run_hub({"report", "detail", "--period", "20240301-20240301", "--format", "csv",
                     "--out", report, "--data-dir", w.t.data},
                    &out) == 0);
    INFO(out);
    REQUIRE(fs::exists(report));
    CHECK(mode_of(report) == 0600);
    std::string opened = file_bytes(report); // the numbers were opened for the form
    CHECK((opened.find(w.fair_people[3].phone) != std::string::npos ||
           opened.find(w.fair_people[3].resident_id) != std::string::npos));
    REQUIRE(run_hub({"audit", "--data-dir", w.t.data}, &out) == 0);
    CHECK(out.find("detail") != std::string::npos);
    CHECK(out.find("opened 1 person(s)' numbers") != std::string::npos);
    CHECK(out.find(fs::path(report).filename().string()) != std::string::npos);
    CHECK(out.find("1 opening(s)") != std::string::npos);
}

TEST_CASE("an older hub's sealing secret moves out of hub.db into its 0600 key file, optionally "
          "behind a passphrase; hub.db alone then opens nothing") {
    crypto_init();
    TempDir dir;
    auto data = dir.str("hub");
    Bytes legacy_secret;
    std::string sealed;
    {
        auto s = hub::open_hub_store(data);
        REQUIRE(s);
        auto k = s->keys();
        legacy_secret = k.seal.secret_key;
        sealed = base64(seal(k.seal.public_key, "13955381234"));
        Attendee a;
        a.id = "A1";
        a.name = "张伟";
        a.phone_masked = "139****1234";
        a.sealed_phone = sealed;
        REQUIRE(s->upsert_attendee(a));
    }
    // Make it look as an older version left it: secret and look-up key inside, files 0644.
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open((data + "/hub.db").c_str(), &db) == SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, "INSERT INTO meta VALUES('seal_sk', ?1), ('lookup_key', ?2)",
                                   -1, &st, nullptr) == SQLITE_OK);
        Bytes lookup(32, 0x5a);
        sqlite3_bind_blob(st, 1, legacy_secret.data(), 32, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 2, lookup.data(), 32, SQLITE_TRANSIENT);
        REQUIRE(sqlite3_step(st) == SQLITE_DONE);
        sqlite3_finalize(st);
        std::string hashes = "UPDATE attendees SET phone_hash = '" + std::string(64, 'e') + "'";
        REQUIRE(sqlite3_exec(db, hashes.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    fs::remove(hub::seal_key_path(data));
    for (auto& e : fs::directory_iterator(data))
        fs::permissions(e.path(), fs::perms(0644));
    fs::permissions(data, fs::perms(0755));

    ::setenv("JF_HUB_KEY_PASSPHRASE", "工会 hub passphrase", 1);
    {
        auto s = hub::open_hub_store(data);
        REQUIRE(s);
        CHECK(s->keys().seal.secret_key == legacy_secret); // opened through the passphrase
        CHECK(s->attendees().at(0).phone_hash.empty());
    }
    for (auto& p : not_private(data))
        FAIL_CHECK("not corrected on upgrade: " << p);
    // hub.db and its WAL no longer hold the secret (nor the look-up key or hash)...
    std::string bytes = file_bytes(data + "/hub.db") + file_bytes(data + "/hub.db-wal");
    std::string secret_bytes(legacy_secret.begin(), legacy_secret.end());
    CHECK(bytes.find(secret_bytes) == std::string::npos);
    CHECK(bytes.find(std::string(32, '\x5a')) == std::string::npos);
    CHECK(bytes.find(std::string(64, 'e')) == std::string::npos);
    // ...and the key file holds it only behind the passphrase.
    std::string keyfile = file_bytes(hub::seal_key_path(data));
    CHECK(keyfile.rfind("JFSEAL1 argon2id", 0) == 0);
    CHECK(keyfile.find(hex(legacy_secret)) == std::string::npos);
    // Every key found in hub.db and the key file, without the passphrase, opens nothing.
    auto r =
        attack_database("hub.db+protected key", data + "/hub.db", {hub::seal_key_path(data)}, 0.2);
    CHECK(r.opened_sealed == 0);
    // A wrong passphrase is told, and the hub still serves (reports refuse).
    ::setenv("JF_HUB_KEY_PASSPHRASE", "wrong", 1);
    {
        auto s = hub::open_hub_store(data);
        REQUIRE(s);
        CHECK(s->keys().seal.secret_key.empty());
        CHECK(s->keys().seal_problem.find("wrong passphrase") != std::string::npos);
    }
    ::unsetenv("JF_HUB_KEY_PASSPHRASE");
    {
        auto s = hub::open_hub_store(data);
        REQUIRE(s);
        CHECK(s->keys().seal_problem.find("JF_HUB_KEY_PASSPHRASE") != std::string::npos);
    }
}

// -----------------------------------------------------------------------------
// Wipe
// -----------------------------------------------------------------------------

TEST_CASE("after revocation nothing of the people a terminal held is left in any file of its data "
          "directory; events the hub refused are destroyed with a logged count") {
    World w(300);
    auto entrance = w.terminal("entrance");
    std::string dir = w.data_dir("entrance");
    REQUIRE(log::open(dir + "/logs", "kiosk"));
    sync::SyncStatus st;
    REQUIRE(sync::sync_once(*entrance, fast_options(), st));
    REQUIRE(entrance->count_attendees() == 300);
    auto id = identity_of(*entrance);
    // Acknowledged: a walk-up and check-ins. Waiting when the hub refuses: another walk-up, a
    // placement naming a person, check-ins.
    std::string error;
    auto first = desk::register_walk_up(*entrance, id, walk_up_form(), now_ms(), &error);
    REQUIRE(first);
    REQUIRE(record_events(*entrance, id, 6) == 6);
    REQUIRE(sync::sync_once(*entrance, fast_options(), st));
    REQUIRE(entrance->pending_events() == 0);
    auto second_form = walk_up_form();
    second_form.name = "未上传人";
    second_form.phone = "17055550999";
    second_form.resident_id.clear();
    auto second = desk::register_walk_up(*entrance, id, second_form, now_ms(), &error);
    REQUIRE(second);
    auto p = placement_draft("F1", 1);
    p.attendee_id = w.fair_people[9].id;
    p.person_name = w.fair_people[9].name;
    REQUIRE(entrance->record_placement(p, id.signer()));
    REQUIRE(entrance->pending_events() == 2);

    // What must not survive, and proof the search sees it before the wipe.
    std::vector<std::string> needles;
    for (auto& person : w.fair_people) {
        needles.push_back(person.name);
        needles.push_back(person.phone);
        needles.push_back(person.resident_id);
        needles.push_back(mask_mobile(person.phone));
        needles.push_back(mask_resident_id(person.resident_id));
    }
    for (const desk::WalkUpResult* r : {&*first, &*second}) {
        needles.push_back(r->attendee.name);
        needles.push_back(r->attendee.phone_masked);
        needles.push_back(r->attendee.sealed_phone.substr(0, 40));
        if (!r->attendee.sealed_id.empty()) needles.push_back(r->attendee.sealed_id.substr(0, 40));
    }
    needles.push_back("17055550123");
    needles.push_back("340299198503121232");
    auto all_bytes = [&] {
        std::string all;
        for (auto& e : fs::recursive_directory_iterator(dir))
            if (e.is_regular_file()) all += file_bytes(e.path()) + '\n';
        return all;
    };
    {
        std::string before = all_bytes();
        CHECK(before.find(w.fair_people[0].name) != std::string::npos);
        CHECK(before.find(second_form.name) != std::string::npos);
    }

    std::string out;
    REQUIRE(run_hub({"revoke-terminal", "--terminal", id.terminal_id, "--data-dir", w.t.data},
                    &out) == 0);
    CHECK_FALSE(sync::sync_once(*entrance, fast_options(), st));
    CHECK(st.revoked);
    CHECK(entrance->count_attendees() == 0);
    CHECK(entrance->events_after(0, 100).empty());
    CHECK(entrance->pending_events() == 0);
    log::flush();

    std::string after = all_bytes();
    int found = 0;
    for (auto& n : needles)
        if (after.find(n) != std::string::npos) {
            if (++found <= 10) UNSCOPED_INFO("still on disk: " << n);
        }
    CHECK(found == 0);
    // The refused events were counted in the log, not silently dropped.
    std::string log_text = file_bytes(dir + "/logs/kiosk.log");
    CHECK(log_text.find("personal_data_wiped") != std::string::npos);
    CHECK(log_text.find("\"unacknowledged_events_destroyed\":\"2\"") != std::string::npos);
    // The file was rebuilt from live rows (only the "revoked" mark was written since).
    CHECK(jf::test::integrity_check(entrance->handle()) == "ok");
    CHECK(fs::file_size(dir + "/kiosk.db-wal") < 64 * 1024);
    log::open(fs::temp_directory_path().string(), "jf-privacy-test"); // let go of the dir
}
