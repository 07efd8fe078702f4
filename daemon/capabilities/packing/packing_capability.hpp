#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// The pack station: its tables (modules/packing) and /api/v1/pack: a parcel looked up by
// what is scanned, taken by a station, verified item by item (or marked short), weighed and
// packed.
std::unique_ptr<Capability> make_packing_capability();

}  // namespace fulfil::daemon
