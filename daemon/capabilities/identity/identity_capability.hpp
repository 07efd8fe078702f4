#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// Identity: the staff users, their roles and passwords, API tokens and the audit log (their
// tables); the user and token commands.
std::unique_ptr<Capability> make_identity_capability();

}  // namespace fulfil::daemon
