#pragma once
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "orders/trade.hpp"
#include "review/settings.hpp"
#include "store/database.hpp"

namespace fulfil::test {

// A paid trade ready to enter the warehouse: one line of `sku`, no message, a complete
// address in `city` (a key city unless told otherwise), buyer `buyer`.
orders::Trade paid_trade(orders::Tid tid, UnixSeconds pay_time, const std::string& buyer,
                         const std::string& city = "上海", const std::string& sku = "SKU-1",
                         int num = 1);

// Stores trades through the order repository (as the sync does), so they enter the
// warehouse and signal review.
void store_trades(store::Connection& conn, const Clock& clock,
                  const std::vector<orders::Trade>& trades);

// Review settings for tests: one pool slice reviewed by `reviewers`, supervisor "boss",
// problem handler "han".
review::ReviewSettings pool_settings(std::vector<std::string> reviewers = {"alice", "bob"});

// pool_settings() for parcels that should all pass review: the buyer-message, seller-memo
// and duplicate checks off (the simulators' buyers write a lot).
review::ReviewSettings quiet_settings();

}  // namespace fulfil::test
