#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "store/database.hpp"

namespace fulfil::courier {

// What one reconciliation with the platform found.
struct ReconcileCounts {
  int sent_again = 0;    // shipped here, still unshipped there: confirmed once more
  int for_a_person = 0;  // shipped here, still unshipped after the second confirmation
  int stopped = 0;       // shipped there, not here: trades stopped wherever their parcel was
};

// A trade shipped on the platform by someone else, as the reconciliation stopped it.
struct ShippedElsewhere {
  std::int64_t tid = 0;
  std::int64_t parcel_id = 0;
  std::string status;  // the platform's, as synced
  UnixSeconds at = 0;  // when it was stopped
};

// The figures of the last `days` days, for /healthz and the API.
struct ReconcileSummary {
  ReconcileCounts counts;
  std::optional<UnixSeconds> last_run_at;
  std::vector<ShippedElsewhere> stopped;  // newest first
};

// Compares what shipped here with the platform's trade status as the sync keeps it (the
// increment or push database all day, the nightly reconcile of the day before):
//  - shipped here, not there: WaybillService::reconcile_shipped (every shipping pass);
//  - shipped there, not here: a trade the platform shows shipped (WAIT_BUYER_CONFIRM_GOODS,
//    SELLER_CONSIGNED_PART, TRADE_BUYER_SIGNED, TRADE_FINISHED) whose parcel is still in the
//    warehouse and which has no ship confirmation of ours was shipped from another warehouse
//    or by hand: the trade is intercepted with that reason, and review's intake stops its
//    parcel at whatever step it is, as for a trade closed on the platform.
// Each run is recorded (platform_reconciliations) with its counts.
class PlatformReconciliation {
 public:
  PlatformReconciliation(store::Connection& conn, const Clock& clock)
      : m_conn(conn), m_clock(clock) {}
  // Trades modified in the last `window_seconds` are looked at.
  Result<int> stop_shipped_elsewhere(std::int64_t window_seconds = 14 * 86400);
  // Records a run (a pass that found nothing is recorded only when `always`).
  Result<void> record(const ReconcileCounts& counts, const std::string& actor, bool always);
  Result<ReconcileSummary> summary(int days, int list_limit = 50);

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
};

}  // namespace fulfil::courier
