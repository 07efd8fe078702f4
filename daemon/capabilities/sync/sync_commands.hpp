#pragma once
#include <vector>

#include "cli.hpp"

namespace fulfil::daemon {

// The sync capability's commands, with their help, word parsing and handlers.
std::vector<Command> sync_commands();

}  // namespace fulfil::daemon
