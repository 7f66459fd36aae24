// The hub's staff command line: each cmd_*.cpp file registers its commands at start-up
// (the registry is platform/cli's, shared with jobfair-kiosk).
#pragma once

#include "platform/cli/cli.hpp"

namespace jf::hub {

// Commands name the registry as jf::hub::RegisterCommand, option(), …
using namespace cli;

} // namespace jf::hub
