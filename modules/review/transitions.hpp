#pragma once
#include <string>
#include <vector>

#include "review/parcel_rows.hpp"

namespace fulfil::review {

// Moves parcels the caller loaded and locked (ParcelRows::load with lock) by an action of
// the daemon's own (assign_waybill, release_waybill, ...), inside the caller's transaction:
// each is decided by the state machine, then its state, version, event and its trades'
// fstate are written. Parcels the machine refuses are left as they are. Returns those moved,
// as they are now. Later modules (courier, printing, packing) move parcels only through
// this, so the machine stays the one place that says what may happen.
std::vector<Parcel> move_parcels(ParcelRows& rows, std::vector<Parcel> parcels, Action action,
                                 const Actor& actor, const std::string& detail, UnixSeconds now);

}  // namespace fulfil::review
