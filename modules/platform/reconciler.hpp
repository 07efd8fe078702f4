#pragma once
#include "common/cancellation.hpp"
#include "outbound/retry.hpp"
#include "platform/page_store.hpp"
#include "platform/top_client.hpp"

namespace fulfil::platform {

struct ReconcileReport {
  PageTotals totals;
  // Trades the store lacked or had in an older version: what the increment missed.
  int repaired() const { return totals.stored.inserted + totals.stored.updated; }
};

// Reads every trade created on one past Shanghai day with taobao.trades.sold.get (in
// windows, pages read backwards) and stores what the incremental sync missed.
Result<ReconcileReport> reconcile_day(TopClient& client, store::Connection& conn,
                                      const Clock& clock, UnixSeconds day_start,
                                      std::int64_t window_seconds, int page_size,
                                      const outbound::RetryPolicy& retry, Cancellation& cancel);

}  // namespace fulfil::platform
