#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// Identity: the staff users, their roles and passwords, API tokens, sessions and the audit
// log (their tables); [identity] (session lengths, login throttling); logging in and out and
// staff management over HTTP; the user and token commands.
std::unique_ptr<Capability> make_identity_capability();

}  // namespace fulfil::daemon
