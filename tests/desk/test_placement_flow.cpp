// The employer desk's placement flow over a real store file: drafts, checks, signatures, the
// terminal signature over the stored bytes, insurance, corrections and voids.
#include <catch2/catch.hpp>

#include "kiosk/desk/placement_flow.hpp"
#include "tests/desk/desk_fixture.hpp"

#include <algorithm>

using namespace jf;
using namespace jf::desk;
using jf::testing::DeskFixture;
using jf::testing::scribble;

namespace {
bool has_key(const std::vector<Check>& v, const std::string& key) {
    return std::any_of(v.begin(), v.end(), [&](const Check& c) { return c.key == key; });
}

// Walks a flow to the point where the employer has signed.
PlacementFlow& fill(PlacementFlow& flow, DeskFixture& f, const Attendee& who) {
    REQUIRE(flow.set_employer(f.employer, f.today).ok());
    REQUIRE(flow.set_seeker(who, f.today).ok());
    REQUIRE(flow.choose_listing("L-1").ok());
    REQUIRE(flow.to_review(f.today).empty());
    flow.confirm_review();
    REQUIRE(flow.seeker_signs(scribble(1)).ok());
    REQUIRE(flow.employer_signs(scribble(2)).ok());
    return flow;
}
} // namespace

TEST_CASE("a placement from badge to a terminal-signed stored record") {
    DeskFixture f("flow");
    PlacementFlow flow(*f.store, f.identity.signer(), f.fair.id);
    CHECK(flow.step() == DeskStep::ScanBadge);

    REQUIRE(flow.set_employer(f.employer, f.today).ok());
    CHECK(flow.step() == DeskStep::ScanSeeker);
    // Only this employer's listings still open today.
    REQUIRE(flow.listings().size() == 2);
    for (const auto& l : flow.listings()) {
        CHECK(l.employer_id == f.employer.id);
        CHECK(l.id != "L-3");
    }

    REQUIRE(flow.set_seeker(f.seeker, f.today).ok());
    CHECK(flow.step() == DeskStep::Form);
    CHECK(flow.draft().participation == Participation::Offline);
    CHECK(flow.draft().start_date == f.today);
    CHECK(flow.draft().person_name == "张伟");
    // No listing chosen yet: the form says so and stays.
    CHECK(has_key(flow.to_review(f.today), "desk.err.no_listing"));
    CHECK(flow.step() == DeskStep::Form);
    CHECK_FALSE(flow.choose_listing("L-4").ok()); // another employer's listing
    REQUIRE(flow.choose_listing("L-2").ok());
    CHECK(flow.draft().work_place == "无为市"); // 就业地 defaults to the listing's 工作地点

    flow.draft().employment_form = EmploymentForm::GigWork; // 零活用工
    flow.draft().contract_form = ContractForm::OfferLetterElectronic;
    flow.draft().start_date = Date{2024, 3, 1};
    REQUIRE(flow.to_review(f.today).empty());
    CHECK(flow.step() == DeskStep::Review);
    flow.confirm_review();
    CHECK(flow.step() == DeskStep::SeekerSigns);
    CHECK(flow.seeker_signs(Signature{{{{10, 10}}}}).key == "desk.err.sign.seeker"); // a tap
    CHECK(flow.step() == DeskStep::SeekerSigns);
    REQUIRE(flow.seeker_signs(scribble(1)).ok());
    CHECK(flow.step() == DeskStep::EmployerSigns);
    CHECK(flow.employer_signs(Signature{}).key == "desk.err.sign.employer");
    std::string error;
    CHECK_FALSE(flow.commit(f.noon(), &error)); // the employer has not signed yet
    CHECK(error == "desk.err.sign.employer");
    CHECK(f.store->current_placements().empty());
    REQUIRE(flow.employer_signs(scribble(2)).ok());
    auto stored = flow.commit(f.noon(), &error);
    REQUIRE(stored);
    CHECK(flow.step() == DeskStep::Done);

    // What the store keeps is what was agreed, signatures included.
    auto versions = f.store->placement_versions(stored->placement_id);
    REQUIRE(versions.size() == 1);
    const Placement& p = versions.front();
    CHECK(p.action == PlacementAction::Original);
    CHECK(p.employer_id == "E-CHERY");
    CHECK(p.listing_id == "L-2");
    CHECK(p.work_place == "无为市");
    CHECK(p.employment_form == EmploymentForm::GigWork);
    CHECK(p.contract_form == ContractForm::OfferLetterElectronic);
    CHECK(p.start_date == Date{2024, 3, 1});
    CHECK(p.signed_date == f.today);
    CHECK(p.key_groups == (kMigrantWorker | kRuralLabourer));
    CHECK(p.seeker_signature.strokes == scribble(1).strokes);
    CHECK(p.employer_signature.strokes == scribble(2).strokes);
    CHECK(p.id_masked == "3402**********1234");

    // The outbox event is signed by this terminal's key over exactly its bytes.
    auto events = f.store->events_after(0, 10);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == "placement");
    CHECK(verify(f.identity.key.public_key, signature_domain("placement"), events[0].body,
                 events[0].signature));
    Bytes tampered = events[0].body;
    tampered[tampered.size() / 2] ^= 1;
    CHECK_FALSE(verify(f.identity.key.public_key, signature_domain("placement"), tampered,
                       events[0].signature));
    // An offer letter does not bring the 50-yuan plan.
    CHECK_FALSE(insurance_applies(*f.store, p));

    flow.next_seeker();
    CHECK(flow.step() == DeskStep::ScanSeeker);
    CHECK(flow.employer().id == "E-CHERY");
    CHECK(flow.draft().person_name.empty());
}

TEST_CASE("the 50-yuan plan: a 劳动合同 signed inside the concentrated phase") {
    DeskFixture f("insurance");
    PlacementFlow flow(*f.store, f.identity.signer(), f.fair.id);
    fill(flow, f, f.seeker);
    auto inside = flow.commit(f.noon());
    REQUIRE(inside);
    CHECK(inside->contract_form == ContractForm::LabourContract);
    CHECK(insurance_applies(*f.store, *inside));

    // The same contract signed after the phase ended does not qualify.
    flow.next_seeker();
    Date late{2024, 4, 20};
    REQUIRE(flow.set_seeker(f.second_seeker, late).ok());
    REQUIRE(flow.choose_listing("L-1").ok());
    REQUIRE(flow.to_review(late).empty());
    flow.confirm_review();
    REQUIRE(flow.seeker_signs(scribble()).ok());
    REQUIRE(flow.employer_signs(scribble()).ok());
    auto after = flow.commit(late.days_since_epoch() * 86400000LL + 4 * 3600000LL);
    REQUIRE(after);
    CHECK_FALSE(insurance_applies(*f.store, *after));
}

TEST_CASE("bad form input is refused with a message and changes nothing") {
    DeskFixture f("bad");
    PlacementFlow flow(*f.store, f.identity.signer(), f.fair.id);
    CHECK(flow.set_seeker(f.seeker, f.today).key == "desk.err.no_employer");
    // An employer with no open listing has nothing to hire for.
    Employer nobody{"E-NONE", "无岗位公司", "", "", "", ""};
    CHECK(flow.set_employer(nobody, f.today).key == "desk.err.no_open_listing");
    CHECK(flow.step() == DeskStep::ScanBadge);

    REQUIRE(flow.set_employer(f.employer, f.today).ok());
    REQUIRE(flow.set_seeker(f.seeker, f.today).ok());
    REQUIRE(flow.choose_listing("L-1").ok());
    flow.draft().work_place = "   ";
    flow.draft().start_date = Date{};
    auto problems = flow.to_review(f.today);
    CHECK(has_key(problems, "desk.err.work_place"));
    CHECK(has_key(problems, "desk.err.start_date.missing"));
    CHECK(flow.step() == DeskStep::Form);
    flow.draft().work_place = "芜湖";
    flow.draft().start_date = Date{2023, 1, 1};
    CHECK(has_key(flow.to_review(f.today), "desk.err.start_date.too_early"));
    flow.draft().start_date = Date{2026, 1, 1};
    CHECK(has_key(flow.to_review(f.today), "desk.err.start_date.too_late"));
    flow.draft().start_date = f.today;
    CHECK(flow.to_review(f.today).empty());
    // Signing out of order is refused.
    CHECK(flow.employer_signs(scribble()).key == "desk.err.not_now");
    flow.back();
    CHECK(flow.step() == DeskStep::Form);
    CHECK(f.store->current_placements().empty());
    CHECK(f.store->last_seq() == 0);

    flow.reset();
    CHECK(flow.step() == DeskStep::ScanBadge);
    CHECK(flow.listings().empty());
}

TEST_CASE("corrections and voids are new signed versions of the employer's own placement") {
    DeskFixture f("amend");
    PlacementFlow flow(*f.store, f.identity.signer(), f.fair.id);
    fill(flow, f, f.seeker);
    auto original = flow.commit(f.noon());
    REQUIRE(original);
    TimeMs later = f.noon() + 3600000;

    auto mine = employer_placements(*f.store, f.employer.id);
    REQUIRE(mine.size() == 1);
    CHECK(employer_placements(*f.store, f.other_employer.id).empty());

    Placement changed = mine.front();
    changed.start_date = Date{2024, 3, 4}; // the start moved
    std::string error;
    // Another employer may not touch it; a reason and a signature are needed.
    CHECK_FALSE(correct_placement(*f.store, f.identity.signer(), f.other_employer, mine.front(),
                                  changed, "改期", scribble(), later, &error));
    CHECK(error == "desk.err.not_own");
    CHECK_FALSE(correct_placement(*f.store, f.identity.signer(), f.employer, mine.front(), changed,
                                  "  ", scribble(), later, &error));
    CHECK(error == "desk.err.reason");
    CHECK_FALSE(correct_placement(*f.store, f.identity.signer(), f.employer, mine.front(), changed,
                                  "改期", Signature{}, later, &error));
    CHECK(error == "desk.err.sign.employer");
    CHECK(f.store->placement_versions(original->placement_id).size() == 1);

    auto corrected = correct_placement(*f.store, f.identity.signer(), f.employer, mine.front(),
                                       changed, "入职日期推迟", scribble(3), later, &error);
    REQUIRE(corrected);
    CHECK(corrected->action == PlacementAction::Correction);
    CHECK(corrected->corrects == original->h.uuid);
    CHECK(corrected->placement_id == original->placement_id);
    CHECK(corrected->start_date == Date{2024, 3, 4});
    CHECK(corrected->signed_date == original->signed_date);
    CHECK(corrected->reason == "入职日期推迟");

    // The original is untouched; the current version is the correction.
    auto versions = f.store->placement_versions(original->placement_id);
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].start_date == f.today);
    mine = employer_placements(*f.store, f.employer.id);
    REQUIRE(mine.size() == 1);
    CHECK(mine.front().h.uuid == corrected->h.uuid);

    // Correcting a version that is no longer current is refused.
    CHECK_FALSE(void_placement(*f.store, f.identity.signer(), f.employer, versions[0], "重复",
                               scribble(), later, &error));
    CHECK(error == "desk.err.stale");

    auto voided = void_placement(*f.store, f.identity.signer(), f.employer, mine.front(),
                                 "求职者未到岗", scribble(4), later + 1000, &error);
    REQUIRE(voided);
    CHECK(voided->action == PlacementAction::Void);
    CHECK_FALSE(insurance_applies(*f.store, *voided));
    mine = employer_placements(*f.store, f.employer.id);
    REQUIRE(mine.size() == 1);
    CHECK(mine.front().action == PlacementAction::Void);
    CHECK_FALSE(correct_placement(*f.store, f.identity.signer(), f.employer, mine.front(), changed,
                                  "再改", scribble(), later + 2000, &error));
    CHECK(error == "desk.err.voided");

    // Every version went out signed by the terminal.
    auto events = f.store->events_after(0, 10);
    REQUIRE(events.size() == 3);
    for (const auto& e : events)
        CHECK(
            verify(f.identity.key.public_key, signature_domain("placement"), e.body, e.signature));
}

TEST_CASE("the same employer placing the same person twice on one day is refused") {
    DeskFixture f("duplicate");
    PlacementFlow flow(*f.store, f.identity.signer(), f.fair.id);
    fill(flow, f, f.seeker);
    auto first = flow.commit(f.noon());
    REQUIRE(first);
    flow.next_seeker();

    // The same seeker again, the same day: refused at the scan, nothing started or written.
    Check again = flow.set_seeker(f.seeker, f.today);
    CHECK(again.key == "desk.err.duplicate");
    CHECK(flow.step() == DeskStep::ScanSeeker);
    CHECK(flow.draft().person_name.empty());
    REQUIRE(placed_on(*f.store, f.employer.id, f.seeker.id, f.today));
    CHECK(placed_on(*f.store, f.employer.id, f.seeker.id, f.today)->placement_id ==
          first->placement_id);

    // Another seeker is fine, and so is the same seeker at another employer.
    REQUIRE(flow.set_seeker(f.second_seeker, f.today).ok());
    flow.reset();
    CHECK_FALSE(placed_on(*f.store, f.other_employer.id, f.seeker.id, f.today));

    // A second flow that started before the first was stored cannot store a second record.
    PlacementFlow other(*f.store, f.identity.signer(), f.fair.id);
    REQUIRE(other.set_employer(f.employer, f.today).ok());
    REQUIRE(other.set_seeker(f.second_seeker, f.today).ok());
    REQUIRE(other.choose_listing("L-1").ok());
    REQUIRE(other.to_review(f.today).empty());
    other.confirm_review();
    REQUIRE(other.seeker_signs(scribble(1)).ok());
    REQUIRE(other.employer_signs(scribble(2)).ok());
    fill(flow, f, f.second_seeker);
    REQUIRE(flow.commit(f.noon()));
    std::string error;
    CHECK_FALSE(other.commit(f.noon(), &error));
    CHECK(error == "desk.err.duplicate");
    CHECK(f.store->current_placements().size() == 2);

    // Once the first record is voided, the person may be placed again that day.
    REQUIRE(void_placement(*f.store, f.identity.signer(), f.employer, *first, "登记错误",
                           scribble(3), f.noon() + 60000));
    flow.reset();
    fill(flow, f, f.seeker);
    CHECK(flow.commit(f.noon() + 120000));
}

TEST_CASE("booth intents: one tap after the scan records a signed intent; the day's list turns one "
          "into a pre-filled placement") {
    DeskFixture f("intent");
    PlacementFlow flow(*f.store, f.identity.signer(), f.fair.id);
    std::string error;
    // No seeker yet: nothing to record.
    CHECK_FALSE(flow.record_intent(IntentLevel::Interested, "", f.noon(), &error));
    CHECK(error == "desk.err.no_seeker");
    REQUIRE(flow.set_employer(f.employer, f.today).ok());
    REQUIRE(flow.set_seeker(f.seeker, f.today).ok());
    REQUIRE(flow.choose_listing("L-2").ok());
    CHECK_FALSE(flow.record_intent(IntentLevel::Interview, "a free text note", f.noon(), &error));
    CHECK(error == "desk.err.intent.note");
    CHECK(flow.step() == DeskStep::Form);
    CHECK(f.store->intents(f.fair.id).empty());

    // The one tap: stored, signed by the terminal, and the desk is ready for the next seeker.
    auto b = flow.record_intent(IntentLevel::Interview, "second_interview", f.noon(), &error);
    REQUIRE(b);
    CHECK(flow.step() == DeskStep::ScanSeeker);
    CHECK(b->attendee_id == f.seeker.id);
    CHECK(b->employer_id == f.employer.id);
    CHECK(b->listing_id == "L-2");
    CHECK(b->fair_id == f.fair.id);
    auto log = f.store->events_after(0, 10);
    REQUIRE(log.size() == 1);
    CHECK(log[0].kind == "intent");
    CHECK(verify(f.identity.key.public_key, signature_domain("intent"), log[0].body,
                 log[0].signature));

    // The same person tapped again at the same level is the same intent; another level is new.
    REQUIRE(flow.set_seeker(f.seeker, f.today).ok());
    auto again = flow.record_intent(IntentLevel::Interview, "", f.noon() + 1000, &error);
    REQUIRE(again);
    CHECK(again->h.uuid == b->h.uuid);
    REQUIRE(flow.set_seeker(f.seeker, f.today).ok());
    REQUIRE(flow.record_intent(IntentLevel::Offer, "", f.noon() + 2000, &error));
    auto list = flow.intents();
    REQUIRE(list.size() == 2);
    CHECK(list[0].level == IntentLevel::Offer); // newest first
    CHECK(f.store->events_after(0, 10).size() == 2);

    // Turned into a placement: the seeker and the intent's listing are already on the form.
    REQUIRE(flow.from_intent(list[1], f.today).ok());
    CHECK(flow.step() == DeskStep::Form);
    CHECK(flow.seeker().id == f.seeker.id);
    CHECK(flow.draft().person_name == "张伟");
    CHECK(flow.draft().listing_id == "L-2");
    CHECK(flow.draft().work_place == "无为市");
    // Another employer's intent is not this desk's to turn into a placement.
    BoothIntent other = list[0];
    other.employer_id = "E-OTHER";
    CHECK(flow.from_intent(other, f.today).key == "desk.err.not_own");
}
