#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// Picking (配货): its tables (modules/picking), [picking] in the config, and /api/v1/waves:
// waves made from parcels waiting for the pack stations, their pick lists in walk order,
// lines ticked off on a tablet, and the best sellers a promo zone should hold.
std::unique_ptr<Capability> make_picking_capability();

}  // namespace fulfil::daemon
