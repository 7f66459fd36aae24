// The union staff's web console under /console/ (docs/console.md): sign-in and set-up, Today,
// campaigns and fairs, one fair, terminals (revoke with confirmation) and, for admins, the audit
// log. Every handler is thin: it asks hub_accounts.hpp who is signed in and what they may see,
// and reads or writes the same hub store the staff commands use.
//
// Rules every page keeps
// - Not signed in: GET answers 303 to /console/signin; POST changes nothing (403).
// - Every POST carries the session's CSRF token (field "csrf"); without it nothing changes (403).
// - Something of a union the account may not read answers 404 with the one error page, so
//   nothing of it (not even that it exists) reaches the browser.
// - The session cookie is HttpOnly; Secure; SameSite=Strict, scoped to /console/.
#pragma once

#include "sync/hub/web/web.hpp"
#include "sync/hub/web/web_context.hpp"

namespace jf::hub::web {

constexpr const char* kConsoleCookie = "jf_console";

void install_console_pages(WebApp& app, WebContext& ctx);

} // namespace jf::hub::web
