// The union's forms from what the hub holds, one way for `jobfair-hub report` and the console's
// Reports page, so the two can never disagree: the same input, the same layout, the same bytes.
#pragma once

#include "sync/hub/hub_store.hpp"

#include "kiosk/forms/layouts.hpp"
#include "kiosk/forms/sheet.hpp"

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace jf::hub {

// Opens a placed person's sealed numbers with the hub's key when a form prints that person, once
// per person: a week's report opens the people of that week, not every person ever placed.
class ContactOpener {
  public:
    // The hub's key, then those of county hubs moved into its database (HubKeys::moved_seals).
    ContactOpener(HubStore& store, const HubKeys& keys) : store_(store), seals_{keys.seal} {
        seals_.insert(seals_.end(), keys.moved_seals.begin(), keys.moved_seals.end());
    }
    std::optional<RevealedContact> operator()(const std::string& attendee_id);
    int64_t people() const { return people_; } // how many people's numbers were opened

  private:
    HubStore& store_;
    std::vector<BoxKeyPair> seals_;
    std::map<std::string, std::optional<RevealedContact>> opened_;
    int64_t people_ = 0;
};

// Everything the hub holds that reports read. With an `opener`, numbers are opened as the form
// prints them (the caller accounts for opener->people()); without one, forms show masks.
ReportInput hub_report_input(HubStore& store, ContactOpener* opener);
// What a form of `kind` for `period` reads. 附件5 and 附件6 count the placements of the period
// alone, so they read only those (HubStore::period_placement_versions, over indexes) and no
// check-ins or fair-day records; 附件6 reads only the listings its placements name. The other
// forms count over a campaign or a year and read every record.
ReportInput hub_report_input(HubStore& store, ContactOpener* opener, forms::ReportKind kind,
                             const ReportPeriod& period);

// The unions a form of `union_unit` covers: itself, and every union below it in the hub's union
// tree (a city's 附件5 lists its counties and districts as rows, rolled up into its 总计).
// Empty: every union.
ReportOptions report_options(HubStore& store, const std::string& union_unit);

// A digest of each union's 附件5 row figures (every union `options` covers, a union without
// figures as zeros), by union: stored when an account downloads the week's 附件5, compared on the
// Reports page to mark the unions whose figures changed since (HubStore::report_digests).
std::map<std::string, std::string> summary_digests(const SummaryReport& s,
                                                   const ReportOptions& options);

// One form as `jobfair-hub report` and the console's Reports page make it: the same input,
// options, targets and layout, so the two give the same bytes.
struct HubForm {
    ReportInput input;
    ReportOptions options;
    std::vector<Target> targets;
    std::optional<forms::FormSheet> sheet; // nullopt: refused, `why` says why
    Check why;
};
// `targets`: a 附件1 file's (the command's --targets); else those stored for the period's
// campaign (stored_targets). `readable` (a console account's unions): the unions below
// `union_unit` it may not read are left out of the form.
HubForm build_hub_form(HubStore& store, forms::ReportKind kind, const ReportPeriod& period,
                       const std::string& union_unit, ContactOpener* opener, Date filled_on,
                       const std::vector<Target>* targets = nullptr,
                       const std::set<std::string>* readable = nullptr);

// One fair's totals as the console's Today page shows them and terminals receive them after a
// sync (`GET /v1/status`, docs/fair-day.md): people in and check-ins from the store's indexed
// counts, less the check-ins undone at the door (only their people's check-ins are read),
// placements current, and the fair's booth intents and station services counted by the database
// (HubStore::fair_day_figures). Only the undos' bodies and their people's check-ins are read, so
// the cost is what the fair's undos hold, never its check-ins. `placed` is not counted here.
// `per_hour` (the console's Today chart): accepted check-ins per hour of the day, China Standard
// Time, undone ones left out (a fair with undos has its check-ins read for that).
// Every console page that shows a fair's figures uses this count, as terminals do.
FairDayCounts fair_totals(HubStore& store, const std::string& fair_id,
                          std::array<int64_t, 24>* per_hour = nullptr);

// The file's bytes as `jobfair-hub report --format xlsx|csv` writes them; empty and `error` when
// the XLSX writer fails.
std::string report_bytes(const forms::FormSheet& sheet, const std::string& format,
                         std::string* error);

// The 附件1 targets uploaded for the campaign a report of `period` belongs to: `campaign_id`, else
// the campaign whose year holds the period's first day. Empty when none were uploaded.
std::vector<Target> stored_targets(HubStore& store, const ReportPeriod& period,
                                   const std::string& campaign_id = {});


} // namespace jf::hub
