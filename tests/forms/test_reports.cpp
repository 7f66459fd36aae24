// Report builders: the Thursday 10:00 week, 附件6 rows, 附件5 counts and note 6, corrections and
// voids, the insurance rule, 附件1 progress and the 春风行动 table.
#include <catch2/catch.hpp>

#include "tests/forms/fixtures.hpp"
#include "kiosk/forms/layouts.hpp"
#include "kiosk/forms/sheet.hpp"

#include <cstdio>

using namespace jf;
using namespace jf::test;

static TimeMs utc(Date d, int h, int m, int s = 0) {
    return (d.days_since_epoch() * 86400 + h * 3600 + m * 60 + s) * 1000LL;
}

TEST_CASE("a reporting week runs from Thursday 10:00 to Thursday 10:00 China Standard Time") {
    auto w = ReportWeek::parse("2024-W08");
    REQUIRE(w);
    CHECK(w->thursday() == Date{2024, 2, 22});
    auto p = w->period();
    CHECK(p.end == utc(Date{2024, 2, 22}, 2, 0)); // 10:00 CST is 02:00 UTC
    CHECK(p.begin == utc(Date{2024, 2, 15}, 2, 0));
    CHECK(p.first_day == Date{2024, 2, 16});
    CHECK(p.last_day == Date{2024, 2, 22});
    CHECK(p.label == "2024-W08");
    CHECK(p.describe() == "2024-02-15 10:00 至 2024-02-22 10:00");

    // The boundary itself: 09:59:59.999 is this week's, 10:00:00.000 the next one's.
    CHECK(ReportWeek::containing(p.end - 1) == *w);
    CHECK(ReportWeek::containing(p.end).label() == "2024-W09");
    CHECK(ReportWeek::containing(p.begin).label() == "2024-W08");
    CHECK(ReportWeek::containing(p.begin - 1).label() == "2024-W07");
    CHECK(p.contains(p.end - 1));
    CHECK_FALSE(p.contains(p.end));

    // Days count at 00:00 CST: Friday to Thursday.
    CHECK(p.contains(Date{2024, 2, 22}));
    CHECK(p.contains(Date{2024, 2, 16}));
    CHECK_FALSE(p.contains(Date{2024, 2, 15}));
    CHECK_FALSE(p.contains(Date{2024, 2, 23}));
}

TEST_CASE("week labels cross years the ISO way and reject weeks that do not exist") {
    CHECK(ReportWeek::parse("2020-W53"));
    CHECK_FALSE(ReportWeek::parse("2021-W53"));
    CHECK_FALSE(ReportWeek::parse("2024-W00"));
    CHECK_FALSE(ReportWeek::parse("W08"));
    CHECK(ReportWeek::parse("2024W8")->label() == "2024-W08");
    // Tuesday 31 Dec 2024 belongs to the report due Thursday 2 Jan 2025.
    CHECK(ReportWeek::containing(utc(Date{2024, 12, 31}, 4, 0)).label() == "2025-W01");
    CHECK(ReportWeek::parse("2025-W01")->thursday() == Date{2025, 1, 2});
}

TEST_CASE("a date range can replace the week") {
    auto p = parse_period("20240201-20240229");
    REQUIRE(p);
    CHECK(p->first_day == Date{2024, 2, 1});
    CHECK(p->last_day == Date{2024, 2, 29});
    CHECK(p->contains(Date{2024, 2, 29}));
    CHECK_FALSE(p->contains(Date{2024, 3, 1}));
    CHECK(parse_period("2024-02-01..2024-02-29"));
    CHECK_FALSE(parse_period("20240301-20240201"));
    CHECK_FALSE(parse_period("next week"));
}

TEST_CASE("附件6 lists the week's placements by 落实就业日期 in the form's columns") {
    auto in = two_unions();
    auto period = ReportWeek::parse("2024-W08")->period();
    auto d = build_detail(in, period);
    REQUIRE(d.rows.size() == 3);
    CHECK(d.rows[0].placement_id == "p1"); // 16 Feb
    CHECK(d.rows[1].placement_id == "p3"); // 19 Feb
    CHECK(d.rows[2].placement_id == "p2"); // Thursday 22 Feb, before the cut
    CHECK(d.rows[0].seq == 1);
    CHECK(d.rows[2].seq == 3);
    CHECK(d.rows[1].union_unit == "南陵县");
    CHECK(d.rows[2].contract_form == "录取通知书(电子)");
    CHECK(d.rows[0].resident_id == "3402**********1234");
    CHECK(d.masked);
    CHECK(d.prev_year == 2023);
    auto cols = detail_columns(d.prev_year);
    REQUIRE(cols.size() == 11);
    CHECK(cols[0] == "序号");
    CHECK(cols[6] == "2023年就业地");
    CHECK(cols[10] == "落实就业日期");

    // The hub opens sealed numbers: the complete form shows them.
    in.revealed["a-p1"] = {"11010519491231002X", "13855381234"};
    in.revealed["a-p2"] = {"11010519491231002X", "13855381235"};
    in.revealed["a-p3"] = {"11010519491231002X", "13855381236"};
    auto full = build_detail(in, period);
    CHECK_FALSE(full.masked);
    CHECK(full.rows[0].phone == "13855381234");

    ReportOptions only;
    only.union_unit = "无为市";
    CHECK(build_detail(in, period, only).rows.size() == 2);
}

TEST_CASE("corrections move a placement, voids remove it, forks wait for a person") {
    auto in = two_unions();
    auto period = ReportWeek::parse("2024-W08")->period();
    // p1's employer moves the start to the next week.
    Placement moved = in.placements[0];
    moved.h.uuid = "p1-c1";
    moved.action = PlacementAction::Correction;
    moved.corrects = "p1";
    moved.start_date = Date{2024, 2, 26};
    in.placements.push_back(moved);
    // p3 is voided.
    Placement voided = in.placements[2];
    voided.h.uuid = "p3-v";
    voided.action = PlacementAction::Void;
    voided.corrects = "p3";
    in.placements.push_back(voided);
    auto d = build_detail(in, period);
    REQUIRE(d.rows.size() == 1);
    CHECK(d.rows[0].placement_id == "p2");
    auto next = build_detail(in, ReportWeek::parse("2024-W09")->period());
    CHECK(next.rows.size() == 2); // p1 (moved) and p4

    // Two corrections of the same version: the undisputed version counts, the fork is flagged.
    Placement a = in.placements[1], b = in.placements[1];
    a.h.uuid = "p2-a", a.action = PlacementAction::Correction, a.corrects = "p2";
    a.start_date = Date{2024, 3, 1};
    b.h.uuid = "p2-b", b.action = PlacementAction::Correction, b.corrects = "p2";
    b.start_date = Date{2024, 3, 8};
    in.placements.push_back(a);
    in.placements.push_back(b);
    auto r = resolve_placements(in.placements);
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.conflicts[0] == "p2");
    CHECK(r.voided == 1);
    d = build_detail(in, period);
    REQUIRE(d.rows.size() == 1);
    CHECK(d.rows[0].start_date == Date{2024, 2, 22});
    CHECK(d.conflicts.size() == 1);
}

TEST_CASE("附件5 counts per union with a 总计 row") {
    auto in = two_unions();
    auto period = ReportWeek::parse("2024-W08")->period();
    ReportOptions opt;
    opt.units = {"无为市", "南陵县", "繁昌区"};
    auto s = build_summary(in, period, opt);
    REQUIRE(s.rows.size() == 3);
    auto& ww = s.rows[0];
    CHECK(ww.union_unit == "无为市");
    CHECK(ww.employers == 2);     // 奇瑞 (two listings) and 港务
    CHECK(ww.jobs == 3 + 1 + 10); // a blank 招聘人数 is one post
    CHECK(ww.fairs_offline == 1);
    CHECK(ww.fairs_online == 0);
    CHECK(ww.placed == 2);
    CHECK(ww.groups[0] == 1); // 外出务工人员
    CHECK(ww.groups[3] == 1); // 高校毕业生
    auto& nl = s.rows[1];
    CHECK(nl.employers == 1); // the listing collected in an earlier week does not count
    CHECK(nl.jobs == 5);
    CHECK(nl.fairs_online == 1);
    CHECK(nl.placed == 1);
    CHECK(nl.groups[1] == 1);
    CHECK(nl.groups[4] == 1);
    CHECK(s.rows[2].union_unit == "繁昌区");
    CHECK(s.rows[2].placed == 0);
    CHECK(s.total.union_unit == "总计");
    CHECK(s.total.employers == 3);
    CHECK(s.total.jobs == 19);
    CHECK(s.total.placed == 3);
    CHECK(s.total.fairs_online + s.total.fairs_offline == 2);
}

TEST_CASE("note 6: the summary's 实现稳定就业人员 must equal the detail's rows") {
    auto in = two_unions();
    auto period = ReportWeek::parse("2024-W08")->period();
    Check why;
    auto pair = build_weekly_pair(in, period, {}, &why);
    REQUIRE(pair);
    CHECK(why.ok());
    CHECK(check_note6(pair->summary, pair->detail).ok());

    auto short_detail = pair->detail;
    short_detail.rows.pop_back();
    auto c = check_note6(pair->summary, short_detail);
    CHECK(c.key == "err.report.note6");
    CHECK(c.field == "总计");

    // Same total, wrong union: still refused, naming the union.
    auto moved = pair->detail;
    for (auto& r : moved.rows)
        if (r.union_unit == "南陵县") r.union_unit = "无为市";
    c = check_note6(pair->summary, moved);
    CHECK(c.key == "err.report.note6");
    CHECK((c.field == "无为市" || c.field == "南陵县"));

    auto padded = pair->summary;
    padded.rows[0].placed += 1;
    padded.total.placed += 1;
    CHECK_FALSE(check_note6(padded, pair->detail).ok());
}

TEST_CASE("insurance: a 劳动合同 signed in the concentrated phase, 50 yuan split 1:1") {
    ReportInput in;
    in.campaigns.push_back(wuhu_2024());
    in.fairs.push_back(Fair{"f", "c2024", "招聘会", "无为市", "", Date{2024, 2, 23}, false, false});
    in.placements.push_back(placement("in-phase", "f", Date{2024, 2, 26}, Date{2024, 2, 23}));
    in.placements.push_back(placement("last-day", "f", Date{2024, 4, 15}, Date{2024, 4, 10}));
    in.placements.push_back(placement("offer", "f", Date{2024, 2, 26}, Date{2024, 2, 23},
                                      ContractForm::OfferLetterPaper));
    in.placements.push_back(placement("after", "f", Date{2024, 4, 12}, Date{2024, 4, 11}));
    in.placements.push_back(placement("before", "f", Date{2024, 1, 25}, Date{2024, 1, 21}));
    Placement v = placement("voided", "f", Date{2024, 3, 1}, Date{2024, 3, 1});
    in.placements.push_back(v);
    v.h.uuid = "voided-v", v.action = PlacementAction::Void, v.corrects = "voided";
    in.placements.push_back(v);

    auto r = build_insurance(in, date_range(Date{2024, 1, 1}, Date{2024, 12, 31}));
    REQUIRE(r.rows.size() == 2);
    CHECK(r.rows[0].person_name == "张in-phase");
    CHECK(r.rows[1].person_name == "张last-day");
    CHECK(r.rows[0].yuan == 50);
    CHECK(r.rows[0].province_yuan == 25);
    CHECK(r.rows[0].city_yuan == 25);
    CHECK(r.total_yuan == 100);
    CHECK(r.total_province == 50);
    CHECK(r.total_city == 50);
    // A week lists the contracts signed in it.
    CHECK(build_insurance(in, ReportWeek::parse("2024-W08")->period()).rows.empty());
    CHECK(build_insurance(in, ReportWeek::parse("2024-W09")->period()).rows.size() == 1);
}

TEST_CASE("附件1 progress: achieved against targets for the phase and the year") {
    auto in = two_unions();
    std::vector<Target> targets{{"无为市", {160, 240, 4800, 6400, 480, 800}},
                                {"南陵县", {160, 240, 4800, 6400, 2, 800}},
                                {"三山 经开区", {160, 240, 4800, 6400, 480, 800}}};
    Check why;
    auto p = build_progress(in, targets, ReportWeek::parse("2024-W08")->period(), {}, &why);
    REQUIRE(p);
    REQUIRE(p->rows.size() == 3);
    CHECK(p->as_of == Date{2024, 2, 22});
    auto& ww = p->rows[0];
    CHECK(ww.unit == "无为市");
    CHECK(ww.achieved[kPlacedPhase] == 3); // p5 (15 Feb), p1, p2 — cumulative since 22 Jan
    CHECK(ww.achieved[kPlacedYear] == 3);
    CHECK(ww.achieved[kEmployersPhase] == 2);
    CHECK(ww.achieved[kJobsPhase] == 14);
    REQUIRE(ww.percent(kPlacedPhase));
    CHECK(*ww.percent(kPlacedPhase) == Approx(100.0 * 3 / 480));
    auto& nl = p->rows[1];
    CHECK(nl.achieved[kPlacedPhase] == 1); // p4 starts on 23 Feb, after the as-of day
    CHECK(*nl.percent(kPlacedPhase) == Approx(50.0));
    CHECK(p->rows[2].achieved[kPlacedPhase] == 0);
    CHECK(p->total.unit == "合计");
    CHECK(p->total.target->figures[kEmployersPhase] == 480);
    CHECK(p->total.achieved[kPlacedPhase] == 4);

    ReportInput none;
    CHECK_FALSE(build_progress(none, targets, ReportWeek::parse("2024-W08")->period(), {}, &why));
    CHECK(why.key == "err.report.no_campaign");
}

TEST_CASE("春风行动: counted columns filled, the others left blank") {
    auto in = two_unions();
    auto f = [](std::string a, std::string fair, TimeMs t, Verdict v) {
        CheckIn c;
        c.attendee_id = std::move(a);
        c.fair_id = std::move(fair);
        c.h.device_time = t;
        c.verdict = v;
        return c;
    };
    TimeMs mid = utc(Date{2024, 2, 20}, 2, 0);
    in.check_ins.push_back(f("x1", "f-ww", mid, Verdict::CheckedIn));
    in.check_ins.push_back(f("x1", "f-ww", mid + 1000, Verdict::CheckedIn));
    in.check_ins.push_back(f("x2", "f-ww", mid, Verdict::Expired)); // not served
    in.check_ins.push_back(f("a-p1", "f-ww", mid, Verdict::CheckedIn));
    auto r = build_spring_breeze(in, date_range(Date{2024, 2, 16}, Date{2024, 2, 29}));
    REQUIRE(r.rows.size() == 2);
    auto& ww = r.rows[1].unit == "无为市" ? r.rows[1] : r.rows[0];
    CHECK(ww.figures[1] == 1); // one 专场 fair
    CHECK(ww.figures[2] == 3); // x1, a-p1 (checked in and signed), a-p2 signed
    CHECK(ww.figures[4] == 1); // p1 is a rural (migrant) worker
    for (int i : {5, 7, 8, 10, 11}) // station services: counted, none given
        CHECK(ww.figures[i] == 0);
    for (int i : {0, 3, 6, 9})
        CHECK_FALSE(ww.figures[i]);
    CHECK(r.total.figures[1] == 1);
    CHECK_FALSE(r.total.figures[0]);
    CHECK(std::string(spring_breeze_column(4)) == "成功介绍农村劳动者就业人数");
}

TEST_CASE("insurance insures each person once, by the first 劳动合同 of the campaign") {
    ReportInput in;
    in.campaigns.push_back(wuhu_2024());
    in.fairs.push_back(Fair{"f", "c2024", "招聘会", "无为市", "", Date{2024, 2, 20}, false, false});
    Placement a = placement("first", "f", Date{2024, 2, 26}, Date{2024, 2, 20});
    Placement b = placement("second", "f", Date{2024, 3, 4}, Date{2024, 2, 21});
    Placement c = placement("later", "f", Date{2024, 3, 11}, Date{2024, 3, 5});
    b.attendee_id = c.attendee_id = a.attendee_id; // one person, three contracts
    in.placements = {b, a, c};
    in.placements.push_back(placement("other", "f", Date{2024, 2, 26}, Date{2024, 2, 21}));

    auto whole = build_insurance(in, date_range(Date{2024, 1, 1}, Date{2024, 12, 31}));
    REQUIRE(whole.rows.size() == 2);
    CHECK(whole.rows[0].person_name == "张first");
    CHECK(whole.rows[1].person_name == "张other");
    CHECK(whole.total_yuan == 100);
    // Week by week the person is listed once, in the week of the first contract only.
    CHECK(build_insurance(in, ReportWeek::parse("2024-W08")->period()).rows.size() == 2);
    CHECK(build_insurance(in, ReportWeek::parse("2024-W10")->period()).rows.empty());
}

// Every record is in exactly one weekly report, whatever second of Thursday it was recorded.
TEST_CASE("a placement recorded around Thursday 10:00 is in exactly one weekly report") {
    const Date thu{2024, 2, 22}; // 2024-W08 is cut at 10:00 CST (02:00 UTC) that day
    auto w08 = ReportWeek::parse("2024-W08")->period();
    auto w09 = ReportWeek::parse("2024-W09")->period();
    struct Case {
        int h, m, s;
        const ReportPeriod* expected;
    };
    for (Case c : {Case{1, 59, 59, &w08}, Case{2, 0, 0, &w09}, Case{2, 0, 1, &w09}}) {
        ReportInput in;
        in.campaigns.push_back(wuhu_2024());
        in.fairs.push_back(
            Fair{"f", "c2024", "招聘会", "无为市", "", Date{2024, 2, 20}, false, false});
        Placement p = placement("p", "f", thu, thu, ContractForm::LabourContract, kMigrantWorker);
        p.h.device_time = utc(thu, c.h, c.m, c.s);
        in.placements.push_back(p);
        // A check-in at the same second: the same week as the placement.
        CheckIn ci;
        ci.h.uuid = "c", ci.h.device_time = p.h.device_time;
        ci.attendee_id = "a-other", ci.fair_id = "f";
        in.check_ins.push_back(ci);
        INFO("recorded at " << c.h << ":" << c.m << ":" << c.s << " UTC");
        for (auto* week : {&w08, &w09}) {
            bool here = week == c.expected;
            CHECK(build_detail(in, *week).rows.size() == (here ? 1u : 0u));
            CHECK(build_summary(in, *week).total.placed == (here ? 1 : 0));
            CHECK(build_insurance(in, *week).rows.size() == (here ? 1u : 0u));
            auto sb = build_spring_breeze(in, *week);
            CHECK(sb.total.figures[4].value_or(0) == (here ? 1 : 0)); // 农村劳动者 placed
            // 提供免费服务人数: the placed person and the one checked in, both in this week.
            CHECK(sb.total.figures[2].value_or(0) == (here ? 2 : 0));
        }
    }
}

TEST_CASE("a placement recorded after its week was cut is in the next report, not lost") {
    ReportInput in;
    in.campaigns.push_back(wuhu_2024());
    in.fairs.push_back(Fair{"f", "c2024", "招聘会", "无为市", "", Date{2024, 2, 20}, false, false});
    // Started Tuesday of 2024-W08, recorded the following Monday (2024-W09).
    Placement p = placement("late", "f", Date{2024, 2, 20}, Date{2024, 2, 20});
    p.h.device_time = utc(Date{2024, 2, 26}, 3, 0);
    in.placements.push_back(p);
    // Recorded early for a start two weeks ahead: counted in the week the work starts.
    Placement q = placement("ahead", "f", Date{2024, 3, 5}, Date{2024, 2, 20});
    q.h.device_time = utc(Date{2024, 2, 20}, 3, 0);
    in.placements.push_back(q);
    int seen_late = 0, seen_ahead = 0;
    for (int w = 6; w <= 12; ++w) {
        auto rows = build_detail(in, ReportWeek{2024, w}.period()).rows;
        for (auto& r : rows) {
            if (r.placement_id == "late") {
                ++seen_late;
                CHECK(w == 9);
            }
            if (r.placement_id == "ahead") {
                ++seen_ahead;
                CHECK(w == 10);
            }
        }
    }
    CHECK(seen_late == 1);
    CHECK(seen_ahead == 1);
    // A month asked for by days counts by the date itself.
    CHECK(build_detail(in, date_range(Date{2024, 2, 1}, Date{2024, 2, 29})).rows.size() == 1);
}

TEST_CASE("someone without an ID number: the hub shows the phone it opened, nothing is masked") {
    ReportInput in;
    in.campaigns.push_back(wuhu_2024());
    in.fairs.push_back(Fair{"f", "c2024", "招聘会", "无为市", "", Date{2024, 2, 20}, false, false});
    Placement p = placement("noid", "f", Date{2024, 2, 20}, Date{2024, 2, 20});
    p.id_masked.clear(); // registered with a phone number only
    in.placements.push_back(p);
    in.revealed[p.attendee_id] = RevealedContact{"", "13855381234"};
    auto week = ReportWeek::parse("2024-W08")->period();
    auto ins = build_insurance(in, week);
    REQUIRE(ins.rows.size() == 1);
    CHECK(ins.rows[0].phone == "13855381234");
    CHECK(ins.rows[0].resident_id.empty());
    CHECK_FALSE(ins.masked);
    auto det = build_detail(in, week);
    REQUIRE(det.rows.size() == 1);
    CHECK(det.rows[0].phone == "13855381234");
    CHECK_FALSE(det.masked);
    // On a terminal (nothing opened) the phone stays masked, and the form says so.
    in.revealed.clear();
    auto masked = build_insurance(in, week);
    CHECK(masked.rows[0].phone == "138****5678");
    CHECK(masked.masked);
}

TEST_CASE("附件5 rows follow the plan's unit order, with one-line labels") {
    auto in =
        two_unions(); // 无为市 and 南陵县: 南 sorts first by bytes, the plan lists 无为市 first
    auto week = ReportWeek::parse("2024-W08")->period();
    auto s = build_summary(in, week);
    REQUIRE(s.rows.size() == 2);
    CHECK(s.rows[0].union_unit == "无为市");
    CHECK(s.rows[1].union_unit == "南陵县");
    // Targets read from a 附件1 whose unit cells wrap: the labels come out on one line.
    ReportOptions opt;
    opt.units = {"市职工\n服务\n中心", "三山 经开区", "南陵县", "无为市"};
    auto t = build_summary(in, week, opt);
    REQUIRE(t.rows.size() == 4);
    CHECK(t.rows[0].union_unit == "市职工服务中心");
    CHECK(t.rows[1].union_unit == "三山经开区");
    CHECK(t.rows[2].union_unit == "南陵县");
    CHECK(clean_label(" Unit\n3 ") == "Unit 3");
    CHECK(clean_label("合\xC2\xA0计") == "合计");
}

TEST_CASE("归集: a listing counts once, in the week it was collected") {
    ReportInput in;
    in.campaigns.push_back(wuhu_2024());
    const Date open_until{2024, 4, 10};
    // 2024-W07 ends and 2024-W08 begins on Thursday 15 Feb 10:00 CST; W08 ends on 22 Feb 10:00.
    in.listings = {
        listing("a", "无为市", "奇瑞", 3, open_until, cst(Date{2024, 2, 13}, 14)), // W07
        listing("b", "无为市", "奇瑞", 4, open_until, cst(Date{2024, 2, 16}, 9)),  // W08
        listing("c", "无为市", "港务", std::nullopt, open_until,                   // W08
                cst(Date{2024, 2, 22}, 9, 59, 59)),
        listing("d", "无为市", "方特", 10, open_until, cst(Date{2024, 2, 22}, 10)),      // W09
        listing("e", "南陵县", "纺织", 5, open_until, cst(Date{2024, 2, 22}, 10, 0, 1)), // W09
        listing("f", "南陵县", "不详", 2, open_until, 0),                                // unknown
        listing("g", "南陵县", "旧厂", 6, Date{2024, 2, 10}, cst(Date{2024, 2, 20}, 8)), // W08
        listing("h", "无为市", "奇瑞", 2, open_until, cst(Date{2024, 1, 10}, 16)),       // W02
    };
    ReportOptions opt;
    opt.units = {"无为市", "南陵县"};
    auto week = [&](const char* w) {
        return build_summary(in, ReportWeek::parse(w)->period(), opt);
    };

    auto w7 = week("2024-W07");
    CHECK(w7.rows[0].employers == 1); // 奇瑞
    CHECK(w7.rows[0].jobs == 3);
    CHECK(w7.rows[1].jobs == 0);

    // a was collected last week and is still open: not counted again.
    auto w8 = week("2024-W08");
    CHECK(w8.rows[0].union_unit == "无为市");
    CHECK(w8.rows[0].employers == 2); // 奇瑞 (b), 港务 (c, 09:59:59 Thursday)
    CHECK(w8.rows[0].jobs == 4 + 1);  // a blank 招聘人数 is one post
    CHECK(w8.rows[1].employers == 1); // 旧厂: collected this week, whatever its deadline
    CHECK(w8.rows[1].jobs == 6);
    CHECK(w8.total.employers == 3);
    CHECK(w8.total.jobs == 11);
    // Beside them, what was open in the week: a, b, c, h (d and e came after the cut; g closed
    // before the week; f's time is unknown but it is open).
    CHECK(w8.rows[0].open_employers == 2);
    CHECK(w8.rows[0].open_jobs == 3 + 4 + 1 + 2);
    CHECK(w8.rows[1].open_employers == 1);
    CHECK(w8.rows[1].open_jobs == 2);
    CHECK(w8.total.open_jobs == 12);

    auto w9 = week("2024-W09"); // d at 10:00:00 and e at 10:00:01 on Thursday 22 Feb
    CHECK(w9.rows[0].employers == 1);
    CHECK(w9.rows[0].jobs == 10);
    CHECK(w9.rows[1].employers == 1);
    CHECK(w9.rows[1].jobs == 5);

    // Across the whole year every listing with a time is in exactly one weekly report, so the
    // weeks add up to what was collected: 3 + 4 + 1 + 10 + 5 + 6 + 2.
    int64_t jobs = 0;
    std::map<std::string, int> seen;
    for (int w = 1; w <= 52; ++w) {
        char label[16];
        std::snprintf(label, sizeof label, "2024-W%02d", w);
        auto p = ReportWeek::parse(label)->period();
        jobs += build_summary(in, p, opt).total.jobs;
        for (auto& l : in.listings)
            if (collected_in(p, l)) ++seen[l.id];
    }
    CHECK(jobs == 31);
    for (auto& l : in.listings)
        CHECK(seen[l.id] == (l.collected_at ? 1 : 0));

    // A whole-day period counts by the days' instants: 16-22 Feb holds b, c, g, d and e.
    auto days = build_summary(in, date_range(Date{2024, 2, 16}, Date{2024, 2, 22}), opt);
    CHECK(days.total.jobs == 4 + 1 + 6 + 10 + 5);

    // 附件1 progress adds up what was collected since the campaign began, up to the report's
    // cut: in the phase (from 22 Jan) a, b, c and g; in the year h (10 Jan) too.
    std::vector<Target> targets{{"无为市", {160, 240, 4800, 6400, 480, 800}},
                                {"南陵县", {160, 240, 4800, 6400, 480, 800}}};
    Check why;
    auto p8 = build_progress(in, targets, ReportWeek::parse("2024-W08")->period(), {}, &why);
    REQUIRE(p8);
    CHECK(p8->rows[0].achieved[kEmployersPhase] == 2); // 奇瑞 (a, b), 港务 (c)
    CHECK(p8->rows[0].achieved[kJobsPhase] == 3 + 4 + 1);
    CHECK(p8->rows[0].achieved[kEmployersYear] == 2);
    CHECK(p8->rows[0].achieved[kJobsYear] == 3 + 4 + 1 + 2);
    CHECK(p8->rows[1].achieved[kJobsPhase] == 6);
    auto p9 = build_progress(in, targets, ReportWeek::parse("2024-W09")->period(), {}, &why);
    REQUIRE(p9);
    CHECK(p9->rows[0].achieved[kEmployersPhase] == 3);
    CHECK(p9->rows[0].achieved[kJobsPhase] == 18);
    CHECK(p9->rows[1].achieved[kEmployersPhase] == 2);
    CHECK(p9->rows[1].achieved[kJobsPhase] == 11);
    CHECK(p9->total.achieved[kJobsYear] == 31);
}

TEST_CASE("the fair day: undone check-ins count nowhere; intents, placements and station services "
          "counted per fair and in the 春风行动 table") {
    auto in = two_unions();
    TimeMs mid = utc(Date{2024, 2, 20}, 2, 0);
    auto check_in = [&](std::string a, std::string uuid, TimeMs t) {
        CheckIn c;
        c.h.uuid = std::move(uuid);
        c.attendee_id = std::move(a);
        c.fair_id = "f-ww";
        c.h.device_time = t;
        return c;
    };
    in.check_ins = {check_in("x1", "c1", mid), check_in("x2", "c2", mid), check_in("x3", "c3", mid),
                    check_in("x3", "c4", mid + 60000)};
    // x2 was a test scan: undone. x3 was checked in twice (the first undone, then again).
    CheckInUndo u;
    u.fair_id = "f-ww";
    u.reason = "test_scan";
    u.check_in_uuid = "c2";
    in.undos.push_back(u);
    u.check_in_uuid = "c3";
    in.undos.push_back(u);
    auto intent = [&](std::string a, std::string employer, IntentLevel l) {
        BoothIntent b;
        b.attendee_id = std::move(a);
        b.fair_id = "f-ww";
        b.employer_id = std::move(employer);
        b.level = l;
        b.h.device_time = mid;
        return b;
    };
    in.intents = {intent("x1", "e1", IntentLevel::Interested),
                  intent("x1", "e2", IntentLevel::Offer),
                  intent("x3", "e1", IntentLevel::Interview)};
    auto service = [&](std::string a, ServiceKind k, std::string fair = "f-ww") {
        ServiceGiven s;
        s.attendee_id = std::move(a);
        s.fair_id = std::move(fair);
        s.service = k;
        s.h.device_time = mid;
        return s;
    };
    in.services = {
        service("x1", ServiceKind::LegalAid),         service("x1", ServiceKind::LegalAid),
        service("", ServiceKind::LegalAid),           service("", ServiceKind::Training),
        service("x3", ServiceKind::Entrepreneurship), service("x9", ServiceKind::JobService),
        service("", ServiceKind::JobService),         service("x1", ServiceKind::Training, "f-nl")};

    // Hand count for f-ww: in = x1, x3 (x2 undone; x3's second check-in counts) → 2 people,
    // 2 check-ins, 2 undone; intents 3 by x1, x3 → 2 people; the fixture's f-ww placements
    // (two_unions: p1, p2, p5) and 7 services at f-ww.
    auto n = count_fair_day(in, "f-ww");
    CHECK(n.people_in == 2);
    CHECK(n.check_ins == 2);
    CHECK(n.undone == 2);
    CHECK(n.intents == 3);
    CHECK(n.with_intent == 2);
    CHECK(n.services == 7);
    auto resolved = resolve_placements(in.placements);
    int64_t at_ww = 0;
    std::set<std::string> placed;
    for (auto& p : resolved.current)
        if (p.fair_id == "f-ww") ++at_ww, placed.insert(p.attendee_id);
    CHECK(at_ww == 3);
    CHECK(n.placements == at_ww);
    CHECK(n.placed == static_cast<int64_t>(placed.size()));
    CHECK(count_fair_day(in, "f-nl").services == 1);
    CHECK(count_fair_day(in, "f-nl").people_in == 0);

    auto r = build_spring_breeze(in, date_range(Date{2024, 2, 16}, Date{2024, 2, 29}));
    auto row = [&](const std::string& unit) -> const SpringBreezeRow& {
        for (auto& x : r.rows)
            if (x.unit == unit) return x;
        FAIL("no row " << unit);
        return r.total;
    };
    auto& ww = row("无为市");
    // 提供免费服务人数: x1, x3 checked in (x2 undone), a-p2 signed in the period (the fixture's
    // p2), x9 given a job service, and one anonymous job service → 5.
    CHECK(ww.figures[2] == 5);
    CHECK(ww.figures[5] == 1);  // 职业技能培训: one anonymous sign-up (x1's was at f-nl)
    CHECK(ww.figures[7] == 1);  // 创业服务: x3
    CHECK(ww.figures[11] == 2); // 维权/法律援助: x1 once (twice served) + one anonymous
    auto& nl = row("南陵县");
    CHECK(nl.figures[5] == 1);
    CHECK(r.total.figures[5] == 2);
    CHECK(r.total.figures[11] == 2);
    CHECK_FALSE(r.total.figures[0]);
}

TEST_CASE("the needs list: each person's latest list per union; it splits the 春风行动 training "
          "sign-ups into 家政 and 创业 training") {
    auto in = two_unions();
    TimeMs mid = utc(Date{2024, 2, 20}, 2, 0), after = utc(Date{2024, 3, 5}, 2, 0);
    auto list = [](std::string a, std::string fair, TimeMs t, std::vector<std::string> industries,
                   std::vector<std::string> services) {
        SeekerNeeds n;
        n.attendee_id = std::move(a);
        n.fair_id = std::move(fair);
        n.h.device_time = t;
        n.h.uuid = n.attendee_id + "@" + std::to_string(t);
        n.industries = std::move(industries);
        n.services = std::move(services);
        n.skill = "junior";
        normalise_needs(n);
        return n;
    };
    in.needs = {
        list("x1", "f-ww", mid, {"制造业"}, {"training"}),
        // x1 changed their mind a minute later: this list replaces the first.
        list("x1", "f-ww", mid + 60000, {"居民服务"}, {"training", "entrepreneurship"}),
        list("x2", "f-ww", mid, {"建筑业"}, {"legal_aid"}),
        list("x3", "f-nl", mid, {"家政服务"}, {"training"}),
        list("x4", "f-ww", after, {"居民服务"}, {"entrepreneurship"}), // after the period
        list("x5", "f-ww", mid, {}, {"job_service"}),
        list("x5", "f-ww", after, {}, {"legal_aid"})}; // after: x5's list in the period stays
    in.needs[2].certificates = {"special_ops", "health"};
    auto service = [&](std::string a, std::string fair) {
        ServiceGiven s;
        s.attendee_id = std::move(a);
        s.fair_id = std::move(fair);
        s.service = ServiceKind::Training;
        s.h.device_time = mid + 120000;
        return s;
    };
    in.services = {service("x1", "f-ww"), service("x2", "f-ww"), service("x3", "f-nl"),
                   service("", "f-ww"),   service("x4", "f-ww"), service("x3", "f-ww")};
    auto period = date_range(Date{2024, 2, 16}, Date{2024, 2, 29});

    // 春风行动 by hand. 无为市: training sign-ups x1, x2, anonymous, x4, x3 → 5. 家政 training:
    // x1 (latest list wants 居民服务); x2 wants 建筑业; x4's list came after the period; x3's list
    // is of 南陵县's fair, not this one → 1. 创业 training: x1 → 1. x2's wish for legal aid is
    // not a service given: 维权 stays 0. 南陵县: x3 signed up and wants 家政服务 → 1 and 1, no
    // 创业.
    auto r = build_spring_breeze(in, period);
    auto row = [&](const std::string& unit) -> const SpringBreezeRow& {
        for (auto& x : r.rows)
            if (x.unit == unit) return x;
        FAIL("no row " << unit);
        return r.total;
    };
    auto& ww = row("无为市");
    CHECK(ww.figures[5] == 5);
    CHECK(ww.figures[8] == 1);
    CHECK(ww.figures[10] == 1);
    CHECK(ww.figures[11] == 0);
    auto& nl = row("南陵县");
    CHECK(nl.figures[5] == 1);
    CHECK(nl.figures[8] == 1);
    CHECK(nl.figures[10] == 0);
    CHECK(r.total.figures[8] == 2);
    CHECK(r.total.figures[10] == 1);
    for (int i : {0, 3, 6, 9})
        CHECK_FALSE(r.total.figures[i]);

    // The list per union: 无为市 x2, x5 (at mid, in recording order), x1 (its latest); 南陵县 x3.
    auto n = build_needs(in, period);
    REQUIRE(n.rows.size() == 4);
    std::vector<std::string> order;
    for (auto& x : n.rows)
        order.push_back(x.union_unit + ":" + x.needs->attendee_id);
    CHECK(std::count(order.begin(), order.end(), "无为市:x1") == 1);
    auto ww_rows = std::vector<std::string>(order.begin(), order.end());
    std::erase_if(ww_rows, [](auto& s) { return s.rfind("无为市:", 0) != 0; });
    CHECK(ww_rows == std::vector<std::string>{"无为市:x2", "无为市:x5", "无为市:x1"});
    for (auto& x : n.rows)
        if (x.needs->attendee_id == "x1") {
            CHECK(x.needs->industries == std::vector<std::string>{"居民服务"});
            CHECK(x.fair_name == "无为市招聘会");
        }
    REQUIRE(n.units.size() == 2);
    for (auto& t : n.units) {
        if (t.union_unit == "无为市") {
            CHECK(t.people == 3);
            CHECK(t.services[0] == 1); // legal aid: x2
            CHECK(t.services[1] == 1); // training: x1
            CHECK(t.services[2] == 1); // entrepreneurship: x1
            CHECK(t.services[3] == 1); // job guidance: x5
        } else {
            CHECK(t.union_unit == "南陵县");
            CHECK(t.people == 1);
            CHECK(t.services[1] == 1);
        }
    }
    CHECK(n.total.people == 4);
    CHECK(n.total.services[1] == 2);
    ReportOptions only_nl;
    only_nl.union_unit = "南陵县";
    auto nl_only = build_needs(in, period, only_nl);
    REQUIRE(nl_only.rows.size() == 1);
    CHECK(nl_only.rows[0].needs->attendee_id == "x3");
    CHECK(build_needs(in, date_range(Date{2024, 1, 1}, Date{2024, 1, 31})).rows.empty());

    // For people: the union's words; for machines: the codes.
    auto sheet = forms::needs_sheet(n, {"", Date{2024, 2, 29}});
    auto grid = sheet.grid();
    bool found = false;
    for (auto& cells : grid)
        if (cells.size() == 9 && cells[4] == "x1") {
            found = true;
            CHECK(cells[1] == "无为市");
            CHECK(cells[3] == "2024-02-20 10:01"); // 02:01 UTC is 10:01 in China
            CHECK(cells[5] == "居民服务");
            CHECK(cells[6] == "初级工");
            CHECK(cells[8] == "职业技能培训、创业服务");
        }
    CHECK(found);
    auto csv = forms::to_csv(forms::needs_table(n));
    CHECK(csv.find("union,fair_id,attendee_id,recorded_at,terminal_id,uuid,industries,skill,"
                   "certificates,services") != std::string::npos);
    CHECK(csv.find(",special_ops;health,legal_aid") != std::string::npos);
    CHECK(csv.find(",junior,,training;entrepreneurship") != std::string::npos);
    CHECK(csv.find("初级工") == std::string::npos);
    CHECK(std::string(forms::needs_label("technician")) == "技师及以上");
    CHECK(forms::parse_report_kind("needs") == forms::ReportKind::Needs);
}
