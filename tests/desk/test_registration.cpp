// Look-up and walk-up registration over a real store: sealed storage, keyed-hash search by phone,
// tails and pinyin initials, and a terminal-signed credential that verifies here.
#include <catch2/catch.hpp>

#include "kiosk/desk/registration.hpp"
#include "tests/desk/desk_fixture.hpp"
#include "sync/protocol/credential.hpp"

#include <sqlite3.h>

using namespace jf;
using namespace jf::desk;
using jf::testing::DeskFixture;

namespace {
WalkUpForm wang_fang() {
    WalkUpForm f;
    f.name = " 王芳 ";
    f.phone = "+86 139-5538-4321";
    f.resident_id = "11010519491231002X";
    f.gender = Gender::Female;
    f.key_groups = kHardshipFamily;
    f.consent = true;
    return f;
}

// True when `needle` occurs anywhere in the database file's rows (plain text search).
bool db_contains(Store& s, const std::string& needle) {
    bool found = false;
    for (const char* table : {"attendees", "settings"}) {
        sqlite3_stmt* st = nullptr;
        std::string sql = std::string("SELECT * FROM ") + table;
        if (sqlite3_prepare_v2(s.handle(), sql.c_str(), -1, &st, nullptr) != SQLITE_OK) continue;
        while (sqlite3_step(st) == SQLITE_ROW)
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                auto t = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
                if (t && std::string(t).find(needle) != std::string::npos) found = true;
            }
        sqlite3_finalize(st);
    }
    return found;
}
} // namespace

TEST_CASE("walk-up registration stores a sealed attendee and issues a code that verifies") {
    DeskFixture f("walkup");
    std::string error;
    auto r = register_walk_up(*f.store, f.identity, wang_fang(), f.noon(), &error);
    REQUIRE(r);
    CHECK(r->attendee.name == "王芳");
    CHECK(r->attendee.name_initials == "wf");
    CHECK(r->attendee.phone_masked == "139****4321");
    CHECK(r->attendee.key_groups == kHardshipFamily);
    auto stored = f.store->attendee(r->attendee.id);
    REQUIRE(stored);
    CHECK(stored->sealed_phone != "");
    // Only sealed, masked and hashed copies are kept.
    CHECK_FALSE(db_contains(*f.store, "13955384321"));
    CHECK_FALSE(db_contains(*f.store, "11010519491231002X"));

    // The code verifies at this terminal's fair, as an attendee code, today.
    VerifyContext ctx;
    ctx.fair_id = f.fair.id;
    ctx.campaign_id = f.campaign.id;
    ctx.today = f.today;
    ctx.trusted_keys = f.store->issuer_keys();
    ctx.expected_kind = CredentialKind::Attendee;
    auto v = verify(r->credential_text, ctx);
    CHECK(v.verdict == Verdict::CheckedIn);
    REQUIRE(v.credential);
    CHECK(v.credential->credential.holder_id == r->attendee.id);
    CHECK(v.credential->credential_id() == r->credential_id);
    // Nothing personal in the code.
    CHECK(r->credential_text.find("4321") == std::string::npos);
}

TEST_CASE("walk-up registration refuses bad input and stores nothing") {
    DeskFixture f("walkup-bad");
    auto before = f.store->count_attendees();
    std::string error;
    WalkUpForm form = wang_fang();
    form.consent = false;
    CHECK_FALSE(register_walk_up(*f.store, f.identity, form, f.noon(), &error));
    CHECK(error == "desk.err.consent");
    form = wang_fang();
    form.phone = "12855381234";
    CHECK_FALSE(register_walk_up(*f.store, f.identity, form, f.noon(), &error));
    CHECK(error == "err.phone.prefix");
    form = wang_fang();
    form.resident_id = "110105194912310021";
    CHECK_FALSE(register_walk_up(*f.store, f.identity, form, f.noon(), &error));
    CHECK(error == "err.id.checksum");
    form = wang_fang();
    form.name = "  ";
    CHECK_FALSE(register_walk_up(*f.store, f.identity, form, f.noon(), &error));
    CHECK(error == "desk.err.name.empty");
    CHECK(f.store->count_attendees() == before);
    // The ID number is optional.
    form = wang_fang();
    form.resident_id.clear();
    CHECK(register_walk_up(*f.store, f.identity, form, f.noon(), &error));
    form.forget();
    CHECK(form.phone.empty());
    CHECK_FALSE(form.consent);
}

TEST_CASE("look-up by phone, tails and pinyin initials") {
    DeskFixture f("lookup");
    auto r = register_walk_up(*f.store, f.identity, wang_fang(), f.noon());
    REQUIRE(r);
    WalkUpForm other = wang_fang();
    other.name = "王峰";
    other.phone = "13600001111";
    other.resident_id.clear();
    REQUIRE(register_walk_up(*f.store, f.identity, other, f.noon()));

    auto by_phone = look_up_attendees(*f.store, "139 5538 4321");
    REQUIRE(by_phone.size() == 1);
    CHECK(by_phone[0].id == r->attendee.id);
    auto by_tail = look_up_attendees(*f.store, "4321");
    REQUIRE(by_tail.size() == 1);
    CHECK(by_tail[0].id == r->attendee.id);
    auto by_id_tail = look_up_attendees(*f.store, "002X");
    REQUIRE(by_id_tail.size() == 1);
    CHECK(by_id_tail[0].id == r->attendee.id);
    CHECK(look_up_attendees(*f.store, "wf").size() == 2); // 王芳 and 王峰
    CHECK(look_up_attendees(*f.store, "w").size() == 2);
    auto both = look_up_attendees(*f.store, "wf 1111");
    REQUIRE(both.size() == 1);
    CHECK(both[0].name == "王峰");
    CHECK(look_up_attendees(*f.store, "zw").size() == 1); // the fixture's 张伟
    CHECK(look_up_attendees(*f.store, "").empty());
    CHECK(look_up_attendees(*f.store, "12").empty());
    CHECK(look_up_attendees(*f.store, "0000").empty());
    CHECK(look_up_attendees(*f.store, "'; DROP TABLE attendees; --").empty());
    CHECK(f.store->count_attendees() >= 4);
}
