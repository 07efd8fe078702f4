#include "aftersale/exchange.hpp"

namespace fulfil::aftersale {

ExchangePlan plan_exchange(const orders::Trade& original, std::int64_t return_id,
                           const std::vector<ReturnLine>& lines,
                           const std::map<std::string, Fen>& known_prices, UnixSeconds now) {
  ExchangePlan plan;
  orders::Trade& t = plan.trade;
  t.tid = orders::k_exchange_tid_base + return_id;
  t.shop = original.shop;
  t.status = "WAIT_SELLER_SEND_GOODS";
  t.type = "exchange";
  t.created = t.modified = now;
  t.pay_time = now;
  t.buyer_nick = original.buyer_nick;
  t.receiver_name = original.receiver_name;
  t.receiver_mobile = original.receiver_mobile;
  t.receiver_phone = original.receiver_phone;
  t.address = original.address;
  t.shipping_type = original.shipping_type;
  int n = 0;
  for (const auto& l : lines) {
    if (l.action != LineAction::exchange) continue;
    orders::TradeLine line;
    // 100 lines a return at most (the form has far fewer).
    line.oid = orders::k_exchange_tid_base + return_id * 100 + n++;
    line.outer_sku_id = l.new_sku;
    line.title = l.title;
    line.sku_properties = "颜色分类:" + l.colour + ";尺码:" + l.size;
    Fen unit = 0;
    if (l.new_unit_price) {
      unit = *l.new_unit_price;
    } else if (auto p = known_prices.find(l.new_sku); p != known_prices.end()) {
      unit = p->second;
    } else {
      unit = l.quantity > 0 ? l.paid / l.quantity : 0;
      plan.prices_known = false;
    }
    line.price = unit;
    line.num = l.quantity;
    line.payment = unit * l.quantity;
    line.status = t.status;
    plan.price_difference += line.payment - l.paid;
    t.payment += line.payment;
    t.lines.push_back(std::move(line));
  }
  t.total_fee = t.payment;
  return plan;
}

}  // namespace fulfil::aftersale
