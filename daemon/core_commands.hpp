#pragma once
#include <vector>

#include "cli.hpp"

namespace fulfil::daemon {

// The core's commands, listed before the capabilities' (run, which App runs; check-config)
// and after them (migrate, cluster status; version, which App runs).
std::vector<Command> core_commands_first();
std::vector<Command> core_commands_last();

}  // namespace fulfil::daemon
