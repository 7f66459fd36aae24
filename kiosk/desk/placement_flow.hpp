// The employer desk's placement flow without any UI (docs/DESIGN.md §2, 附件6): employer badge →
// seeker → form → review → both signatures → a terminal-signed record in the store; and
// corrections and voids of the employer's own placements as new signed versions.
//
// Index
// - DeskStep          where the booth is in the flow
// - PlacementFlow     the draft, its checks, signatures and storing
// - Booth intents     one tap after the seeker's scan records how far the talk got (达成就业意向);
//                     the day's intents list, and an intent turned into a pre-filled placement
// - Amendments        correct / void a stored placement (never an edit in place)
// - Checks            rules the form and signatures must meet (message keys in assets/i18n/desk)
//
// Screens draw from this and call its methods; tests drive it directly. Who the employer and
// the seeker are comes from the booth's scans (kiosk/checkin), already verified.
#pragma once

#include "kiosk/domain/records.hpp"
#include "kiosk/domain/validate.hpp"
#include "kiosk/store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace jf::desk {

// How far the agreed start of work (落实就业日期) may lie from the signing day.
constexpr int kStartDaysBefore = 90; // work began recently, recorded late
constexpr int kStartDaysAfter = 365; // agreed at the fair, starts later

// A signature needs some ink: a tap or a dot is not one.
bool signature_has_ink(const Signature& s);

// The rules of one placement version; empty when fit to store. Originals need both
// signatures, corrections and voids the employer's only (the seeker is not at the booth).
std::vector<Check> check_placement(const Placement& p, Date today);

// Whether the 50-yuan accident-injury plan applies (劳动合同 signed in the concentrated phase).
bool insurance_applies(const Store& store, const Placement& p);

// -----------------------------------------------------------------------------
// PlacementFlow
// -----------------------------------------------------------------------------

enum class DeskStep { ScanBadge, ScanSeeker, Form, Review, SeekerSigns, EmployerSigns, Done };

class PlacementFlow {
  public:
    PlacementFlow(Store& store, EventSigner signer, std::string fair_id);

    DeskStep step() const { return step_; }
    const Employer& employer() const { return employer_; }
    const Attendee& seeker() const { return seeker_; }
    // The employer's open listings, for the listing chooser.
    const std::vector<JobListing>& listings() const { return listings_; }

    // The badge scanned: the employer and its open listings (a badge of an employer with no open
    // listing is refused: there is nothing to hire for).
    Check set_employer(const Employer& e, Date today);
    // The seeker's code scanned: starts a fresh draft for this employer. A seeker this employer
    // already placed today (a placement not voided) is refused with "desk.err.duplicate": a
    // second record of one hire would pay the insurance twice; a change is a correction.
    Check set_seeker(const Attendee& a, Date today);
    // A listing of this employer; 就业地 becomes the listing's 工作地点 (the employer may edit it).
    Check choose_listing(std::string_view listing_id);

    // The form's fields; screens edit 就业地, 2023年就业地, the three forms and 落实就业日期.
    Placement& draft() { return draft_; }
    const Placement& draft() const { return draft_; }
    // Form → Review when the form is complete; otherwise the problems (nothing changes).
    std::vector<Check> to_review(Date today);
    // Review → the seeker signs.
    void confirm_review();
    // Each party signs on the pad; a signature without ink is refused with a message key.
    Check seeker_signs(const Signature& s);
    Check employer_signs(const Signature& s);
    // Stores the signed record (durable when this returns). Done and the stored version, or
    // nullopt and the message key; nothing is half-written.
    std::optional<Placement> commit(TimeMs now, std::string* error_key = nullptr);
    const std::optional<Placement>& stored() const { return stored_; }

    // -- Booth intents (docs/fair-day.md) --
    // At the form (the seeker just scanned): records an intent at `level` for this seeker, with
    // the listing chosen (if any) and a phrase of kIntentNotes, and makes the desk ready for the
    // next seeker. The same level for the same person again returns the first (a second tap).
    // nullopt and the message key when refused (nothing written).
    std::optional<BoothIntent> record_intent(IntentLevel level, std::string_view note, TimeMs now,
                                             std::string* error_key = nullptr);
    const std::optional<BoothIntent>& last_intent() const { return last_intent_; }
    // This employer's intents at this fair, newest first.
    std::vector<BoothIntent> intents() const;
    // Starts a placement from an intent of this employer: the seeker from the registry and the
    // intent's listing (when still open) pre-filled; the flow is at the form. Refused as
    // set_seeker() refuses, and "desk.err.unknown_seeker" when the terminal no longer holds them.
    Check from_intent(const BoothIntent& intent, Date today);

    // One step back (the form from review, review from a signature pad).
    void back();
    // The same employer, the next seeker: forgets the seeker and the draft.
    void next_seeker();
    // Forgets everything (idle timeout, employer leaves the desk).
    void reset();

  private:
    Store& store_;
    EventSigner signer_;
    std::string fair_id_;
    DeskStep step_ = DeskStep::ScanBadge;
    Employer employer_;
    Attendee seeker_;
    std::vector<JobListing> listings_;
    Placement draft_;
    std::optional<Placement> stored_;
    std::optional<BoothIntent> last_intent_;
};

// -----------------------------------------------------------------------------
// Amendments
// -----------------------------------------------------------------------------

// The current version of each placement this employer recorded (voided ones included).
std::vector<Placement> employer_placements(const Store& store, std::string_view employer_id);

// This employer's placement of this person signed on `day` and not voided, if there is one.
std::optional<Placement> placed_on(const Store& store, std::string_view employer_id,
                                   std::string_view attendee_id, Date day);

// A correction of `current` with the changed fields of `changed` (start date, forms, 就业地 …),
// or a void. The employer must own it, `current` must still be the latest version, a reason is
// required and the employer signs again. Returns the stored new version, or nullopt and the
// message key (nothing written).
std::optional<Placement> correct_placement(Store& store, const EventSigner& signer,
                                           const Employer& who, const Placement& current,
                                           const Placement& changed, std::string_view reason,
                                           const Signature& employer_signature, TimeMs now,
                                           std::string* error_key = nullptr);
std::optional<Placement> void_placement(Store& store, const EventSigner& signer,
                                        const Employer& who, const Placement& current,
                                        std::string_view reason,
                                        const Signature& employer_signature, TimeMs now,
                                        std::string* error_key = nullptr);

} // namespace jf::desk
