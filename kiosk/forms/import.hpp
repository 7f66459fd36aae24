// Importing the union's own files: job listings in the 附件4 layout and targets in the 附件1
// layout, from XLSX, XLS or CSV.
//
// The header row is found by the union's column names, in any order, wherever it sits below the
// title; spaces, line breaks and asterisks (required-column marks) inside header cells are ignored.
// Every bad row is reported with its row number, column and a message key (assets/i18n/forms);
// good rows are returned. A listing's id comes from 单位名称 + 岗位名称 + 工作地点, so importing
// the same file again changes nothing.
#pragma once

#include "kiosk/domain/records.hpp"
#include "kiosk/domain/reports.hpp"
#include "kiosk/forms/table.hpp"

#include <functional>
#include <string>
#include <vector>

namespace jf::forms {

struct ImportProblem {
    int64_t row = 0;               // the spreadsheet's row number (0: the file as a whole)
    std::string column;            // the union's column name, empty for whole-row problems
    std::string key;               // message key, e.g. "err.listing.required"
    std::vector<std::string> args; // placeholders for the message ({0}, {1})
};

// At most this many problems are listed; one more line counts the rest.
constexpr size_t kMaxListedProblems = 1000;

struct ListingImport {
    bool ok = false; // false: the file could not be read at all (see problems[0])
    int64_t unlisted_problems = 0; // beyond kMaxListedProblems (see "err.import.more_problems")
    TableFormat format = TableFormat::Auto;
    std::string encoding;
    int64_t header_row = 0;
    int64_t rows_read = 0; // data rows below the header, blank rows not counted
    int64_t accepted = 0;  // good rows: in `listings`, or handed to the batch function
    bool stopped = false;  // the batch function said stop (its own error tells why)
    std::vector<JobListing> listings;
    std::vector<ImportProblem> problems;
};

struct ListingImportOptions {
    std::string union_unit; // reporting union the listings are collected for
};

// The stable identity of a listing (records.hpp: same employer + title + location → same id).
std::string listing_identity(std::string_view employer_name, std::string_view title,
                             std::string_view work_location);

// Header cell text reduced for matching: no whitespace, no asterisks, ASCII parentheses.
std::string header_key(std::string_view cell);

ListingImport import_listings(const std::string& path, const ListingImportOptions& opt = {});

// For large files: the good rows are handed to `batch` in groups of at most kImportBatch
// instead of being kept (`listings` stays empty), so memory stays flat however long the file.
// The file is checked completely first: when it cannot be read (or a limit refuses it) `batch`
// is never called, so a bad file changes nothing. `batch` returns false to stop.
constexpr size_t kImportBatch = 5000;
using ListingBatch = std::function<bool(std::vector<JobListing>& listings)>;
ListingImport import_listings(const std::string& path, const ListingImportOptions& opt,
                              const ListingBatch& batch);
ListingImport import_listings_bytes(std::string_view bytes, const ListingImportOptions& opt = {},
                                    TableFormat format = TableFormat::Auto);

// 附件1 目标任务分解表: 单位 and the six figures; the 合计 row is checked, not imported.
struct TargetsImport {
    bool ok = false;
    std::vector<Target> targets;
    std::vector<ImportProblem> problems;
};
TargetsImport import_targets(const std::string& path);
TargetsImport import_targets_bytes(std::string_view bytes, TableFormat format = TableFormat::Auto);

} // namespace jf::forms
