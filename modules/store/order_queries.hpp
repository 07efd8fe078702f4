#pragma once
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "orders/trade.hpp"
#include "store/database.hpp"

namespace fulfil::store {

// One history entry of an order.
struct OrderEvent {
  UnixSeconds at = 0;
  std::string actor, kind, detail;
};

// An order as staff and the API see it: the trade plus the warehouse's own facts.
struct OrderDetail {
  orders::Trade trade;
  std::string fstate;
  std::string intercept_reason;
  std::string serial;
  std::string source;
  UnixSeconds arrived_at = 0;
  UnixSeconds updated_at = 0;
  std::vector<OrderEvent> events;  // oldest first
};

// Which orders to list; empty fields do not filter. Paging is by keyset on (modified, tid).
struct OrderFilter {
  std::string fstate;
  std::string status;
  std::string shop;
  std::optional<UnixSeconds> modified_from;  // inclusive
  std::optional<UnixSeconds> modified_to;    // exclusive
  std::optional<std::pair<UnixSeconds, orders::Tid>> after;
  int limit = 50;
};

struct OrderPage {
  std::vector<OrderDetail> orders;  // without events or lines
  std::optional<std::pair<UnixSeconds, orders::Tid>> next;
};

// The trade_lines columns read_line expects, each prefixed with `alias.` when given.
std::string line_columns(std::string_view alias = {});
// One line from a row holding line_columns() from column `first` on.
orders::TradeLine read_line(const soci::row& r, std::size_t first = 0);

// "1,2,3" for an SQL IN list of integers ("NULL" when empty, which matches nothing).
std::string id_list(std::span<const std::int64_t> ids);

// A subquery yielding the texts of a JSON array bound as one parameter named :list
// ("x IN (" + text_set(dialect) + ")"). Binding a thousand names one by one costs SQLite a
// linear name lookup per name; one JSON text does not.
std::string text_set(Dialect dialect);
// The JSON array text to bind for text_set.
std::string json_text_array(std::span<const std::string> texts);

// Read side of the order store.
class OrderQueries {
 public:
  explicit OrderQueries(Connection& c) : m_conn(c) {}
  // One order with lines and events; nullopt when unknown.
  Result<std::optional<OrderDetail>> get(orders::Tid tid);
  Result<OrderPage> list(const OrderFilter& filter);
  // Many orders with their lines (no events), in tid order; unknown tids are left out.
  // Throws on database errors (for use inside a caller's transaction).
  std::vector<OrderDetail> get_many(std::span<const orders::Tid> tids);
  // Counts of orders per fulfilment state (for health and reports).
  Result<std::vector<std::pair<std::string, std::int64_t>>> count_by_fstate();

 private:
  Connection& m_conn;
};

}  // namespace fulfil::store
