#pragma once
#include <memory>

#include "common/clock.hpp"
#include "config.hpp"
#include "courier/waybill_service.hpp"
#include "outbound/http_client.hpp"
#include "store_access.hpp"

namespace fulfil::daemon {

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

// Tells the platform a parcel shipped, for the shop the confirmation belongs to.
courier::ConfirmShipments platform_confirmation(const Config& config, outbound::HttpClient& http,
                                                const Clock& clock);

}  // namespace fulfil::daemon
