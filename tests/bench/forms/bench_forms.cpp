// Forms benchmarks: importing a 100,000-row 附件4 XLSX (written here with libxlsxwriter, shared
// strings and date cells as Excel writes them), building + writing the weekly 附件5/附件6 pair
// for 10,000 placements, and a 50 MB, 180,000-row 附件4 CSV imported by the real programs
// (`jobfair-kiosk import-listings` into a terminal store, `jobfair-hub import-listings` into a
// hub on SQLite and on PostgreSQL, a cluster this benchmark starts, tests/sync/pg_cluster.hpp),
// timed (wall and processor seconds of the child) and with their peak memory (the child's max
// RSS from getrusage). One JSON line per benchmark; --quick uses small sizes.
#include "kiosk/forms/import.hpp"
#include "kiosk/forms/layouts.hpp"
#include "kiosk/forms/sheet.hpp"
#include "tests/sync/pg_cluster.hpp"

#include <xlsxwriter.h>

#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <fcntl.h>
#include <unistd.h>

using namespace jf;
using namespace jf::forms;
using Clock = std::chrono::steady_clock;

static double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

static bool write_listings(const std::string& path, int rows) {
    lxw_workbook* wb = workbook_new(path.c_str());
    lxw_worksheet* ws = workbook_add_worksheet(wb, "岗位");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    const char* head[] = {"序号",           "单位名称*",    "岗位名称*",     "招聘人数",
                          "工作地点*",      "行业类别",     "薪资",          "性别要求",
                          "学历要求",       "联系人",       "联系电话*",     "邮箱",
                          "职位描述及要求", "工作经验要求", "招聘截止日期*", "备注"};
    worksheet_write_string(ws, 0, 0, "“工会送岗位 乐业在江淮”工会就业援助行动岗位招聘信息采集表",
                           nullptr);
    for (int c = 0; c < 16; ++c)
        worksheet_write_string(ws, 1, static_cast<lxw_col_t>(c), head[c], nullptr);
    const char* towns[] = {"芜湖", "无为市", "南陵县", "繁昌区", "湾沚区", "鸠江区"};
    const char* trades[] = {"制造业", "物流", "IT", "电商", "文旅", "建筑"};
    char buf[128];
    for (int i = 0; i < rows; ++i) {
        auto r = static_cast<lxw_row_t>(i + 2);
        worksheet_write_number(ws, r, 0, i + 1, nullptr);
        std::snprintf(buf, sizeof buf, "芜湖第%d号制造有限公司", i / 7);
        worksheet_write_string(ws, r, 1, buf, nullptr);
        std::snprintf(buf, sizeof buf, "操作工%d", i % 97);
        worksheet_write_string(ws, r, 2, buf, nullptr);
        worksheet_write_number(ws, r, 3, 1 + i % 20, nullptr);
        worksheet_write_string(ws, r, 4, towns[i % 6], nullptr);
        worksheet_write_string(ws, r, 5, trades[i % 6], nullptr);
        worksheet_write_string(ws, r, 6, "6000-8000元/月", nullptr);
        worksheet_write_string(ws, r, 7, "不限", nullptr);
        worksheet_write_string(ws, r, 8, "高中及以上", nullptr);
        worksheet_write_string(ws, r, 9, "王女士", nullptr);
        worksheet_write_number(ws, r, 10, 13855380000.0 + i % 10000, nullptr);
        worksheet_write_string(ws, r, 11, "hr@example.com", nullptr);
        worksheet_write_string(ws, r, 12, "身体健康，能适应倒班，吃苦耐劳，有相关经验者优先",
                               nullptr);
        worksheet_write_string(ws, r, 13, "不限", nullptr);
        lxw_datetime dt = {2099, 1 + i % 12, 1 + i % 28, 0, 0, 0};
        worksheet_write_datetime(ws, r, 14, &dt, date);
    }
    return workbook_close(wb) == LXW_NO_ERROR;
}

static ReportInput placements(int n) {
    ReportInput in;
    in.campaigns.push_back(
        {"c", "2024", Date{2024, 1, 22}, Date{2024, 4, 10}, Date{2024, 1, 1}, Date{2024, 12, 31}});
    const char* units[] = {"无为市", "南陵县", "镜湖区", "鸠江区",     "弋江区",
                           "湾沚区", "繁昌区", "经开区", "三山经开区", "市职工服务中心"};
    for (int u = 0; u < 10; ++u)
        in.fairs.push_back({"f" + std::to_string(u), "c", "招聘会", units[u], "", Date{2024, 2, 20},
                            u % 2 == 0, false});
    for (int i = 0; i < n; ++i) {
        Placement p;
        p.h.uuid = "p" + std::to_string(i);
        p.h.terminal_id = "T" + std::to_string(i % 10);
        p.h.seq = i;
        p.placement_id = p.h.uuid;
        p.fair_id = "f" + std::to_string(i % 10);
        p.person_name = "张三";
        p.id_masked = "3402**********1234";
        p.phone_masked = "138****5678";
        p.work_place = "芜湖";
        p.employer_name = "奇瑞汽车股份有限公司";
        p.prev_year_work_place = "上海";
        p.start_date = Date{2024, 2, 16 + i % 7}; // all inside 2024-W08
        p.signed_date = Date{2024, 2, 16};
        p.key_groups = static_cast<uint32_t>(i % 32);
        in.placements.push_back(std::move(p));
    }
    return in;
}

// A 附件4 CSV as a union office exports it (UTF-8 with BOM, title row, header, every column).
static bool write_listings_csv(const std::string& path, int rows) {
    std::ofstream f(path, std::ios::binary);
    f << "\xEF\xBB\xBF“工会送岗位 乐业在江淮”工会就业援助行动岗位招聘信息采集表(周报)\r\n"
         "序号,单位名称,岗位名称,招聘人数,工作地点,行业类别,薪资,性别要求,学历要求,联系人,"
         "联系电话,邮箱,职位描述及要求,工作经验要求,招聘截止日期,备注\r\n";
    const char* towns[] = {"芜湖", "无为市", "南陵县", "繁昌区", "湾沚区", "鸠江区"};
    const char* trades[] = {"制造业", "物流", "IT", "电商", "文旅", "建筑"};
    char buf[1024];
    for (int i = 0; i < rows; ++i) {
        std::snprintf(
            buf, sizeof buf,
            "%d,芜湖第%d号制造有限公司,操作工%d,%d,%s,%s,6000-8000元/月,不限,高中及以上,"
            "王女士,138%08d,hr%d@example.com,\"身体健康，能适应倒班，吃苦耐劳，有相关"
            "经验者优先；包吃住，缴纳五险一金，节假日福利，年底双薪\",一年以上,2099%02d%02d,"
            "长期招聘\r\n",
            i + 1, i / 7, i % 97, 1 + i % 20, towns[i % 6], trades[i % 6], i, i / 7, 1 + i % 12,
            1 + i % 28);
        f << buf;
    }
    return static_cast<bool>(f);
}

// Runs a program to its end: wall seconds, peak resident memory (MB) and exit status.
struct Run {
    double seconds = 0, cpu_seconds = 0, max_rss_mb = 0; // cpu: user + system, of the child
    int status = -1;
};
static Run run_program(const std::vector<std::string>& argv) {
    Run r;
    auto t0 = Clock::now();
    pid_t pid = fork();
    if (pid == 0) {
        int null = ::open("/dev/null", O_WRONLY);
        if (null >= 0) ::dup2(null, 1), ::dup2(null, 2);
        std::vector<char*> a;
        for (auto& s : argv)
            a.push_back(const_cast<char*>(s.c_str()));
        a.push_back(nullptr);
        execv(a[0], a.data());
        _exit(127);
    }
    int status = 0;
    rusage ru{};
    if (pid > 0 && wait4(pid, &status, 0, &ru) == pid) {
        r.seconds = since(t0);
        r.max_rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0; // kilobytes on Linux
        auto secs = [](const timeval& t) {
            return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6;
        };
        r.cpu_seconds = secs(ru.ru_utime) + secs(ru.ru_stime);
        r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return r;
}

static bool bench_csv_import(const std::filesystem::path& dir, bool quick) {
    int rows = quick ? 5000 : 180000;
    std::string csv = (dir / "listings.csv").string();
    if (!write_listings_csv(csv, rows)) return false;
    double mb = static_cast<double>(std::filesystem::file_size(csv)) / 1e6;
    bool ok = true;
    struct Program {
        const char* bench;
        std::string exe;
        bool postgresql = false;
    } programs[] = {{"forms_csv_import_terminal", JF_BUILD_DIR "/kiosk/app/jobfair-kiosk"},
                    {"forms_csv_import_hub", JF_BUILD_DIR "/sync/hub/jobfair-hub"},
                    {"forms_csv_import_hub_pg", JF_BUILD_DIR "/sync/hub/jobfair-hub", true}};
    for (auto& p : programs) {
        auto data = dir / p.bench;
        std::filesystem::create_directories(data);
        std::vector<std::string> argv = {p.exe,    "import-listings", csv,          "--union",
                                         "无为市", "--data-dir",      data.string()};
        if (p.postgresql) {
            std::string url = jf::test::PgCluster::instance().new_database();
            if (url.empty()) {
                std::printf("{\"bench\":\"%s\",\"error\":\"PostgreSQL: %s\"}\n", p.bench,
                            jf::test::PgCluster::instance().error().c_str());
                ok = false;
                continue;
            }
            argv.insert(argv.end(), {"--database", url});
        }
        Run r = run_program(argv);
        std::printf("{\"bench\":\"%s\",\"rows\":%d,\"file_mb\":%.1f,\"seconds\":%.3f,"
                    "\"cpu_seconds\":%.3f,\"max_rss_mb\":%.1f,\"exit\":%d}\n",
                    p.bench, rows, mb, r.seconds, r.cpu_seconds, r.max_rss_mb, r.status);
        ok = ok && r.status == 0;
    }
    return ok;
}

int main(int argc, char** argv) {
    bool quick = argc > 1 && !std::strcmp(argv[1], "--quick");
    int rows = quick ? 5000 : 100000, n = quick ? 1000 : 10000;
    auto dir =
        std::filesystem::temp_directory_path() / ("jf-bench-forms-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    // First, while this process is small: a child's peak memory (ru_maxrss) counts the parent's
    // pages it was forked with.
    bool csv_ok = bench_csv_import(dir, quick);
    std::string xlsx = (dir / "listings.xlsx").string();
    if (!write_listings(xlsx, rows)) {
        std::printf("{\"bench\":\"forms_import\",\"error\":\"cannot write the listing file\"}\n");
        return 1;
    }
    auto t0 = Clock::now();
    auto r = import_listings(xlsx);
    double import_s = since(t0);
    bool ok = r.ok && r.problems.empty() && static_cast<int>(r.listings.size()) == rows;
    std::printf("{\"bench\":\"forms_import\",\"rows\":%d,\"imported\":%zu,\"file_mb\":%.1f,"
                "\"seconds\":%.3f,\"rows_per_second\":%.0f}\n",
                rows, r.listings.size(),
                static_cast<double>(std::filesystem::file_size(xlsx)) / 1e6, import_s,
                rows / import_s);

    ReportInput in = placements(n);
    auto period = ReportWeek::parse("2024-W08")->period();
    t0 = Clock::now();
    Check why;
    auto pair = build_weekly_pair(in, period, {}, &why);
    double build_s = since(t0);
    std::string err;
    bool wrote = pair &&
                 write_xlsx(detail_sheet(pair->detail, {}), (dir / "d.xlsx").string(), &err) &&
                 write_xlsx(summary_sheet(pair->summary, {}), (dir / "s.xlsx").string(), &err) &&
                 write_csv(detail_sheet(pair->detail, {}), (dir / "d.csv").string(), &err);
    double total_s = since(t0);
    ok = ok && wrote && static_cast<int>(pair->detail.rows.size()) == n;
    std::printf("{\"bench\":\"forms_report\",\"placements\":%d,\"build_seconds\":%.3f,"
                "\"seconds\":%.3f}\n",
                n, build_s, total_s);
    std::filesystem::remove_all(dir);
    return ok && csv_ok ? 0 : 1;
}
