// The hub's forms, run as staff run them: the real jobfair-hub executable imports a listing file
// into a real hub store (twice: nothing changes) and writes 附件6 across terminals with the ID and
// phone numbers only the hub can open.
#include <catch2/catch.hpp>

#include "domain/event_codec.hpp"
#include "fixtures.hpp"
#include "forms/table.hpp"
#include "hub_store.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace jf;
using namespace jf::test;
namespace fs = std::filesystem;

static const std::string kData = JF_FORMS_TEST_DATA;
static const std::string kHub = JF_TEST_BUILD_DIR "/sync/hub/jobfair-hub";

namespace {

struct Dir {
    fs::path p = fs::temp_directory_path() / ("jf-hub-forms-" + std::to_string(getpid()));
    Dir() {
        fs::remove_all(p);
        fs::create_directories(p);
    }
    ~Dir() { fs::remove_all(p); }
    std::string str(const std::string& name) const { return (p / name).string(); }
};

int run(const std::string& args, const std::string& out_file) {
    std::string cmd = "'" + kHub + "' " + args + " >'" + out_file + "' 2>&1";
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<std::vector<std::string>> csv(const std::string& path) {
    std::vector<std::vector<std::string>> g;
    forms::parse_csv(slurp(path).substr(3), [&](int64_t, std::vector<std::string>& c) {
        g.push_back(c);
        return true;
    });
    return g;
}

} // namespace

TEST_CASE("jobfair-hub import-listings: XLSX/XLS/CSV into the hub, a second run changes nothing") {
    Dir d;
    std::string data = d.str("hub");
    CHECK(
        run("import-listings '" + kData + "/listings.csv' --union 无为市 --data-dir '" + data + "'",
            d.str("1.txt")) == 3); // bad rows reported, good ones imported
    std::string first = slurp(d.str("1.txt"));
    CHECK(first.find("第6行 单位名称") != std::string::npos);
    CHECK(first.find("新增3条") != std::string::npos);
    int64_t cursor = 0;
    {
        auto store = hub::open_hub_store(data);
        REQUIRE(store);
        bool more = false;
        for (auto& c : store->changes(wire::Stream::Listings, 0, 100, &more))
            cursor = std::max(cursor, c.version);
        REQUIRE(cursor > 0);
    }
    CHECK(run("import-listings '" + kData + "/listings.csv' --union 无为市 --data-dir '" + data +
                  "' --lang en",
              d.str("2.txt")) == 3);
    CHECK(slurp(d.str("2.txt")).find("0 new, 0 updated, 3 unchanged") != std::string::npos);
    auto store = hub::open_hub_store(data);
    REQUIRE(store);
    auto listings = store->listings();
    CHECK(listings.size() == 3);
    for (auto& l : listings) {
        CHECK(l.union_unit == "无为市");
        CHECK(!l.employer_id.empty()); // employers made for terminals to show
    }
    CHECK(store->employers().size() == 3);
    // Terminals pulling after the first import get nothing new from the second.
    bool more = false;
    CHECK(store->changes(wire::Stream::Listings, cursor, 100, &more).empty());
}

TEST_CASE("jobfair-hub report: 附件6 across terminals with the numbers opened, 附件5 agreeing") {
    Dir d;
    std::string data = d.str("hub");
    {
        auto store = hub::open_hub_store(data);
        REQUIRE(store);
        auto keys = store->keys();
        ReportInput in = two_unions();
        for (auto& c : in.campaigns)
            REQUIRE(store->upsert_campaign(c));
        for (auto& f : in.fairs)
            REQUIRE(store->upsert_fair(f));
        int n = 0;
        for (auto& p : in.placements) {
            Attendee a;
            a.id = p.attendee_id;
            a.name = p.person_name;
            a.phone_masked = p.phone_masked;
            a.id_masked = p.id_masked;
            a.sealed_id = base64(seal(keys.seal.public_key, "11010519491231002X"));
            a.sealed_phone = base64(seal(keys.seal.public_key, "1385538000" + std::to_string(n++)));
            REQUIRE(store->upsert_attendee(a));
        }
        // Two terminals uploaded the placements.
        for (size_t i = 0; i < in.placements.size(); ++i) {
            Placement p = in.placements[i];
            p.h.terminal_id = i % 2 ? "T-B" : "T-A";
            hub::IngestItem item;
            item.event.seq = static_cast<int64_t>(i + 1);
            item.event.uuid = p.h.uuid;
            item.event.kind = "placement";
            std::string body = encode(p);
            item.event.body = Bytes(body.begin(), body.end());
            item.event.signature = Bytes(64, 1);
            item.placement = p;
            auto sum = store->ingest(p.h.terminal_id, {item}, 1000);
            REQUIRE(sum.ok);
        }
    }
    std::string out = d.str("d.csv");
    REQUIRE(run("report detail --union 无为市 --week 2024-W08 --format csv --out '" + out +
                    "' --data-dir '" + data + "'",
                d.str("r.txt")) == 0);
    auto g = csv(out);
    REQUIRE(g.size() >= 5);
    CHECK(g[1][0] == "单位：无为市");
    CHECK(g[3][1] == "张p1");
    CHECK(g[3][2] == "11010519491231002X"); // opened with the hub's key
    CHECK(g[3][3].rfind("1385538000", 0) == 0);
    CHECK(g[4][1] == "张p2");
    CHECK(g[5][0].rfind("备注", 0) == 0); // two rows for 无为市 in W08
    for (auto& row : g)
        CHECK(row[0].find("脱敏") == std::string::npos);

    REQUIRE(run("report summary --week 2024-W08 --out '" + d.str("s.xlsx") + "' --data-dir '" +
                    data + "'",
                d.str("s.txt")) == 0);
    CHECK(fs::file_size(d.str("s.xlsx")) > 1000);
    CHECK(run("report progress --week 2024-W08 --out '" + d.str("p.xlsx") + "' --data-dir '" +
                  data + "'",
              d.str("p.txt")) == 1); // needs --targets
    CHECK(run("report progress --week 2024-W08 --targets '" + kData + "/targets.csv' --out '" +
                  d.str("p.xlsx") + "' --data-dir '" + data + "'",
              d.str("p.txt")) == 0);
    CHECK(run("report detail --week 2024-W99 --data-dir '" + data + "'", d.str("bad.txt")) == 2);
}
