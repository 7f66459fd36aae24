// Store benchmarks on a real SQLite file (WAL, synchronous=FULL):
// - store.checkin: latency of one durable check-in (its own IMMEDIATE transaction, fsynced WAL)
// - store.search:  first page of listings for a Chinese substring (操作工, trigram index) over
//                  100,000 generated listings, and the total count for the same query
// - store.search_short: a 2-character query (焊工), which falls back to a substring scan
// Prints one JSON object per line. Latencies are wall-clock (what a person waits); the cpu_*
// figures are this thread's CPU time, which stays meaningful when other work shares the machine
// (load_avg, the 1-minute load average at the start, says how busy it was). --quick: 5,000 listings
// and 100 check-ins (ctest runs this).
// - store.pickers: the station screen's industry and place pickers (both lists) and the count of
//                  one industry filter, over the same listings
// --dir DIR: where the database file goes (default: the system temp directory); --keep leaves it.
// --listings N: how many listings (a province's terminal: 1000000).
#include "kiosk/store/store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

using namespace jf;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

// Plausible 附件4 rows: titles, employers, places and descriptions drawn from fixed vocabularies,
// so roughly one listing in eight mentions 操作工 somewhere.
JobListing generated_listing(int i, std::mt19937& rng, Date today) {
    static const char* titles[] = {
        "普工",       "装配操作工", "包装工",     "电焊工",   "叉车司机", "仓库管理员",
        "质检员",     "保安",       "保洁员",     "厨师",     "服务员",   "收银员",
        "外卖骑手",   "快递分拣员", "养老护理员", "育婴员",   "电工",     "机修工",
        "CNC操作工",  "注塑操作工", "销售代表",   "客服专员", "会计",     "行政文员",
        "软件工程师", "司机",       "钢筋工",     "木工",     "水电工",   "油漆工",
        "缝纫工",     "搬运工"};
    static const char* places[] = {"无为市",
                                   "南陵县",
                                   "湾沚区",
                                   "繁昌区",
                                   "鸠江区",
                                   "弋江区",
                                   "镜湖区",
                                   "三山区",
                                   "芜湖经济技术开发区",
                                   "江北新兴产业集中区"};
    static const char* towns[] = {"城关",   "开发区", "高沟镇", "襄安镇",
                                  "石涧镇", "牛埠镇", "工业园"};
    static const char* industries[] = {"制造业",   "建筑业",   "交通运输",       "住宿餐饮",
                                       "批发零售", "居民服务", "信息技术",       "农业",
                                       "物业服务", "新能源",   "卫生和社会工作", "教育"};
    static const char* kinds[] = {"电缆",     "汽车零部件", "新材料", "船舶", "物流",
                                  "建设工程", "食品",       "服装",   "电子", "光伏",
                                  "物业",     "家政",       "酒店",   "超市"};
    static const char* phrases[] = {"身体健康，能吃苦耐劳",
                                    "适应两班倒",
                                    "提供食宿",
                                    "缴纳五险一金",
                                    "有相关经验者优先",
                                    "服从车间安排",
                                    "新手可带教",
                                    "持证上岗",
                                    "年龄18-50岁",
                                    "按工艺要求完成生产任务",
                                    "熟悉设备日常保养",
                                    "工作地点交通便利",
                                    "多劳多得，月休四天",
                                    "欢迎4050人员",
                                    "节假日福利",
                                    "包工作餐",
                                    "长白班"};
    auto pick = [&](auto& arr) { return arr[rng() % (sizeof(arr) / sizeof(arr[0]))]; };
    JobListing l;
    l.id = "G-" + std::to_string(i);
    std::string place = pick(places);
    l.employer_name = place + "示范" + pick(kinds) + "有限公司" + std::to_string(i % 2000);
    l.employer_id = "GE-" + std::to_string(i % 2000);
    l.union_unit = place;
    l.title = pick(titles);
    l.headcount = static_cast<int>(rng() % 30 + 1);
    l.work_location = place + pick(towns);
    l.industry = pick(industries);
    l.salary = std::to_string(3000 + rng() % 60 * 100) + "元/月起";
    l.gender_requirement = "不限";
    l.education = "初中及以上";
    l.contact_name = "张女士";
    l.contact_phone = "0553-6" + std::to_string(100000 + rng() % 899999);
    for (int k = 0; k < 4; ++k)
        l.description += std::string(pick(phrases)) + "，";
    if (rng() % 16 == 0) l.description += "可转岗为操作工，";
    l.description += "工作认真负责。";
    l.experience = "不限";
    // One in ten has expired: search must skip those.
    l.deadline =
        Date::from_days(today.days_since_epoch() + (rng() % 10 == 0 ? -5 : 30 + rng() % 60));
    return l;
}

} // namespace

int main(int argc, char** argv) {
    bool quick = false, keep = false;
    int listings_flag = 0;
    std::string dir = std::filesystem::temp_directory_path().string();
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--quick"))
            quick = true;
        else if (!std::strcmp(argv[i], "--keep"))
            keep = true;
        else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else if (!std::strcmp(argv[i], "--listings") && i + 1 < argc)
            listings_flag = std::atoi(argv[++i]);
    }
    const int n_listings = listings_flag > 0 ? listings_flag : quick ? 5000 : 100000;
    const int n_checkins = quick ? 100 : 1000;
    const int n_queries = quick ? 50 : 300;

    auto path =
        std::filesystem::path(dir) / ("jf-bench-store-" + std::to_string(::getpid()) + ".db");
    std::error_code ec;
    std::string err;
    auto store = Store::open(path.string(), &err);
    if (!store) {
        std::fprintf(stderr, "cannot open %s: %s\n", path.c_str(), err.c_str());
        return 1;
    }
    auto cleanup = [&] {
        store.reset();
        if (keep) return;
        for (auto suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix, ec);
    };

    // -- Check-in commit latency ---------------------------------------------------
    auto key = SigningKey::generate();
    EventSigner signer{"T-BENCH",
                       [&](std::string_view d, const Bytes& b) { return key.sign(d, b); }};
    double load_avg = 0;
    getloadavg(&load_avg, 1);
    std::vector<double> commit, commit_cpu;
    for (int i = 0; i < n_checkins; ++i) {
        CheckIn c;
        c.attendee_id = "A-" + std::to_string(i);
        c.fair_id = "F-BENCH";
        auto t0 = Clock::now();
        double c0 = thread_cpu_ms();
        auto out = store->record_check_in(c, signer);
        commit.push_back(ms_since(t0));
        commit_cpu.push_back(thread_cpu_ms() - c0);
        if (!out.ok) {
            std::fprintf(stderr, "check-in failed: %s\n", out.error.c_str());
            cleanup();
            return 1;
        }
    }
    std::printf(
        "{\"bench\":\"store.checkin\",\"n\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,"
        "\"cpu_p99_ms\":%.3f,\"load_avg\":%.2f}\n",
        n_checkins, percentile(commit, 50), percentile(commit, 99),
        *std::max_element(commit.begin(), commit.end()), percentile(commit_cpu, 99), load_avg);
    std::fflush(stdout);

    // -- Listing search --------------------------------------------------------------
    Date today{2026, 2, 23};
    std::mt19937 rng(2024);
    auto t_load = Clock::now();
    double cpu_load = thread_cpu_ms();
    for (int i = 0; i < n_listings; i += 5000) {
        bool ok = store->transaction([&] {
            for (int k = i; k < std::min(n_listings, i + 5000); ++k)
                if (!store->upsert_listing(generated_listing(k, rng, today))) return false;
            return true;
        });
        if (!ok) {
            std::fprintf(stderr, "loading listings failed: %s\n", store->last_error().c_str());
            cleanup();
            return 1;
        }
    }
    double load_s = ms_since(t_load) / 1000.0;
    double load_cpu_s = (thread_cpu_ms() - cpu_load) / 1000.0;

    auto measure = [&](const char* name, const char* text) {
        ListingQuery q;
        q.text = text;
        q.today = today;
        q.limit = 50;
        std::vector<double> page, count, page_cpu, count_cpu;
        size_t shown = 0;
        int64_t total = 0;
        for (int i = 0; i < n_queries; ++i) {
            auto t0 = Clock::now();
            double c0 = thread_cpu_ms();
            shown = store->search_listings(q).size();
            page.push_back(ms_since(t0));
            page_cpu.push_back(thread_cpu_ms() - c0);
            t0 = Clock::now();
            c0 = thread_cpu_ms();
            total = store->count_listings(q);
            count.push_back(ms_since(t0));
            count_cpu.push_back(thread_cpu_ms() - c0);
        }
        std::printf(
            "{\"bench\":\"%s\",\"listings\":%d,\"matches\":%lld,\"page\":%zu,\"p50_ms\":%.3f,"
            "\"p95_ms\":%.3f,\"count_p50_ms\":%.3f,\"count_p95_ms\":%.3f,\"cpu_p95_ms\":%.3f,"
            "\"count_cpu_p95_ms\":%.3f}\n",
            name, n_listings, static_cast<long long>(total), shown, percentile(page, 50),
            percentile(page, 95), percentile(count, 50), percentile(count, 95),
            percentile(page_cpu, 95), percentile(count_cpu, 95));
        std::fflush(stdout);
        return shown > 0 && total > 0;
    };
    bool found = measure("store.search", "操作工");
    found = measure("store.search_short", "焊工") && found;
    {
        // The station screen's pickers (distinct industries and places of open listings) and the
        // count behind an industry filter tap.
        std::vector<double> pick, count;
        size_t industries = 0, places = 0;
        int64_t total = 0;
        for (int i = 0; i < n_queries; ++i) {
            auto t0 = Clock::now();
            industries = store->industries(today).size();
            places = store->locations(today).size();
            pick.push_back(ms_since(t0));
            ListingQuery q;
            q.today = today;
            q.industry = "制造业";
            t0 = Clock::now();
            total = store->count_listings(q);
            count.push_back(ms_since(t0));
        }
        std::printf("{\"bench\":\"store.pickers\",\"listings\":%d,\"industries\":%zu,"
                    "\"places\":%zu,\"p95_ms\":%.3f,\"industry_count\":%lld,"
                    "\"count_p95_ms\":%.3f}\n",
                    n_listings, industries, places, percentile(pick, 95),
                    static_cast<long long>(total), percentile(count, 95));
        std::fflush(stdout);
        found = found && industries == 12 && places > 0 && total > 0;
    }
    std::printf("{\"bench\":\"store.load\",\"listings\":%d,\"listings_per_s\":%.0f,"
                "\"cpu_listings_per_s\":%.0f}\n",
                n_listings, n_listings / load_s, n_listings / load_cpu_s);
    cleanup();
    if (!found) {
        std::fprintf(stderr,
                     "the queries found nothing: the generated data or the search is broken\n");
        return 1;
    }
    return 0;
}
