#pragma once
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "config.hpp"
#include "outbound/http_client.hpp"
#include "platform/top_client.hpp"
#include "stock/stock_pusher.hpp"
#include "store_access.hpp"

namespace fulfil::daemon {

// taobao.item.quantity.update through `client`: the full quantity (type 1) of an item, or of
// one of its SKUs.
stock::PushQuantity quantity_update(platform::TopClient& client);

// One pass of the stock push: under the lease "stock-push" (one daemon of a cluster), each
// platform shop's changed quantities pushed with taobao.item.quantity.update as its switch
// allows. Returns the alert of the pass ("" when none; nullopt when another daemon ran it).
std::optional<std::string> run_stock_push_once(const Config& config, StoreAccess& store,
                                               outbound::HttpClient& http, const Clock& clock,
                                               const std::string& instance_id);

}  // namespace fulfil::daemon
