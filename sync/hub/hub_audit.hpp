// Opening sealed numbers is accountable (docs/privacy.md): every report or export the hub writes
// with ID or phone numbers in the clear is made owner-only (0600) and recorded in hub.db's audit
// log (who, when, which form, how many people, which file); `jobfair-hub audit` lists it. The
// console's sign-ins, changes and openings go to the same log (record_action).
#pragma once

#include "sync/hub/hub_store.hpp"

#include <string>

namespace jf::hub {

// The account running this command: SUDO_USER when run through sudo, else the login name.
std::string current_account();

// Call right after writing `file` with `people` persons' numbers opened, for report `form`.
// Makes the file 0600 and appends the audit record. When either fails the file is removed (an
// opening that cannot be accounted for is not kept) and `error` says why.
bool account_for_opening(HubStore& store, const std::string& form, const std::string& file,
                         int64_t people, std::string* error);

// The console's actions in the same log: `who` (an account), `action` (sign-in,
// sign-in.refused, sign-out, account.add, account.password, open-numbers, …) and `what` it
// concerned, as a record with no people and the action as its form. False when not written.
bool record_action(HubStore& store, const std::string& who, const std::string& action,
                   const std::string& what);

} // namespace jf::hub
