#pragma once
#include <vector>

#include "api/route_table.hpp"
#include "capability.hpp"

namespace fulfil::daemon {

std::vector<api::Route> wave_routes(Services& services);

}  // namespace fulfil::daemon
