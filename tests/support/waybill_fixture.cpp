#include "waybill_fixture.hpp"

#include "courier/number_pool.hpp"
#include "courier/waybill_service.hpp"
#include "review/review_service.hpp"
#include "review_fixture.hpp"

namespace fulfil::test {

courier::CourierSettings pool_couriers() {
  courier::CourierSettings s;
  s.couriers = {{"ZTO", "中通快递", courier::Source::pool, 100, 0, {}, {}, 450, 10}};
  s.sender = {"发货仓", "13800000000", "浙江省", "杭州市", "余杭区", "仓前街道 1 号"};
  return s;
}

Result<int> with_waybills(store::Connection& conn, const Clock& clock,
                          const review::ReviewSettings& review,
                          const courier::CourierSettings& couriers,
                          const std::vector<orders::Trade>& trades) {
  store_trades(conn, clock, trades);
  review::ReviewService r(conn, clock, review);
  if (auto ok = r.intake(); !ok) return std::unexpected(ok.error());
  if (auto ok = r.auto_approve(); !ok) return std::unexpected(ok.error());
  if (auto ok = courier::NumberPool(conn).import_range("ZTO", "75100000000001-75100000000900",
                                                       clock.now());
      !ok)
    return std::unexpected(ok.error());
  auto w = courier::WaybillService(conn, clock, couriers).issue();
  if (!w) return std::unexpected(w.error());
  return static_cast<int>(w->issued);
}

}  // namespace fulfil::test
