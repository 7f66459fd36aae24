// Placement flow and amendments: every rule checked before anything is written, and every
// version stored through Store::record_placement, which signs it with the terminal key.
#include "kiosk/desk/placement_flow.hpp"

#include <algorithm>
#include <climits>

namespace jf::desk {

// -----------------------------------------------------------------------------
// Checks
// -----------------------------------------------------------------------------

bool signature_has_ink(const Signature& s) {
    size_t points = 0;
    int min_x = INT_MAX, max_x = INT_MIN, min_y = INT_MAX, max_y = INT_MIN;
    for (const auto& stroke : s.strokes)
        for (const auto& [x, y] : stroke) {
            ++points;
            min_x = std::min<int>(min_x, x), max_x = std::max<int>(max_x, x);
            min_y = std::min<int>(min_y, y), max_y = std::max<int>(max_y, y);
        }
    // Pad units are 0..1000: at least a few points spanning 3% of the pad.
    return points >= 4 && std::max(max_x - min_x, max_y - min_y) >= 30;
}

std::vector<Check> check_placement(const Placement& p, Date today) {
    std::vector<Check> out;
    auto fail = [&](const char* key, const char* field) { out.push_back(Check::fail(key, field)); };
    if (p.employer_id.empty()) fail("desk.err.no_employer", "employer");
    if (p.attendee_id.empty() || trim(p.person_name).empty()) fail("desk.err.no_seeker", "seeker");
    if (p.listing_id.empty()) fail("desk.err.no_listing", "listing");
    if (trim(p.work_place).empty()) fail("desk.err.work_place", "work_place");
    if (!p.start_date.valid()) {
        fail("desk.err.start_date.missing", "start_date");
    } else if (p.start_date.days_since_epoch() < today.days_since_epoch() - kStartDaysBefore) {
        fail("desk.err.start_date.too_early", "start_date");
    } else if (p.start_date.days_since_epoch() > today.days_since_epoch() + kStartDaysAfter) {
        fail("desk.err.start_date.too_late", "start_date");
    }
    if (p.action == PlacementAction::Original) {
        if (!signature_has_ink(p.seeker_signature))
            fail("desk.err.sign.seeker", "seeker_signature");
    } else if (trim(p.reason).empty()) {
        fail("desk.err.reason", "reason");
    }
    if (!signature_has_ink(p.employer_signature))
        fail("desk.err.sign.employer", "employer_signature");
    return out;
}

bool insurance_applies(const Store& store, const Placement& p) {
    auto fair = store.fair(p.fair_id);
    if (!fair) return false;
    auto campaign = store.campaign(fair->campaign_id);
    return campaign && qualifies_for_insurance(p, *campaign);
}

// -----------------------------------------------------------------------------
// PlacementFlow
// -----------------------------------------------------------------------------

PlacementFlow::PlacementFlow(Store& store, EventSigner signer, std::string fair_id)
    : store_(store), signer_(std::move(signer)), fair_id_(std::move(fair_id)) {}

Check PlacementFlow::set_employer(const Employer& e, Date today) {
    ListingQuery q;
    q.employer_id = e.id;
    q.today = today;
    q.limit = 200;
    auto open = store_.search_listings(q);
    if (open.empty()) return Check::fail("desk.err.no_open_listing", "employer");
    reset();
    employer_ = e;
    listings_ = std::move(open);
    step_ = DeskStep::ScanSeeker;
    return Check::pass();
}

Check PlacementFlow::set_seeker(const Attendee& a, Date today) {
    if (step_ == DeskStep::ScanBadge) return Check::fail("desk.err.no_employer", "employer");
    if (placed_on(store_, employer_.id, a.id, today))
        return Check::fail("desk.err.duplicate", "seeker");
    seeker_ = a;
    draft_ = Placement{};
    draft_.attendee_id = a.id;
    draft_.fair_id = fair_id_;
    draft_.employer_id = employer_.id;
    draft_.employer_name = employer_.name;
    draft_.person_name = a.name;
    draft_.id_masked = a.id_masked;
    draft_.phone_masked = a.phone_masked;
    draft_.key_groups = a.key_groups;
    draft_.participation = Participation::Offline; // at a fair's booth: an offline fair
    draft_.start_date = today;
    stored_.reset();
    if (listings_.size() == 1) choose_listing(listings_.front().id);
    step_ = DeskStep::Form;
    return Check::pass();
}

Check PlacementFlow::choose_listing(std::string_view listing_id) {
    auto it = std::find_if(listings_.begin(), listings_.end(),
                           [&](const JobListing& l) { return l.id == listing_id; });
    if (it == listings_.end()) return Check::fail("desk.err.no_listing", "listing");
    draft_.listing_id = it->id;
    draft_.work_place = it->work_location;
    if (!it->employer_name.empty()) draft_.employer_name = it->employer_name;
    return Check::pass();
}

std::vector<Check> PlacementFlow::to_review(Date today) {
    if (step_ != DeskStep::Form) return {Check::fail("desk.err.no_seeker", "seeker")};
    std::vector<Check> problems;
    for (auto& c : check_placement(draft_, today))
        if (c.field != "seeker_signature" && c.field != "employer_signature") problems.push_back(c);
    if (problems.empty()) step_ = DeskStep::Review;
    return problems;
}

void PlacementFlow::confirm_review() {
    if (step_ == DeskStep::Review) step_ = DeskStep::SeekerSigns;
}

Check PlacementFlow::seeker_signs(const Signature& s) {
    if (step_ != DeskStep::SeekerSigns) return Check::fail("desk.err.not_now");
    if (!signature_has_ink(s)) return Check::fail("desk.err.sign.seeker", "seeker_signature");
    draft_.seeker_signature = s;
    step_ = DeskStep::EmployerSigns;
    return Check::pass();
}

Check PlacementFlow::employer_signs(const Signature& s) {
    if (step_ != DeskStep::EmployerSigns) return Check::fail("desk.err.not_now");
    if (!signature_has_ink(s)) return Check::fail("desk.err.sign.employer", "employer_signature");
    draft_.employer_signature = s;
    return Check::pass();
}

std::optional<Placement> PlacementFlow::commit(TimeMs now, std::string* error_key) {
    auto fail = [&](std::string key) -> std::optional<Placement> {
        if (error_key) *error_key = std::move(key);
        return std::nullopt;
    };
    if (step_ != DeskStep::EmployerSigns) return fail("desk.err.not_now");
    Placement p = draft_;
    p.action = PlacementAction::Original;
    p.signed_date = cst_date(now);
    p.h.device_time = now;
    auto problems = check_placement(p, p.signed_date);
    if (!problems.empty()) return fail(problems.front().key);
    if (placed_on(store_, p.employer_id, p.attendee_id, p.signed_date))
        return fail("desk.err.duplicate");
    auto stored = store_.record_placement(p, signer_);
    if (!stored) return fail("desk.err.store");
    stored_ = stored;
    step_ = DeskStep::Done;
    return stored;
}

std::optional<BoothIntent> PlacementFlow::record_intent(IntentLevel level, std::string_view note,
                                                        TimeMs now, std::string* error_key) {
    auto fail = [&](std::string key) -> std::optional<BoothIntent> {
        if (error_key) *error_key = std::move(key);
        return std::nullopt;
    };
    if (step_ != DeskStep::Form) return fail("desk.err.no_seeker");
    if (!intent_note_ok(note)) return fail("desk.err.intent.note");
    BoothIntent b;
    b.attendee_id = seeker_.id;
    b.fair_id = fair_id_;
    b.employer_id = employer_.id;
    b.listing_id = draft_.listing_id;
    b.level = level;
    b.note = std::string(note);
    b.h.device_time = now;
    auto stored = store_.record_intent(b, signer_);
    if (!stored) return fail("desk.err.store");
    last_intent_ = stored;
    next_seeker();
    return stored;
}

std::vector<BoothIntent> PlacementFlow::intents() const {
    if (employer_.id.empty()) return {};
    auto out = store_.intents(fair_id_, employer_.id);
    std::reverse(out.begin(), out.end());
    return out;
}

Check PlacementFlow::from_intent(const BoothIntent& intent, Date today) {
    if (step_ == DeskStep::ScanBadge) return Check::fail("desk.err.no_employer", "employer");
    if (intent.employer_id != employer_.id || intent.fair_id != fair_id_)
        return Check::fail("desk.err.not_own", "seeker");
    auto person = store_.attendee(intent.attendee_id);
    if (!person) return Check::fail("desk.err.unknown_seeker", "seeker");
    if (auto c = set_seeker(*person, today); !c) return c;
    if (!intent.listing_id.empty()) choose_listing(intent.listing_id); // closed since: choose one
    return Check::pass();
}

void PlacementFlow::back() {
    switch (step_) {
    case DeskStep::Review:
        step_ = DeskStep::Form;
        break;
    case DeskStep::SeekerSigns:
        step_ = DeskStep::Review;
        break;
    case DeskStep::EmployerSigns:
        draft_.seeker_signature = {};
        step_ = DeskStep::SeekerSigns;
        break;
    case DeskStep::Form:
        next_seeker();
        break;
    case DeskStep::ScanSeeker:
        reset();
        break;
    default:
        break;
    }
}

void PlacementFlow::next_seeker() {
    if (step_ == DeskStep::ScanBadge) return;
    seeker_ = Attendee{};
    draft_ = Placement{};
    stored_.reset();
    step_ = DeskStep::ScanSeeker;
}

void PlacementFlow::reset() {
    last_intent_.reset();
    employer_ = Employer{};
    seeker_ = Attendee{};
    listings_.clear();
    draft_ = Placement{};
    stored_.reset();
    step_ = DeskStep::ScanBadge;
}

// -----------------------------------------------------------------------------
// Amendments
// -----------------------------------------------------------------------------

std::vector<Placement> employer_placements(const Store& store, std::string_view employer_id) {
    std::vector<Placement> out;
    for (auto& p : store.current_placements())
        if (p.employer_id == employer_id) out.push_back(std::move(p));
    std::sort(out.begin(), out.end(),
              [](const Placement& a, const Placement& b) { return a.h.seq > b.h.seq; });
    return out;
}

std::optional<Placement> placed_on(const Store& store, std::string_view employer_id,
                                   std::string_view attendee_id, Date day) {
    for (auto& p : employer_placements(store, employer_id))
        if (p.attendee_id == attendee_id && p.signed_date == day &&
            p.action != PlacementAction::Void)
            return p;
    return std::nullopt;
}

namespace {

std::optional<Placement> amend(Store& store, const EventSigner& signer, const Employer& who,
                               const Placement& current, Placement next, PlacementAction action,
                               std::string_view reason, const Signature& employer_signature,
                               TimeMs now, std::string* error_key) {
    auto fail = [&](std::string key) -> std::optional<Placement> {
        if (error_key) *error_key = std::move(key);
        return std::nullopt;
    };
    if (current.employer_id != who.id || who.id.empty()) return fail("desk.err.not_own");
    auto versions = store.placement_versions(current.placement_id);
    if (versions.empty()) return fail("desk.err.no_placement");
    if (versions.back().h.uuid != current.h.uuid) return fail("desk.err.stale");
    if (versions.back().action == PlacementAction::Void) return fail("desk.err.voided");
    // What identifies the placement never changes; only the form's fields may.
    next.placement_id = current.placement_id;
    next.attendee_id = current.attendee_id;
    next.fair_id = current.fair_id;
    next.employer_id = current.employer_id;
    next.person_name = current.person_name;
    next.id_masked = current.id_masked;
    next.phone_masked = current.phone_masked;
    next.key_groups = current.key_groups;
    next.signed_date = current.signed_date; // the hire was agreed that day; insurance follows it
    next.action = action;
    next.corrects = current.h.uuid;
    next.reason = trim(reason);
    next.seeker_signature = {};
    next.employer_signature = employer_signature;
    next.h = EventHeader{};
    next.h.device_time = now;
    auto problems = check_placement(next, cst_date(now));
    if (!problems.empty()) return fail(problems.front().key);
    auto stored = store.record_placement(next, signer);
    if (!stored) return fail("desk.err.store");
    return stored;
}

} // namespace

std::optional<Placement> correct_placement(Store& store, const EventSigner& signer,
                                           const Employer& who, const Placement& current,
                                           const Placement& changed, std::string_view reason,
                                           const Signature& employer_signature, TimeMs now,
                                           std::string* error_key) {
    Placement next = current;
    next.listing_id = changed.listing_id.empty() ? current.listing_id : changed.listing_id;
    next.employer_name =
        changed.employer_name.empty() ? current.employer_name : changed.employer_name;
    next.work_place = changed.work_place;
    next.prev_year_work_place = changed.prev_year_work_place;
    next.employment_form = changed.employment_form;
    next.contract_form = changed.contract_form;
    next.participation = changed.participation;
    next.start_date = changed.start_date;
    return amend(store, signer, who, current, next, PlacementAction::Correction, reason,
                 employer_signature, now, error_key);
}

std::optional<Placement> void_placement(Store& store, const EventSigner& signer,
                                        const Employer& who, const Placement& current,
                                        std::string_view reason,
                                        const Signature& employer_signature, TimeMs now,
                                        std::string* error_key) {
    return amend(store, signer, who, current, current, PlacementAction::Void, reason,
                 employer_signature, now, error_key);
}

} // namespace jf::desk
