#pragma once
#include <string>

#include "common/cancellation.hpp"
#include "common/clock.hpp"
#include "config.hpp"
#include "courier/waybill_service.hpp"
#include "outbound/http_client.hpp"
#include "store_access.hpp"

namespace fulfil::daemon {

// What one run of a shop's order source did.
struct ShopRunSummary {
  bool skipped = false;  // another daemon holds the shop's lease
  int inserted = 0, updated = 0, unchanged = 0, quarantined = 0, files = 0, bad_rows = 0;
};

// Jobs reach outside systems through `http`, the daemon's one HTTP client.

// One run of a shop: a platform sync (source "top") or an inbox import (source "csv").
// Outcomes are recorded on the shop for /healthz.
Result<ShopRunSummary> run_shop_once(const Config& config, const ShopConfig& shop,
                                     StoreAccess& store, outbound::HttpClient& http,
                                     const Clock& clock, const std::string& instance_id,
                                     Cancellation& cancel);

// One pass of review's own work: trades that entered (or changed, or were intercepted)
// into parcels, auto-approval when configured, expired claims back to the queue. The
// first pass for a config re-slices the queue if the slicing changed.
Result<void> run_review_once(const Config& config, StoreAccess& store, const Clock& clock,
                             bool apply_slicing);

// One pass of the courier module: voids waybills of parcels that will not ship, gives
// approved parcels waybills, and sends due ship confirmations (platform shops through
// taobao.logistics.offline.send; CSV shops have no platform API, so theirs wait for a
// person). Logs a progress line and a warning for an empty or low number pool.
Result<void> run_shipping_once(const Config& config, StoreAccess& store, outbound::HttpClient& http,
                               const Clock& clock);

// The couriers with their own API as configured (SF's open platform; Cainiao through the
// TOP gateway under a platform shop's authorisation), each call through `http`.
std::unique_ptr<courier::RemoteCouriers> configured_couriers(const Config& config,
                                                             outbound::HttpClient& http,
                                                             const Clock& clock);

// One pass of tracking: follows newly issued waybills, subscribes them to Kuaidi100's push
// (or queries the due ones when push is off) and records their events.
Result<void> run_tracking_once(const Config& config, StoreAccess& store, outbound::HttpClient& http,
                               const Clock& clock);

// Tells the platform a parcel shipped, for the shop the confirmation belongs to.
courier::ConfirmShipments platform_confirmation(const Config& config, outbound::HttpClient& http,
                                                const Clock& clock);

// Reconciles one past Shanghai day (its start in UTC seconds) for a platform shop.
Result<int> reconcile_shop(const Config& config, const ShopConfig& shop, StoreAccess& store,
                           outbound::HttpClient& http, const Clock& clock,
                           const std::string& instance_id, UnixSeconds day_start,
                           Cancellation& cancel);

}  // namespace fulfil::daemon
