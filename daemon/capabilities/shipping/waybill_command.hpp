#pragma once
#include <vector>

#include "cli.hpp"

namespace fulfil::daemon {

// The shipping capability's commands (waybill pool import and status).
std::vector<Command> shipping_commands();

}  // namespace fulfil::daemon
