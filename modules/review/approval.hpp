#pragma once
#include <string>
#include <vector>

#include "review/parcel_rows.hpp"
#include "review/settings.hpp"

namespace fulfil::review {

// What approving a set of parcels did to each.
struct ApprovalOutcome {
  std::vector<std::int64_t> approved;
  std::vector<std::pair<std::int64_t, std::string>> parked;       // stock shortage, unknown SKU
  std::vector<std::pair<std::int64_t, std::string>> intercepted;  // a trade closed meanwhile
  std::vector<ParcelEvent> events;
};

// Approves parcels the state machine already allowed to be approved (loaded and locked in
// the caller's transaction, in the order stock goes to them: key cities, then oldest
// payment). A parcel whose trade was intercepted meanwhile is intercepted instead; one its
// stock cannot cover (when checked) is parked. Reserves stock, mirrors the state onto the
// trades and writes the events, in few statements for the whole set.
ApprovalOutcome approve_parcels(ParcelRows& rows, std::vector<Parcel>& parcels,
                                const ReviewSettings& settings, const std::string& actor,
                                UnixSeconds now);

// Moves one parcel (already advanced in memory by the caller) out of `approved` or
// `waybill`: releases its stock. Shared by park, unapprove and intercept.
void leave_approved(ParcelRows& rows, const Parcel& before, std::int64_t parcel_id);

}  // namespace fulfil::review
