// `jobfair-hub migrate`: a county's hub.db moved into the province's PostgreSQL database
// (docs/scale.md), in one transaction: all of it or nothing.
// - Change versions: the county's rows are renumbered above the database's change counter (its
//   value at the move is the county's `base`), and the county's epoch is recorded (moved_hubs),
//   so its terminals keep their place: HubService translates their cursors at their next download
//   and sends only what they lack.
// - Terminals, tokens, acknowledged sequence numbers, events and what was made of them
//   (check-ins, placements, fair-day events, walk-up registrations, phone codes), quarantine,
//   enrolment codes, accounts, sessions, targets and the audit of openings go over as they are.
// - Ids that clash with a different row already in the database (two counties' imports naming
//   the same listing, a terminal, an account) refuse the move, naming them; a row identical to
//   the one there (the seeded union tree, a shared campaign) is kept once. The union tree the
//   database holds wins.
// - The county's sealing key goes into the province's key ring (<data dir>/moved-keys/), so the
//   province's reports open the county's people; its terminals keep sealing to it.
// - A county moved before (its epoch is in moved_hubs) is refused: running it twice is safe.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace jf::hub {

struct MigrateReport {
    int64_t base = 0, span = 0; // the county's versions went to base+1 … base+span
    std::map<std::string, int64_t>
        rows; // table → rows copied (identical rows kept once not counted)
    std::vector<std::string> clashes; // "table id": different rows under one id (refused)
    bool already_moved = false;       // the county was moved before (refused)
};

// Moves <from> (a county's hub.db; its hub must be stopped) into the PostgreSQL database `url`,
// whose hub data directory (the province's sealing key) is `data_dir`. False and `error` when
// nothing was moved. `dry_run`: everything is done and checked (clashes named, rows counted)
// and then rolled back, the county's hub may still run, the key ring is left alone.
bool migrate_hub(const std::string& from, const std::string& url, const std::string& data_dir,
                 MigrateReport* report, std::string* error, bool dry_run = false);

} // namespace jf::hub
