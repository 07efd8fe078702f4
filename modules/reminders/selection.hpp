#pragma once
#include <set>
#include <span>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/money.hpp"
#include "orders/trade.hpp"

namespace fulfil::reminders {

// An unpaid trade as the planner reads it (WAIT_BUYER_PAY, stored by the sync).
struct UnpaidTrade {
  orders::Tid tid = 0;
  std::string shop, buyer_nick, mobile;
  Fen payment = 0;
  UnixSeconds placed = 0;
};

// One reminder: a buyer's unpaid trades in one shop together (seed 002: the amount is the
// sum), placed from `first_placed` (the timing follows the first: it closes first).
struct Candidate {
  std::string shop, buyer_nick, mobile;
  std::vector<orders::Tid> tids;
  Fen amount = 0;
  UnixSeconds first_placed = 0;
  bool big = false;  // amount at or over the big-order threshold: reminded first
};

// Buyers' unpaid trades grouped per shop and buyer, sensitive buyers left out; big ones
// first, then the oldest first.
std::vector<Candidate> select_candidates(std::span<const UnpaidTrade> trades, Fen big_order,
                                         const std::set<std::string>& sensitive);

}  // namespace fulfil::reminders
