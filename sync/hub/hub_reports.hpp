// The union's forms from what the hub holds, one way for `jobfair-hub report` and the console's
// Reports page, so the two can never disagree: the same input, the same layout, the same bytes.
#pragma once

#include "hub_store.hpp"

#include "forms/layouts.hpp"
#include "forms/sheet.hpp"

#include <optional>
#include <string>

namespace jf::hub {

// Everything the hub holds that reports read. With `open_numbers`, the sealed ID and phone
// numbers of placed people are opened (in.revealed); the caller accounts for the opening.
ReportInput hub_report_input(HubStore& store, bool open_numbers = true);

// The file's bytes as `jobfair-hub report --format xlsx|csv` writes them; empty and `error` when
// the XLSX writer fails.
std::string report_bytes(const forms::FormSheet& sheet, const std::string& format,
                         std::string* error);

} // namespace jf::hub
