// Shared helpers for the store tests: a fresh data directory per test, sample records, a
// terminal signer, and a digest of every row in the database (to prove "nothing changed").
#pragma once

#include "kiosk/store/store.hpp"
#include "tests/support/support.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace jf::test {


// Every table's rows (FTS shadow tables included), in a stable order: equal digests mean the
// database content did not change.
inline std::string db_digest(sqlite3* db) {
    std::string out;
    sqlite3_stmt* tables = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                       "'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
                       -1, &tables, nullptr);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        std::string name = reinterpret_cast<const char*>(sqlite3_column_text(tables, 0));
        out += "[" + name + "]\n";
        sqlite3_stmt* rows = nullptr;
        // Table names come from sqlite_schema, not from input; quoted as identifiers.
        std::string sql = "SELECT * FROM \"" + name + "\" ORDER BY 1";
        sqlite3_prepare_v2(db, sql.c_str(), -1, &rows, nullptr);
        while (sqlite3_step(rows) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(rows); ++c) {
                auto p = static_cast<const char*>(sqlite3_column_blob(rows, c));
                out += std::to_string(sqlite3_column_type(rows, c)) + ":";
                if (p) out.append(p, static_cast<size_t>(sqlite3_column_bytes(rows, c)));
                out += "|";
            }
            out += "\n";
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    return out;
}

inline EventSigner signer_for(const SigningKey& key, std::string terminal = "T-ENTRANCE-1") {
    return EventSigner{terminal,
                       [key](std::string_view d, const Bytes& b) { return key.sign(d, b); }};
}

inline JobListing sample_listing(std::string id = "L-1") {
    JobListing l;
    l.id = std::move(id);
    l.employer_id = "E-1";
    l.union_unit = "无为市";
    l.employer_name = "无为市江淮电缆有限公司";
    l.title = "电缆挤出操作工";
    l.headcount = 12;
    l.work_location = "无为市高沟镇";
    l.industry = "制造业";
    l.salary = "5500-7000元/月";
    l.gender_requirement = "不限";
    l.education = "初中及以上";
    l.contact_name = "王女士";
    l.contact_phone = "13855380001";
    l.email = "hr@example.com";
    l.description = "负责挤出机的日常操作与巡检，能适应两班倒，提供食宿。";
    l.experience = "有经验者优先";
    l.deadline = Date{2099, 4, 10};
    l.remarks = "缴纳五险";
    return l;
}

inline Placement sample_placement() {
    Placement p;
    p.attendee_id = "A-1";
    p.fair_id = "F-1";
    p.employer_id = "E-1";
    p.listing_id = "L-1";
    p.person_name = "李娟";
    p.id_masked = "3402**********1234";
    p.phone_masked = "138****5678";
    p.work_place = "芜湖市无为市";
    p.employer_name = "无为市江淮电缆有限公司";
    p.prev_year_work_place = "江苏省苏州市";
    p.employment_form = EmploymentForm::Unit;
    p.contract_form = ContractForm::LabourContract;
    p.participation = Participation::Offline;
    p.start_date = Date{2024, 3, 1};
    p.signed_date = Date{2024, 2, 23};
    p.key_groups = kMigrantWorker | kHardshipFamily;
    p.seeker_signature.strokes = {{{10, 20}, {30, 40}, {50, 45}}, {{100, 100}, {120, 140}}};
    p.employer_signature.strokes = {{{500, 500}, {600, 520}}};
    return p;
}

} // namespace jf::test
