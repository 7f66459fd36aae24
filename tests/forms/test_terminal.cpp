// The terminal side with a real SQLite store: listings imported twice change nothing, and the
// admin screen's export writes the forms from recorded placements (corrections applied, voids
// dropped, numbers masked).
#include <catch2/catch.hpp>

#include "tests/store/fixture.hpp"
#include "tests/forms/fixtures.hpp"
#include "kiosk/forms/export.hpp"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace jf;
using namespace jf::forms;
using namespace jf::test;

static const std::string kData = JF_FORMS_TEST_DATA;

static std::vector<std::vector<std::string>> read_csv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(bytes.rfind("\xEF\xBB\xBF", 0) == 0);
    std::vector<std::vector<std::string>> g;
    parse_csv(bytes.substr(3), [&](int64_t, std::vector<std::string>& c) {
        g.push_back(c);
        return true;
    });
    return g;
}

TEST_CASE("importing the same listing file twice changes nothing in the store") {
    TempDir dir;
    auto store = Store::open(dir.file("kiosk.db"));
    REQUIRE(store);
    Employer e;
    e.id = "E-CHERY";
    e.name = "奇瑞汽车股份有限公司";
    e.union_unit = "无为市";
    REQUIRE(store->upsert_employer(e));
    auto r = import_listings(kData + "/listings.csv", {"无为市"});
    REQUIRE(r.ok);
    auto first = apply_listings(*store, r.listings);
    REQUIRE(first.ok);
    CHECK(first.added == 3);
    std::string before = db_digest(store->handle());
    auto again =
        apply_listings(*store, import_listings(kData + "/listings.csv", {"无为市"}).listings);
    REQUIRE(again.ok);
    CHECK(again.added == 0);
    CHECK(again.updated == 0);
    CHECK(again.unchanged == 3);
    CHECK(db_digest(store->handle()) == before);

    auto chery = store->listing(r.listings[0].id);
    REQUIRE(chery);
    CHECK(chery->employer_id == "E-CHERY"); // matched by 单位名称
    CHECK(chery->union_unit == "无为市");

    // A changed row updates that listing only.
    auto changed = r.listings;
    changed[1].headcount = 9;
    auto upd = apply_listings(*store, changed);
    CHECK(upd.updated == 1);
    CHECK(upd.unchanged == 2);
    CHECK(store->listing(changed[1].id)->headcount == 9);
}

TEST_CASE("an import gives its connection back as it found it, with its rows on disk") {
    // The admin screen imports on the screens' own connection: after the import, check-ins there
    // must again be synchronous=FULL with secure_delete on, and nothing the import reported may
    // wait in an unsynced WAL.
    TempDir dir;
    auto store = Store::open(dir.file("kiosk.db"));
    REQUIRE(store);
    auto pragma = [&](const char* sql) {
        sqlite3_stmt* st = nullptr;
        int64_t v = -1;
        if (sqlite3_prepare_v2(store->handle(), sql, -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    };
    auto settings = [&] {
        return std::vector<int64_t>{pragma("PRAGMA synchronous"), pragma("PRAGMA secure_delete"),
                                    pragma("PRAGMA wal_autocheckpoint"),
                                    pragma("PRAGMA cache_size")};
    };
    auto before = settings();
    CHECK(before[0] == 2);
    CHECK(before[1] == 1);
    auto r = import_listings(kData + "/listings.csv", {"无为市"});
    REQUIRE(r.ok);
    REQUIRE(apply_listings(*store, r.listings).ok);
    CHECK(settings() == before);
    // The import's frames were checkpointed into the file: a copy of the file alone (no WAL)
    // holds them.
    std::filesystem::copy_file(dir.file("kiosk.db"), dir.file("copy.db"));
    auto copy = Store::open(dir.file("copy.db"));
    REQUIRE(copy);
    CHECK(copy->listing(r.listings[0].id));
}

TEST_CASE("targets survive in the store for the admin screen's export") {
    TempDir dir;
    auto store = Store::open(dir.file("kiosk.db"));
    REQUIRE(store);
    auto t = import_targets(kData + "/targets.csv");
    REQUIRE(save_targets(*store, t.targets));
    auto back = saved_targets(*store);
    REQUIRE(back.size() == 3);
    CHECK(back[2].unit == "三山经开区"); // one line, as 附件5 writes it
    CHECK(back[2].figures[kPlacedYear] == 800);
    CHECK(back[0].figures[kJobsPhase] == 4800);
}

TEST_CASE("export_reports writes the week's forms from recorded placements") {
    TempDir dir;
    auto store = Store::open(dir.file("kiosk.db"));
    REQUIRE(store);
    auto signer = signer_for(SigningKey::generate(), "T-DESK-1");
    ReportInput in = two_unions();
    for (auto& c : in.campaigns)
        REQUIRE(store->upsert_campaign(c));
    for (auto& f : in.fairs)
        REQUIRE(store->upsert_fair(f));
    for (auto& l : in.listings)
        REQUIRE(store->upsert_listing(l));
    std::map<std::string, Placement> stored;
    for (auto p : in.placements) {
        p.h = {};
        // Recorded at the booth on the morning the contract was signed (09:00 CST).
        p.h.device_time = cst_midnight(p.signed_date) + 9LL * 3600 * 1000;
        p.placement_id.clear();
        // Both parties sign on the pad at the booth.
        p.seeker_signature.strokes = {{{10, 10}, {200, 220}, {400, 180}}};
        p.employer_signature.strokes = {{{50, 600}, {300, 500}}};
        auto s = store->record_placement(p, signer);
        INFO(store->last_error());
        REQUIRE(s);
        stored[p.person_name] = *s;
    }
    // The employer moves p2's start into the next week; p3 is voided.
    Placement moved = stored["张p2"];
    moved.h = {};
    moved.action = PlacementAction::Correction;
    moved.corrects = stored["张p2"].h.uuid;
    moved.start_date = Date{2024, 2, 26};
    moved.reason = "到岗日期推迟";
    REQUIRE(store->record_placement(moved, signer));
    Placement voided = stored["张p3"];
    voided.h = {};
    voided.action = PlacementAction::Void;
    voided.corrects = stored["张p3"].h.uuid;
    voided.reason = "未到岗";
    REQUIRE(store->record_placement(voided, signer));
    REQUIRE(save_targets(*store, import_targets(kData + "/targets.csv").targets));

    std::string out = dir.file("reports");
    auto r = export_reports(*store, out, *ReportWeek::parse("2024-W08"));
    INFO(r.error << " " << r.detail);
    REQUIRE(r.ok);
    CHECK(r.files.size() == 10); // five forms, XLSX and CSV each

    auto detail = read_csv(out + "/附件6_明细表_2024-W08.csv");
    // title, 单位, header, one placement (p1), notes
    REQUIRE(detail.size() >= 4);
    CHECK(detail[2][1] == "实现就业人员姓名");
    CHECK(detail[3][0] == "1");
    CHECK(detail[3][1] == "张p1");
    CHECK(detail[3][2] == "3402**********1234");
    CHECK(detail[3][3] == "138****5678");
    CHECK(detail[4][0].rfind("备注", 0) == 0);
    bool masked_note = false;
    for (auto& row : detail)
        masked_note |= row[0].find("脱敏") != std::string::npos;
    CHECK(masked_note);

    auto summary = read_csv(out + "/附件5_汇总表_2024-W08.csv");
    std::vector<std::string> total;
    for (auto& row : summary)
        if (row[0] == "总计") total = row;
    REQUIRE(total.size() == 11);
    CHECK(total[5] == "1"); // equals the detail's single row

    auto next = export_reports(*store, out, *ReportWeek::parse("2024-W09"));
    REQUIRE(next.ok);
    auto d9 = read_csv(out + "/附件6_明细表_2024-W09.csv");
    CHECK(d9[3][1] == "张p4"); // 23 Feb
    CHECK(d9[4][1] == "张p2"); // moved to 26 Feb
}

TEST_CASE("the admin screen's buttons: import a file into the store, export this week") {
    TempDir dir;
    auto store = Store::open(dir.file("kiosk.db"));
    REQUIRE(store);
    auto imp = import_listings_into(*store, kData + "/listings.csv", {"南陵县"});
    REQUIRE(imp.file.ok);
    CHECK(imp.applied.ok);
    CHECK(imp.applied.added == 3);
    CHECK(imp.file.problems.size() == 5);
    auto bad = import_listings_into(*store, dir.file("missing.xlsx"));
    CHECK_FALSE(bad.file.ok);
    CHECK_FALSE(bad.applied.ok);

    for (auto& c : two_unions().campaigns)
        REQUIRE(store->upsert_campaign(c));
    // The import stamped the rows with the clock's instant; this export is for a week of 2024,
    // so the rows are dated into it (Tuesday 20 Feb 2024, 09:00 CST).
    for (auto& l : load_report_input(*store).listings)
        CHECK(l.collected_at > cst(Date{2025, 1, 1}, 0));
    REQUIRE(sqlite3_exec(
                store->handle(),
                ("UPDATE listings SET collected_at = " + std::to_string(cst(Date{2024, 2, 20}, 9)))
                    .c_str(),
                nullptr, nullptr, nullptr) == SQLITE_OK);
    std::string key = "unset";
    // Wednesday 21 Feb 2024, 15:00 CST: the report due Thursday 22 Feb 10:00 (2024-W08).
    TimeMs now = (Date{2024, 2, 21}.days_since_epoch() * 86400 + 7 * 3600) * 1000LL;
    CHECK(export_current_week(*store, dir.file("usb"), now, &key));
    CHECK(key.empty());
    CHECK(std::filesystem::exists(dir.file("usb") + "/附件5_汇总表_2024-W08.xlsx"));
    auto summary = read_csv(dir.file("usb") + "/附件5_汇总表_2024-W08.csv");
    std::vector<std::string> nanling;
    for (auto& row : summary)
        if (row[0] == "南陵县") nanling = row;
    REQUIRE(nanling.size() == 11);
    CHECK(nanling[1] == "3");  // 归集企业数: 奇瑞, 港务, 方特
    CHECK(nanling[2] == "18"); // 归集岗位数: 3 + 5 + 10
    // A folder that cannot be made: the key says so and nothing claims success.
    CHECK_FALSE(export_current_week(*store, "/proc/forbidden/usb", now, &key));
    CHECK(key == "err.report.write");
}

TEST_CASE("a terminal's reports count every listing, however many the store holds") {
    TempDir dir;
    auto store = Store::open(dir.file("kiosk.db"));
    REQUIRE(store);
    ReportInput in;
    in.campaigns.push_back(wuhu_2024());
    const char* units[] = {"无为市", "南陵县", "镜湖区"};
    for (int i = 0; i < 1200; ++i) {
        auto l = listing("L" + std::to_string(i), units[(i / 3) % 3],
                         "企业" + std::to_string(i / 3), 1 + i % 50, Date{2024, 4, 10});
        in.listings.push_back(l);
    }
    REQUIRE(store->transaction([&] {
        for (auto& l : in.listings)
            if (!store->upsert_listing(l)) return false;
        return true;
    }));
    REQUIRE(store->upsert_campaign(in.campaigns[0]));
    auto loaded = load_report_input(*store);
    CHECK(loaded.listings.size() == 1200);
    auto week = ReportWeek::parse("2024-W08")->period();
    auto expected = build_summary(in, week);
    CHECK(expected.total.employers == 400);
    auto r = export_reports(*store, dir.file("out"), week);
    REQUIRE(r.ok);
    auto g =
        read_csv(dir.file("out") + "/" + report_file_stem(ReportKind::Summary, week, "") + ".csv");
    bool found = false;
    for (auto& row : g)
        if (!row.empty() && row[0] == "总计") {
            found = true;
            CHECK(row[1] == std::to_string(expected.total.employers));
            CHECK(row[2] == std::to_string(expected.total.jobs));
        }
    CHECK(found);
}

TEST_CASE("附件1 with wrapped unit cells: the terminal keeps what the hub reads") {
    TempDir dir;
    auto store = Store::open(dir.file("kiosk.db"));
    REQUIRE(store);
    std::string csv =
        "单位,集中行动归集企业数（家）,全年归集企业数（家）,集中行动归集岗位数（个）,"
        "全年归集岗位数（个）,集中行动促进稳定就业人数（人）,全年促进稳定就业人数（人）\r\n"
        "无为市,160,240,4800,6400,480,800\r\n"
        "\"三山\n经开区\",161,241,4801,6401,481,801\r\n"
        "\"市职工\n服务\n中心\",162,242,4802,6402,482,802\r\n"
        "\"合 \n计\",483,723,14403,19203,1443,2403\r\n";
    auto hub = import_targets_bytes(csv); // what the hub's report --targets reads
    REQUIRE(hub.ok);
    CHECK(hub.problems.empty());
    REQUIRE(save_targets(*store, hub.targets));
    auto terminal = saved_targets(*store);
    REQUIRE(terminal.size() == 3);
    CHECK(terminal[1].unit == "三山经开区");
    CHECK(terminal[2].unit == "市职工服务中心");
    for (size_t i = 0; i < 3; ++i) {
        CHECK(terminal[i].unit == hub.targets[i].unit);
        for (int m = 0; m < kTargetMeasures; ++m)
            CHECK(terminal[i].figures[m] == hub.targets[i].figures[m]);
    }
    // The terminal's 附件1 progress: every unit's target and the 合计 the file states.
    ReportInput in;
    in.campaigns.push_back(wuhu_2024());
    Check why;
    auto p = build_progress(in, terminal, ReportWeek::parse("2024-W08")->period(), {}, &why);
    REQUIRE(p);
    REQUIRE(p->rows.size() == 3);
    CHECK(p->rows[2].unit == "市职工服务中心");
    CHECK(p->total.target->figures[kEmployersPhase] == 483);
    CHECK(p->total.target->figures[kPlacedYear] == 2403);
}

TEST_CASE(
    "the terminal's own 春风行动 honours an undone check-in and counts its station services") {
    TempDir dir;
    auto store = Store::open(dir.file("kiosk.db"));
    REQUIRE(store);
    Fair f;
    f.id = "F-1";
    f.name = "无为市春风招聘会";
    f.union_unit = "无为市";
    f.date = cst_date(std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count());
    REQUIRE(store->upsert_fair(f));
    auto key = SigningKey::generate();
    auto signer = signer_for(key);
    CheckIn c;
    c.fair_id = "F-1";
    c.attendee_id = "A-1";
    auto first = store->record_check_in(c, signer);
    c.attendee_id = "A-2";
    REQUIRE(store->record_check_in(c, signer).ok);
    CheckInUndo u;
    u.check_in_uuid = first.record.h.uuid;
    u.reason = "test_scan";
    REQUIRE(store->record_check_in_undo(u, signer));
    ServiceGiven sv;
    sv.fair_id = "F-1";
    sv.service = ServiceKind::Training;
    REQUIRE(store->record_service(sv, signer));

    auto in = load_report_input(*store);
    CHECK(in.undos.size() == 1);
    CHECK(in.services.size() == 1);
    auto r = build_spring_breeze(in, date_range(f.date, f.date));
    REQUIRE(r.rows.size() == 1);
    CHECK(r.rows[0].figures[2] == 1); // A-2 only: A-1's check-in was a test scan
    CHECK(r.rows[0].figures[5] == 1); // one training sign-up
    auto n = count_fair_day(in, "F-1");
    CHECK(n.people_in == 1);
    CHECK(n.services == 1);
}
