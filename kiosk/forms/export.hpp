// The terminal side of the forms: listings imported into the local store (for venues without a
// hub) and the weekly reports exported from it to a folder (a USB stick) from the admin screen or
// `jobfair-kiosk report`. A terminal cannot open sealed numbers, so its 附件6 and insurance list
// show ID and phone numbers masked; the complete forms come from the hub.
#pragma once

#include "kiosk/domain/reports.hpp"
#include "kiosk/forms/import.hpp"
#include "kiosk/forms/layouts.hpp"
#include "kiosk/forms/report_files.hpp"
#include "kiosk/store/store.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace jf::forms {

// Everything the store holds that reports read (listings of every deadline, every placement
// version, check-ins of every fair it knows).
ReportInput load_report_input(const Store& store);

// Listings into the store in short transactions (each commits after about kImportCommitEvery of
// processor work, so a check-in on the terminal waits at most about that long for the write lock
// on an otherwise idle machine: far below the 50 ms a walk-up may wait); an unchanged listing
// is not written again, so importing the same file twice changes nothing, and an import stopped
// half-way (a full disk) is finished by importing the file again. Employer ids are filled in by
// 单位名称.
constexpr std::chrono::milliseconds kImportCommitEvery{8};
struct ListingApply {
    bool ok = false;
    int added = 0, updated = 0, unchanged = 0;
    std::string error; // the store's message key
};
ListingApply apply_listings(Store& store, const std::vector<JobListing>& listings);

// Targets (附件1) kept in the store's settings so the admin screen's export includes progress.
bool save_targets(Store& store, const std::vector<Target>& targets);
std::vector<Target> saved_targets(const Store& store);

ExportResult export_reports(Store& store, const std::string& folder, const ReportPeriod& period,
                            const ExportOptions& opt = {});
inline ExportResult export_reports(Store& store, const std::string& folder, const ReportWeek& week,
                                   const ExportOptions& opt = {}) {
    return export_reports(store, folder, week.period(), opt);
}

// For the admin screen's export button: this week's forms (the report now being collected, cut at
// the coming Thursday 10:00) into `folder`. False with `message_key` set when a form could not be
// written ("err.report.note6", "err.report.write", …); empty key on success.
bool export_current_week(Store& store, const std::string& folder, TimeMs now,
                         std::string* message_key);

// For the admin screen's import button and `jobfair-kiosk import-listings` (venues without a
// hub): reads the file and stores the good rows, a batch (kImportBatch rows) per transaction so
// memory stays flat and a check-in never waits long. A file that cannot be read changes nothing;
// `applied.ok` is false when the store refused a batch (the batches before it are kept, and
// importing the file again completes it).
struct StoreImport {
    ListingImport file;
    ListingApply applied;
};
StoreImport import_listings_into(Store& store, const std::string& path,
                                 const ListingImportOptions& opt = {});

} // namespace jf::forms
