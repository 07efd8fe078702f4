#pragma once
#include <vector>

#include "api/route_table.hpp"
#include "capability.hpp"

namespace fulfil::daemon {

// The supervisor's figures (modules/reports): GET /api/v1/reports/throughput?hours= (parcels
// reviewed, printed, packed and shipped per hour) and GET /api/v1/reports/couriers?days=
// (per courier and province: median pickup-to-delivery hours, problem and stuck rates).
std::vector<api::Route> report_routes(Services& services);

}  // namespace fulfil::daemon
