#pragma once
#include <boost/json/object.hpp>

#include "common/clock.hpp"
#include "courier/platform_reconciliation.hpp"
#include "courier/settings.hpp"
#include "store_access.hpp"

namespace fulfil::daemon {

// The reconciliation with the platform in both directions, now: confirmations still
// unshipped there sent again (or left for a person), trades shipped there and not here
// stopped. Run daily (an hour after [sync] reconcile_at, once for the cluster) and on demand
// (POST /api/v1/shipping/reconcile); recorded with `actor`.
Result<courier::ReconcileCounts> reconcile_with_platform(const courier::CourierSettings& settings,
                                                         StoreAccess& store, const Clock& clock,
                                                         const std::string& actor);

// The last week's figures as JSON (for /healthz and GET /api/v1/shipping/reconciliation).
Result<boost::json::object> reconciliation_json(StoreAccess& store, const Clock& clock, int days,
                                                bool with_list);

}  // namespace fulfil::daemon
