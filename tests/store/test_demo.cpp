// Seeding a fresh data directory from assets/demo: complete, never expired, idempotent.
#include <catch2/catch.hpp>

#include "tests/store/fixture.hpp"

#include "kiosk/domain/validate.hpp"
#include "kiosk/store/demo.hpp"
#include "kiosk/store/identity.hpp"

#include <fstream>
#include <iterator>
#include <set>

using namespace jf;
using namespace jf::test;

namespace {
std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
const Date kToday{2026, 2, 23};
} // namespace

TEST_CASE("a fresh store seeded from assets/demo holds one fair's whole demo") {
    TempDir dir;
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    std::string err;
    REQUIRE(seed_demo(*s, default_demo_dir(), kToday, &err));
    CHECK(err.empty());

    auto campaigns = s->campaigns();
    REQUIRE(campaigns.size() == 1);
    const Campaign& c = campaigns[0];
    CHECK(c.name.find("2026年") == 0);
    CHECK_FALSE(kToday < c.concentrated_from); // the demo runs inside the concentrated phase
    CHECK_FALSE(c.concentrated_until < kToday);

    auto identity = load_identity(*s);
    REQUIRE(identity);
    CHECK(identity->valid());
    auto fair = s->fair(identity->fair_id);
    REQUIRE(fair);
    CHECK(fair->date == kToday);
    CHECK(fair->name.find("工会送岗位") != std::string::npos);
    CHECK(fair->campaign_id == c.id);
    CHECK(s->fairs().size() >= 1);

    ListingQuery all;
    all.today = kToday;
    all.limit = 1000;
    auto listings = s->search_listings(all);
    CHECK(listings.size() >= 40);
    std::set<std::string> employers_named;
    for (auto& l : listings) {
        INFO(l.id);
        CHECK(check_listing(l).empty());
        CHECK(s->employer(l.employer_id)); // every listing belongs to a demo employer
        employers_named.insert(l.employer_name);
    }
    CHECK(employers_named.size() >= 10);
    CHECK(s->industries(kToday).size() >= 8);
    CHECK(s->locations(kToday).size() >= 5);
    CHECK(s->employers().size() >= 10);

    ListingQuery q;
    q.today = kToday;
    q.text = "操作工";
    CHECK(s->search_listings(q).size() >= 3);
    q.text = "焊工";
    CHECK(s->search_listings(q).size() >= 2);

    // Attendees with every key group, sealed to the demo hub key and found by their masks.
    auto keys = load_demo_keys(default_demo_dir());
    REQUIRE(keys);
    CHECK(s->count_attendees() >= 10);
    uint32_t groups = 0;
    auto a = s->attendee("DEMO-A-001");
    REQUIRE(a);
    CHECK(a->phone_masked == "170****0001");
    CHECK(open_sealed(keys->hub_seal, *from_base64(a->sealed_phone)) == std::string("17000000001"));
    int with_groups = 0;
    for (int i = 1; i <= 12; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "DEMO-A-%03d", i);
        auto p = s->attendee(id);
        REQUIRE(p);
        groups |= p->key_groups;
        with_groups += p->key_groups != 0;
    }
    CHECK(groups == kAllKeyGroups);
    CHECK(with_groups >= 10);
    CHECK(identity->hub_seal_public_key == keys->hub_seal.public_key);
    CHECK(s->issuer_keys()[keys->issuer.key_id()] == keys->issuer.public_key);

    // The plain demo numbers are nowhere in the files.
    s.reset();
    for (auto name : {"kiosk.db", "kiosk.db-wal"}) {
        std::string bytes = file_bytes(dir.file(name));
        CHECK(bytes.find("17000000001") == std::string::npos);
        CHECK(bytes.find("340299197803121010") == std::string::npos);
    }
}

TEST_CASE("seeding again is idempotent, and later starts keep the listings open") {
    TempDir dir;
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    REQUIRE(seed_demo(*s, default_demo_dir(), kToday));
    auto identity = load_identity(*s);
    REQUIRE(identity);
    auto attendee = s->attendee("DEMO-A-002");
    const std::string first = db_digest(s->handle());

    // Second start, same day: nothing changes at all.
    REQUIRE(seed_demo(*s, default_demo_dir(), kToday));
    CHECK(db_digest(s->handle()) == first);

    // A start 200 days later (after a restart): the same people and terminal, listings still open.
    s.reset();
    s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    Date later = Date::from_days(kToday.days_since_epoch() + 200);
    REQUIRE(seed_demo(*s, default_demo_dir(), later));
    ListingQuery q;
    q.today = later;
    q.limit = 1000;
    CHECK(s->search_listings(q).size() >= 40);
    CHECK(s->count_listings(q) == 44);
    CHECK(s->fair(identity->fair_id)->date == later);
    CHECK(load_identity(*s)->key.public_key == identity->key.public_key);
    CHECK(s->attendee("DEMO-A-002")->sealed_id == attendee->sealed_id);
    CHECK(s->count_attendees() == 12);
    CHECK(s->setting("demo.seeded_on") == kToday.to_string());
    CHECK(s->last_seq() == 0); // seeding never fabricates events for the outbox
}

TEST_CASE("a broken demo directory is refused whole") {
    TempDir dir;
    TempDir demo;
    for (auto& e : std::filesystem::directory_iterator(default_demo_dir()))
        std::filesystem::copy(e.path(), demo.path / e.path().filename());
    auto s = Store::open(dir.file("kiosk.db"));
    REQUIRE(s);
    const std::string before = db_digest(s->handle());
    std::string err;

    // A listing without its required 联系电话, appended after good rows.
    std::string listings = file_bytes(demo.file("listings.json"));
    auto fixed = listings;
    auto at = fixed.find("\"联系电话\": \"0553-6910001\"");
    REQUIRE(at != std::string::npos);
    fixed.replace(at, std::string("\"联系电话\": \"0553-6910001\"").size(), "\"联系电话\": \"\"");
    std::ofstream(demo.file("listings.json"), std::ios::trunc) << fixed;
    CHECK_FALSE(seed_demo(*s, demo.path.string(), kToday, &err));
    CHECK(err == "err.demo.file");
    CHECK(db_digest(s->handle()) == before);

    std::ofstream(demo.file("listings.json"), std::ios::trunc) << listings;
    std::ofstream(demo.file("DEMO-ONLY-keys.json"), std::ios::trunc) << "{\"issuer\": 3}";
    CHECK_FALSE(seed_demo(*s, demo.path.string(), kToday, &err));
    CHECK(err == "err.demo.keys");
    CHECK_FALSE(seed_demo(*s, dir.file("nowhere"), kToday, &err));
    CHECK(db_digest(s->handle()) == before);
}
