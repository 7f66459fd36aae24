// Verify → record → verdict for every way a person is identified at a terminal.
//
// Index
// - Messages             message key per verdict and prompt
// - Verifying            the context from the store (fair, campaign, issuer keys, revocations)
// - Recording            CheckIn drafts, durable before any verdict is shown
// - Prompts              entrance, employer badge, seeker at booth, manual check-in
#include "kiosk/checkin/checkin_desk.hpp"

#include "kiosk/domain/validate.hpp"

namespace jf {

// -----------------------------------------------------------------------------
// Messages
// -----------------------------------------------------------------------------

// Messages say what to do next, in the person's terms.
static const char* message_for(Verdict v) {
    switch (v) {
    case Verdict::CheckedIn:
        return "scan.verdict.checked_in";
    case Verdict::AlreadyCheckedIn:
        return "scan.verdict.already";
    case Verdict::WrongFair:
        return "scan.verdict.wrong_fair";
    case Verdict::Expired:
        return "scan.verdict.expired";
    case Verdict::NotYetValid:
        return "scan.verdict.not_yet";
    case Verdict::Revoked:
        return "scan.verdict.revoked";
    case Verdict::Forged:
        return "scan.verdict.forged";
    case Verdict::UnknownIssuer:
        return "scan.verdict.unknown_issuer";
    case Verdict::NotOurCode:
        return "scan.verdict.not_ours";
    case Verdict::WrongKind:
        return "scan.verdict.wrong_kind";
    }
    return "scan.verdict.not_ours";
}

// -----------------------------------------------------------------------------
// Verifying
// -----------------------------------------------------------------------------

CheckInDesk::CheckInDesk(Store& store, const TerminalIdentity& identity, std::string fair_id)
    : store_(store), signer_(identity.signer()), fair_id_(std::move(fair_id)) {}

VerifyContext CheckInDesk::context(TimeMs now, std::optional<CredentialKind> kind) const {
    VerifyContext ctx;
    ctx.fair_id = fair_id_;
    if (auto f = store_.fair(fair_id_)) ctx.campaign_id = f->campaign_id;
    ctx.today = cst_date(now);
    ctx.trusted_keys = store_.issuer_keys();
    ctx.terminal_keys = store_.terminal_key_fairs();
    ctx.is_revoked = [this](const SignedCredential& sc) {
        return store_.is_revoked(sc.credential_id());
    };
    ctx.expected_kind = kind;
    return ctx;
}

// -----------------------------------------------------------------------------
// Recording
// -----------------------------------------------------------------------------

void CheckInDesk::record(DeskResult& r, CheckIn draft) {
    draft.fair_id = fair_id_;
    CheckInOutcome out = store_.record_check_in(std::move(draft), signer_);
    if (!out.ok) {
        // Not durable, so not admitted: the person is asked to try again or see staff.
        r.recorded = false;
        r.message_key = out.error.empty() ? "err.store.db" : out.error;
        r.message_args.clear();
        r.sound = "error";
        return;
    }
    r.recorded = true;
    if (out.duplicate) {
        r.verdict = Verdict::AlreadyCheckedIn;
        r.first_check_in = out.record.h.device_time;
        r.first_check_in_hhmm = cst_hhmm(out.record.h.device_time);
        r.message_key = message_for(r.verdict);
        r.message_args = {r.first_check_in_hhmm, r.display_name};
        r.sound = std::string("verdict.") + code(r.verdict);
    }
}

// -----------------------------------------------------------------------------
// Prompts
// -----------------------------------------------------------------------------

DeskResult CheckInDesk::check(std::string_view text, Prompt prompt, TimeMs now) {
    CredentialKind want =
        prompt == Prompt::EmployerBadge ? CredentialKind::Employer : CredentialKind::Attendee;
    VerifyResult v = verify(text, context(now, want));
    DeskResult r;
    r.verdict = v.verdict;
    r.credential = v.credential;
    r.message_key = message_for(v.verdict);
    r.sound = std::string("verdict.") + code(v.verdict);
    // Only a verified signature makes the holder id a fact worth keeping.
    bool genuine = v.credential && v.verdict != Verdict::Forged &&
                   v.verdict != Verdict::UnknownIssuer && v.verdict != Verdict::NotOurCode;
    if (!genuine) return r;
    const Credential& c = v.credential->credential;
    r.holder_id = c.holder_id;
    if (c.kind == CredentialKind::Attendee) {
        r.attendee = store_.attendee(c.holder_id);
        if (r.attendee) r.display_name = mask_name(r.attendee->name);
    } else if (c.kind == CredentialKind::Employer) {
        r.employer = store_.employer(c.holder_id);
        if (r.employer) r.display_name = r.employer->name;
    }
    switch (v.verdict) {
    case Verdict::WrongKind:
        // Tell the person what to show instead.
        if (prompt == Prompt::Entrance)
            r.message_key = c.kind == CredentialKind::Employer
                                ? "scan.wrong_kind.employer_at_entrance"
                                : "scan.wrong_kind.staff_at_entrance";
        else if (prompt == Prompt::EmployerBadge)
            r.message_key = c.kind == CredentialKind::Attendee ? "scan.wrong_kind.attendee_at_badge"
                                                               : "scan.wrong_kind.staff_at_badge";
        else
            r.message_key = c.kind == CredentialKind::Employer
                                ? "scan.wrong_kind.employer_at_seeker"
                                : "scan.wrong_kind.staff_at_seeker";
        break;
    case Verdict::NotYetValid:
        r.message_args = {c.valid_from.to_iso()};
        break;
    case Verdict::Expired:
        r.message_args = {c.valid_until.to_iso()};
        break;
    case Verdict::CheckedIn:
        if (prompt == Prompt::EmployerBadge) r.message_key = "scan.booth.employer_ok";
        if (prompt == Prompt::SeekerAtBooth) r.message_key = "scan.booth.seeker_ok";
        r.message_args = {r.display_name};
        break;
    default:
        break;
    }
    return r;
}

DeskResult CheckInDesk::present_at_entrance(std::string_view text, ScanMethod method, TimeMs now) {
    DeskResult r = check(text, Prompt::Entrance, now);
    CheckIn draft;
    draft.h.device_time = now;
    draft.method = method;
    draft.verdict = r.verdict;
    // Failed scans keep the verified holder (revoked, wrong fair…) but never an unverified one;
    // a text that is not ours is not stored at all (it may be anyone's WeChat link).
    if (r.verdict != Verdict::WrongKind && r.credential && !r.holder_id.empty())
        draft.attendee_id = r.holder_id;
    if (r.credential) draft.credential_id = r.credential->credential_id();
    record(r, std::move(draft));
    return r;
}

DeskResult CheckInDesk::present_employer_badge(std::string_view text, TimeMs now) {
    DeskResult r = check(text, Prompt::EmployerBadge, now);
    r.recorded = false;
    return r;
}

DeskResult CheckInDesk::present_seeker_at_booth(std::string_view text, TimeMs now) {
    DeskResult r = check(text, Prompt::SeekerAtBooth, now);
    r.recorded = false;
    return r;
}

DeskResult CheckInDesk::check_in_attendee(const std::string& attendee_id, ScanMethod method,
                                          TimeMs now) {
    DeskResult r;
    r.attendee = store_.attendee(attendee_id);
    if (!r.attendee) {
        r.verdict = Verdict::NotOurCode;
        r.message_key = "scan.error.unknown_attendee";
        r.sound = "error";
        return r;
    }
    r.verdict = Verdict::CheckedIn;
    r.holder_id = attendee_id;
    r.display_name = mask_name(r.attendee->name);
    r.message_key = message_for(r.verdict);
    r.message_args = {r.display_name};
    r.sound = std::string("verdict.") + code(r.verdict);
    CheckIn draft;
    draft.h.device_time = now;
    draft.method = method;
    draft.verdict = Verdict::CheckedIn;
    draft.attendee_id = attendee_id;
    record(r, std::move(draft));
    return r;
}

} // namespace jf
