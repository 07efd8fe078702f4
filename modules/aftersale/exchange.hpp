#pragma once
#include <map>
#include <string>
#include <vector>

#include "aftersale/return_record.hpp"
#include "orders/trade.hpp"

namespace fulfil::aftersale {

// The replacement trade of a return's exchange lines and what the exchange costs.
struct ExchangePlan {
  orders::Trade trade;
  Fen price_difference = 0;
  bool prices_known = true;
};

// Plans the replacement for the exchange lines of return `return_id`: a paid trade of the
// warehouse's own (tid k_exchange_tid_base + return_id) to the original trade's buyer and
// address, one line per exchange line with the new SKU, colour and size. A new SKU's unit
// price is the one staff entered, else `known_prices` (the platform's last price for that
// SKU); with neither, the old unit price stands in and prices_known is false. The price
// difference is new goods minus what was paid for the goods returned.
ExchangePlan plan_exchange(const orders::Trade& original, std::int64_t return_id,
                           const std::vector<ReturnLine>& lines,
                           const std::map<std::string, Fen>& known_prices, UnixSeconds now);

}  // namespace fulfil::aftersale
