#pragma once
#include <memory>
#include <vector>

#include "capability.hpp"

namespace fulfil::daemon {

// The daemon's capabilities, in the order they start (and read their config sections, apply
// their migrations, list their commands, add their jobs and routes). Fresh objects each call:
// nothing runs until a CapabilitySet starts them.
std::vector<std::unique_ptr<Capability>> make_capabilities();

}  // namespace fulfil::daemon
