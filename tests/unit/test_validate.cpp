// Validation vectors: every rule with known-good and known-bad inputs (docs/DESIGN.md §3).
#include <catch2/catch.hpp>

#include "kiosk/domain/validate.hpp"

using namespace jf;

TEST_CASE("resident ID: GB 11643 check digit, X, birth date") {
    CHECK(check_resident_id("11010519491231002X").ok());
    CHECK(check_resident_id("11010519491231002x").ok()); // lower-case x is the same character
    CHECK(check_resident_id(" 11010519491231002X ").ok());
    CHECK(resident_id_check_char("11010519491231002") == 'X');
    CHECK(check_resident_id("110105194912310021").key == "err.id.checksum");
    CHECK(check_resident_id("11010519491231002").key == "err.id.length");
    CHECK(check_resident_id("1101051949123100AX").key == "err.id.chars");
    CHECK(check_resident_id("").key == "err.id.empty");
    // 1949-02-30 does not exist; the check digit is right for those 17 digits.
    std::string bad_day = "11010519490230002";
    bad_day += resident_id_check_char(bad_day);
    CHECK(check_resident_id(bad_day).key == "err.id.birthdate");
    // Born in the future relative to today.
    std::string future = "11010520990101002";
    future += resident_id_check_char(future);
    CHECK(check_resident_id(future, Date{2024, 2, 23}).key == "err.id.birthdate");
}

TEST_CASE("resident ID: typed with separators or full-width characters") {
    CHECK(check_resident_id("110105 19491231 002X").ok());
    CHECK(check_resident_id("1101-0519-4912-3100-2x").ok());
    CHECK(check_resident_id("\xEF\xBC\x91\xEF\xBC\x91"
                            "0105194912310 02\xEF\xBC\xB8")
              .ok()); // １１…Ｘ
    CHECK(check_resident_id("110105\xE3\x80\x80"
                            "19491231002X")
              .ok()); // U+3000
    CHECK(normalize_resident_id(" 110105 19491231 002x ") == "11010519491231002X");
    CHECK(check_resident_id("110105 19491231 0021").key == "err.id.checksum");
    CHECK(check_resident_id("110105_19491231002X").key == "err.id.length");
}

TEST_CASE("resident ID: legacy 15-digit numbers become 18") {
    CHECK(upgrade_resident_id("110105491231002") == "11010519491231002X");
    CHECK(check_resident_id("110105491231002").ok());
    CHECK(upgrade_resident_id("11010549123100") == "");
}

TEST_CASE("unified social credit code: GB 32100 alphabet and weights") {
    CHECK(check_credit_code("91350100M000100Y43").ok());
    CHECK(check_credit_code("91350100m000100y43").ok());
    CHECK(check_credit_code("91350100M000100Y44").key == "err.credit.checksum");
    CHECK(check_credit_code("91350100M000100I43").key ==
          "err.credit.chars"); // I is not in the alphabet
    CHECK(check_credit_code("91350100M000100Y4").key == "err.credit.length");
}

TEST_CASE("mainland mobile numbers") {
    CHECK(check_mobile("13855381234").ok());
    CHECK(check_mobile("+86 138-5538-1234").ok());
    CHECK(check_mobile("0086 13855381234").ok());
    CHECK(normalize_mobile("+86 138-5538-1234") == "13855381234");
    CHECK(normalize_mobile("\xEF\xBC\x8B"
                           "86\xE3\x80\x80\xEF\xBC\x91"
                           "3855381234") == "13855381234");
    CHECK(check_mobile("12855381234").key == "err.phone.prefix");
    CHECK(check_mobile("1385538123").key == "err.phone.length");
    CHECK(check_mobile("1385538XXXX").key == "err.phone.chars");
    CHECK(check_mobile("").key == "err.phone.empty");
}

TEST_CASE("masking keeps only what a screen may show") {
    CHECK(mask_mobile("13855385678") == "138****5678");
    CHECK(mask_resident_id("340202199001011234") == "3402**********1234");
    CHECK(mask_name("张伟") == "张*");
    CHECK(mask_name("欧阳娜娜") == "欧**娜");
    CHECK(mask_name("李小明") == "李*明");
}

TEST_CASE("附件4 listing rows: required fields and deadline") {
    JobListing l;
    l.employer_name = "示例汽车零部件有限公司";
    l.title = "普工";
    l.work_location = "芜湖";
    l.contact_phone = "0553-1234567";
    l.deadline = Date{2024, 4, 10};
    CHECK(check_listing(l).empty());
    l.title = "  ";
    l.contact_phone = "123";
    l.deadline = Date{2024, 2, 30};
    auto problems = check_listing(l);
    REQUIRE(problems.size() == 3);
    CHECK(problems[0].field == "岗位名称");
    CHECK(problems[1].key == "err.listing.phone_invalid");
    CHECK(problems[2].field == "招聘截止日期");
}
