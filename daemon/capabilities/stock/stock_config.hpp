#pragma once
#include <string>
#include <vector>

#include "common/toml_reader.hpp"
#include "config.hpp"

namespace fulfil::daemon {

// [stock_push] (mode, pacing, safety buffers, [stock_push.shops] and
// [stock_push.safety_by_sku]); a shop named there must be a platform shop of this config.
void read_stock_push(TableReader& top, const std::string& file, std::vector<std::string>& errors,
                     Config& config);
std::string describe_stock_push(const Config& config);

}  // namespace fulfil::daemon
