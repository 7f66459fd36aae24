// Listing and target import from CSV (UTF-8, GBK, tabs) and from XLSX files libxlsxwriter wrote
// (shared strings, inline strings, date-formatted numbers). LibreOffice-made files are in
// test_office.cpp.
#include <catch2/catch.hpp>

#include "tests/forms/fixture_checks.hpp"
#include "kiosk/forms/import.hpp"
#include "kiosk/i18n/i18n.hpp"

#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <iconv.h>
#include <iterator>
#include <unistd.h>

using namespace jf;
using namespace jf::forms;
using namespace jf::test;

static const std::string kData = JF_FORMS_TEST_DATA;

static std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

static std::string to_gbk(const std::string& utf8) {
    iconv_t cd = iconv_open("GBK", "UTF-8");
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::string out(utf8.size() * 2, '\0');
    char* in = const_cast<char*>(utf8.data());
    size_t in_left = utf8.size(), out_left = out.size();
    char* dst = out.data();
    REQUIRE(iconv(cd, &in, &in_left, &dst, &out_left) != static_cast<size_t>(-1));
    iconv_close(cd);
    out.resize(out.size() - out_left);
    return out;
}

TEST_CASE("CSV in UTF-8: header found under the title, bad rows reported, good rows kept") {
    auto r = import_listings(kData + "/listings.csv");
    CHECK(r.encoding == "UTF-8");
    check_fixture_import(r);
}

TEST_CASE("CSV in GBK (Excel on Chinese Windows) is detected and decoded") {
    auto gbk = to_gbk(slurp(kData + "/listings.csv"));
    auto r = import_listings_bytes(gbk);
    CHECK(r.encoding == "GB18030");
    check_fixture_import(r);
}

TEST_CASE("the UTF-8 check takes every valid character and refuses what is not UTF-8") {
    // Valid: ASCII, 2-, 3- and 4-byte characters at their range edges, in and out of 8-byte runs.
    for (std::string ok : {"", "abc", "序号,单位名称", "\xC2\x80\xDF\xBF", "\xE0\xA0\x80",
                           "\xED\x9F\xBF", "\xEE\x80\x80\xEF\xBF\xBF", "\xF0\x90\x80\x80",
                           "\xF4\x8F\xBF\xBF", "12345678芜湖12345678\xF0\x9F\x98\x80"}) {
        INFO(ok);
        CHECK(valid_utf8(ok));
    }
    // Not UTF-8: overlong forms, surrogates, past U+10FFFF, stray continuation or lead bytes,
    // a character cut short (also at the very end, after a run of ASCII).
    for (std::string bad :
         {"\xC0\xAF", "\xC1\xBF", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xF0\x8F\xBF\xBF",
          "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\x80", "a\xBF!", "\xFF", "\xE8\x8A",
          "\xE8\x41\x81", "12345678\xE8\x8A", "\xF0\x9F\x98", "\xD0"}) {
        INFO(bad);
        CHECK_FALSE(valid_utf8(bad));
    }
}

TEST_CASE("tab-separated text with the columns in another order") {
    std::string tsv = "招聘截止日期\t联系电话\t 工作地点 \t岗位名称\t＊单位名称\t招聘人数（人）\n"
                      "20991231\t13855381234\t芜湖\t电工\t芜湖供电公司\t2\n";
    auto r = import_listings_bytes(tsv);
    REQUIRE(r.ok);
    REQUIRE(r.listings.size() == 1);
    CHECK(r.listings[0].employer_name == "芜湖供电公司");
    CHECK(r.listings[0].title == "电工");
    CHECK(r.listings[0].headcount == 2);
    CHECK(r.listings[0].deadline == Date{2099, 12, 31});
}

TEST_CASE("the same listing always gets the same identity") {
    auto a = import_listings(kData + "/listings.csv");
    auto b = import_listings(kData + "/listings.csv");
    REQUIRE(a.listings.size() == b.listings.size());
    for (size_t i = 0; i < a.listings.size(); ++i)
        CHECK(a.listings[i].id == b.listings[i].id);
    CHECK(a.listings[0].id == listing_identity("奇瑞汽车股份有限公司", "产品经理", "芜湖"));
    CHECK(listing_identity("奇瑞汽车 股份有限公司", "产品经理", "芜湖") == a.listings[0].id);
    CHECK(listing_identity("奇瑞汽车股份有限公司", "产品经理", "合肥") != a.listings[0].id);
}

TEST_CASE("files without the union's header or unreadable files say so") {
    auto r = import_listings_bytes("name,phone\nx,1\n");
    CHECK_FALSE(r.ok);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "err.import.no_header");

    r = import_listings_bytes("单位名称,岗位名称,工作地点,联系人\nA,B,C,D\n");
    CHECK_FALSE(r.ok);
    REQUIRE(!r.problems.empty());
    CHECK(r.problems[0].key == "err.import.missing_columns");
    CHECK(r.problems[0].args[0] == "联系电话、招聘截止日期");

    r = import_listings_bytes(std::string("PK\x03\x04garbage", 11));
    CHECK_FALSE(r.ok);
    CHECK(r.problems[0].key == "err.import.unreadable");

    r = import_listings_bytes(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not ole", 16));
    CHECK_FALSE(r.ok);
    CHECK(r.problems[0].key == "err.import.unreadable");

    r = import_listings_bytes("\xff\xfe\x00"); // odd-length UTF-16
    CHECK_FALSE(r.ok);

    r = import_listings("/nonexistent/file.xlsx");
    CHECK_FALSE(r.ok);
    CHECK(r.problems[0].key == "err.import.open");
}

static std::string temp_path(const char* name) {
    return (std::filesystem::temp_directory_path() /
            (std::string("jf-forms-") + std::to_string(getpid()) + "-" + name))
        .string();
}

// An XLSX the way Excel users make them: numbers, a date-formatted deadline, text phone numbers.
static void write_listing_xlsx(const std::string& path, bool constant_memory) {
    lxw_workbook_options o = {};
    o.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE; // inline strings when true
    lxw_workbook* wb = workbook_new_opt(path.c_str(), &o);
    lxw_worksheet* ws = workbook_add_worksheet(wb, "岗位");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
    const char* head[] = {"序号",      "单位名称*", "岗位名称*",    "招聘人数",
                          "工作地点*", "联系电话*", "招聘截止日期*"};
    worksheet_write_string(ws, 0, 0, "岗位招聘信息采集表", nullptr);
    for (int c = 0; c < 7; ++c)
        worksheet_write_string(ws, 2, static_cast<lxw_col_t>(c), head[c], nullptr);
    worksheet_write_number(ws, 3, 0, 1, nullptr);
    worksheet_write_string(ws, 3, 1, "芜湖供电公司", nullptr);
    worksheet_write_string(ws, 3, 2, "电工", nullptr);
    worksheet_write_number(ws, 3, 3, 4, nullptr);
    worksheet_write_string(ws, 3, 4, "芜湖", nullptr);
    worksheet_write_number(ws, 3, 5, 13855381234.0, nullptr);
    lxw_datetime dt = {2099, 3, 15, 0, 0, 0};
    worksheet_write_datetime(ws, 3, 6, &dt, date);
    worksheet_write_number(ws, 4, 0, 2, nullptr);
    worksheet_write_string(ws, 4, 1, "芜湖供电公司", nullptr);
    worksheet_write_string(ws, 4, 2, "线路工", nullptr);
    worksheet_write_string(ws, 4, 4, "无为", nullptr);
    worksheet_write_string(ws, 4, 5, "0553-1234567", nullptr);
    worksheet_write_number(ws, 4, 6, 20990401, nullptr); // YYYYMMDD typed as a number
    worksheet_write_number(ws, 5, 0, 3, nullptr);
    worksheet_write_string(ws, 5, 1, "芜湖供电公司", nullptr);
    worksheet_write_string(ws, 5, 2, "调度员", nullptr);
    worksheet_write_string(ws, 5, 4, "芜湖", nullptr);
    worksheet_write_string(ws, 5, 5, "13855381234", nullptr);
    REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
}

TEST_CASE("XLSX: shared strings, inline strings, numbers and dates") {
    for (bool inline_strings : {false, true}) {
        INFO("inline strings " << inline_strings);
        std::string path = temp_path(inline_strings ? "inline.xlsx" : "shared.xlsx");
        write_listing_xlsx(path, inline_strings);
        auto r = import_listings(path);
        std::filesystem::remove(path);
        REQUIRE(r.ok);
        CHECK(r.format == TableFormat::Xlsx);
        CHECK(r.header_row == 3);
        REQUIRE(r.listings.size() == 2);
        CHECK(r.listings[0].deadline == Date{2099, 3, 15});
        CHECK(r.listings[0].contact_phone == "13855381234");
        CHECK(r.listings[0].headcount == 4);
        CHECK(r.listings[1].deadline == Date{2099, 4, 1});
        CHECK_FALSE(r.listings[1].headcount);
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].row == 6);
        CHECK(r.problems[0].column == "招聘截止日期");
        CHECK(r.problems[0].key == "err.listing.required");
    }
}

TEST_CASE("附件1 targets: wrapped headers, units with spaces, the 合计 row checked") {
    auto t = import_targets(kData + "/targets.csv");
    REQUIRE(t.ok);
    REQUIRE(t.targets.size() == 3);
    CHECK(t.targets[0].unit == "无为市");
    CHECK(t.targets[0].figures[kEmployersPhase] == 160);
    CHECK(t.targets[0].figures[kEmployersYear] == 240);
    CHECK(t.targets[0].figures[kJobsPhase] == 4800);
    CHECK(t.targets[0].figures[kJobsYear] == 6400);
    CHECK(t.targets[0].figures[kPlacedPhase] == 480);
    CHECK(t.targets[0].figures[kPlacedYear] == 800);
    CHECK(t.targets[2].unit == "三山经开区"); // one line, as 附件5 writes it
    CHECK(t.problems.empty());

    auto bad = import_targets_bytes(
        "单位,集中行动归集企业数（家）,全年归集企业数（家）\n无为市,16x,240\n合计,1,240\n");
    CHECK_FALSE(bad.ok);
    REQUIRE(!bad.problems.empty());
}

TEST_CASE("header cells match with spaces, line breaks, asterisks and units") {
    CHECK(header_key(" 单位\n名称 * ") == "单位名称");
    CHECK(header_key("招聘人数（人）") == "招聘人数(人)");
    CHECK(header_key("＊联系电话") == "联系电话");
}

TEST_CASE("every message an import or report can give has zh-CN and en-US text") {
    Translations t;
    REQUIRE(t.load(JF_ASSETS_DIR "/i18n"));
    for (const char* k : {"err.import.open",
                          "err.import.unreadable",
                          "err.import.encoding",
                          "err.import.password",
                          "err.import.no_header",
                          "err.import.missing_columns",
                          "err.import.duplicate",
                          "err.import.number",
                          "err.targets.total",
                          "err.targets.empty",
                          "err.report.note6",
                          "err.report.no_campaign",
                          "err.report.no_targets",
                          "err.report.period",
                          "err.report.kind",
                          "err.report.format",
                          "err.report.write",
                          "err.listing.required",
                          "err.listing.deadline",
                          "err.listing.headcount",
                          "err.listing.phone_invalid",
                          "import.problem",
                          "import.summary",
                          "import.applied",
                          "report.written",
                          "report.masked",
                          "err.import.empty",
                          "err.import.bad_bytes",
                          "err.import.too_large",
                          "err.import.too_many_rows",
                          "err.import.cell_too_long",
                          "err.import.more_problems",
                          "err.campaign.args",
                          "err.campaign.dates",
                          "campaign.saved",
                          "import.problem_row"}) {
        INFO(k);
        CHECK(t.tr(k, Lang::ZhCN) != k);
        CHECK(t.tr(k, Lang::EnUS) != k);
    }
    // Every key the fixture's bad rows produce is translated.
    for (auto& p : import_listings(kData + "/listings.csv").problems) {
        INFO(p.key);
        CHECK(t.tr(p.key, Lang::EnUS) != p.key);
    }
}

TEST_CASE("what the form allows imports: numbers as written, full-width digits, two header rows") {
    check_leniency_import(import_listings(kData + "/leniency.csv"));
}

TEST_CASE("a picture, an empty file and a stray byte each get their own message") {
    // A PNG renamed .xlsx or .csv: not a table, not an encoding problem.
    static const char kPng[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
    std::string png(kPng, sizeof kPng - 1); // the literal's own length, NULs included
    auto r = import_listings_bytes(png);
    CHECK_FALSE(r.ok);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].key == "err.import.unreadable");

    for (const char* empty : {"", "\xEF\xBB\xBF", " \r\n\r\n"}) {
        r = import_listings_bytes(empty);
        CHECK_FALSE(r.ok);
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].key == "err.import.empty");
    }

    // One byte that is not UTF-8 in row 3: that row is named, the others import.
    std::string csv = "单位名称,岗位名称,工作地点,联系电话,招聘截止日期\r\n"
                      "芜湖港务有限公司,装卸工,芜湖,13855381234,20240410\r\n"
                      "奇瑞汽车\xff股份有限公司,焊工,芜湖,13855381234,20240410\r\n"
                      "芜湖纺织有限公司,挡车工,芜湖,13855381234,20240410\r\n";
    r = import_listings_bytes(csv);
    REQUIRE(r.ok);
    CHECK(r.listings.size() == 2);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].row == 3);
    CHECK(r.problems[0].column == "单位名称");
    CHECK(r.problems[0].key == "err.import.bad_bytes");
}

TEST_CASE("a file of bad rows lists a thousand problems and counts the rest") {
    std::string csv = "单位名称,岗位名称,工作地点,联系电话,招聘截止日期\n";
    for (int i = 0; i < 5000; ++i)
        csv += "公司" + std::to_string(i) + ",工人,芜湖,123,20240410\n";
    auto r = import_listings_bytes(csv);
    REQUIRE(r.ok);
    CHECK(r.listings.empty());
    REQUIRE(r.problems.size() == kMaxListedProblems + 1);
    CHECK(r.problems.back().key == "err.import.more_problems");
    CHECK(r.problems.back().args == std::vector<std::string>{"4000"});
}

TEST_CASE("contact numbers: anything holding one plausible number is kept as written") {
    for (const char* ok :
         {"0553-3888888转8001", "13855381234/13955310000", "400-888-1234", "(0553)3888888",
          "13855381234（微信同号）", "０５５３－３８８８８８８", "王先生 13855381234",
          "+86 138 5538 1234", "8008101234", "0553-3888888-8001"})
        CHECK(check_contact_phone(ok).ok());
    for (const char* bad : {"12345", "电话", "2024", "1385538123", "0553-38"}) {
        INFO(bad);
        CHECK_FALSE(check_contact_phone(bad).ok());
    }
}
