// The hub's forms, run as staff run them: the real jobfair-hub executable imports a listing file
// into a real hub store (twice: nothing changes) and writes 附件6 across terminals with the ID and
// phone numbers only the hub can open.
#include <catch2/catch.hpp>

#include "kiosk/domain/event_codec.hpp"
#include "tests/forms/fixtures.hpp"
#include "kiosk/forms/table.hpp"
#include "kiosk/domain/validate.hpp"
#include "sync/hub/hub_store.hpp"

#include <zip.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <unistd.h>

using namespace jf;
using namespace jf::test;
namespace fs = std::filesystem;

static const std::string kData = JF_FORMS_TEST_DATA;
static const std::string kHub = JF_TEST_BUILD_DIR "/sync/hub/jobfair-hub";
static const std::string kKiosk = JF_TEST_BUILD_DIR "/kiosk/app/jobfair-kiosk";

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
    // A union the tree does not hold (a misspelt name) is refused, said plainly, nothing written.
    CHECK(run("import-listings '" + kData + "/listings.csv' --union 无为 --data-dir '" + data + "'",
              d.str("3.txt")) == 2);
    std::string refused = slurp(d.str("3.txt"));
    CHECK(refused.find("“无为”不是本系统工会树中的工会") != std::string::npos);
    CHECK(refused.find("无为市") != std::string::npos);
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
        // Listings: l1-l4 collected in 2024-W08, l5 in W05 (closed), l0 in W07 and still open.
        in.listings.push_back(listing("l0", "无为市", "芜湖方特旅游区", 8, Date{2024, 4, 10},
                                      cst(Date{2024, 2, 13}, 9)));
        for (auto& l : in.listings)
            REQUIRE(store->upsert_listing(l));
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
    CHECK(trim(g[3][2]) == "11010519491231002X"); // opened with the hub's key (tab: text)
    CHECK(trim(g[3][3]).rfind("1385538000", 0) == 0);
    CHECK(g[4][1] == "张p2");
    CHECK(g[5][0].rfind("备注", 0) == 0); // two rows for 无为市 in W08
    for (auto& row : g)
        CHECK(row[0].find("脱敏") == std::string::npos);

    REQUIRE(run("report summary --week 2024-W08 --out '" + d.str("s.xlsx") + "' --data-dir '" +
                    data + "'",
                d.str("s.txt")) == 0);
    CHECK(fs::file_size(d.str("s.xlsx")) > 1000);
    // The week's 归集 (l1-l4: 奇瑞, 港务, 南陵纺织; 3 + 1 + 10 + 5 posts) beside what was open
    // (l0 too: 方特 and its 8 posts).
    std::string said = slurp(d.str("s.txt"));
    CHECK(said.find("3家企业、19个岗位") != std::string::npos);
    CHECK(said.find("4家企业、27个岗位") != std::string::npos);
    CHECK(run("report progress --week 2024-W08 --out '" + d.str("p.xlsx") + "' --data-dir '" +
                  data + "'",
              d.str("p.txt")) == 1); // needs --targets
    CHECK(run("report progress --week 2024-W08 --targets '" + kData + "/targets.csv' --out '" +
                  d.str("p.xlsx") + "' --data-dir '" + data + "'",
              d.str("p.txt")) == 0);
    CHECK(run("report detail --week 2024-W99 --data-dir '" + data + "'", d.str("bad.txt")) == 2);
}

TEST_CASE("jobfair-hub report needs: the needs lists per union, XLSX for people, CSV for "
          "machines") {
    Dir d;
    std::string data = d.str("hub");
    {
        auto store = hub::open_hub_store(data);
        REQUIRE(store);
        ReportInput in = two_unions();
        for (auto& f : in.fairs)
            REQUIRE(store->upsert_fair(f));
        TimeMs mid = cst(Date{2024, 2, 20}, 10);
        auto list = [&](std::string a, std::string fair, int minute,
                        std::vector<std::string> services) {
            SeekerNeeds n;
            n.h.uuid = "n-" + a + "-" + std::to_string(minute);
            n.h.terminal_id = "T-A";
            n.h.seq = minute + 1;
            n.h.device_time = mid + minute * 60000;
            n.attendee_id = std::move(a);
            n.fair_id = std::move(fair);
            n.industries = {"制造业"};
            n.skill = "senior";
            n.services = std::move(services);
            return n;
        };
        // x1 at 无为市's fair twice (the second list counts), x2 at 南陵县's.
        for (auto& n : {list("x1", "f-ww", 0, {"training"}),
                        list("x1", "f-ww", 5, {"legal_aid", "entrepreneurship"}),
                        list("x2", "f-nl", 1, {"job_service"})}) {
            hub::IngestItem item;
            item.event.seq = n.h.seq;
            item.event.uuid = n.h.uuid;
            item.event.kind = "needs";
            item.event.device_time = n.h.device_time;
            std::string body = encode(n);
            item.event.body = Bytes(body.begin(), body.end());
            item.event.signature = Bytes(64, 1);
            item.fair_day = hub::IngestItem::FairDayRef{n.fair_id, n.attendee_id};
            REQUIRE(store->ingest("T-A", {item}, 1000).ok);
        }
    }
    std::string out = d.str("needs.csv");
    REQUIRE(run("report needs --union 无为市 --week 2024-W08 --format csv --out '" + out +
                    "' --data-dir '" + data + "'",
                d.str("n.txt")) == 0);
    auto g = csv(out);
    REQUIRE(g.size() == 2); // field names, then x1's latest list only
    CHECK(g[0][0] == "union");
    CHECK(g[0][9] == "services");
    CHECK(g[1][0] == "无为市");
    CHECK(g[1][2] == "x1");
    CHECK(g[1][6] == "制造业");
    CHECK(g[1][7] == "senior");
    CHECK(g[1][9] == "legal_aid;entrepreneurship");
    // Every union, for people: the form's words and each union's totals.
    REQUIRE(run("report needs --week 2024-W08 --out '" + d.str("needs.xlsx") + "' --data-dir '" +
                    data + "'",
                d.str("x.txt")) == 0);
    CHECK(fs::file_size(d.str("needs.xlsx")) > 1000);
    CHECK(slurp(d.str("x.txt")).find("needs.xlsx") != std::string::npos);
    // The same as a form-shaped CSV is not what --format csv gives: check the people's sheet
    // through the default file name instead.
    REQUIRE(run("report 需求清单 --week 2024-W08 --format xlsx --data-dir '" + data + "'",
                d.str("y.txt")) == 0);
    CHECK(slurp(d.str("y.txt")).find("求职者需求清单_2024-W08.xlsx") != std::string::npos);
    fs::remove("求职者需求清单_2024-W08.xlsx");
}

namespace {

int run_exe(const std::string& exe, const std::string& args, const std::string& out_file,
            const std::string& limit = "") {
    std::string cmd = limit + "'" + exe + "' " + args + " >'" + out_file + "' 2>&1";
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// An archive entry made on the fly: head, `unit` repeated `count` times, tail; libzip deflates
// it as it reads, so a 300 MB entry never sits in the test's memory.
struct Generated {
    std::string head, unit, tail;
    uint64_t count = 0, pos = 0;
    uint64_t size() const { return head.size() + unit.size() * count + tail.size(); }
    size_t read(char* out, size_t n) {
        size_t done = 0;
        while (done < n && pos < size()) {
            uint64_t p = pos;
            std::string_view src;
            if (p < head.size()) {
                src = std::string_view(head).substr(p);
            } else if (p < head.size() + unit.size() * count) {
                src = std::string_view(unit).substr((p - head.size()) % unit.size());
            } else {
                src = std::string_view(tail).substr(p - head.size() - unit.size() * count);
            }
            size_t k = std::min(src.size(), n - done);
            std::memcpy(out + done, src.data(), k);
            done += k;
            pos += k;
        }
        return done;
    }
};

zip_int64_t generated_cb(void* state, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    auto* g = static_cast<Generated*>(state);
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        g->pos = 0;
        return 0;
    case ZIP_SOURCE_READ:
        return static_cast<zip_int64_t>(g->read(static_cast<char*>(data), len));
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        auto* st = static_cast<zip_stat_t*>(data);
        zip_stat_init(st);
        st->size = g->size();
        st->mtime = 0;
        st->valid |= ZIP_STAT_SIZE | ZIP_STAT_MTIME;
        return sizeof(*st);
    }
    case ZIP_SOURCE_FREE:
        delete g;
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default:
        return -1;
    }
}

void write_xlsx_bomb(const std::string& path, Generated* shared, Generated* sheet) {
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    REQUIRE(z);
    auto add = [&](const char* name, Generated* g) {
        zip_source_t* src = zip_source_function(z, generated_cb, g);
        REQUIRE(src);
        zip_int64_t idx = zip_file_add(z, name, src, ZIP_FL_OVERWRITE);
        REQUIRE(idx >= 0);
        zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), ZIP_CM_DEFLATE, 1);
    };
    if (shared) add("xl/sharedStrings.xml", shared);
    add("xl/worksheets/sheet1.xml", sheet);
    REQUIRE(zip_close(z) == 0);
}

const char* kSheetHead =
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";

} // namespace

// A small file that would unpack to hundreds of megabytes must not take either program down or
// flood the screen: each is refused with its own message, under a memory limit.
TEST_CASE("hostile spreadsheets are refused with a message under ulimit -v, by terminal and hub") {
    Dir d;
    // 1. One shared string of 300 MB in a file of a few hundred kilobytes.
    auto* big = new Generated{"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
                              "2006/main\"><si><t>",
                              std::string(4096, 'A'), "</t></si></sst>", (300u << 20) / 4096};
    auto* sheet1 =
        new Generated{kSheetHead, "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", "", 1};
    sheet1->tail = "</sheetData></worksheet>";
    write_xlsx_bomb(d.str("string.xlsx"), big, sheet1);
    // 2. A header and then millions of bad rows: 264 MB of sheet XML.
    std::string header = "<row r=\"1\">";
    const char* cols[] = {"单位名称", "岗位名称", "工作地点", "联系电话", "招聘截止日期"};
    for (int c = 0; c < 5; ++c)
        header += std::string("<c t=\"inlineStr\"><is><t>") + cols[c] + "</t></is></c>";
    header += "</row>";
    auto* rows = new Generated{std::string(kSheetHead) + header,
                               "<row><c t=\"inlineStr\"><is><t>" + std::string(300, 'x') +
                                   "</t></is></c><c t=\"inlineStr\"><is><t>y</t></is></c></row>",
                               "</sheetData></worksheet>", 0};
    rows->count = (264u << 20) / rows->unit.size(); // just over the 256 MB limit
    write_xlsx_bomb(d.str("rows.xlsx"), nullptr, rows);
    CHECK(fs::file_size(d.str("string.xlsx")) < (2u << 20));
    CHECK(fs::file_size(d.str("rows.xlsx")) < (4u << 20));

    // The memory limit: 1 GiB of address space (a sanitizer's shadow memory needs far more).
#if defined(__SANITIZE_ADDRESS__)
    const std::string limit;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    const std::string limit;
#else
    const std::string limit = "ulimit -v 1048576; ";
#endif
#else
    const std::string limit = "ulimit -v 1048576; ";
#endif
    struct Exe {
        const std::string& path;
        const char* name;
    };
    for (Exe exe : {Exe{kKiosk, "kiosk"}, Exe{kHub, "hub"}}) {
        INFO(exe.name);
        std::string data = d.str(std::string("data-") + exe.name);
        fs::create_directories(data);
        for (const char* file : {"string.xlsx", "rows.xlsx"}) {
            INFO(file);
            std::string out = d.str(std::string(exe.name) + "-" + file + ".txt");
            int rc =
                run_exe(exe.path, "import-listings '" + d.str(file) + "' --data-dir '" + data + "'",
                        out, limit);
            CHECK(rc == 1); // refused, not killed by a signal or an exception
            std::string text = slurp(out);
            INFO(text.substr(0, 2000));
            CHECK(text.size() < 4000); // a message, not millions of lines
            if (std::string(file) == "string.xlsx")
                CHECK(text.find("32767") != std::string::npos);
            else
                CHECK(text.find("256 MB") != std::string::npos);
        }
    }
}

TEST_CASE("jobfair-hub add-campaign makes the insurance list and 附件1 progress possible") {
    Dir d;
    std::string data = d.str("hub");
    {
        auto store = hub::open_hub_store(data);
        REQUIRE(store);
        auto keys = store->keys();
        ReportInput in = two_unions();
        for (auto& f : in.fairs)
            REQUIRE(store->upsert_fair(f));
        int n = 0;
        for (auto& p : in.placements) {
            Attendee a;
            a.id = p.attendee_id;
            a.name = p.person_name;
            a.phone_masked = p.phone_masked;
            // p3's person registered without an ID number: phone only.
            if (p.placement_id != "p3") {
                a.id_masked = p.id_masked;
                a.sealed_id = base64(seal(keys.seal.public_key, "11010519491231002X"));
            }
            a.sealed_phone = base64(seal(keys.seal.public_key, "1385538000" + std::to_string(n++)));
            REQUIRE(store->upsert_attendee(a));
            if (p.placement_id == "p3") p.id_masked.clear();
            hub::IngestItem item;
            item.event.seq = n;
            item.event.uuid = p.h.uuid;
            item.event.kind = "placement";
            std::string body = encode(p);
            item.event.body = Bytes(body.begin(), body.end());
            item.event.signature = Bytes(64, 1);
            item.placement = p;
            REQUIRE(store->ingest("T-A", {item}, 1000).ok);
        }
    }
    // No campaign yet: an error that says what to do, and no (empty) file.
    std::string out = d.str("ins.csv");
    CHECK(run("report insurance --week 2024-W08 --out '" + out + "' --data-dir '" + data + "'",
              d.str("1.txt")) == 1);
    CHECK(slurp(d.str("1.txt")).find("add-campaign") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    CHECK(run("report progress --week 2024-W08 --targets '" + kData + "/targets.csv' --out '" +
                  d.str("p.xlsx") + "' --data-dir '" + data + "'",
              d.str("2.txt")) == 1);
    CHECK(slurp(d.str("2.txt")).find("add-campaign") != std::string::npos);

    // Dates that do not fit are refused with the reason.
    CHECK(run("add-campaign --id c2024 --name 2024 --year-from 20240101 --year-until 20241231 "
              "--phase-from 20240122 --phase-until 20250410 --data-dir '" +
                  data + "'",
              d.str("bad.txt")) == 2);
    CHECK(slurp(d.str("bad.txt")).find("--phase-from/--phase-until") != std::string::npos);
    CHECK(run("add-campaign --id c2024 --data-dir '" + data + "'", d.str("bad2.txt")) == 2);

    REQUIRE(run("add-campaign --id c2024 --name '2024 工会送岗位 乐业在江淮' --year-from 20240101 "
                "--year-until 20241231 --phase-from 20240122 --phase-until 20240410 "
                "--data-dir '" +
                    data + "'",
                d.str("3.txt")) == 0);
    CHECK(slurp(d.str("3.txt")).find("c2024") != std::string::npos);
    REQUIRE(run("report insurance --week 2024-W08 --out '" + out + "' --data-dir '" + data + "'",
                d.str("4.txt")) == 0);
    auto g = csv(out);
    // p3 (signed Monday 19 Feb, 劳动合同) has no ID number: the phone the hub opened, and no
    // "脱敏显示" note on the hub's complete list.
    // p4 (signed Wednesday 21 Feb) is the other; both with every number opened.
    int rows = 0, without_id = 0;
    for (auto& row : g) {
        if (row.size() > 3 && (row[0] == "1" || row[0] == "2")) {
            ++rows;
            bool phone = false, id = false;
            for (auto& c : row) {
                phone = phone || trim(c).rfind("1385538000", 0) == 0;
                id = id || trim(c) == "11010519491231002X";
                CHECK(c.find('*') == std::string::npos);
            }
            CHECK(phone);
            if (!id) ++without_id;
        }
        for (auto& c : row)
            CHECK(c.find("脱敏") == std::string::npos);
    }
    CHECK(rows == 2);
    CHECK(without_id == 1);
    CHECK(run("report progress --week 2024-W08 --targets '" + kData + "/targets.csv' --out '" +
                  d.str("p.xlsx") + "' --data-dir '" + data + "'",
              d.str("5.txt")) == 0);
}

TEST_CASE("jobfair-hub import-attendees maps the plan's 残疾职工 to 残疾人") {
    Dir d;
    std::string data = d.str("hub");
    {
        std::ofstream f(d.str("people.csv"), std::ios::binary);
        f << "编号,姓名,手机号码,重点群体\r\n"
             "A1,张三,13855381234,残疾职工\r\n"
             "A2,李四,13855381235,困难职工;农民工\r\n";
    }
    REQUIRE(run("import-attendees '" + d.str("people.csv") + "' --data-dir '" + data + "'",
                d.str("1.txt")) == 0);
    auto store = hub::open_hub_store(data);
    REQUIRE(store);
    std::map<std::string, uint32_t> groups;
    for (auto& a : store->attendees())
        groups[a.id] = a.key_groups;
    CHECK(groups["A1"] == kDisabled);
    CHECK(groups["A2"] == (kHardshipFamily | kMigrantWorker));
}
