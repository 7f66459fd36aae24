// Shared pieces of the sync tests and benchmarks: temporary folders, a terminal store with a
// real identity, and recording signed check-ins and placements as a terminal does.
#pragma once

#include "kiosk/domain/event_codec.hpp"
#include "kiosk/store/identity.hpp"
#include "kiosk/store/store.hpp"
#include "tests/support/support.hpp"

#include <filesystem>
#include <memory>
#include <random>
#include <string>

namespace jf::test {


inline CheckIn check_in_draft(const std::string& fair, int i) {
    CheckIn c;
    c.attendee_id = "A" + std::to_string(i);
    c.fair_id = fair;
    c.method = i % 2 ? ScanMethod::Camera : ScanMethod::HandScanner;
    c.verdict = i % 7 == 3 ? Verdict::Expired : Verdict::CheckedIn;
    c.credential_id = "cred" + std::to_string(i);
    return c;
}

inline Placement placement_draft(const std::string& fair, int i) {
    Placement p;
    p.attendee_id = "A" + std::to_string(i);
    p.fair_id = fair;
    p.employer_id = "E1";
    p.listing_id = "L1";
    p.person_name = "张" + std::to_string(i);
    p.id_masked = "3402**********1234";
    p.phone_masked = "138****5678";
    p.work_place = "芜湖";
    p.employer_name = "奇瑞汽车股份有限公司";
    p.prev_year_work_place = "无为";
    p.start_date = {2024, 3, 1};
    p.signed_date = {2024, 2, 23};
    p.key_groups = kMigrantWorker;
    p.seeker_signature.strokes = {{{10, 20}, {30, 40}, {50, 45}}};
    p.employer_signature.strokes = {{{100, 200}, {300, 400}}};
    return p;
}

inline BoothIntent intent_draft(const std::string& fair, int i) {
    BoothIntent b;
    b.attendee_id = "A" + std::to_string(i);
    b.fair_id = fair;
    b.employer_id = "E1";
    b.listing_id = i % 3 ? "L1" : "";
    b.level = static_cast<IntentLevel>(i % 3);
    b.note = kIntentNotes[i % 6];
    return b;
}

inline ServiceGiven service_draft(const std::string& fair, int i) {
    ServiceGiven s;
    s.attendee_id = i % 3 ? "A" + std::to_string(i) : ""; // every third anonymous
    s.fair_id = fair;
    s.service = static_cast<ServiceKind>(i % 4);
    s.key_groups = s.attendee_id.empty() ? uint32_t{kMigrantWorker} : 0u;
    return s;
}

inline SeekerNeeds needs_draft(const std::string& fair, int i) {
    SeekerNeeds n;
    n.attendee_id = "A" + std::to_string(i);
    n.fair_id = fair;
    n.industries =
        i % 2 ? std::vector<std::string>{"制造业", "建筑业"} : std::vector<std::string>{"居民服务"};
    n.skill = kSkillLevels[1 + i % 5];
    if (i % 3) n.certificates = {kCertificates[i % 3]};
    n.services = {code(static_cast<ServiceKind>(i % 4))};
    normalise_needs(n);
    return n;
}

// Records `n` events of every kind a terminal makes: mostly check-ins, every fifth a placement,
// and of the rest a booth intent (i % 10 == 1), a station service (i % 20 == 2), a needs list
// (i % 20 == 7) and the undoing of the last accepted check-in (i % 20 == 13). Returns how many
// were written.
inline int record_events(Store& store, const TerminalIdentity& id, int n, int first = 0) {
    int written = 0;
    auto signer = id.signer();
    std::string accepted; // the last accepted check-in not undone
    // One transaction for the lot (each record is a savepoint in it): one disk flush, not n.
    store.transaction([&] {
        for (int i = first; i < first + n; ++i) {
            if (i % 5 == 4) {
                if (store.record_placement(placement_draft(id.fair_id, i), signer)) ++written;
            } else if (i % 10 == 1) {
                if (store.record_intent(intent_draft(id.fair_id, i), signer)) ++written;
            } else if (i % 20 == 2) {
                if (store.record_service(service_draft(id.fair_id, i), signer)) ++written;
            } else if (i % 20 == 7) {
                if (store.record_needs(needs_draft(id.fair_id, i), signer)) ++written;
            } else if (i % 20 == 13 && !accepted.empty()) {
                CheckInUndo u;
                u.check_in_uuid = accepted;
                u.reason = kUndoReasons[i % 3];
                if (store.record_check_in_undo(u, signer)) ++written;
                accepted.clear();
            } else {
                auto out = store.record_check_in(check_in_draft(id.fair_id, i), signer);
                if (out.ok && !out.duplicate) ++written;
                if (out.ok && out.record.verdict == Verdict::CheckedIn)
                    accepted = out.record.h.uuid;
            }
        }
        return true;
    });
    return written;
}

} // namespace jf::test
