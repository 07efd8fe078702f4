#pragma once
#include "common/clock.hpp"
#include "config.hpp"
#include "store_access.hpp"

namespace fulfil::daemon {

// One pass of review's own work: trades that entered (or changed, or were intercepted)
// into parcels, auto-approval when configured, expired claims back to the queue. The
// first pass for a config re-slices the queue if the slicing changed.
Result<void> run_review_once(const Config& config, StoreAccess& store, const Clock& clock,
                             bool apply_slicing);

}  // namespace fulfil::daemon
