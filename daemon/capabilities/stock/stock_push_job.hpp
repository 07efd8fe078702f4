#pragma once
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "config.hpp"
#include "outbound/http_client.hpp"
#include "store_access.hpp"

namespace fulfil::daemon {

// One pass of the stock push: under the lease "stock-push" (one daemon of a cluster), each
// platform shop's changed quantities pushed with taobao.item.quantity.update as its switch
// allows. Returns the alert of the pass ("" when none; nullopt when another daemon ran it).
std::optional<std::string> run_stock_push_once(const Config& config, StoreAccess& store,
                                               outbound::HttpClient& http, const Clock& clock,
                                               const std::string& instance_id);

}  // namespace fulfil::daemon
