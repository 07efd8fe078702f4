#pragma once
#include <vector>

#include "api/route_table.hpp"
#include "capability.hpp"

namespace fulfil::daemon {

// GET /api/v1/pack/{code}; POST /api/v1/pack/{id}/start, /scan, /short, /done, each with
// the station's name. A step the station may not take is a 409 whose code says which
// (stop, held_elsewhere, wrong_item, over_scan, unknown_barcode, ...) and whose body carries
// the parcel as it is, so the page can show it.
std::vector<api::Route> pack_routes(Services& services);

}  // namespace fulfil::daemon
