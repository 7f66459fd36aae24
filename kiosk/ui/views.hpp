// The screens this build has, one factory per view (each view lives in its own <name>_view.cpp).
#pragma once

#include "kiosk/ui/ui.hpp"

#include <memory>

namespace jf::ui {

std::unique_ptr<View> make_station_view();  // rotating listings, 12351, legal aid
std::unique_ptr<View> make_admin_view();    // PIN, sync status, settings, export, quit
std::unique_ptr<View> make_entrance_view(); // 入场签到: verdicts, look-up, walk-up registration
std::unique_ptr<View> make_employer_view(); // 招聘企业登记: placements with signatures

} // namespace jf::ui
