#pragma once
#include <string>

#include "review/parcel_rows.hpp"
#include "review/settings.hpp"

namespace fulfil::review {

// What one intake batch did.
struct IntakeReport {
  int signals = 0;
  int parcels = 0;      // new parcels in the queue (ready)
  int problems = 0;     // new parcels parked by the checks
  int merged = 0;       // trades that joined another trade's parcel
  int intercepted = 0;  // parcels stopped because the platform closed or refunded a trade
  int rechecked = 0;    // parcels parked because their trade changed
  IntakeReport& operator+=(const IntakeReport& o);
};

// Takes the store's trade signals (see orders::signal) into review, one batch per call,
// in the caller's write transaction: entered trades become parcels (checked, merged,
// sliced, ranked); intercepted ones stop their parcels; changed ones are checked again.
// Signals are claimed with SKIP LOCKED on PostgreSQL, so several daemons can share the
// work. Throws on database errors.
IntakeReport intake_batch(ParcelRows& rows, const ReviewSettings& settings, UnixSeconds now);

}  // namespace fulfil::review
