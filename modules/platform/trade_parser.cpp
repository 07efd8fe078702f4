#include "platform/trade_parser.hpp"

#include <boost/json/serialize.hpp>

#include <optional>

#include "common/digits.hpp"
#include "common/money.hpp"
#include "common/timeutil.hpp"
#include "common/utf8.hpp"
#include "orders/address.hpp"

namespace fulfil::platform {

namespace json = boost::json;

std::string_view trade_fields() {
  return "tid,status,type,created,pay_time,modified,consign_time,end_time,payment,total_fee,"
         "post_fee,discount_fee,buyer_nick,buyer_message,buyer_memo,seller_memo,seller_flag,"
         "receiver_name,receiver_state,receiver_city,receiver_district,receiver_town,"
         "receiver_address,receiver_zip,receiver_mobile,receiver_phone,shipping_type,orders";
}

namespace {

// Size limits well above anything the platform allows, so only garbage trips them.
constexpr std::size_t k_short_text = 256;
constexpr std::size_t k_long_text = 4096;
constexpr std::size_t k_max_lines = 500;

// Reads fields of one JSON object and remembers the first problem; after a problem every
// read returns a default so the caller can finish without checks at each line.
class FieldReader {
 public:
  FieldReader(const json::object& o, std::string prefix) : m_obj(o), m_prefix(std::move(prefix)) {}

  bool ok() const { return !m_field.has_value(); }
  const std::string& field() const { return *m_field; }
  const std::string& reason() const { return m_reason; }

  void fail_at(std::string_view key, std::string reason) {
    if (!ok()) return;
    m_field = m_prefix + std::string(key);
    m_reason = std::move(reason);
  }

  // Text; missing or null reads as empty unless required.
  std::string text(std::string_view key, std::size_t max_bytes, bool required = false) {
    const json::value* v = find(key);
    if (!v || v->is_null()) {
      if (required) fail_at(key, "missing");
      return {};
    }
    if (!v->is_string()) {
      fail_at(key, std::string("expected a string, got ") + kind(*v));
      return {};
    }
    std::string_view s = v->get_string();
    if (auto bad = find_invalid_utf8(s)) {
      fail_at(key, "invalid UTF-8 at byte " + std::to_string(*bad));
      return {};
    }
    if (s.size() > max_bytes) {
      fail_at(key, "too long (" + std::to_string(s.size()) + " bytes, at most " +
                       std::to_string(max_bytes) + ")");
      return {};
    }
    if (required && s.empty()) fail_at(key, "empty");
    return std::string(s);
  }

  // A 64-bit id: a JSON integer or a string of digits; never through double.
  std::int64_t id(std::string_view key, bool required = true) {
    const json::value* v = find(key);
    if (!v || v->is_null()) {
      if (required) fail_at(key, "missing");
      return 0;
    }
    std::int64_t out = 0;
    if (v->is_int64())
      out = v->get_int64();
    else if (v->is_uint64() && v->get_uint64() <= INT64_MAX)
      out = static_cast<std::int64_t>(v->get_uint64());
    else if (v->is_string()) {
      auto parsed = parse_digits(v->get_string());
      if (!parsed) {
        fail_at(key, "not a 64-bit id");
        return 0;
      }
      out = *parsed;
    } else {
      fail_at(key, std::string("expected an integer id, got ") + kind(*v));
      return 0;
    }
    if (out <= 0 && required) fail_at(key, "must be positive");
    return out;
  }

  // A small integer within [lo, hi]; numbers or digit strings.
  std::int64_t integer(std::string_view key, std::int64_t lo, std::int64_t hi, std::int64_t dflt) {
    const json::value* v = find(key);
    if (!v || v->is_null() || (v->is_string() && v->get_string().empty())) return dflt;
    std::int64_t out = id(key, false);
    if (ok() && (out < lo || out > hi))
      fail_at(key, std::to_string(out) + " is outside " + std::to_string(lo) + ".." +
                       std::to_string(hi));
    return out;
  }

  // A yuan amount string, to fen.
  Fen money(std::string_view key, bool required) {
    const json::value* v = find(key);
    if (!v || v->is_null()) {
      if (required) fail_at(key, "missing");
      return 0;
    }
    if (!v->is_string()) {
      fail_at(key, std::string("expected an amount string, got ") + kind(*v));
      return 0;
    }
    auto fen = parse_yuan(v->get_string());
    if (!fen) {
      fail_at(key, fen.error().message);
      return 0;
    }
    return *fen;
  }

  std::optional<UnixSeconds> time(std::string_view key, bool required) {
    const json::value* v = find(key);
    if (!v || v->is_null() || (v->is_string() && v->get_string().empty())) {
      if (required) fail_at(key, "missing");
      return std::nullopt;
    }
    if (!v->is_string()) {
      fail_at(key, std::string("expected a time string, got ") + kind(*v));
      return std::nullopt;
    }
    auto t = parse_gmt8(v->get_string());
    if (!t) {
      fail_at(key, t.error().message);
      return std::nullopt;
    }
    return *t;
  }

  const json::value* find(std::string_view key) const { return m_obj.if_contains(key); }

  static const char* kind(const json::value& v) {
    switch (v.kind()) {
      case json::kind::null:
        return "null";
      case json::kind::bool_:
        return "a boolean";
      case json::kind::int64:
      case json::kind::uint64:
        return "an integer";
      case json::kind::double_:
        return "a decimal number";
      case json::kind::string:
        return "a string";
      case json::kind::array:
        return "an array";
      case json::kind::object:
        return "an object";
    }
    return "something else";
  }

 private:
  const json::object& m_obj;
  std::string m_prefix;
  std::optional<std::string> m_field;
  std::string m_reason;
};

std::string payload_of(const json::value& v) {
  std::string s = json::serialize(v);
  if (s.size() > 64 * 1024) s = std::string(utf8_prefix(s, 64 * 1024)) + "...";
  return s;
}

orders::Rejection reject(const json::value& v, std::string_view shop,
                         std::optional<orders::Tid> tid, std::string field, std::string reason) {
  return {std::string(shop), tid, std::move(field), std::move(reason), payload_of(v)};
}

}  // namespace

std::variant<orders::Trade, orders::Rejection> parse_trade(const json::value& v,
                                                           std::string_view shop) {
  if (!v.is_object()) return reject(v, shop, std::nullopt, "trade", "expected an object");
  FieldReader r(v.get_object(), "");
  orders::Trade t;
  t.shop = std::string(shop);
  t.tid = r.id("tid");
  std::optional<orders::Tid> tid = r.ok() ? std::optional(t.tid) : std::nullopt;
  t.status = r.text("status", 64, true);
  t.type = r.text("type", 64);
  t.created = r.time("created", true).value_or(0);
  t.pay_time = r.time("pay_time", false);
  t.modified = r.time("modified", true).value_or(0);
  t.consign_time = r.time("consign_time", false);
  t.end_time = r.time("end_time", false);
  t.payment = r.money("payment", true);
  t.total_fee = r.money("total_fee", false);
  t.post_fee = r.money("post_fee", false);
  t.discount_fee = r.money("discount_fee", false);
  t.buyer_nick = r.text("buyer_nick", k_short_text, true);
  t.buyer_message = r.text("buyer_message", k_long_text);
  t.buyer_memo = r.text("buyer_memo", k_long_text);
  t.seller_memo = r.text("seller_memo", k_long_text);
  t.seller_flag = static_cast<int>(r.integer("seller_flag", 0, 5, 0));
  t.receiver_name = r.text("receiver_name", k_short_text, true);
  t.receiver_mobile = r.text("receiver_mobile", 32);
  t.receiver_phone = r.text("receiver_phone", 64);
  std::string state = r.text("receiver_state", 64, true), city = r.text("receiver_city", 64),
              district = r.text("receiver_district", 64), town = r.text("receiver_town", 128),
              detail = r.text("receiver_address", 1024, true), zip = r.text("receiver_zip", 16);
  t.address = orders::normalise_address({state, city, district, town, detail, zip});
  t.shipping_type = r.text("shipping_type", 32);
  if (!r.ok()) return reject(v, shop, tid, r.field(), r.reason());

  const json::value* orders_node = r.find("orders");
  const json::value* list = nullptr;
  if (orders_node && orders_node->is_object())
    list = orders_node->get_object().if_contains("order");
  if (!list || !list->is_array())
    return reject(v, shop, tid, "orders.order", "missing or not an array");
  const auto& arr = list->get_array();
  if (arr.empty()) return reject(v, shop, tid, "orders.order", "a trade without lines");
  if (arr.size() > k_max_lines)
    return reject(v, shop, tid, "orders.order",
                  "more than " + std::to_string(k_max_lines) + " lines");
  t.lines.reserve(arr.size());
  for (std::size_t i = 0; i < arr.size(); ++i) {
    std::string prefix = "orders.order[" + std::to_string(i) + "].";
    if (!arr[i].is_object()) return reject(v, shop, tid, prefix, "expected an object");
    FieldReader lr(arr[i].get_object(), prefix);
    orders::TradeLine l;
    l.oid = lr.id("oid");
    l.num_iid = lr.id("num_iid", false);
    l.sku_id = lr.id("sku_id", false);
    l.outer_iid = lr.text("outer_iid", 128);
    l.outer_sku_id = lr.text("outer_sku_id", 128);
    l.title = lr.text("title", 512, true);
    l.sku_properties = lr.text("sku_properties_name", 1024);
    l.price = lr.money("price", true);
    l.num = static_cast<int>(lr.integer("num", 1, 100000, 0));
    if (lr.ok() && l.num == 0) lr.fail_at("num", "missing");
    l.payment = lr.money("payment", false);
    l.status = lr.text("status", 64);
    l.refund_status = lr.text("refund_status", 64);
    if (!lr.ok()) return reject(v, shop, tid, lr.field(), lr.reason());
    t.lines.push_back(std::move(l));
  }
  return t;
}

void parse_trade_list(const json::value* trades_node, std::string_view shop, ParsedTrades& out) {
  if (!trades_node || trades_node->is_null()) return;  // an empty page has no `trades`
  const json::value* list = nullptr;
  if (trades_node->is_object()) list = trades_node->get_object().if_contains("trade");
  if (!list || !list->is_array()) {
    out.rejected.push_back(
        reject(*trades_node, shop, std::nullopt, "trades.trade", "missing or not an array"));
    return;
  }
  for (const auto& item : list->get_array()) {
    auto parsed = parse_trade(item, shop);
    if (auto* t = std::get_if<orders::Trade>(&parsed))
      out.trades.push_back(std::move(*t));
    else
      out.rejected.push_back(std::move(std::get<orders::Rejection>(parsed)));
  }
}

}  // namespace fulfil::platform
