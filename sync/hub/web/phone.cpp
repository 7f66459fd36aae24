// Job seekers' phone pages (phone.hpp).
#include "phone.hpp"

namespace jf::hub::web {

void install_phone_pages(WebApp& app, WebContext& ctx) {
    (void)ctx;
    app.get("/m/", [&app](const Request& r) {
        if (r.path != "/m/") return app.error_page(r, 404, "web.err.not_found");
        return app.page(r, "phone/home", app.base_data(r), "phone.home.title");
    });
}

} // namespace jf::hub::web
