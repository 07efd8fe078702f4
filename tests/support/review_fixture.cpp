#include "review_fixture.hpp"

#include <stdexcept>

#include "orders/address.hpp"
#include "store/order_repository.hpp"

namespace fulfil::test {

orders::Trade paid_trade(orders::Tid tid, UnixSeconds pay_time, const std::string& buyer,
                         const std::string& city, const std::string& sku, int num) {
  orders::Trade t;
  t.tid = tid;
  t.shop = "demo";
  t.status = "WAIT_SELLER_SEND_GOODS";
  t.created = pay_time - 30;
  t.pay_time = pay_time;
  t.modified = pay_time;
  t.buyer_nick = buyer;
  t.receiver_name = buyer;
  t.receiver_mobile = "13800000000";
  const bool municipality = city == "上海" || city == "北京";
  t.address = orders::normalise_address({municipality ? city : "广东省", municipality ? "" : city,
                                         "某区", "", "幸福路 88 号 1 栋", "200000"});
  orders::TradeLine l;
  l.oid = tid + 1;
  l.outer_sku_id = sku;
  l.title = "毛衣 " + sku;
  l.price = 10000;
  l.num = num;
  l.payment = 10000 * num;
  l.status = t.status;
  t.lines = {l};
  t.total_fee = l.payment;
  t.payment = l.payment;
  return t;
}

void store_trades(store::Connection& conn, const Clock& clock,
                  const std::vector<orders::Trade>& trades) {
  store::OrderRepository repo(conn, clock);
  for (std::size_t i = 0; i < trades.size(); i += 5000) {
    std::span<const orders::Trade> batch(trades.data() + i,
                                         std::min<std::size_t>(5000, trades.size() - i));
    auto r = store::in_transaction(
        conn, [&]() -> Result<store::UpsertReport> { return repo.upsert(batch, "test:review"); });
    if (!r) throw std::runtime_error("store trades: " + r.error().message);
  }
}

review::ReviewSettings pool_settings(std::vector<std::string> reviewers) {
  review::ReviewSettings s;
  s.slicing.by = review::SplitBy::pool;
  s.slicing.slices = {{"all", std::move(reviewers), {}, {}, {}, {}, {}}};
  s.supervisors = {"boss"};
  s.problem_handlers = {"han"};
  s.lease_seconds = 60;
  return s;
}

review::ReviewSettings quiet_settings() {
  auto s = pool_settings();
  s.checks.buyer_message = false;
  s.checks.seller_memo = false;
  s.checks.duplicate_minutes = 0;
  return s;
}

}  // namespace fulfil::test
