// The union's forms from what the hub holds, one way for `jobfair-hub report` and the console's
// Reports page, so the two can never disagree: the same input, the same layout, the same bytes.
#pragma once

#include "hub_store.hpp"

#include "forms/layouts.hpp"
#include "forms/sheet.hpp"

#include <map>
#include <optional>
#include <string>

namespace jf::hub {

// Opens a placed person's sealed numbers with the hub's key when a form prints that person, once
// per person: a week's report opens the people of that week, not every person ever placed.
class ContactOpener {
  public:
    ContactOpener(HubStore& store, BoxKeyPair seal) : store_(store), seal_(std::move(seal)) {}
    std::optional<RevealedContact> operator()(const std::string& attendee_id);
    int64_t people() const { return people_; } // how many people's numbers were opened

  private:
    HubStore& store_;
    BoxKeyPair seal_;
    std::map<std::string, std::optional<RevealedContact>> opened_;
    int64_t people_ = 0;
};

// Everything the hub holds that reports read. With an `opener`, numbers are opened as the form
// prints them (the caller accounts for opener->people()); without one, forms show masks.
ReportInput hub_report_input(HubStore& store, ContactOpener* opener);

// One fair's totals as the console's Today page shows them and terminals receive them after a
// sync (`GET /v1/status`, docs/fair-day.md): people in and check-ins from the store's indexed
// counts, less the check-ins undone at the door (only their people's check-ins are read),
// placements current, and the fair's booth intents and station services counted by the database
// (HubStore::fair_day_figures). Only the undos' bodies and their people's check-ins are read, so
// the cost is what the fair's undos hold, never its check-ins. `placed` is not counted here.
FairDayCounts fair_totals(HubStore& store, const std::string& fair_id);

// The file's bytes as `jobfair-hub report --format xlsx|csv` writes them; empty and `error` when
// the XLSX writer fails.
std::string report_bytes(const forms::FormSheet& sheet, const std::string& format,
                         std::string* error);

// The 附件1 targets uploaded for the campaign a report of `period` belongs to: `campaign_id`, else
// the campaign whose year holds the period's first day. Empty when none were uploaded.
std::vector<Target> stored_targets(HubStore& store, const ReportPeriod& period,
                                   const std::string& campaign_id = {});

} // namespace jf::hub
