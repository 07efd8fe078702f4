#pragma once
#include <toml++/toml.h>

#include <string>
#include <vector>

#include "courier/settings.hpp"

namespace fulfil::daemon {

// Reads [shipping] with [[shipping.couriers]] and [[shipping.region_rules]] into `out`;
// problems go to `errors` as "file:line: key: what".
void parse_shipping(const toml::table* table, const std::string& file,
                    std::vector<std::string>& errors, courier::CourierSettings& out,
                    std::int64_t& interval_seconds);

// The [shipping] part of the effective configuration, as TOML.
std::string describe_shipping(const courier::CourierSettings& s, std::int64_t interval_seconds);

}  // namespace fulfil::daemon
