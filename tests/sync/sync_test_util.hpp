// Shared pieces of the sync tests and benchmarks: temporary folders, a terminal store with a
// real identity, and recording signed check-ins and placements as a terminal does.
#pragma once

#include "domain/event_codec.hpp"
#include "store/identity.hpp"
#include "store/store.hpp"
#include "support/support.hpp"

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

// Records `n` events (mostly check-ins, every fifth a placement). Returns how many were written.
inline int record_events(Store& store, const TerminalIdentity& id, int n, int first = 0) {
    int written = 0;
    auto signer = id.signer();
    // One transaction for the lot (each record is a savepoint in it): one disk flush, not n.
    store.transaction([&] {
        for (int i = first; i < first + n; ++i) {
            if (i % 5 == 4) {
                if (store.record_placement(placement_draft(id.fair_id, i), signer)) ++written;
            } else {
                auto out = store.record_check_in(check_in_draft(id.fair_id, i), signer);
                if (out.ok && !out.duplicate) ++written;
            }
        }
        return true;
    });
    return written;
}

} // namespace jf::test
