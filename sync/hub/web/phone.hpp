// Job seekers' own pages under /m/ (docs/phone.md).
#pragma once

#include "web.hpp"
#include "web_context.hpp"

namespace jf::hub::web {

void install_phone_pages(WebApp& app, WebContext& ctx);

} // namespace jf::hub::web
