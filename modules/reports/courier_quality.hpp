#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "store/database.hpp"

namespace fulfil::reports {

// How one courier did with the outbound parcels it took in a window, in one province (or in
// all, when province is empty), from the tracking events.
struct CourierQuality {
  std::string courier, province;
  long long shipments = 0, delivered = 0;
  // Median hours from pickup (the first collected state, else the first event) to delivery,
  // over the delivered ones; none when nothing was delivered yet.
  std::optional<double> median_hours;
  long long problems = 0;  // ever in the problem state
  long long stuck = 0;     // still open with no event for stuck_hours
  double problem_rate() const { return shipments ? double(problems) / double(shipments) : 0; }
  double stuck_rate() const { return shipments ? double(stuck) / double(shipments) : 0; }
};

// Outbound shipments created in the last `days` days: per courier (province empty) and per
// courier and receiver province, couriers by name, provinces by shipments (most first).
Result<std::vector<CourierQuality>> courier_quality(store::Connection& conn, UnixSeconds now,
                                                    int days, int stuck_hours);

// The median of values (they are reordered); none for an empty list.
std::optional<double> median(std::vector<double>& values);

}  // namespace fulfil::reports
