// The list of screens: add a line here when adding a view (see ui.hpp, "How to add a screen").
#include "kiosk/ui/app.hpp"
#include "kiosk/ui/views.hpp"

namespace jf::ui {

std::vector<std::unique_ptr<View>> make_views() {
    std::vector<std::unique_ptr<View>> v;
    v.push_back(make_station_view());
    v.push_back(make_admin_view());
    v.push_back(make_entrance_view());
    v.push_back(make_employer_view());
    return v;
}

} // namespace jf::ui
