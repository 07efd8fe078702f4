#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// Shipping: [shipping] (couriers, region rules, the sender), the waybill and ship-
// confirmation pass, courier routes, low pools on /healthz; the waybill command.
std::unique_ptr<Capability> make_shipping_capability();

}  // namespace fulfil::daemon
