#pragma once
#include <vector>

#include "cli.hpp"

namespace fulfil::daemon {

// `user add|passwd|roles|disable|enable|list` and `token add|revoke|list`: the first admin
// and the machine clients, from the command line; each change is written to the audit log
// as done by "cli".
std::vector<Command> identity_commands();

}  // namespace fulfil::daemon
