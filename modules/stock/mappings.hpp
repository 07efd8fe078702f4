#pragma once
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "store/database.hpp"

namespace fulfil::stock {

// What loading a shop's mapping file did.
struct MappingReport {
  int rows = 0, added = 0, changed = 0;
};

// Loads a shop's "sku,num_iid,sku_id" CSV (header required; 商家编码 / 商品ID or 宝贝ID /
// SKU ID accepted; sku_id empty or 0 for an item without SKUs), as exported from the shop's
// item list. One bad row refuses the whole file, each bad row named with its line; a SKU
// mapped again takes the new item (its push starts over: the new item's number is unknown).
Result<MappingReport> load_mappings(store::Connection& conn, const std::string& shop,
                                    std::string_view csv, const std::string& source,
                                    UnixSeconds now);

}  // namespace fulfil::stock
