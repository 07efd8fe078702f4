#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// After-sale: [aftersale] (restart to change), the ZeroMQ channel, return routes, the
// outbox on /healthz; the return and keygen commands.
std::unique_ptr<Capability> make_aftersale_capability();

}  // namespace fulfil::daemon
