#pragma once
#include "common/clock.hpp"
#include "config.hpp"
#include "outbound/http_client.hpp"
#include "store_access.hpp"

namespace fulfil::daemon {

// One pass of tracking: follows newly issued waybills, subscribes them to Kuaidi100's push
// (or queries the due ones when push is off) and records their events.
Result<void> run_tracking_once(const Config& config, StoreAccess& store, outbound::HttpClient& http,
                               const Clock& clock);

}  // namespace fulfil::daemon
