#pragma once
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "courier/settings.hpp"
#include "orders/trade.hpp"
#include "review/settings.hpp"
#include "store/database.hpp"

namespace fulfil::test {

// One pool courier (ZTO, all the volume, numbers 7510...) and a sender in Hangzhou.
courier::CourierSettings pool_couriers();

// Stores `trades`, reviews them (auto-approve) and gives them ZTO pool waybills: their
// parcels end in state `waybill`. Returns how many waybills were issued.
Result<int> with_waybills(store::Connection& conn, const Clock& clock,
                          const review::ReviewSettings& review,
                          const courier::CourierSettings& couriers,
                          const std::vector<orders::Trade>& trades);

}  // namespace fulfil::test
