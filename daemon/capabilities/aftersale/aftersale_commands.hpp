#pragma once
#include <vector>

#include "cli.hpp"

namespace fulfil::daemon {

// The aftersale capability's commands, with their help, word parsing and handlers.
std::vector<Command> aftersale_commands();

}  // namespace fulfil::daemon
