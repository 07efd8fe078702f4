#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// Tracking: follows shipped parcels through Kuaidi100 ([shipping.tracking]) and serves
// their events and the push callback.
std::unique_ptr<Capability> make_tracking_capability();

}  // namespace fulfil::daemon
