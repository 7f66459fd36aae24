// The reference tables' columns and how a row of them becomes a record, written once for both
// hub stores (SQLite and PostgreSQL). `Row` is either store's cursor: text(c), i64(c), blob(c),
// date(c), with NULL read as empty text and zero.
#pragma once

#include "sync/hub/hub_store.hpp"

#include "kiosk/domain/event_codec.hpp"
#include "kiosk/domain/records.hpp"
#include "kiosk/domain/reports.hpp"
#include "sync/wire/wire.hpp"

#include <string>

namespace jf::hub::rows {

inline constexpr const char* kStreamTable[] = {"campaigns",   "fairs",     "employers",
                                               "listings",    "attendees", "revocations",
                                               "issuer_keys", "notices"};
inline constexpr const char* kListingCols =
    "id, employer_id, union_unit, employer_name, title, headcount, work_location, industry, "
    "salary, gender_requirement, education, contact_name, contact_phone, email, description, "
    "experience, deadline, remarks, collected_at";
inline constexpr const char* kAttendeeCols =
    "id, name, gender, key_groups, phone_masked, id_masked, phone_hash, phone_tail_hash, "
    "id_tail_hash, sealed_phone, sealed_id, name_initials, union_unit, campaign_id";
inline constexpr const char* kFairCols =
    "id, campaign_id, name, union_unit, venue, date, online, special";
inline constexpr const char* kEmployerCols =
    "id, name, credit_code, union_unit, contact_name, contact_phone";
inline constexpr const char* kNoticeCols =
    "id, union_unit, text, starts_at, ends_at, fair_ids, terminal_ids";
inline constexpr const char* kCampaignCols =
    "id, name, concentrated_from, concentrated_until, year_from, year_until";

// A stream's record columns after "version, deleted", starting with id (what changes() reads).
inline std::string stream_columns(wire::Stream s) {
    switch (s) {
    case wire::Stream::Campaigns:
        return kCampaignCols;
    case wire::Stream::Fairs:
        return kFairCols;
    case wire::Stream::Employers:
        return kEmployerCols;
    case wire::Stream::Listings:
        return kListingCols;
    case wire::Stream::Attendees:
        return kAttendeeCols;
    case wire::Stream::Revocations:
        return "id, reason";
    case wire::Stream::IssuerKeys:
        return "id, public_key, kind, fair_id";
    case wire::Stream::Notices:
        return kNoticeCols;
    }
    return "id";
}

template <class Row> Campaign campaign_row(Row& s, int c) {
    return {s.text(c), s.text(c + 1), s.date(c + 2), s.date(c + 3), s.date(c + 4), s.date(c + 5)};
}
template <class Row> Fair fair_row(Row& s, int c) {
    Fair f;
    f.id = s.text(c);
    f.campaign_id = s.text(c + 1);
    f.name = s.text(c + 2);
    f.union_unit = s.text(c + 3);
    f.venue = s.text(c + 4);
    f.date = s.date(c + 5);
    f.online = s.i64(c + 6) != 0;
    f.special = s.i64(c + 7) != 0;
    return f;
}
template <class Row> StationNotice notice_row(Row& s, int c) {
    StationNotice n;
    n.id = s.text(c);
    n.union_unit = s.text(c + 1);
    n.text = s.text(c + 2);
    n.starts_at = s.i64(c + 3);
    n.ends_at = s.i64(c + 4);
    n.fair_ids = split_ids(s.text(c + 5));
    n.terminal_ids = split_ids(s.text(c + 6));
    return n;
}
template <class Row> Employer employer_row(Row& s, int c) {
    return {s.text(c), s.text(c + 1), s.text(c + 2), s.text(c + 3), s.text(c + 4), s.text(c + 5)};
}
template <class Row> JobListing listing_row(Row& s, int c) {
    JobListing l;
    l.id = s.text(c);
    l.employer_id = s.text(c + 1);
    l.union_unit = s.text(c + 2);
    l.employer_name = s.text(c + 3);
    l.title = s.text(c + 4);
    if (!s.text(c + 5).empty()) l.headcount = static_cast<int>(s.i64(c + 5));
    l.work_location = s.text(c + 6);
    l.industry = s.text(c + 7);
    l.salary = s.text(c + 8);
    l.gender_requirement = s.text(c + 9);
    l.education = s.text(c + 10);
    l.contact_name = s.text(c + 11);
    l.contact_phone = s.text(c + 12);
    l.email = s.text(c + 13);
    l.description = s.text(c + 14);
    l.experience = s.text(c + 15);
    l.deadline = s.date(c + 16);
    l.remarks = s.text(c + 17);
    l.collected_at = s.i64(c + 18);
    return l;
}
template <class Row> Attendee attendee_row(Row& s, int c) {
    Attendee a;
    a.id = s.text(c);
    a.name = s.text(c + 1);
    a.gender = parse_code<Gender>(s.text(c + 2)).value_or(Gender::Unknown);
    a.key_groups = static_cast<uint32_t>(s.i64(c + 3));
    a.phone_masked = s.text(c + 4);
    a.id_masked = s.text(c + 5);
    a.phone_hash = s.text(c + 6);
    a.phone_tail_hash = s.text(c + 7);
    a.id_tail_hash = s.text(c + 8);
    a.sealed_phone = s.text(c + 9);
    a.sealed_id = s.text(c + 10);
    a.name_initials = s.text(c + 11);
    a.union_unit = s.text(c + 12);
    a.campaign_id = s.text(c + 13);
    return a;
}

// Whether a stream is offered per union (a terminal's union and the unions above it): listings
// and station notices.
inline bool union_scoped(wire::Stream s) {
    return s == wire::Stream::Listings || s == wire::Stream::Notices;
}

// The changes() query of stream `s`: its rows after a version, in version order, as
// "version, deleted, stream_columns(s)". With `unions` > 0 (union_scoped streams only) the rows of
// those unions alone: one range of the (union_unit, version) index per union, merged, so a county's
// page costs the same however many listings the province holds. Placeholders are numbered:
// <mark>1 the version after, <mark>2 the row limit, <mark>3… the unions ('?' SQLite, '$'
// PostgreSQL).
inline std::string changes_sql(wire::Stream s, size_t unions, char mark) {
    auto p = [mark](size_t i) { return mark + std::to_string(i); };
    std::string rows = "SELECT version, deleted, " + stream_columns(s) + " FROM " +
                       kStreamTable[static_cast<int>(s)] + " WHERE ";
    std::string range = "version>" + p(1) + " ORDER BY version LIMIT " + p(2);
    if (unions == 0) return rows + range;
    std::string sql = "SELECT * FROM (";
    for (size_t i = 0; i < unions; ++i)
        sql += std::string(i ? " UNION ALL " : "") + "SELECT * FROM (" + rows +
               "union_unit=" + p(3 + i) + " AND " + range + ") AS u" + std::to_string(i);
    return sql + ") AS offered ORDER BY version LIMIT " + p(2);
}

// One row of changes(): columns version, deleted, then stream_columns(s).
template <class Row> wire::PullItem pull_item(Row& s, wire::Stream st) {
    wire::PullItem it;
    it.version = s.i64(0);
    it.deleted = s.i64(1) != 0;
    it.id = s.text(2);
    if (it.deleted) return it;
    switch (st) {
    case wire::Stream::Campaigns:
        it.campaign = campaign_row(s, 2);
        break;
    case wire::Stream::Fairs:
        it.fair = fair_row(s, 2);
        break;
    case wire::Stream::Employers:
        it.employer = employer_row(s, 2);
        break;
    case wire::Stream::Listings:
        it.listing = listing_row(s, 2);
        break;
    case wire::Stream::Attendees:
        it.attendee = attendee_row(s, 2);
        break;
    case wire::Stream::Revocations:
        it.revocation_reason = s.text(3);
        break;
    case wire::Stream::IssuerKeys:
        it.issuer_public_key = s.blob(3);
        it.issuer_kind = s.text(4);
        it.issuer_fair_id = s.text(5);
        break;
    case wire::Stream::Notices:
        it.notice = notice_row(s, 2);
        break;
    }
    return it;
}

// One placement row: uuid, terminal_id, seq, device_time, then the record's columns and
// received_at (kPlacementCols).
inline constexpr const char* kPlacementCols =
    "uuid, terminal_id, seq, device_time, placement_id, action, corrects, reason, "
    "attendee_id, fair_id, employer_id, listing_id, person_name, id_masked, "
    "phone_masked, work_place, employer_name, prev_year_work_place, employment_form, "
    "contract_form, participation, start_date, signed_date, key_groups, received_at";
template <class Row> Placement placement_row(Row& s) {
    Placement p;
    p.h = {s.text(0), s.text(1), s.i64(2), s.i64(3)};
    p.placement_id = s.text(4);
    p.action = parse_code<PlacementAction>(s.text(5)).value_or(PlacementAction::Original);
    p.corrects = s.text(6);
    p.reason = s.text(7);
    p.attendee_id = s.text(8);
    p.fair_id = s.text(9);
    p.employer_id = s.text(10);
    p.listing_id = s.text(11);
    p.person_name = s.text(12);
    p.id_masked = s.text(13);
    p.phone_masked = s.text(14);
    p.work_place = s.text(15);
    p.employer_name = s.text(16);
    p.prev_year_work_place = s.text(17);
    p.employment_form = parse_code<EmploymentForm>(s.text(18)).value_or(EmploymentForm::Unit);
    p.contract_form = parse_code<ContractForm>(s.text(19)).value_or(ContractForm::LabourContract);
    p.participation = parse_code<Participation>(s.text(20)).value_or(Participation::Offline);
    p.start_date = s.date(21);
    p.signed_date = s.date(22);
    p.key_groups = static_cast<uint32_t>(s.i64(23));
    return p;
}

inline constexpr const char* kCheckInCols =
    "uuid, terminal_id, seq, device_time, fair_id, attendee_id, method, verdict, "
    "credential_id, received_at";
template <class Row> CheckIn check_in_row(Row& s) {
    CheckIn c;
    c.h = {s.text(0), s.text(1), s.i64(2), s.i64(3)};
    c.fair_id = s.text(4);
    c.attendee_id = s.text(5);
    c.method = parse_code<ScanMethod>(s.text(6)).value_or(ScanMethod::Camera);
    c.verdict = parse_code<Verdict>(s.text(7)).value_or(Verdict::CheckedIn);
    c.credential_id = s.text(8);
    return c;
}

// Wuhu's unions as the seeds' 附件1 lists them, under the city's and the province's.
struct SeedUnion {
    const char *id, *parent, *name, *level;
};
inline constexpr SeedUnion kSeedUnions[] = {
    {"安徽省", "", "安徽省总工会", "province"},
    {"芜湖市", "安徽省", "芜湖市总工会", "city"},
    {"无为市", "芜湖市", "无为市总工会", "county"},
    {"南陵县", "芜湖市", "南陵县总工会", "county"},
    {"镜湖区", "芜湖市", "镜湖区总工会", "county"},
    {"鸠江区", "芜湖市", "鸠江区总工会", "county"},
    {"弋江区", "芜湖市", "弋江区总工会", "county"},
    {"湾沚区", "芜湖市", "湾沚区总工会", "county"},
    {"繁昌区", "芜湖市", "繁昌区总工会", "county"},
    {"经开区", "芜湖市", "经开区工会", "county"},
    {"三山经开区", "芜湖市", "三山经开区工会", "county"},
    {"市职工服务中心", "芜湖市", "芜湖市职工服务中心", "county"},
};

// One fair's figures (HubStore::fair_counts), the same SQL on both stores ($1: the fair's id;
// SQLite reads $1 as its first parameter). A placement's chain is its placement_id (its uuid when
// empty): a chain of one version counts unless it is a void; longer chains are read
// (kFairPlacementChainsSql) and resolved in C++ like every report resolves them.
inline constexpr const char* kFairCheckInCountsSql =
    "SELECT COUNT(*), COUNT(DISTINCT attendee_id) FROM check_ins WHERE fair_id=$1 AND "
    "verdict='checked_in'";
inline constexpr const char* kFairCheckInHoursSql =
    "SELECT ((device_time + 28800000) / 3600000) % 24, COUNT(*) FROM check_ins WHERE fair_id=$1 "
    "AND verdict='checked_in' GROUP BY 1";
inline constexpr const char* kFairDayCountsSql =
    "SELECT kind, COUNT(*), COUNT(DISTINCT attendee_id) FROM fair_day_events WHERE fair_id=$1 "
    "GROUP BY kind";
inline constexpr const char* kFairUndoBodiesSql =
    "SELECT e.body FROM fair_day_events f JOIN events e ON e.uuid = f.uuid WHERE f.fair_id=$1 "
    "AND f.kind='checkin_undo' ORDER BY f.terminal_id, f.seq";
inline constexpr const char* kUndonePeopleCheckInsSql =
    "SELECT attendee_id, uuid FROM check_ins WHERE fair_id=$1 AND verdict='checked_in' AND "
    "attendee_id IN (SELECT attendee_id FROM fair_day_events WHERE fair_id=$1 AND "
    "kind='checkin_undo')";
template <class Counts, class Bodies, class CheckIns>
FairDayFigures fair_day_figures_of(Counts& c, Bodies& b, CheckIns& ci) {
    FairDayFigures out;
    while (c.step()) {
        std::string kind = c.text(0);
        if (kind == "intent") out.intents = c.i64(1), out.with_intent = c.i64(2);
        if (kind == "service") out.services = c.i64(1);
    }
    while (b.step()) {
        auto body = b.blob(0);
        auto u = decode_check_in_undo(
            std::string_view(reinterpret_cast<const char*>(body.data()), body.size()));
        if (u) out.undos.push_back(std::move(*u));
    }
    while (!out.undos.empty() && ci.step())
        out.undone_people_check_ins.emplace_back(ci.text(0), ci.text(1));
    return out;
}
inline constexpr const char* kFairPlacementCountsSql =
    "SELECT COALESCE(SUM(CASE WHEN n=1 AND a<>'void' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN n>1 THEN 1 ELSE 0 END), 0) FROM (SELECT COUNT(*) AS n, MIN(action) "
    "AS a FROM placements WHERE fair_id=$1 GROUP BY COALESCE(NULLIF(placement_id,''), uuid)) g";
inline std::string fair_placement_chains_sql() {
    return std::string("SELECT ") + kPlacementCols +
           " FROM placements WHERE fair_id=$1 AND COALESCE(NULLIF(placement_id,''), uuid) IN "
           "(SELECT COALESCE(NULLIF(placement_id,''), uuid) FROM placements WHERE fair_id=$1 "
           "GROUP BY 1 HAVING COUNT(*)>1) ORDER BY terminal_id, seq";
}

// Every version of the placements that may count in a report's period
// (HubStore::period_placement_versions), the same SQL on both stores: the chains (placement_id,
// else uuid) with a version whose start date lies in the period's days ($1 … $2, ISO dates, both
// inclusive) or that was recorded in it ($3 <= device_time < $4). A placement counts in a period
// by its current start date or its first recording (counts_in), so no chain that counts is left
// out; the builders then decide exactly. Each condition is a range of its own index and the
// chains are read by the chain index: a week's report reads that week's placements, not all.
inline std::string period_placements_sql() {
    return std::string("SELECT ") + kPlacementCols +
           " FROM placements WHERE COALESCE(NULLIF(placement_id,''), uuid) IN (SELECT "
           "COALESCE(NULLIF(placement_id,''), uuid) FROM placements WHERE start_date BETWEEN $1 "
           "AND $2 UNION SELECT COALESCE(NULLIF(placement_id,''), uuid) FROM placements WHERE "
           "device_time >= $3 AND device_time < $4) ORDER BY terminal_id, seq";
}

// A campaign's 附件1 targets (HubStore::set_targets / targets), the same SQL on both stores.
inline constexpr const char* kSetTargetSql =
    "INSERT INTO campaign_targets(campaign_id, position, unit, f0, f1, f2, f3, f4, f5) "
    "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9)";
inline constexpr const char* kTargetsSql =
    "SELECT unit, f0, f1, f2, f3, f4, f5 FROM campaign_targets WHERE campaign_id=$1 "
    "ORDER BY position";
// An account's 附件5 downloads (HubStore::set_report_digests / report_digests), both stores.
inline constexpr const char* kSetReportDigestSql =
    "INSERT INTO report_downloads(account, week, union_id, digest, at) VALUES($1,$2,$3,$4,$5) "
    "ON CONFLICT(account, week, union_id) DO UPDATE SET digest=excluded.digest, at=excluded.at";
inline constexpr const char* kReportDigestsSql =
    "SELECT union_id, digest FROM report_downloads WHERE account=$1 AND week=$2";

template <class Row> Target target_row(Row& s) {
    Target t;
    t.unit = s.text(0);
    for (int m = 0; m < kTargetMeasures; ++m)
        t.figures[m] = s.i64(1 + m);
    return t;
}

} // namespace jf::hub::rows
