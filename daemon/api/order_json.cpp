#include "api/order_json.hpp"

#include "api/api_util.hpp"

#include "common/money.hpp"
#include "common/timeutil.hpp"

namespace fulfil::daemon::api {

namespace json = boost::json;

json::object line_json(const orders::TradeLine& l) {
  return {{"oid", std::to_string(l.oid)},
          {"num_iid", std::to_string(l.num_iid)},
          {"sku_id", std::to_string(l.sku_id)},
          {"outer_iid", l.outer_iid},
          {"outer_sku_id", l.outer_sku_id},
          {"title", l.title},
          {"sku_properties", l.sku_properties},
          {"price", money(l.price)},
          {"num", l.num},
          {"payment", money(l.payment)},
          {"status", l.status},
          {"refund_status", l.refund_status}};
}

json::object order_summary_json(const store::OrderDetail& d) {
  const auto& t = d.trade;
  json::object o;
  o["tid"] = std::to_string(t.tid);
  o["shop"] = t.shop;
  o["serial"] = d.serial.empty() ? json::value(nullptr) : json::value(d.serial);
  o["status"] = t.status;
  o["fstate"] = d.fstate;
  o["intercept_reason"] =
      d.intercept_reason.empty() ? json::value(nullptr) : json::value(d.intercept_reason);
  o["buyer_nick"] = t.buyer_nick;
  o["receiver_name"] = t.receiver_name;
  o["payment"] = money(t.payment);
  o["created"] = format_iso_shanghai(t.created);
  o["pay_time"] = time_or_null(t.pay_time);
  o["modified"] = format_iso_shanghai(t.modified);
  o["address"] = {{"province", t.address.province}, {"city", t.address.city},
                  {"district", t.address.district}, {"town", t.address.town},
                  {"detail", t.address.detail},     {"zip", t.address.zip}};
  return o;
}

json::object order_detail_json(const store::OrderDetail& d) {
  const auto& t = d.trade;
  json::object o = order_summary_json(d);
  o["source"] = d.source;
  o["type"] = t.type;
  o["consign_time"] = time_or_null(t.consign_time);
  o["end_time"] = time_or_null(t.end_time);
  o["total_fee"] = money(t.total_fee);
  o["post_fee"] = money(t.post_fee);
  o["discount_fee"] = money(t.discount_fee);
  o["buyer_message"] = t.buyer_message;
  o["buyer_memo"] = t.buyer_memo;
  o["seller_memo"] = t.seller_memo;
  o["seller_flag"] = t.seller_flag;
  o["receiver_mobile"] = t.receiver_mobile;
  o["receiver_phone"] = t.receiver_phone;
  o["shipping_type"] = t.shipping_type;
  o["arrived_at"] = format_iso_shanghai(d.arrived_at);
  o["updated_at"] = format_iso_shanghai(d.updated_at);
  json::array lines;
  for (const auto& l : t.lines) lines.push_back(line_json(l));
  o["lines"] = std::move(lines);
  json::array events;
  for (const auto& e : d.events)
    events.push_back(json::object{{"at", format_iso_shanghai(e.at)},
                                  {"actor", e.actor},
                                  {"kind", e.kind},
                                  {"detail", e.detail}});
  o["events"] = std::move(events);
  return o;
}

json::object sync_state_json(const store::SyncState& s, UnixSeconds now) {
  json::object o;
  o["shop"] = s.shop;
  o["window_end"] = time_or_null(s.window_end);
  o["lag_seconds"] = s.window_end ? json::value(now - *s.window_end) : json::value(nullptr);
  o["last_run_at"] = time_or_null(s.last_run_at);
  o["last_ok_at"] = time_or_null(s.last_ok_at);
  o["last_error"] = s.last_error.empty() ? json::value(nullptr) : json::value(s.last_error);
  o["last_error_kind"] =
      s.last_error_kind.empty() ? json::value(nullptr) : json::value(s.last_error_kind);
  o["alert"] = s.alert.empty() ? json::value(nullptr) : json::value(s.alert);
  o["trades_stored"] = s.trades_stored;
  return o;
}

json::object quarantine_json(const store::QuarantineEntry& e) {
  return {{"id", e.id},
          {"shop", e.rejection.shop},
          {"source", e.source},
          {"tid",
           e.rejection.tid ? json::value(std::to_string(*e.rejection.tid)) : json::value(nullptr)},
          {"field", e.rejection.field},
          {"reason", e.rejection.reason},
          {"payload", e.rejection.payload},
          {"at", format_iso_shanghai(e.at)}};
}

}  // namespace fulfil::daemon::api
