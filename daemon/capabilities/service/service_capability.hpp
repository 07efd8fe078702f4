#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// Customer service and the supervisor's reports: finding a buyer's shipment from whatever
// they quote (GET /api/v1/search), throughput per hour and courier quality
// (/api/v1/reports/*), and the indexes they need (the reports module's).
std::unique_ptr<Capability> make_service_capability();

}  // namespace fulfil::daemon
