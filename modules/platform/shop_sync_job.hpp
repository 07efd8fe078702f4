#pragma once
#include <string>

#include "platform/trade_sync.hpp"

namespace fulfil::platform {

// Everything needed to sync one shop.
struct ShopSyncSettings {
  std::string shop;
  TopSettings top;
  SyncSettings sync;
  HttpSettings http;
  std::int64_t lease_seconds = 600;  // another daemon may take over after this
};

// One run of a shop's sync as the scheduler and `fulfild sync --once` start it: takes the
// shop's lease (so two daemons sharing a store never sync one shop at once), runs the
// sync, and records the outcome on the shop: error text and kind, and an alert when a
// person must act (the shop's session expired or the signature is refused).
// Returns the report; a lease held elsewhere is not an error (windows == 0, skipped).
struct ShopRunResult {
  bool skipped = false;  // another daemon holds the lease
  SyncReport report;
};
Result<ShopRunResult> run_shop_sync(const ShopSyncSettings& settings, HttpClient& http,
                                    store::Connection& conn, const Clock& clock,
                                    const std::string& instance_id, Cancellation& cancel);

}  // namespace fulfil::platform
