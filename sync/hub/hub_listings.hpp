// Listings from an employer's 附件4 into the hub, one way for `jobfair-hub import-listings` and the
// console's Listings page, so the two can never write differently: employers found by name (a new
// one gets a stable id from its name), rows unchanged since the last import not written again (a
// re-import gives terminals nothing new to download), each batch one transaction.
//
// Recipe: ListingWriter w(store); forms::import_listings(file, opt, [&](auto& batch) { return
// w.write(batch); }); then w.added / w.updated / w.unchanged. With `dry` set nothing is written:
// the counts say what an import would do (the console's preview before its commit).
#pragma once

#include "sync/hub/hub_store.hpp"

#include <map>
#include <string>
#include <vector>

namespace jf::hub {

class ListingWriter {
  public:
    explicit ListingWriter(HubStore& store, bool dry = false);
    // Fills in employer ids, drops unchanged rows from `batch` and writes the rest with their new
    // employers in one transaction. false: the store refused (store.last_error()); nothing of
    // this batch was written.
    bool write(std::vector<JobListing>& batch);
    int64_t added = 0, updated = 0, unchanged = 0;

  private:
    HubStore& store_;
    bool dry_;
    std::map<std::string, std::string> employer_by_name_; // unit_key(name) → id
};

} // namespace jf::hub
