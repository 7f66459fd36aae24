// What web handlers may use: the hub's store and service (the same ones the terminal API and the
// staff commands use, so a page can never disagree with them) and the settings `serve` runs with.
#pragma once

#include "sync/hub/hub_server.hpp"
#include "sync/hub/hub_service.hpp"
#include "sync/hub/hub_store.hpp"

namespace jf::hub::web {

struct WebContext {
    HubStore& store;
    HubService& service;
    const ServeConfig& cfg;
};

} // namespace jf::hub::web
