// A sheet of attendee badges as an A4 PDF: each badge a signed check-in code as a QR, the
// person's name (Chinese, laid out by Pango, drawn by cairo) and id, where the code is good and
// for how long. One way for `jobfair-hub badges` and the console's People page.
#pragma once

#include "kiosk/crypto/crypto.hpp"
#include "sync/protocol/credential.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace jf::hub {

struct BadgeRow {
    std::string id, name;
};

struct BadgeList {
    std::vector<BadgeRow> rows;
    std::vector<int> skipped; // line numbers of rows without a usable id
    bool header_ok = false;   // false: no id column in the first row
};

// An attendee list as `jobfair-hub import-attendees` reads it: UTF-8 CSV (Excel's BOM allowed)
// whose first row names the columns; 编号 (or id, attendee_id) and 姓名 (or name) are used, the
// rest ignored. A row whose id is empty or too long for a code is skipped with its line number.
BadgeList read_badge_list(std::string_view csv);

// The sheet: A4 portrait pages of 2 x 5 badges (99 x 57 mm with cut lines), in the list's order.
// Each row's code is `base` for that person (holder_id = its id), signed with `key`. Empty and
// `error` when cairo fails; `pages` receives the page count.
std::string badges_pdf(const std::vector<BadgeRow>& rows, const Credential& base,
                       const SigningKey& key, int* pages, std::string* error);

} // namespace jf::hub
