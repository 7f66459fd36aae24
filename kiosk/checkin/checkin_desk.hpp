// The one path from a presented code to a verdict: verify → record → result. Every source ends
// here (camera via ScanPipeline::poll(), hand scanner via WedgeParser, phone look-up and walk-up
// registration via check_in_attendee()), so they all behave the same.
//
// Use from a screen (the desk is cheap to call; it does one small SQLite transaction):
//     jf::CheckInDesk desk(store, identity, identity.fair_id);
//     auto r = desk.present_at_entrance(event.text, event.method, now_ms);
//     show(tr.format(r.message_key, r.message_args)); play(r.sound);
//
// Nothing is reported as checked in before the record is durable: when the store refuses,
// `recorded` is false and the message is the store's error key.
// Credentials are verified offline against the issuer keys and the revocation list in the store
// (sync/PROTOCOL.md "Credentials").
#pragma once

#include "sync/protocol/credential.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace jf {

struct DeskResult {
    Verdict verdict = Verdict::NotOurCode;
    // Translation key (assets/i18n/scan) and its {0}, {1}… arguments: tr.format(key, args).
    std::string message_key;
    std::vector<std::string> message_args;
    std::string sound; // sound cue id: "verdict.<code(verdict)>", "error" when nothing was saved
    bool recorded = false; // a CheckIn (or, for a repeat, the first one) is durable in the store
    // Entrance: let the person in (the check-in is durable). Booth prompts record nothing, so
    // there `verdict == Verdict::CheckedIn` alone means "the right, valid code".
    bool admitted() const {
        return recorded && (verdict == Verdict::CheckedIn || verdict == Verdict::AlreadyCheckedIn);
    }

    std::string holder_id;            // the credential's holder, once its signature verified
    std::optional<Attendee> attendee; // known to this terminal (may be absent before sync)
    std::string display_name;         // masked for bystanders: 张*, 欧**娜
    std::optional<Employer> employer; // present_employer_badge()
    TimeMs first_check_in = 0;        // AlreadyCheckedIn: when the first check-in happened
    std::string first_check_in_hhmm;  // "10:02" (China Standard Time)
    std::optional<SignedCredential> credential; // what the code said, once it parsed
};

class CheckInDesk {
  public:
    // `store` must outlive the desk; the identity's signer is copied.
    CheckInDesk(Store& store, const TerminalIdentity& identity, std::string fair_id);

    // Entrance: attendee codes only. Every attempt is recorded (failed ones with their verdict,
    // for statistics and disputes); a second scan of the same person is AlreadyCheckedIn HH:MM.
    DeskResult present_at_entrance(std::string_view text, ScanMethod method, TimeMs now);
    // Employer desk, step 1: the employer's badge (WrongKind for an attendee code: "scan your
    // badge"). Nothing is recorded: the booth's record is the placement.
    DeskResult present_employer_badge(std::string_view text, TimeMs now);
    // Employer desk, step 2: the job seeker's code (WrongKind for an employer badge). Returns the
    // attendee for the placement form; nothing is recorded here.
    DeskResult present_seeker_at_booth(std::string_view text, TimeMs now);
    // Phone look-up and walk-up registration: the person was found (or just registered) in the
    // store. `method` is ManualLookup or WalkUp.
    DeskResult check_in_attendee(const std::string& attendee_id, ScanMethod method, TimeMs now);

    const std::string& fair_id() const { return fair_id_; }

  private:
    enum class Prompt { Entrance, EmployerBadge, SeekerAtBooth };
    VerifyContext context(TimeMs now, std::optional<CredentialKind> kind) const;
    DeskResult check(std::string_view text, Prompt prompt, TimeMs now);
    void record(DeskResult& r, CheckIn draft);

    Store& store_;
    EventSigner signer_;
    std::string fair_id_;
};

} // namespace jf
