// The hub's staff command line: each cmd_*.cpp file registers its commands at start-up
// (the registry is platform/cli's, shared with jobfair-kiosk).
#pragma once

#include "cli/cli.hpp"

namespace jf::hub {

using cli::Args;
using cli::Command;
using cli::commands;
using cli::has_flag;
using cli::option;
using cli::RegisterCommand;

} // namespace jf::hub
