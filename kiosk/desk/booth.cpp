// Codes at the entrance and the booth: sync/protocol's verify() with this terminal's fair, its
// campaign, today's CST date, the store's issuer keys and revocations.
#include "desk/booth.hpp"

#include "protocol/credential.hpp"

namespace jf::desk {

namespace {

VerifyContext context_for(const Store& store, const TerminalIdentity& identity, TimeMs now,
                          CredentialKind kind) {
    VerifyContext ctx;
    ctx.fair_id = identity.fair_id;
    if (auto fair = store.fair(identity.fair_id)) ctx.campaign_id = fair->campaign_id;
    ctx.today = cst_date(now);
    ctx.trusted_keys = store.issuer_keys();
    ctx.is_revoked = [&store](const SignedCredential& sc) {
        return store.is_revoked(sc.credential_id());
    };
    ctx.expected_kind = kind;
    return ctx;
}

std::string key_for(Verdict v) {
    return std::string("entrance.verdict.") + code(v);
}

CodeResult record(Store& store, const TerminalIdentity& identity, CheckIn draft,
                  std::optional<Attendee> who) {
    CodeResult r;
    auto outcome = store.record_check_in(draft, identity.signer());
    if (!outcome.ok) {
        // Not recorded: never show a success the store does not hold.
        r.verdict = draft.verdict == Verdict::CheckedIn ? Verdict::NotOurCode : draft.verdict;
        r.message_key = "entrance.err.store";
        return r;
    }
    r.verdict = outcome.duplicate ? Verdict::AlreadyCheckedIn : draft.verdict;
    if (outcome.duplicate) r.first_time = outcome.record.h.device_time;
    r.attendee = std::move(who);
    r.message_key = key_for(r.verdict);
    return r;
}

} // namespace

CodeResult present_at_entrance(Store& store, const TerminalIdentity& identity,
                               std::string_view text, ScanMethod method, TimeMs now) {
    auto v = verify(text, context_for(store, identity, now, CredentialKind::Attendee));
    CheckIn draft;
    draft.fair_id = identity.fair_id;
    draft.method = method;
    draft.verdict = v.verdict;
    draft.h.device_time = now;
    std::optional<Attendee> who;
    if (v.credential) {
        draft.credential_id = v.credential->credential_id();
        if (v.credential->credential.kind == CredentialKind::Attendee)
            draft.attendee_id = v.credential->credential.holder_id;
    }
    if (draft.verdict == Verdict::CheckedIn) {
        who = store.attendee(draft.attendee_id);
        // A valid code for someone this terminal has not received yet still admits them; the
        // hub knows who it is. The screen then shows no name.
    }
    return record(store, identity, draft, std::move(who));
}

CodeResult check_in_attendee(Store& store, const TerminalIdentity& identity,
                             std::string_view attendee_id, ScanMethod method, TimeMs now) {
    auto who = store.attendee(attendee_id);
    if (!who) {
        CodeResult r;
        r.message_key = "entrance.err.unknown_person";
        return r;
    }
    CheckIn draft;
    draft.fair_id = identity.fair_id;
    draft.method = method;
    draft.verdict = Verdict::CheckedIn;
    draft.attendee_id = who->id;
    draft.h.device_time = now;
    return record(store, identity, draft, std::move(who));
}

CodeResult read_employer_badge(const Store& store, const TerminalIdentity& identity,
                               std::string_view text, TimeMs now) {
    CodeResult r;
    auto v = verify(text, context_for(store, identity, now, CredentialKind::Employer));
    r.verdict = v.verdict;
    if (r.verdict == Verdict::CheckedIn) {
        r.employer = store.employer(v.credential->credential.holder_id);
        if (!r.employer) {
            r.verdict = Verdict::NotOurCode;
            r.message_key = "desk.err.unknown_employer";
            return r;
        }
    }
    r.message_key = r.verdict == Verdict::CheckedIn ? "" : key_for(r.verdict);
    return r;
}

CodeResult read_seeker_code(const Store& store, const TerminalIdentity& identity,
                            std::string_view text, TimeMs now) {
    CodeResult r;
    auto v = verify(text, context_for(store, identity, now, CredentialKind::Attendee));
    r.verdict = v.verdict;
    if (r.verdict == Verdict::CheckedIn) {
        r.attendee = store.attendee(v.credential->credential.holder_id);
        if (!r.attendee) {
            r.verdict = Verdict::NotOurCode;
            r.message_key = "desk.err.unknown_seeker";
            return r;
        }
    }
    r.message_key = r.verdict == Verdict::CheckedIn ? "" : key_for(r.verdict);
    return r;
}

} // namespace jf::desk
