// The one place where each area adds its pages to the hub's web server.
#include "sync/hub/web/console.hpp"
#include "sync/hub/web/phone.hpp"
#include "sync/hub/web/web.hpp"
#include "sync/hub/web/web_context.hpp"

namespace jf::hub::web {

void install_web_modules(WebApp& app, WebContext& ctx) {
    install_phone_pages(app, ctx); // /m/: job seekers' phone pages (docs/phone.md)
    install_console_pages(app, ctx); // /console/: union staff (docs/console.md)
}

} // namespace jf::hub::web
