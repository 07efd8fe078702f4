#pragma once
#include <boost/json/value.hpp>

#include <string_view>
#include <variant>
#include <vector>

#include "orders/trade.hpp"

namespace fulfil::platform {

// The field list fulfild asks the platform for (the `fields` parameter).
std::string_view trade_fields();

// Converts one platform trade object into a validated Trade, or a Rejection that names the
// shop, the tid (when it could be read) and the first bad field. Checks types, UTF-8,
// sizes, exact amounts and time ranges; normalises the address.
std::variant<orders::Trade, orders::Rejection> parse_trade(const boost::json::value& v,
                                                           std::string_view shop);

// Good trades and rejected ones from one answer.
struct ParsedTrades {
  std::vector<orders::Trade> trades;
  std::vector<orders::Rejection> rejected;
};

// Parses the platform's `trades` node ({"trade":[...]}) into `out`; one bad trade never
// costs the others.
void parse_trade_list(const boost::json::value* trades_node, std::string_view shop,
                      ParsedTrades& out);

}  // namespace fulfil::platform
