#include "orders/trade.hpp"

namespace fulfil::orders {

bool refund_in_progress(const TradeLine& line) {
  const auto& s = line.refund_status;
  // CLOSED: the refund was withdrawn; SELLER_REFUSE_BUYER: refused, the line ships.
  return !(s.empty() || s == "NO_REFUND" || s == "CLOSED" || s == "SELLER_REFUSE_BUYER");
}

}  // namespace fulfil::orders
