// The union's records (docs/DESIGN.md §2), in plain C++: no UI, no SQL, no I/O.
//
// Index
// - Dates and time           Date (calendar day), TimeMs (UTC milliseconds)
// - Reference records        Campaign, Fair, Employer, JobListing, Attendee
// - Event records            CheckIn, Placement (versions: original, correction, void),
//                            Registration (a walk-up person, sealed)
// - Enumerations             KeyGroup, EmploymentForm, ContractForm, Participation, ...
//
// Field comments give the union's column name from the forms (附件4, 附件6) so the mapping to
// reports is never guesswork.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace jf {

// -----------------------------------------------------------------------------
// Dates and time
// -----------------------------------------------------------------------------

// A calendar day as the forms write it (YYYYMMDD); no time zone, it is the day people agree on.
struct Date {
    int year = 0, month = 0, day = 0;
    bool valid() const;
    int yyyymmdd() const { return year * 10000 + month * 100 + day; }
    std::string to_string() const;     // "20240410", the forms' notation
    std::string to_iso() const;        // "2024-04-10", for date pickers and JSON
    static std::optional<Date> parse(std::string_view text); // YYYYMMDD, YYYY-MM-DD, YYYY/M/D
    static Date from_days(int64_t days_since_epoch);
    int64_t days_since_epoch() const;
    auto operator<=>(const Date&) const = default;
};

using TimeMs = int64_t; // milliseconds since the Unix epoch, UTC

// China Standard Time is UTC+8 all year (no daylight saving), which reports and screens use.
constexpr int64_t kCstOffsetMs = 8LL * 3600 * 1000;
Date cst_date(TimeMs t);
std::string cst_hhmm(TimeMs t); // "10:02", for "already checked in at 10:02"
std::string cst_iso(TimeMs t);  // "2024-02-23T10:02:05+08:00"

// -----------------------------------------------------------------------------
// Enumerations
// -----------------------------------------------------------------------------

// The key groups of 附件5 (其中，重点群体稳定就业人员); a person may belong to several.
enum KeyGroup : uint32_t {
    kMigrantWorker = 1u << 0,   // 外出务工人员(农民工)
    kNewFormWorker = 1u << 1,   // 新就业形态劳动者
    kHardshipFamily = 1u << 2,  // 困难职工及家庭成员
    kCollegeGraduate = 1u << 3, // 高校毕业生
    kDisabled = 1u << 4,        // 残疾人
    kRuralLabourer = 1u << 5,   // 农村劳动者 (Wuhan 春风行动 table)
};
constexpr uint32_t kAllKeyGroups = 0x3f;

enum class Gender { Unknown, Male, Female };

// 就业形式. 零活用工 is short-term work (<= 3 months) and new-form (platform) employment.
enum class EmploymentForm { Unit, Flexible, GigWork, SelfEmployed, PublicWelfare };

// 签订劳动关系文书形式: 劳动合同, or a 录取通知书 on paper or electronic (SMS, WeChat).
enum class ContractForm { LabourContract, OfferLetterPaper, OfferLetterElectronic, ServiceAgreement };

// 参与形式: whether the person found the job through an online or an offline fair.
enum class Participation { Offline, Online };

// How a check-in was attempted.
enum class ScanMethod { Camera, HandScanner, ManualLookup, WalkUp };

// Every outcome of presenting a code at a terminal; each has its own message and sound.
enum class Verdict {
    CheckedIn,        // 签到成功
    AlreadyCheckedIn, // 已于 HH:MM 签到
    WrongFair,        // not for this fair
    Expired,          // past valid-until
    NotYetValid,      // before valid-from
    Revoked,          // on the revocation list
    Forged,           // signature does not verify: altered or made up
    UnknownIssuer,    // signed by a key this terminal does not trust
    NotOurCode,       // any other QR: a URL, a WeChat code
    WrongKind,        // an employer badge at the entrance, an attendee code at the badge prompt
};

enum class PlacementAction { Original, Correction, Void };

// Stable text codes, used in the store, on the wire and as message-key suffixes.
const char* code(EmploymentForm v);
const char* code(ContractForm v);
const char* code(Participation v);
const char* code(ScanMethod v);
const char* code(Verdict v);
const char* code(PlacementAction v);
const char* code(Gender v);
// The union's wording for the forms (zh-CN, as the forms are Chinese whatever the UI language).
const char* form_label(EmploymentForm v);
const char* form_label(ContractForm v);
const char* form_label(Participation v);
template <class E> std::optional<E> parse_code(std::string_view text);

// -----------------------------------------------------------------------------
// Reference records (downloaded from the hub, or seeded from demo data)
// -----------------------------------------------------------------------------

// A campaign such as "2024 工会送岗位 乐业在江淮" with its concentrated phase (集中行动阶段).
struct Campaign {
    std::string id;
    std::string name;
    Date concentrated_from, concentrated_until; // inclusive; 50-yuan insurance applies inside
    Date year_from, year_until;
};

struct Fair {
    std::string id;
    std::string campaign_id;
    std::string name;       // e.g. 2024年无为市工会送岗位招聘会
    std::string union_unit; // reporting union (附件5 单位), e.g. 无为市
    std::string venue;
    Date date;
    bool online = false;  // 线上 / 线下
    bool special = false; // 专场招聘会 (Wuhan table)
};

struct Employer {
    std::string id;
    std::string name;        // 单位名称
    std::string credit_code; // 统一社会信用代码 (GB 32100), optional
    std::string union_unit;
    std::string contact_name;
    std::string contact_phone;
};

// One row of 附件4 岗位招聘信息采集表. Required columns: 单位名称, 岗位名称, 工作地点, 联系电话,
// 招聘截止日期. A listing past its deadline is never shown.
struct JobListing {
    std::string id;          // stable identity: same employer+title+location → same id
    std::string employer_id; // may be empty for imported rows without a known employer
    std::string union_unit;
    std::string employer_name;       // 单位名称*
    std::string title;               // 岗位名称*
    std::optional<int> headcount;    // 招聘人数
    std::string work_location;       // 工作地点*
    std::string industry;            // 行业类别
    std::string salary;              // 薪资 (free text: "8000", "6000-8000元/月", "面议")
    std::string gender_requirement;  // 性别要求
    std::string education;           // 学历要求
    std::string contact_name;        // 联系人
    std::string contact_phone;       // 联系电话*
    std::string email;               // 邮箱
    std::string description;         // 职位描述及要求
    std::string experience;          // 工作经验要求
    Date deadline;                   // 招聘截止日期*
    std::string remarks;             // 备注
    // When the listing was collected: first stored by the hub (imported or entered there), or by
    // a terminal's own import when the hub gave no time. 0 = not known. The weekly 归集 figures
    // count a listing in the week holding this instant (reports.hpp).
    TimeMs collected_at = 0;

    bool open_on(Date today) const { return !(deadline < today); }
    // Every field the employer gave is the same (collected_at is when it was stored, not what it
    // says): an import that meets such a listing again leaves it as it is.
    bool same_posting(const JobListing& b) const {
        return id == b.id && employer_id == b.employer_id && union_unit == b.union_unit &&
               employer_name == b.employer_name && title == b.title && headcount == b.headcount &&
               work_location == b.work_location && industry == b.industry && salary == b.salary &&
               gender_requirement == b.gender_requirement && education == b.education &&
               contact_name == b.contact_name && contact_phone == b.contact_phone &&
               email == b.email && description == b.description && experience == b.experience &&
               deadline == b.deadline && remarks == b.remarks;
    }
};

// A job seeker as the terminal knows them: never the plain ID or phone number (docs/DESIGN.md §3).
struct Attendee {
    std::string id;
    std::string name;
    Gender gender = Gender::Unknown;
    uint32_t key_groups = 0;   // KeyGroup bits
    std::string phone_masked;  // 138****5678
    std::string id_masked;     // 3402**********1234
    // Retired look-up hashes: always empty from terminal schema 5 on (docs/privacy.md: with the
    // masks they were an offline oracle). Kept for the registration event format, whose old
    // bodies may still carry them; no store keeps them.
    std::string phone_hash;
    std::string phone_tail_hash;
    std::string id_tail_hash;
    std::string sealed_phone;  // base64 sealed box to the hub's public key; only the hub opens it
    std::string sealed_id;
    std::string name_initials; // pinyin initials (张伟 → zw) for look-up
    std::string union_unit;
    std::string campaign_id;
};

// -----------------------------------------------------------------------------
// Event records (the terminal's append-only log; each signed by the terminal key)
// -----------------------------------------------------------------------------

struct EventHeader {
    std::string uuid;        // client-made, unique forever
    std::string terminal_id;
    int64_t seq = 0;         // per-terminal monotonic sequence, the order that counts
    TimeMs device_time = 0;  // terminal wall clock; the hub adds its receive time
};

struct CheckIn {
    EventHeader h;
    std::string attendee_id; // empty when the code could not be read as ours
    std::string fair_id;
    ScanMethod method = ScanMethod::Camera;
    Verdict verdict = Verdict::CheckedIn;
    std::string credential_id; // credential serial, for revocation disputes
};

// A walk-up registration at a terminal: the person as the terminal stored them (sealed ID and
// phone numbers and their masks; never a plain number) and the credential it issued.
// The hub adds the person to its attendee registry, so every terminal at the fair finds them.
struct Registration {
    EventHeader h;
    Attendee attendee;
    std::string fair_id;
    std::string credential_id; // the code the terminal issued, for revocation
    bool consent = false;      // 同意: the person agreed to the union keeping these details
};

// A stroke list from the signature pad: each stroke is x,y pairs in pad units (0..1000).
struct Signature {
    std::vector<std::vector<std::pair<int16_t, int16_t>>> strokes;
    bool empty() const { return strokes.empty(); }
};

// One version of a placement (附件6 row). Versions are immutable: a correction or a void is a
// new version whose `corrects` names the version it replaces.
struct Placement {
    EventHeader h;
    std::string placement_id;   // the first version's uuid; all versions share it
    PlacementAction action = PlacementAction::Original;
    std::string corrects;       // uuid of the version this one replaces (empty for originals)
    std::string reason;         // why corrected or voided
    std::string attendee_id;
    std::string fair_id;
    std::string employer_id;
    std::string listing_id;
    std::string person_name;        // 实现就业人员姓名
    std::string id_masked;          // 身份证号码 (masked; the sealed copy stays with the attendee)
    std::string phone_masked;       // 手机号码 (masked)
    std::string work_place;         // 就业地
    std::string employer_name;      // 就业单位名称
    std::string prev_year_work_place; // 2023年就业地 (the year before the campaign)
    EmploymentForm employment_form = EmploymentForm::Unit;   // 就业形式
    ContractForm contract_form = ContractForm::LabourContract; // 签订劳动关系文书形式
    Participation participation = Participation::Offline;    // 参与形式
    Date start_date;                // 落实就业日期 (the day work actually starts)
    Date signed_date;               // the day both parties signed at the booth
    uint32_t key_groups = 0;        // copied from the attendee at signing time, for 附件5
    Signature seeker_signature, employer_signature;
};

// The 50-yuan accident-injury mutual-aid plan: a 劳动合同 signed inside the concentrated phase.
bool qualifies_for_insurance(const Placement& p, const Campaign& c);
constexpr int kInsuranceYuan = 50; // paid 1:1 by province and city

} // namespace jf
