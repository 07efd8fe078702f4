#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "store/database.hpp"

namespace fulfil::review {

// Stock of one SKU. Available = on hand - reserved; negative when oversold.
struct StockLevel {
  std::string sku;
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
  UnixSeconds updated_at = 0;
  std::string location;  // where it is picked ("A-03-2"); empty when not known
  std::int64_t available() const { return on_hand - reserved; }
};

// A stock CSV that could not be loaded: each bad row with its line.
struct StockLoadReport {
  int rows = 0;
  int created = 0;
  int changed = 0;
};

// The largest on-hand quantity or adjustment accepted: anything bigger is a typing error.
inline constexpr std::int64_t k_max_stock_quantity = 100'000'000;

// Stock per SKU (merchant codes) and its history. On-hand changes only through load and
// adjust, each recorded with who and why; reservations are made by approval.
class StockRepository {
 public:
  explicit StockRepository(store::Connection& c) : m_conn(c) {}

  // Loads "sku,on_hand[,location]" CSV text (header required; 商家编码/库存/库位 accepted):
  // sets on-hand (and the pick location, when the file has the column) of each SKU,
  // creating unknown ones. One bad row refuses the whole file, every bad row
  // named with its line; nothing changes then.
  Result<StockLoadReport> load_csv(std::string_view text, const std::string& source,
                                   const std::string& actor, UnixSeconds now);
  // Adds `delta` to on-hand with a reason. Unknown SKU: not_found; a result below zero or
  // an absurd delta: invalid_input.
  Result<StockLevel> adjust(const std::string& sku, std::int64_t delta, const std::string& reason,
                            const std::string& actor, UnixSeconds now);
  // adjust() inside the caller's write transaction (throws on database errors).
  Result<StockLevel> adjust_in(const std::string& sku, std::int64_t delta,
                               const std::string& reason, const std::string& actor,
                               UnixSeconds now);
  Result<std::optional<StockLevel>> get(const std::string& sku);
  // SKUs in name order after `after`; only oversold ones (available < 0) when asked.
  Result<std::vector<StockLevel>> list(const std::string& after, int limit, bool oversold_only);
  // Levels of these SKUs (inside the caller's transaction; throws on database errors).
  std::map<std::string, StockLevel> levels(const std::set<std::string>& skus);
  // Pick locations of these SKUs (those without one left out); throws on database errors.
  std::map<std::string, std::string> locations(const std::set<std::string>& skus);

 private:
  store::Connection& m_conn;
};

}  // namespace fulfil::review
