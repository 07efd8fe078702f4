#include "store/order_queries.hpp"

#include <boost/json.hpp>
#include <unordered_map>

#include "store/filtered_select.hpp"
#include "store/row_reader.hpp"

namespace fulfil::store {
namespace {

constexpr const char* k_select_trade =
    "SELECT tid, shop, source, status, fstate, intercept_reason, serial, type, created, "
    "pay_time, modified, consign_time, end_time, payment, total_fee, post_fee, discount_fee, "
    "buyer_nick, buyer_message, buyer_memo, seller_memo, seller_flag, receiver_name, "
    "receiver_mobile, receiver_phone, province, city, district, town, address_detail, zip, "
    "shipping_type, arrived_at, updated_at FROM trades";

OrderDetail read_trade(const soci::row& r) {
  OrderDetail d;
  auto& t = d.trade;
  std::size_t i = 0;
  t.tid = get_int(r, i++);
  t.shop = get_text(r, i++);
  d.source = get_text(r, i++);
  t.status = get_text(r, i++);
  d.fstate = get_text(r, i++);
  d.intercept_reason = get_text(r, i++);
  d.serial = get_text(r, i++);
  t.type = get_text(r, i++);
  t.created = get_int(r, i++);
  t.pay_time = get_opt_int(r, i++);
  t.modified = get_int(r, i++);
  t.consign_time = get_opt_int(r, i++);
  t.end_time = get_opt_int(r, i++);
  t.payment = get_int(r, i++);
  t.total_fee = get_int(r, i++);
  t.post_fee = get_int(r, i++);
  t.discount_fee = get_int(r, i++);
  t.buyer_nick = get_text(r, i++);
  t.buyer_message = get_text(r, i++);
  t.buyer_memo = get_text(r, i++);
  t.seller_memo = get_text(r, i++);
  t.seller_flag = static_cast<int>(get_int(r, i++));
  t.receiver_name = get_text(r, i++);
  t.receiver_mobile = get_text(r, i++);
  t.receiver_phone = get_text(r, i++);
  t.address.province = get_text(r, i++);
  t.address.city = get_text(r, i++);
  t.address.district = get_text(r, i++);
  t.address.town = get_text(r, i++);
  t.address.detail = get_text(r, i++);
  t.address.zip = get_text(r, i++);
  t.shipping_type = get_text(r, i++);
  d.arrived_at = get_int(r, i++);
  d.updated_at = get_int(r, i++);
  return d;
}

constexpr std::string_view k_line_columns[] = {
    "oid",   "num_iid", "sku_id",  "outer_iid", "outer_sku_id",  "title", "sku_properties",
    "price", "num",     "payment", "status",    "refund_status", "tid"};

}  // namespace

std::string id_list(std::span<const std::int64_t> ids) {
  std::string out;
  for (auto id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);  // integers only: safe to inline
  }
  return out.empty() ? "NULL" : out;
}

std::string line_columns(std::string_view alias) {
  std::string out;
  for (auto c : k_line_columns) {
    if (!out.empty()) out += ", ";
    if (!alias.empty()) out += std::string(alias) + ".";
    out += c;
  }
  return out;
}

orders::TradeLine read_line(const soci::row& r, std::size_t i) {
  orders::TradeLine l;
  l.oid = get_int(r, i++);
  l.num_iid = get_int(r, i++);
  l.sku_id = get_int(r, i++);
  l.outer_iid = get_text(r, i++);
  l.outer_sku_id = get_text(r, i++);
  l.title = get_text(r, i++);
  l.sku_properties = get_text(r, i++);
  l.price = get_int(r, i++);
  l.num = static_cast<int>(get_int(r, i++));
  l.payment = get_int(r, i++);
  l.status = get_text(r, i++);
  l.refund_status = get_text(r, i++);
  return l;
}

std::string text_set(Dialect dialect) {
  return dialect == Dialect::sqlite ? "SELECT value FROM json_each(:list)"
                                    : "SELECT json_array_elements_text(CAST(:list AS json))";
}

std::string json_text_array(std::span<const std::string> texts) {
  boost::json::array a;
  for (const auto& t : texts) a.emplace_back(t);
  return boost::json::serialize(a);
}

std::vector<OrderDetail> OrderQueries::get_many(std::span<const orders::Tid> tids) {
  std::vector<OrderDetail> out;
  if (tids.empty()) return out;
  const std::string in = id_list(tids);
  std::unordered_map<orders::Tid, std::size_t> at;
  {
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << std::string(k_select_trade) + " WHERE tid IN (" + in +
                                     ") ORDER BY tid");
    for (const auto& r : rows) {
      out.push_back(read_trade(r));
      at[out.back().trade.tid] = out.size() - 1;
    }
  }
  soci::rowset<soci::row> lines =
      (m_conn.sql().prepare << "SELECT " + line_columns() + " FROM trade_lines WHERE tid IN (" +
                                   in + ") ORDER BY tid, oid");
  for (const auto& r : lines)
    if (auto it = at.find(get_int(r, 12)); it != at.end())
      out[it->second].trade.lines.push_back(read_line(r));
  return out;
}

Result<std::optional<OrderDetail>> OrderQueries::get(orders::Tid tid) {
  return guarded([&]() -> Result<std::optional<OrderDetail>> {
    long long id = tid;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << std::string(k_select_trade) + " WHERE tid = :tid", soci::use(id));
    std::optional<OrderDetail> out;
    for (const auto& r : rows) out = read_trade(r);
    if (!out) return out;
    soci::rowset<soci::row> lines =
        (m_conn.sql().prepare << "SELECT " + line_columns() +
                                     " FROM trade_lines WHERE tid = :tid ORDER BY oid",
         soci::use(id));
    for (const auto& r : lines) out->trade.lines.push_back(read_line(r));
    soci::rowset<soci::row> events =
        (m_conn.sql().prepare << "SELECT at, actor, kind, detail FROM order_events "
                                 "WHERE tid = :tid ORDER BY id",
         soci::use(id));
    for (const auto& r : events)
      out->events.push_back({get_int(r, 0), get_text(r, 1), get_text(r, 2), get_text(r, 3)});
    return out;
  });
}

Result<OrderPage> OrderQueries::list(const OrderFilter& f) {
  return guarded([&]() -> Result<OrderPage> {
    FilteredSelect q{std::string(k_select_trade)};
    q.equals("fstate", f.fstate).equals("status", f.status).equals("shop", f.shop);
    if (f.modified_from) q.where("modified >= " + std::to_string(*f.modified_from));
    if (f.modified_to) q.where("modified < " + std::to_string(*f.modified_to));
    if (f.after)
      q.where("modified > " + std::to_string(f.after->first) +
              " OR (modified = " + std::to_string(f.after->first) + " AND tid > " +
              std::to_string(f.after->second) + ")");
    const int limit = std::clamp(f.limit, 1, 500);
    OrderPage page;
    q.each(m_conn.sql(), "ORDER BY modified, tid LIMIT " + std::to_string(limit + 1),
           [&](const soci::row& r) { page.orders.push_back(read_trade(r)); });
    if (static_cast<int>(page.orders.size()) > limit) {
      page.orders.pop_back();
      page.next = std::pair{page.orders.back().trade.modified, page.orders.back().trade.tid};
    }
    return page;
  });
}

Result<std::vector<std::pair<std::string, std::int64_t>>> OrderQueries::count_by_fstate() {
  return guarded([&]() -> Result<std::vector<std::pair<std::string, std::int64_t>>> {
    std::vector<std::pair<std::string, std::int64_t>> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare
         << "SELECT fstate, COUNT(*) FROM trades GROUP BY fstate ORDER BY fstate");
    for (const auto& r : rows) out.emplace_back(get_text(r, 0), get_int(r, 1));
    return out;
  });
}

}  // namespace fulfil::store
