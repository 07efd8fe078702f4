#pragma once
#include <vector>

#include "cli.hpp"

namespace fulfil::daemon {

// The printing capability's commands, with their help, word parsing and handlers.
std::vector<Command> printing_commands();

}  // namespace fulfil::daemon
