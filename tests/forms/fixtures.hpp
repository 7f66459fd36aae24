// Records for report tests: the 2024 Wuhu campaign, two county unions, fairs and placements.
#pragma once

#include "kiosk/domain/reports.hpp"

namespace jf::test {

inline Campaign wuhu_2024() {
    return Campaign{"c2024",           "2024 工会送岗位 乐业在江淮",
                    Date{2024, 1, 22}, Date{2024, 4, 10},
                    Date{2024, 1, 1},  Date{2024, 12, 31}};
}

inline Placement placement(std::string id, std::string fair, Date start, Date signed_on,
                           ContractForm contract = ContractForm::LabourContract,
                           uint32_t groups = 0) {
    static int64_t seq = 0;
    Placement p;
    p.h.uuid = id;
    p.h.terminal_id = "T1";
    p.h.seq = ++seq;
    p.placement_id = id;
    p.attendee_id = "a-" + id;
    p.fair_id = std::move(fair);
    p.person_name = "张" + id;
    p.id_masked = "3402**********1234";
    p.phone_masked = "138****5678";
    p.work_place = "芜湖";
    p.employer_name = "奇瑞汽车股份有限公司";
    p.prev_year_work_place = "上海";
    p.contract_form = contract;
    p.start_date = start;
    p.signed_date = signed_on;
    p.key_groups = groups;
    return p;
}

// An instant in China Standard Time, as UTC milliseconds.
inline TimeMs cst(Date d, int h, int m = 0, int s = 0) {
    return cst_midnight(d) + (h * 3600 + m * 60 + s) * 1000LL;
}

// Collected on Monday 19 Feb 2024 09:00 CST (week 2024-W08) unless told otherwise.
inline JobListing listing(std::string id, std::string unit, std::string employer,
                          std::optional<int> headcount, Date deadline,
                          TimeMs collected = cst(Date{2024, 2, 19}, 9)) {
    JobListing l;
    l.collected_at = collected;
    l.id = std::move(id);
    l.union_unit = std::move(unit);
    l.employer_name = std::move(employer);
    l.title = "操作工";
    l.work_location = "芜湖";
    l.contact_phone = "13855381234";
    l.headcount = headcount;
    l.deadline = deadline;
    return l;
}

// Two unions, week 2024-W08 (Thursday 15 Feb 10:00 to Thursday 22 Feb 10:00, CST).
inline ReportInput two_unions() {
    ReportInput in;
    in.campaigns.push_back(wuhu_2024());
    in.fairs.push_back(
        Fair{"f-ww", "c2024", "无为市招聘会", "无为市", "无为", Date{2024, 2, 20}, false, true});
    in.fairs.push_back(
        Fair{"f-nl", "c2024", "南陵县线上招聘会", "南陵县", "", Date{2024, 2, 21}, true, false});
    in.fairs.push_back(
        Fair{"f-old", "c2024", "无为市早场", "无为市", "无为", Date{2024, 2, 10}, false, false});
    in.listings.push_back(listing("l1", "无为市", "奇瑞汽车股份有限公司", 3, Date{2024, 4, 10}));
    in.listings.push_back(
        listing("l2", "无为市", "奇瑞汽车股份有限公司", std::nullopt, Date{2024, 4, 10}));
    in.listings.push_back(listing("l3", "无为市", "芜湖港务有限公司", 10, Date{2024, 3, 1}));
    in.listings.push_back(listing("l4", "南陵县", "南陵纺织有限公司", 5, Date{2024, 5, 1}));
    in.listings.push_back(listing("l5", "南陵县", "过期公司", 7, Date{2024, 2, 1},
                                  cst(Date{2024, 1, 30}, 15))); // collected in 2024-W05
    in.placements.push_back(placement("p1", "f-ww", Date{2024, 2, 16}, Date{2024, 2, 10},
                                      ContractForm::LabourContract,
                                      kMigrantWorker | kRuralLabourer));
    in.placements.push_back(placement("p2", "f-ww", Date{2024, 2, 22}, Date{2024, 2, 20},
                                      ContractForm::OfferLetterElectronic, kCollegeGraduate));
    in.placements.push_back(placement("p3", "f-nl", Date{2024, 2, 19}, Date{2024, 2, 19},
                                      ContractForm::LabourContract, kNewFormWorker | kDisabled));
    in.placements.push_back(
        placement("p4", "f-nl", Date{2024, 2, 23}, Date{2024, 2, 21})); // next week
    in.placements.push_back(
        placement("p5", "f-ww", Date{2024, 2, 15}, Date{2024, 2, 15})); // previous week
    return in;
}

} // namespace jf::test
