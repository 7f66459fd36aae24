// Dates, codes and labels for the union's records.
#include "kiosk/domain/records.hpp"
#include "kiosk/domain/numbers.hpp"

#include <charconv>
#include <cstdio>

namespace jf {

// -----------------------------------------------------------------------------
// Dates
// -----------------------------------------------------------------------------

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
static int days_in_month(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

bool Date::valid() const {
    return year >= 1900 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

std::string Date::to_string() const {
    char b[16];
    std::snprintf(b, sizeof b, "%04d%02d%02d", year, month, day);
    return b;
}

std::string Date::to_iso() const {
    char b[16];
    std::snprintf(b, sizeof b, "%04d-%02d-%02d", year, month, day);
    return b;
}

static bool parse_int(std::string_view s, int& out) {
    auto v = parse_int<int>(s);
    if (v) out = *v;
    return v.has_value();
}

std::optional<Date> Date::parse(std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
    Date d;
    if (t.size() == 8 && t.find_first_not_of("0123456789") == std::string_view::npos) {
        parse_int(t.substr(0, 4), d.year);
        parse_int(t.substr(4, 2), d.month);
        parse_int(t.substr(6, 2), d.day);
    } else {
        char sep = t.find('-') != std::string_view::npos ? '-' : '/';
        auto a = t.find(sep), b = a == std::string_view::npos ? a : t.find(sep, a + 1);
        if (b == std::string_view::npos) return std::nullopt;
        if (!parse_int(t.substr(0, a), d.year) || !parse_int(t.substr(a + 1, b - a - 1), d.month) ||
            !parse_int(t.substr(b + 1), d.day))
            return std::nullopt;
    }
    if (!d.valid()) return std::nullopt;
    return d;
}

// Howard Hinnant's civil-from-days: exact for the proleptic Gregorian calendar.
Date Date::from_days(int64_t z) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

int64_t Date::days_since_epoch() const {
    const int64_t y = year - (month <= 2);
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

Date cst_date(TimeMs t) { return Date::from_days(floor_div(t + kCstOffsetMs, 86400000LL)); }

std::string cst_hhmm(TimeMs t) {
    int64_t ms_of_day = (t + kCstOffsetMs) - floor_div(t + kCstOffsetMs, 86400000LL) * 86400000LL;
    int minutes = static_cast<int>(ms_of_day / 60000);
    char b[16];
    std::snprintf(b, sizeof b, "%02d:%02d", minutes / 60, minutes % 60);
    return b;
}

std::string cst_iso(TimeMs t) {
    int64_t ms_of_day = (t + kCstOffsetMs) - floor_div(t + kCstOffsetMs, 86400000LL) * 86400000LL;
    int s = static_cast<int>(ms_of_day / 1000);
    char b[40];
    std::snprintf(b, sizeof b, "%sT%02d:%02d:%02d+08:00", cst_date(t).to_iso().c_str(), s / 3600,
                  s / 60 % 60, s % 60);
    return b;
}

// -----------------------------------------------------------------------------
// Codes and labels
// -----------------------------------------------------------------------------

static constexpr std::pair<EmploymentForm, const char*> kEmployment[] = {
    {EmploymentForm::Unit, "unit"},          {EmploymentForm::Flexible, "flexible"},
    {EmploymentForm::GigWork, "gig"},        {EmploymentForm::SelfEmployed, "self"},
    {EmploymentForm::PublicWelfare, "public"}};
static constexpr std::pair<ContractForm, const char*> kContract[] = {
    {ContractForm::LabourContract, "contract"},
    {ContractForm::OfferLetterPaper, "offer_paper"},
    {ContractForm::OfferLetterElectronic, "offer_electronic"},
    {ContractForm::ServiceAgreement, "service_agreement"}};
static constexpr std::pair<Participation, const char*> kParticipation[] = {
    {Participation::Offline, "offline"}, {Participation::Online, "online"}};
static constexpr std::pair<ScanMethod, const char*> kMethod[] = {
    {ScanMethod::Camera, "camera"},
    {ScanMethod::HandScanner, "scanner"},
    {ScanMethod::ManualLookup, "lookup"},
    {ScanMethod::WalkUp, "walkup"}};
static constexpr std::pair<Verdict, const char*> kVerdict[] = {
    {Verdict::CheckedIn, "checked_in"},   {Verdict::AlreadyCheckedIn, "already"},
    {Verdict::WrongFair, "wrong_fair"},   {Verdict::Expired, "expired"},
    {Verdict::NotYetValid, "not_yet"},    {Verdict::Revoked, "revoked"},
    {Verdict::Forged, "forged"},          {Verdict::UnknownIssuer, "unknown_issuer"},
    {Verdict::NotOurCode, "not_ours"},    {Verdict::WrongKind, "wrong_kind"}};
static constexpr std::pair<PlacementAction, const char*> kAction[] = {
    {PlacementAction::Original, "original"},
    {PlacementAction::Correction, "correction"},
    {PlacementAction::Void, "void"}};
static constexpr std::pair<Gender, const char*> kGender[] = {
    {Gender::Unknown, "unknown"}, {Gender::Male, "male"}, {Gender::Female, "female"}};

static constexpr std::pair<IntentLevel, const char*> kIntentLevel[] = {
    {IntentLevel::Interested, "interested"},
    {IntentLevel::Interview, "interview"},
    {IntentLevel::Offer, "offer"}};
static constexpr std::pair<ServiceKind, const char*> kService[] = {
    {ServiceKind::LegalAid, "legal_aid"},
    {ServiceKind::Training, "training"},
    {ServiceKind::Entrepreneurship, "entrepreneurship"},
    {ServiceKind::JobService, "job_service"}};

const char* const kIntentNotes[6] = {"",          "call_back",        "second_interview",
                                     "trial_day", "send_certificate", "start_soon"};
const char* const kUndoReasons[3] = {"wrong_person", "test_scan", "double_scan"};
bool intent_note_ok(std::string_view note) {
    for (auto* n : kIntentNotes)
        if (note == n) return true;
    return false;
}
bool undo_reason_ok(std::string_view reason) {
    for (auto* r : kUndoReasons)
        if (reason == r) return true;
    return false;
}

template <class E, size_t N> static const char* lookup(const std::pair<E, const char*> (&t)[N], E v) {
    for (auto& [e, s] : t)
        if (e == v) return s;
    return "";
}
template <class E, size_t N>
static std::optional<E> reverse(const std::pair<E, const char*> (&t)[N], std::string_view s) {
    for (auto& [e, c] : t)
        if (s == c) return e;
    return std::nullopt;
}

const char* code(EmploymentForm v) { return lookup(kEmployment, v); }
const char* code(ContractForm v) { return lookup(kContract, v); }
const char* code(Participation v) { return lookup(kParticipation, v); }
const char* code(ScanMethod v) { return lookup(kMethod, v); }
const char* code(Verdict v) { return lookup(kVerdict, v); }
const char* code(PlacementAction v) { return lookup(kAction, v); }
const char* code(Gender v) { return lookup(kGender, v); }
const char* code(IntentLevel v) {
    return lookup(kIntentLevel, v);
}
const char* code(ServiceKind v) {
    return lookup(kService, v);
}

template <> std::optional<EmploymentForm> parse_code(std::string_view s) { return reverse(kEmployment, s); }
template <> std::optional<ContractForm> parse_code(std::string_view s) { return reverse(kContract, s); }
template <> std::optional<Participation> parse_code(std::string_view s) { return reverse(kParticipation, s); }
template <> std::optional<ScanMethod> parse_code(std::string_view s) { return reverse(kMethod, s); }
template <> std::optional<Verdict> parse_code(std::string_view s) { return reverse(kVerdict, s); }
template <> std::optional<PlacementAction> parse_code(std::string_view s) { return reverse(kAction, s); }
template <> std::optional<Gender> parse_code(std::string_view s) { return reverse(kGender, s); }
template <> std::optional<IntentLevel> parse_code(std::string_view s) {
    return reverse(kIntentLevel, s);
}
template <> std::optional<ServiceKind> parse_code(std::string_view s) {
    return reverse(kService, s);
}

const char* form_label(EmploymentForm v) {
    switch (v) {
    case EmploymentForm::Unit: return "单位就业";
    case EmploymentForm::Flexible: return "灵活就业";
    case EmploymentForm::GigWork: return "零活用工";
    case EmploymentForm::SelfEmployed: return "自主创业";
    case EmploymentForm::PublicWelfare: return "公益性岗位";
    }
    return "";
}
const char* form_label(ContractForm v) {
    switch (v) {
    case ContractForm::LabourContract: return "劳动合同";
    case ContractForm::OfferLetterPaper: return "录取通知书(纸质)";
    case ContractForm::OfferLetterElectronic: return "录取通知书(电子)";
    case ContractForm::ServiceAgreement: return "劳务协议";
    }
    return "";
}
const char* form_label(Participation v) {
    return v == Participation::Online ? "线上招聘会" : "线下招聘会";
}

bool qualifies_for_insurance(const Placement& p, const Campaign& c) {
    if (p.action == PlacementAction::Void) return false;
    if (p.contract_form != ContractForm::LabourContract) return false;
    return !(p.signed_date < c.concentrated_from) && !(c.concentrated_until < p.signed_date);
}

} // namespace jf
