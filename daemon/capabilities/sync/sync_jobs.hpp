#pragma once
#include <string>

#include "common/cancellation.hpp"
#include "common/clock.hpp"
#include "config.hpp"
#include "outbound/http_client.hpp"
#include "store_access.hpp"

namespace fulfil::daemon {

// What one run of a shop's order source did.
struct ShopRunSummary {
  bool skipped = false;  // another daemon holds the shop's lease
  int inserted = 0, updated = 0, unchanged = 0, quarantined = 0, files = 0, bad_rows = 0;
};

// One run of a shop: a platform sync (source "top") or an inbox import (source "csv"),
// outside calls through `http`, the daemon's one HTTP client. Outcomes are recorded on the
// shop for /healthz.
Result<ShopRunSummary> run_shop_once(const Config& config, const ShopConfig& shop,
                                     StoreAccess& store, outbound::HttpClient& http,
                                     const Clock& clock, const std::string& instance_id,
                                     Cancellation& cancel);

// Reconciles one past Shanghai day (its start in UTC seconds) for a platform shop.
Result<int> reconcile_shop(const Config& config, const ShopConfig& shop, StoreAccess& store,
                           outbound::HttpClient& http, const Clock& clock,
                           const std::string& instance_id, UnixSeconds day_start,
                           Cancellation& cancel);

}  // namespace fulfil::daemon
