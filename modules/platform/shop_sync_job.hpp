#pragma once
#include <string>

#include "platform/rds_reader.hpp"
#include "platform/trade_sync.hpp"

namespace fulfil::platform {

// Everything needed to sync one shop from the TOP gateway.
struct ShopSyncSettings {
  std::string shop;
  TopSettings top;
  SyncSettings sync;
  outbound::HttpSettings http;
  // The shop's lease is renewed after every window; a daemon that died loses it this long
  // after its last window (a restart with the same instance id takes it back at once).
  std::int64_t lease_seconds = 120;
};

// One run of a shop's sync as the scheduler and `fulfild sync --once` start it: takes the
// shop's lease (so two daemons sharing a store never sync one shop at once), runs the
// sync, and records the outcome on the shop: error text and kind, and an alert when a
// person must act (the shop's session expired, the signature or the database login is
// refused). Returns the report; a lease held elsewhere is not an error (skipped).
struct ShopRunResult {
  bool skipped = false;  // another daemon holds the lease
  SyncReport report;
};
Result<ShopRunResult> run_shop_sync(const ShopSyncSettings& settings, outbound::HttpClient& http,
                                    store::Connection& conn, const Clock& clock,
                                    const std::string& instance_id, Cancellation& cancel);

// The same for a shop whose trades come from its push database (source = "rds"), under the
// same lease, so a shop is read by one daemon whichever source it has.
Result<ShopRunResult> run_rds_sync(const std::string& shop, const RdsSettings& settings,
                                   std::int64_t lease_seconds, store::Connection& conn,
                                   const Clock& clock, const std::string& instance_id,
                                   Cancellation& cancel);

}  // namespace fulfil::platform
