#pragma once
#include <vector>

#include "cli.hpp"

namespace fulfil::daemon {

// The review capability's commands, with their help, word parsing and handlers.
std::vector<Command> review_commands();

}  // namespace fulfil::daemon
