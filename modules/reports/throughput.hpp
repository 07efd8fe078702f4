#pragma once
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "store/database.hpp"

namespace fulfil::reports {

// What the warehouse finished in one hour (UTC hour boundaries are Shanghai's too).
struct HourCounts {
  UnixSeconds hour = 0;  // the hour's start
  long long reviewed = 0, printed = 0, packed = 0, shipped = 0;
};

// The last `hours` hours up to `now`, oldest first, every hour present (zeros included):
// parcels approved (by a person or the automatic approval), whose labels all printed,
// packed at a station, and confirmed shipped to the platform.
Result<std::vector<HourCounts>> throughput(store::Connection& conn, UnixSeconds now, int hours);

}  // namespace fulfil::reports
