// The console's accounts and access rules against a real hub store (SQLite): the union tree,
// what staff, supervisors and admins of which union may read and change, set-up links, Argon2id
// passwords, lock-out after wrong passwords, idle sessions, CSRF tokens and the audit log.
#include <catch2/catch.hpp>

#include "tests/sync/sync_test_util.hpp"
#include "sync/hub/hub_accounts.hpp"
#include "sync/hub/hub_service.hpp"
#include "sync/hub/hub_store.hpp"

#include <sqlite3.h>

#include <fstream>
#include <iterator>

using namespace jf;
using namespace jf::hub;
using jf::test::TempDir;

namespace {

constexpr TimeMs kT0 = 1'700'000'000'000;

// Argon2id at its lowest cost: these tests are about the rules around the hash, not its cost.
ConsoleLimits fast(ConsoleLimits l = {}) {
    l.pwhash_ops = 1;
    l.pwhash_mem = 8192;
    return l;
}

struct Hub {
    TempDir dir;
    std::unique_ptr<HubStore> store;
    Hub() {
        crypto_init();
        std::string err;
        store = open_hub_store(dir.str(), &err);
        REQUIRE(store);
        Fair own, other, city;
        own.id = "F-WW";
        own.union_unit = "无为市";
        other.id = "F-NL";
        other.union_unit = "南陵县";
        city.id = "F-CITY";
        city.union_unit = "芜湖市";
        for (auto& f : {own, other, city})
            REQUIRE(store->upsert_fair(f));
    }
};

// An account that has followed its set-up link and chosen `password`.
AccountRow make_account(Accounts& acc, const std::string& name, const std::string& union_id,
                        const std::string& role, const std::string& password = "correct horse 1") {
    AccountRow a;
    a.name = name;
    a.union_id = union_id;
    a.role = role;
    std::string token, err, who;
    REQUIRE(acc.add_account("root", a, kT0, &token, &err));
    REQUIRE(acc.set_password(token, password, kT0, &who, &err));
    REQUIRE(who == name);
    return *acc.session(acc.sign_in(name, password, kT0).session_id, kT0);
}

TerminalRow terminal_of(const std::string& fair) {
    TerminalRow t;
    t.id = "T-" + fair;
    t.fair_id = fair;
    return t;
}

size_t audit_count(HubStore& s, const std::string& action) {
    size_t n = 0;
    for (auto& r : s.openings())
        n += r.form == action;
    return n;
}

} // namespace

TEST_CASE("the union tree holds Wuhu's units of 附件1 under the city and the province") {
    Hub hub;
    auto tree = hub.store->unions();
    REQUIRE(tree.size() == 12);
    CHECK(tree[0].id == "安徽省");
    CHECK(tree[0].parent.empty());
    for (const char* unit : {"无为市", "南陵县", "镜湖区", "鸠江区", "弋江区", "湾沚区", "繁昌区",
                             "经开区", "三山经开区", "市职工服务中心"}) {
        auto it = std::find_if(tree.begin(), tree.end(), [&](auto& u) { return u.id == unit; });
        REQUIRE(it != tree.end());
        CHECK(it->parent == "芜湖市");
        CHECK(it->level == "county");
    }
    // Opening the hub again does not seed twice.
    hub.store.reset();
    hub.store = open_hub_store(hub.dir.str());
    CHECK(hub.store->unions().size() == 12);
}

TEST_CASE("a county's staff reach only their own county's fairs, terminals, people and reports") {
    Hub hub;
    Accounts acc(*hub.store, fast());
    auto a = acc.access(make_account(acc, "ww-staff", "无为市", "staff"));
    auto own = *hub.store->fair("F-WW"), other = *hub.store->fair("F-NL");
    CHECK(a.reads_fair(own));
    CHECK(a.writes_fair(own));
    CHECK_FALSE(a.reads_fair(other));
    CHECK_FALSE(a.writes_fair(other));
    CHECK_FALSE(a.reads_fair(*hub.store->fair("F-CITY")));
    CHECK(a.reads_terminal(*hub.store, terminal_of("F-WW")));
    CHECK_FALSE(a.reads_terminal(*hub.store, terminal_of("F-NL")));
    CHECK_FALSE(a.writes_terminal(*hub.store, terminal_of("F-NL")));
    CHECK_FALSE(a.reads_terminal(*hub.store, terminal_of("no-such-fair")));
    Attendee p;
    p.union_unit = "南陵县";
    CHECK_FALSE(a.reads_person(p));
    p.union_unit = "无为市";
    CHECK(a.reads_person(p));
    JobListing l;
    l.union_unit = "南陵县";
    CHECK_FALSE(a.reads_listing(l));
    CHECK(a.reads_report("无为市"));
    CHECK_FALSE(a.reads_report("南陵县"));
    CHECK_FALSE(a.reads_report("")); // every union: only from the tree's root
    CHECK_FALSE(a.may_open_numbers());
    CHECK_FALSE(a.admin());
}

TEST_CASE("a city supervisor reads every county below, changes only the city's own") {
    Hub hub;
    Accounts acc(*hub.store, fast());
    auto s = acc.access(make_account(acc, "city-sup", "芜湖市", "supervisor"));
    for (auto* f : {"F-WW", "F-NL", "F-CITY"})
        CHECK(s.reads_fair(*hub.store->fair(f)));
    CHECK(s.writes_fair(*hub.store->fair("F-CITY")));
    CHECK_FALSE(s.writes_fair(*hub.store->fair("F-WW")));
    CHECK_FALSE(s.writes_terminal(*hub.store, terminal_of("F-NL")));
    CHECK(s.reads_terminal(*hub.store, terminal_of("F-NL")));
    CHECK(s.reads_report("南陵县"));
    CHECK_FALSE(s.reads_report("安徽省")); // nothing above its own union
    CHECK(s.unions().size() == 11);
    // A county supervisor has nothing below: its county only.
    auto c = acc.access(make_account(acc, "nl-sup", "南陵县", "supervisor"));
    CHECK(c.unions() == std::set<std::string>{"南陵县"});
    // The province's admin reads everything, including reports of every union at once.
    auto p = acc.access(make_account(acc, "prov-admin", "安徽省", "admin"));
    CHECK(p.admin());
    CHECK(p.reads_report(""));
    CHECK(p.reads_terminal(*hub.store, terminal_of("no-such-fair")));
    CHECK_FALSE(p.writes_fair(*hub.store->fair("F-WW")));
}

TEST_CASE("an account outside the tree or with an unknown role is refused and sees nothing") {
    Hub hub;
    Accounts acc(*hub.store, fast());
    AccountRow a;
    a.name = "x";
    a.union_id = "上海市";
    a.role = "staff";
    std::string token, err;
    CHECK_FALSE(acc.add_account("root", a, kT0, &token, &err));
    CHECK(err == "console.err.union");
    a.union_id = "无为市";
    a.role = "owner";
    CHECK_FALSE(acc.add_account("root", a, kT0, &token, &err));
    CHECK(err == "console.err.role");
    a.role = "staff";
    a.name = "has space";
    CHECK_FALSE(acc.add_account("root", a, kT0, &token, &err));
    CHECK(err == "console.err.account_name");
    CHECK(hub.store->accounts().empty());
    // A row changed behind the console's back (union removed) reads nothing.
    a.name = "ghost";
    a.union_id = "上海市";
    Access ghost(a, hub.store->unions());
    CHECK(ghost.unions().empty());
    CHECK_FALSE(ghost.writes_union("上海市"));
}

TEST_CASE("set-up links work once and in time; passwords are Argon2id; sign-in is audited") {
    Hub hub;
    Accounts acc(*hub.store, fast());
    AccountRow a;
    a.name = "admin";
    a.union_id = "芜湖市";
    a.role = "admin";
    std::string token, err, who;
    REQUIRE(acc.add_account("root", a, kT0, &token, &err));
    CHECK(acc.sign_in("admin", "", kT0).result == SignInResult::NotSetUp);
    CHECK_FALSE(acc.set_password(token, "short", kT0, &who, &err));
    CHECK(err == "console.err.password_short");
    CHECK_FALSE(acc.set_password(token, "long enough password",
                                 kT0 + acc.limits().setup_lifetime_ms + 1, &who, &err));
    CHECK(err == "console.err.setup_link");
    REQUIRE(acc.set_password(token, "long enough password", kT0, &who, &err));
    CHECK_FALSE(acc.set_password(token, "another password 2", kT0, &who, &err)); // used
    CHECK(err == "console.err.setup_link");
    auto row = *hub.store->account("admin");
    CHECK(row.password_hash.rfind("$argon2id$", 0) == 0);
    CHECK(row.setup_hash.empty());
    auto in = acc.sign_in("admin", "long enough password", kT0);
    REQUIRE(in.result == SignInResult::Ok);
    // Neither the session id nor the password is anywhere in the database file.
    hub.store.reset();
    std::ifstream f(hub.dir.str("hub.db"), std::ios::binary);
    std::string db((std::istreambuf_iterator<char>(f)), {});
    std::ifstream w(hub.dir.str("hub.db-wal"), std::ios::binary);
    db += std::string((std::istreambuf_iterator<char>(w)), {});
    CHECK(db.find(in.session_id) == std::string::npos);
    CHECK(db.find("long enough password") == std::string::npos);
    CHECK(db.find(token) == std::string::npos);
    hub.store = open_hub_store(hub.dir.str());
    CHECK(audit_count(*hub.store, "account.add") == 1);
    CHECK(audit_count(*hub.store, "account.password") == 1);
    CHECK(audit_count(*hub.store, "sign-in") == 1);
}

TEST_CASE("wrong passwords lock the account for a while, the right one too is refused then") {
    Hub hub;
    ConsoleLimits lim;
    lim.max_failures = 3;
    lim.lock_ms = 60'000;
    Accounts acc(*hub.store, fast(lim));
    make_account(acc, "ww", "无为市", "staff", "right password 1");
    CHECK(acc.sign_in("ww", "wrong 1", kT0).result == SignInResult::Wrong);
    CHECK(acc.sign_in("ww", "wrong 2", kT0).result == SignInResult::Wrong);
    auto locked = acc.sign_in("ww", "wrong 3", kT0);
    CHECK(locked.result == SignInResult::Locked);
    CHECK(locked.locked_until == kT0 + 60'000);
    auto refused = acc.sign_in("ww", "right password 1", kT0 + 59'999);
    CHECK(refused.result == SignInResult::Locked);
    CHECK(refused.session_id.empty());
    CHECK(acc.sign_in("ww", "right password 1", kT0 + 60'001).result == SignInResult::Ok);
    // An unknown name answers like a wrong password.
    CHECK(acc.sign_in("nobody", "x", kT0).result == SignInResult::Wrong);
    CHECK(audit_count(*hub.store, "sign-in.refused") == 5);
}

TEST_CASE("sessions end when idle or signed out; CSRF tokens belong to one session") {
    Hub hub;
    Accounts acc(*hub.store, fast());
    make_account(acc, "ww", "无为市", "staff");
    auto idle = acc.limits().idle_ms;
    auto s = acc.sign_in("ww", "correct horse 1", kT0).session_id;
    REQUIRE(acc.session(s, kT0 + idle - 1)); // used: the idle time starts again
    REQUIRE(acc.session(s, kT0 + 2 * idle - 2));
    CHECK_FALSE(acc.session(s, kT0 + 3 * idle)); // idle too long
    CHECK_FALSE(acc.session(s, kT0 + 3 * idle)); // and gone
    auto s2 = acc.sign_in("ww", "correct horse 1", kT0).session_id;
    CHECK(Accounts::csrf_ok(s2, Accounts::csrf_token(s2)));
    CHECK_FALSE(Accounts::csrf_ok(s2, Accounts::csrf_token(s)));
    CHECK_FALSE(Accounts::csrf_ok(s2, ""));
    CHECK_FALSE(Accounts::csrf_ok("", Accounts::csrf_token("")));
    acc.sign_out(s2);
    CHECK_FALSE(acc.session(s2, kT0));
    CHECK_FALSE(acc.session("", kT0));
    CHECK_FALSE(acc.session("not a session", kT0));
    // Resetting an account (add-user again) ends its sessions.
    auto s3 = acc.sign_in("ww", "correct horse 1", kT0).session_id;
    AccountRow again;
    again.name = "ww";
    again.union_id = "无为市";
    again.role = "staff";
    std::string token, err;
    REQUIRE(acc.add_account("root", again, kT0, &token, &err));
    CHECK_FALSE(acc.session(s3, kT0));
}
