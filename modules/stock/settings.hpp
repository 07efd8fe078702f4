#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "stock/push_mode.hpp"

namespace fulfil::stock {

// [stock_push] in the config file.
struct StockPushSettings {
  bool enabled = true;
  PushMode mode = PushMode::push;                     // for every shop
  std::map<std::string, PushMode> shop_modes;         // [stock_push.shops] name = "lower_only"
  std::int64_t safety = 0;                            // kept back from every SKU's available
  std::map<std::string, std::int64_t> safety_by_sku;  // [stock_push.safety_by_sku]
  int per_second = 10;  // calls per shop and second (the platform's limit is the app's)
  int batch = 500;      // pushes per shop and pass
  std::int64_t interval_seconds = 30;

  std::int64_t safety_for(const std::string& sku) const {
    auto it = safety_by_sku.find(sku);
    return it == safety_by_sku.end() ? safety : it->second;
  }
};

}  // namespace fulfil::stock
