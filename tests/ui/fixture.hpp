// A real store in a temporary directory with a fair and job listings (some expired), and a
// headless Driver over the kiosk's screens, for the UI tests.
#pragma once

#include "kiosk/store/store.hpp"
#include "kiosk/ui/driver.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

namespace jf::test {

inline std::string temp_dir(const std::string& name) {
    auto d = std::filesystem::temp_directory_path() /
             ("jf-ui-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d.string();
}

// `open` listings open today and `expired` whose deadline passed yesterday.
inline void seed_listings(Store& s, Date today, int open, int expired,
                          const std::string& prefix = "L") {
    const char* titles[] = {"普工", "操作工",     "叉车司机", "电工",
                            "焊工", "仓库管理员", "保洁员",   "质检员"};
    const char* employers[] = {"芜湖鑫昊电子有限公司", "安徽琦瑾物流有限公司", "无为梓涵食品厂",
                               "繁昌县建材有限公司"};
    const char* locations[] = {"无为", "芜湖", "繁昌"};
    const char* industries[] = {"制造业", "物流", "食品"};
    s.transaction([&] {
        for (int i = 0; i < open + expired; ++i) {
            JobListing l;
            l.id = prefix + std::to_string(i);
            l.employer_name = employers[i % 4];
            l.title = titles[i % 8];
            l.headcount = 1 + i % 9;
            l.work_location = locations[i % 3];
            l.industry = industries[(i / 3) % 3];
            l.salary = std::to_string(4000 + (i % 20) * 100);
            l.education = "初中及以上";
            l.contact_name = "王先生";
            l.contact_phone = "0553-6661234";
            l.description = "流水线操作，两班倒，包吃住。";
            bool past = i >= open;
            l.deadline = Date::from_days(today.days_since_epoch() + (past ? -1 : 20));
            if (!s.upsert_listing(l)) return false;
        }
        return true;
    });
}

struct UiFixture {
    std::string dir;
    std::unique_ptr<Store> store;
    Translations tr;
    std::unique_ptr<ui::Driver> driver;

    explicit UiFixture(const std::string& name, int open = 30, int expired = 5,
                       ImVec2 size = ImVec2(1920, 1080), bool use_current_context = false,
                       ui::Mode mode = ui::Mode::Station) {
        crypto_init();
        dir = temp_dir(name);
        store = Store::open(dir + "/kiosk.db");
        REQUIRE(store);
        REQUIRE(tr.load(JF_ASSETS_DIR "/i18n"));
        Fair f;
        f.id = "fair-1";
        f.name = "无为市工会送岗位招聘会";
        f.union_unit = "无为市";
        f.venue = "无为市职工服务中心";
        f.date = cst_date(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
        REQUIRE(store->upsert_fair(f));
        ui::Context ctx;
        ctx.settings.mode = mode;
        ctx.tr = &tr;
        ctx.store = store.get();
        ctx.fair_id = f.id;
        ctx.data_dir = dir;
        driver = std::make_unique<ui::Driver>(std::move(ctx), size, use_current_context);
        seed_listings(*store, cst_date(driver->wall), open, expired);
        driver->frames(3); // the first frames build the atlas from what they show
    }
    ~UiFixture() {
        driver.reset();
        store.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    ui::Driver& d() { return *driver; }
};

} // namespace jf::test
