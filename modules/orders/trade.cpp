#include "orders/trade.hpp"

#include <string_view>

namespace fulfil::orders {

bool refund_in_progress(const TradeLine& line) {
  const auto& s = line.refund_status;
  // CLOSED: the refund was withdrawn; SELLER_REFUSE_BUYER: refused, the line ships.
  return !(s.empty() || s == "NO_REFUND" || s == "CLOSED" || s == "SELLER_REFUSE_BUYER");
}

namespace {
// FNV-1a, with a separator after each field so ("ab","c") and ("a","bc") differ.
struct Fnv {
  std::uint64_t h = 1469598103934665603ULL;
  void add(std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0x1F) * 1099511628211ULL;
  }
  void add(std::int64_t v) { add(std::string_view(reinterpret_cast<const char*>(&v), sizeof v)); }
};
}  // namespace

std::int64_t content_digest(const Trade& t) {
  Fnv f;
  f.add(t.status);
  f.add(t.type);
  f.add(t.pay_time.value_or(0));
  f.add(t.consign_time.value_or(0));
  f.add(t.end_time.value_or(0));
  for (Fen v : {t.payment, t.total_fee, t.post_fee, t.discount_fee}) f.add(v);
  for (const std::string* s :
       {&t.buyer_nick, &t.buyer_message, &t.buyer_memo, &t.seller_memo, &t.receiver_name,
        &t.receiver_mobile, &t.receiver_phone, &t.shipping_type, &t.address.province,
        &t.address.city, &t.address.district, &t.address.town, &t.address.detail, &t.address.zip})
    f.add(*s);
  f.add(std::int64_t{t.seller_flag});
  for (const auto& l : t.lines) {
    f.add(l.oid);
    f.add(l.sku_id);
    f.add(l.price);
    f.add(std::int64_t{l.num});
    f.add(l.payment);
    f.add(l.status);
    f.add(l.refund_status);
    f.add(l.outer_sku_id);
    f.add(l.title);
    f.add(l.sku_properties);
  }
  return static_cast<std::int64_t>(f.h >> 1);  // fits a signed BIGINT on every backend
}

}  // namespace fulfil::orders
