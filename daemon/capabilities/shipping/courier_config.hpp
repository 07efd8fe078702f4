#pragma once
#include <toml++/toml.h>

#include <string>
#include <vector>

#include "config.hpp"
#include "courier/settings.hpp"

namespace fulfil::daemon {

// Reads [shipping] with [[shipping.couriers]] and [[shipping.region_rules]] into `out`;
// problems go to `errors` as "file:line: key: what".
void parse_shipping(const toml::table* table, const std::string& file,
                    std::vector<std::string>& errors, courier::CourierSettings& out,
                    std::int64_t& interval_seconds);

// The [shipping] part of the effective configuration, as TOML.
std::string describe_shipping(const courier::CourierSettings& s, std::int64_t interval_seconds);

// A Cainiao courier issues waybills under a platform shop's authorisation: its `shop` must
// be one of `shops` with source = "top".
void check_cainiao_shops(const courier::CourierSettings& s, const std::vector<ShopConfig>& shops,
                         const std::string& file, std::vector<std::string>& errors);

// What a valid [shipping] leaves undone: API couriers without the sender they need.
void shipping_warnings(const courier::CourierSettings& s, const std::string& origin,
                       std::vector<std::string>& out);

}  // namespace fulfil::daemon
