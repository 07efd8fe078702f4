#pragma once
#include <boost/json/object.hpp>

#include <vector>

#include "api/route_table.hpp"
#include "capability.hpp"

namespace fulfil::daemon {

// /api/v1/stock-push: each mapped SKU's available, wanted and last pushed quantity with why
// a push is held (the report of what would have been pushed), the modes in force and the
// SKUs no shop maps; POST /api/v1/stock-push/mappings?shop= (a mapping CSV) and
// POST /api/v1/stock-push/switch {scope, mode} (supervisors, audited).
std::vector<api::Route> stock_routes(Services& services);

// /healthz: the modes in force and the SKUs held, refused, retrying and not mapped.
void stock_health(Services& services, boost::json::object& out, bool& degraded);

}  // namespace fulfil::daemon
