// Helpers shared by the hub's staff commands: opening the store named by --data-dir / --config.
#pragma once

#include "commands.hpp"
#include "hub_server.hpp"
#include "hub_store.hpp"

#include <memory>

namespace jf::hub {

// Fills `cfg` from --config FILE (if given) and then the flags, which win.
bool config_from_args(const Args& args, ServeConfig& cfg, std::string* error);
// The hub store of --data-dir (or the config's data_dir); prints the reason and returns null.
std::unique_ptr<HubStore> open_store_from_args(const Args& args);
std::string format_time(TimeMs t); // local CST text, "-" for 0

// 附件4 CSV rows → listings (and their employers). Problems are "row N: column: message key".
struct ListingImport {
    std::vector<JobListing> listings;
    std::vector<Employer> employers;
    std::vector<std::string> problems;
};
ListingImport read_listings_csv(const std::string& path, const std::string& union_unit);

} // namespace jf::hub
