#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// Customer service: finding a buyer's shipment from whatever they quote
// (GET /api/v1/search) and the indexes that needs (the reports module's tables).
std::unique_ptr<Capability> make_service_capability();

}  // namespace fulfil::daemon
