// A real store file with one fair, its campaign, an employer with listings and two seekers:
// what the desk's tests start from.
#pragma once

#include "kiosk/crypto/crypto.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace jf::testing {

struct DeskFixture {
    std::filesystem::path dir;
    std::unique_ptr<Store> store;
    TerminalIdentity identity;
    Campaign campaign;
    Fair fair;
    Employer employer, other_employer;
    JobListing listing, second_listing, expired_listing, other_listing;
    Attendee seeker, second_seeker;
    Date today{2024, 2, 23}; // inside the concentrated phase

    explicit DeskFixture(const std::string& name) {
        crypto_init();
        dir = std::filesystem::path(JF_TEST_BUILD_DIR) / "tests" / "desk" / ("data-" + name);
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        std::string error;
        store = Store::open((dir / "kiosk.db").string(), &error);
        if (!store) throw std::runtime_error("store: " + error);

        identity.terminal_id = "T-DESK-01";
        identity.key = SigningKey::generate();
        identity.hub_seal_public_key = BoxKeyPair::generate().public_key;
        identity.mode = "employer";

        campaign = {"C2024",      "2024 工会送岗位 乐业在江淮",
                    {2024, 1, 1}, {2024, 4, 10},
                    {2024, 1, 1}, {2024, 12, 31}};
        fair = {"F-WUWEI-0223",
                "C2024",
                "2024年无为市工会送岗位招聘会",
                "无为市",
                "无为市人民广场",
                today,
                false,
                false};
        identity.fair_id = fair.id;
        employer = {"E-CHERY", "奇瑞汽车股份有限公司", "91350100M000100Y43", "芜湖市",
                    "孙女士",  "13855381234"};
        other_employer = {"E-CONCH",    "安徽海螺水泥股份有限公司", "", "芜湖市", "王先生",
                          "13955381234"};
        auto make = [&](std::string id, const Employer& e, std::string title, std::string where,
                        Date deadline) {
            JobListing l;
            l.id = std::move(id);
            l.employer_id = e.id;
            l.union_unit = e.union_unit;
            l.employer_name = e.name;
            l.title = std::move(title);
            l.headcount = 3;
            l.work_location = std::move(where);
            l.industry = "制造业";
            l.salary = "6000-8000元/月";
            l.contact_name = e.contact_name;
            l.contact_phone = e.contact_phone;
            l.deadline = deadline;
            return l;
        };
        listing = make("L-1", employer, "装配工", "芜湖经开区", {2024, 4, 10});
        second_listing = make("L-2", employer, "质检员", "无为市", {2024, 3, 31});
        expired_listing = make("L-3", employer, "司机", "芜湖", {2024, 2, 1});
        other_listing = make("L-4", other_employer, "窑操作工", "芜湖", {2024, 4, 10});

        seeker.id = "A-0001";
        seeker.name = "张伟";
        seeker.phone_masked = "138****5678";
        seeker.id_masked = "3402**********1234";
        seeker.key_groups = kMigrantWorker | kRuralLabourer;
        seeker.name_initials = "zw";
        seeker.campaign_id = campaign.id;
        second_seeker = seeker;
        second_seeker.id = "A-0002";
        second_seeker.name = "李小明";
        second_seeker.name_initials = "lxm";
        second_seeker.key_groups = kCollegeGraduate;

        bool ok = store->upsert_campaign(campaign) && store->upsert_fair(fair) &&
                  store->upsert_employer(employer) && store->upsert_employer(other_employer) &&
                  store->upsert_listing(listing) && store->upsert_listing(second_listing) &&
                  store->upsert_listing(expired_listing) && store->upsert_listing(other_listing) &&
                  store->upsert_attendee(seeker) && store->upsert_attendee(second_seeker) &&
                  save_identity(*store, identity, &error);
        if (!ok) throw std::runtime_error("seed: " + store->last_error() + " " + error);
    }

    // Midday on `today` in China Standard Time.
    TimeMs noon() const { return today.days_since_epoch() * 86400000LL + 4 * 3600000LL; }
};

// A signature as a finger would write it: a few strokes across the pad.
inline Signature scribble(int seed = 0) {
    Signature s;
    for (int k = 0; k < 3; ++k) {
        std::vector<std::pair<int16_t, int16_t>> stroke;
        for (int i = 0; i < 12; ++i)
            stroke.emplace_back(int16_t(100 + k * 250 + i * 15),
                                int16_t(300 + ((i + seed) % 4) * 60));
        s.strokes.push_back(stroke);
    }
    return s;
}

} // namespace jf::testing
