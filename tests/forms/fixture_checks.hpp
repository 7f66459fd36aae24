// What importing tests/forms/data/listings.csv must give, whichever format carries it (CSV, GBK,
// or the XLSX and XLS files LibreOffice makes from it).
#pragma once

#include <catch2/catch.hpp>

#include "kiosk/forms/import.hpp"

namespace jf::test {

using namespace jf::forms;

inline const ImportProblem* problem_at(const ListingImport& r, int64_t row,
                                       const std::string& column) {
    for (auto& p : r.problems)
        if (p.row == row && p.column == column) return &p;
    return nullptr;
}

// The expectations for tests/forms/data/listings.csv, whichever format carries it.
inline void check_fixture_import(const ListingImport& r) {
    INFO("format " << format_name(r.format));
    REQUIRE(r.ok);
    CHECK(r.header_row == 2);
    REQUIRE(r.listings.size() == 3);
    auto& chery = r.listings[0];
    CHECK(chery.employer_name == "奇瑞汽车股份有限公司");
    CHECK(chery.title == "产品经理");
    CHECK(chery.headcount == 3);
    CHECK(chery.deadline == Date{2099, 4, 10});
    CHECK(chery.contact_phone == "13855381234");
    CHECK(chery.email == "hr@chery.example");
    CHECK(chery.description == "负责整车产品规划, 熟悉市场");
    CHECK(chery.experience == "3年");
    auto& port = r.listings[1];
    CHECK(port.headcount == 5); // "5人"
    CHECK(port.salary == "6000-8000元/月");
    CHECK(port.deadline == Date{2099, 5, 31});
    CHECK(port.contact_phone == "0553-5840000");
    CHECK(port.remarks == "急招");
    auto& park = r.listings[2];
    CHECK(park.description == "能歌善舞，\n形象好");
    CHECK(park.deadline == Date{2099, 12, 31});

    // Every bad row with its row number, column and reason.
    auto* p = problem_at(r, 6, "单位名称");
    REQUIRE(p);
    CHECK(p->key == "err.listing.required");
    REQUIRE(problem_at(r, 7, "招聘截止日期"));
    CHECK(problem_at(r, 7, "招聘截止日期")->key == "err.listing.deadline");
    REQUIRE(problem_at(r, 8, "招聘人数"));
    CHECK(problem_at(r, 8, "招聘人数")->key == "err.listing.headcount");
    REQUIRE(problem_at(r, 8, "联系电话"));
    CHECK(problem_at(r, 8, "联系电话")->key == "err.listing.phone_invalid");
    REQUIRE(problem_at(r, 9, "岗位名称"));
    CHECK(problem_at(r, 9, "岗位名称")->key == "err.import.duplicate");
    CHECK(problem_at(r, 9, "岗位名称")->args == std::vector<std::string>{"4"});
    CHECK(r.problems.size() == 5);
    CHECK(r.rows_read == 7);
}

// The expectations for tests/forms/data/leniency.csv: what the form allows imports, as written.
// 序号 is not the first column, 联系方式 spans 联系人/联系电话/邮箱 in a second header row, digits
// are typed full-width, cells carry no-break spaces, and the footer is filled in.
inline void check_leniency_import(const ListingImport& r) {
    INFO("format " << format_name(r.format));
    REQUIRE(r.ok);
    CHECK(r.header_row == 2);
    for (auto& p : r.problems)
        UNSCOPED_INFO("problem row " << p.row << " " << p.column << " " << p.key);
    REQUIRE(r.listings.size() == 4);
    auto& port = r.listings[0];
    CHECK(port.employer_name == "芜湖港务有限公司");
    CHECK(port.headcount == 5);                // ５
    CHECK(port.deadline == Date{2024, 4, 10}); // ２０２４０４１０
    CHECK(port.contact_name == "王先生");
    CHECK(port.contact_phone == "0553-3888888转8001"); // kept as written
    auto& chery = r.listings[1];
    CHECK(chery.contact_phone == "13855381234/13955310000");
    CHECK(chery.email == "hr@example.com");
    CHECK(r.listings[2].contact_phone == "400-888-1234");
    CHECK(r.listings[2].deadline == Date{2024, 4, 10});
    auto& mill = r.listings[3];
    CHECK(mill.employer_name == "芜湖纺织有限公司"); // no-break spaces trimmed
    CHECK(mill.headcount == 3);
    CHECK(mill.contact_phone == "13855381235");
    // The one bad row; the footer lines are not rows.
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].row == 8);
    CHECK(r.problems[0].column == "联系电话");
    CHECK(r.problems[0].key == "err.listing.phone_invalid");
    CHECK(r.rows_read == 5);
}

} // namespace jf::test
