#include "printing/label_source.hpp"

#include "common/money.hpp"
#include "common/timeutil.hpp"
#include "review/parcel_rows.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::printing {

namespace {

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts)
    if (!p.empty()) out += (out.empty() ? "" : std::string(sep)) + p;
  return out;
}

// "2026-11-11 09:30" in Asia/Shanghai.
std::string shanghai_minutes(UnixSeconds t) {
  return format_gmt8(t).substr(0, 16);
}

struct TradeRow {
  std::string serial, shop, nick, message, memo, name, mobile, phone, province, city, district,
      town, detail;
  UnixSeconds pay_time = 0;
  Fen payment = 0, post_fee = 0, discount = 0;
};

}  // namespace

std::map<std::int64_t, printers::LabelData> label_data(store::Connection& conn,
                                                       std::span<const std::int64_t> parcel_ids,
                                                       const courier::CourierSettings& shipping,
                                                       const PrintSettings& printing,
                                                       UnixSeconds now) {
  using store::get_int;
  using store::get_text;
  std::map<std::int64_t, printers::LabelData> out;
  if (parcel_ids.empty()) return out;
  const std::string in = store::id_list(parcel_ids);
  std::map<std::int64_t, std::pair<std::string, std::string>> waybills;  // courier, number
  soci::rowset<soci::row> ws =
      (conn.sql().prepare << "SELECT parcel_id, courier, waybill_no FROM waybills WHERE state = "
                             "'issued' AND parcel_id IN (" +
                                 in + ")");
  for (const auto& r : ws) waybills[get_int(r, 0)] = {get_text(r, 1), get_text(r, 2)};

  review::ParcelRows rows(conn);
  auto homes = rows.shipped_tids(parcel_ids);
  auto lines = rows.lines(parcel_ids);
  std::vector<std::int64_t> tids;
  for (const auto& [id, ts] : homes) tids.insert(tids.end(), ts.begin(), ts.end());
  std::map<orders::Tid, TradeRow> trades;
  if (!tids.empty()) {
    soci::rowset<soci::row> ts =
        (conn.sql().prepare
         << "SELECT tid, serial, shop, buyer_nick, buyer_message, seller_memo, receiver_name, "
            "receiver_mobile, receiver_phone, province, city, district, town, address_detail, "
            "pay_time, payment, post_fee, discount_fee FROM trades WHERE tid IN (" +
                store::id_list(tids) + ")");
    for (const auto& r : ts)
      trades[get_int(r, 0)] = {get_text(r, 1),  get_text(r, 2),  get_text(r, 3),  get_text(r, 4),
                               get_text(r, 5),  get_text(r, 6),  get_text(r, 7),  get_text(r, 8),
                               get_text(r, 9),  get_text(r, 10), get_text(r, 11), get_text(r, 12),
                               get_text(r, 13), get_int(r, 14),  get_int(r, 15),  get_int(r, 16),
                               get_int(r, 17)};
  }
  const auto& sender = shipping.sender;
  const ReturnAddress& ret = printing.returns;
  const std::string sender_address =
      join({sender.province, sender.city, sender.district, sender.address}, "");
  for (std::int64_t id : parcel_ids) {
    auto w = waybills.find(id);
    auto h = homes.find(id);
    if (w == waybills.end() || h == homes.end() || h->second.empty()) continue;
    const TradeRow& t = trades[h->second.front()];
    printers::LabelData d;
    auto& f = d.fields;
    std::vector<std::string> tid_texts;
    Fen payment = 0, post_fee = 0, discount = 0;
    std::vector<std::string> messages, memos;
    for (auto tid : h->second) {
      tid_texts.push_back(std::to_string(tid));
      const TradeRow& one = trades[tid];
      payment += one.payment, post_fee += one.post_fee, discount += one.discount;
      messages.push_back(one.message);
      memos.push_back(one.memo);
    }
    const courier::Courier* c = shipping.find(w->second.first);
    f["parcel_id"] = std::to_string(id);
    f["serial"] = t.serial;
    f["tids"] = join(tid_texts, ", ");
    f["shop"] = t.shop;
    f["warehouse"] = printing.warehouse;
    f["courier_code"] = w->second.first;
    f["courier_name"] = c && !c->name.empty() ? c->name : w->second.first;
    f["waybill_no"] = w->second.second;
    f["sort_code"] = join({t.city, t.district}, " ");
    f["sender_name"] = sender.name;
    f["sender_phone"] = sender.mobile;
    f["sender_address"] = sender_address;
    f["receiver_name"] = t.name;
    f["receiver_phone"] = t.mobile.empty() ? t.phone : t.mobile;
    f["receiver_address"] = join({t.province, t.city, t.district, t.town, t.detail}, "");
    f["receiver_province"] = t.province;
    f["receiver_city"] = t.city;
    f["buyer_nick"] = t.nick;
    f["buyer_message"] = join(messages, "；");
    f["seller_memo"] = join(memos, "；");
    f["pay_time"] = t.pay_time ? format_gmt8(t.pay_time) : "";
    f["print_time"] = shanghai_minutes(now);
    f["return_name"] = ret.name.empty() ? sender.name : ret.name;
    f["return_phone"] = ret.phone.empty() ? sender.mobile : ret.phone;
    f["return_address"] = ret.address.empty() ? sender_address : ret.address;
    f["form_code"] = "R" + std::to_string(id);
    Fen goods = 0;
    int pieces = 0;
    std::vector<std::string> summary;
    int no = 0;
    for (const auto& pl : lines[id]) {
      const auto& l = pl.line;
      const std::string sku = l.outer_sku_id.empty() ? l.outer_iid : l.outer_sku_id;
      d.lines.push_back({{"no", std::to_string(++no)},
                         {"sku", sku},
                         {"title", l.title},
                         {"spec", l.sku_properties},
                         {"item", join({l.title, l.sku_properties}, " ")},
                         {"qty", std::to_string(l.num)},
                         {"price", format_yuan(l.price)},
                         {"amount", format_yuan(l.payment)}});
      goods += l.payment;
      pieces += l.num;
      summary.push_back((sku.empty() ? l.title : sku) + "×" + std::to_string(l.num));
    }
    f["item_summary"] = join(summary, "，");
    f["item_count"] = std::to_string(pieces);
    f["goods_total"] = format_yuan(goods);
    f["post_fee"] = format_yuan(post_fee);
    f["discount"] = format_yuan(discount);
    f["payment"] = format_yuan(payment);
    out.emplace(id, std::move(d));
  }
  return out;
}

}  // namespace fulfil::printing
