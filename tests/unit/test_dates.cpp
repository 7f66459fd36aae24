// Calendar days and China Standard Time conversions.
#include <catch2/catch.hpp>

#include "kiosk/domain/records.hpp"

using namespace jf;

TEST_CASE("dates parse in the forms' notations and reject impossible days") {
    CHECK(Date::parse("20240410") == Date{2024, 4, 10});
    CHECK(Date::parse("2024-04-10") == Date{2024, 4, 10});
    CHECK(Date::parse("2024/4/1") == Date{2024, 4, 1});
    CHECK_FALSE(Date::parse("20240230"));
    CHECK_FALSE(Date::parse("2023-02-29"));
    CHECK(Date::parse("2024-02-29"));
    CHECK_FALSE(Date::parse("2024041"));
    CHECK_FALSE(Date::parse("abc"));
    CHECK(Date{2024, 4, 10}.to_string() == "20240410");
}

TEST_CASE("day numbers round-trip") {
    for (int64_t d = -1000; d < 40000; d += 37) CHECK(Date::from_days(d).days_since_epoch() == d);
    CHECK(Date{1970, 1, 1}.days_since_epoch() == 0);
}

TEST_CASE("China Standard Time is UTC+8") {
    // 2024-02-22T02:00:00Z is 10:00 on Thursday 22 February in China.
    TimeMs t = (Date{2024, 2, 22}.days_since_epoch() * 86400 + 2 * 3600) * 1000LL;
    CHECK(cst_date(t) == Date{2024, 2, 22});
    CHECK(cst_hhmm(t) == "10:00");
    CHECK(cst_iso(t) == "2024-02-22T10:00:00+08:00");
    // 20:00 UTC is already the next day in China.
    CHECK(cst_date(t + 18 * 3600 * 1000LL) == Date{2024, 2, 23});
}

TEST_CASE("insurance: a 劳动合同 signed in the concentrated phase") {
    Campaign c{"c2024", "2024 工会送岗位 乐业在江淮", {2024, 1, 22}, {2024, 4, 10}, {2024, 1, 1}, {2024, 12, 31}};
    Placement p;
    p.signed_date = {2024, 2, 23};
    CHECK(qualifies_for_insurance(p, c));
    p.contract_form = ContractForm::OfferLetterElectronic;
    CHECK_FALSE(qualifies_for_insurance(p, c));
    p.contract_form = ContractForm::LabourContract;
    p.signed_date = {2024, 4, 11};
    CHECK_FALSE(qualifies_for_insurance(p, c));
    p.signed_date = {2024, 4, 10};
    CHECK(qualifies_for_insurance(p, c));
    p.action = PlacementAction::Void;
    CHECK_FALSE(qualifies_for_insurance(p, c));
}
