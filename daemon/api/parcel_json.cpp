#include "api/parcel_json.hpp"

#include <boost/json/array.hpp>

#include "api/api_util.hpp"
#include "api/order_json.hpp"
#include "common/timeutil.hpp"
#include "orders/serial.hpp"

namespace fulfil::daemon::api {

namespace json = boost::json;

json::object parcel_json(const review::Parcel& p) {
  json::object o;
  o["id"] = p.id;
  o["version"] = p.version;
  o["state"] = std::string(review::to_string(p.state));
  o["shop"] = p.shop;
  o["slice"] = p.slice;
  o["key_city"] = p.key_rank == 0;
  o["city"] = p.city;
  o["buyer_nick"] = p.buyer_nick;
  o["serial"] = orders::Serial{static_cast<int>(p.serial_day), p.serial_seq}.text();
  o["pay_time"] = format_iso_shanghai(p.pay_time);
  o["created"] = format_iso_shanghai(p.created);
  o["problem"] = text_or_null(p.problem);
  o["waived"] = p.waived;
  o["claim_holder"] = text_or_null(p.claim_holder);
  o["claim_expires"] = p.claim_expires ? time_or_null(p.claim_expires) : json::value(nullptr);
  o["merged_into"] = p.merged_into ? json::value(*p.merged_into) : json::value(nullptr);
  o["split_from"] = p.split_from ? json::value(*p.split_from) : json::value(nullptr);
  o["reviewer"] = text_or_null(p.reviewer);
  o["updated_at"] = format_iso_shanghai(p.updated_at);
  return o;
}

json::object parcel_detail_json(const review::ParcelDetail& d) {
  json::object o = parcel_json(d.parcel);
  json::array tids;
  for (auto t : d.tids) tids.push_back(json::value(std::to_string(t)));
  o["tids"] = std::move(tids);
  json::array lines;
  for (const auto& pl : d.lines) {
    json::object line = line_json(pl.line);
    line["tid"] = std::to_string(pl.tid);
    line["sku"] = review::sku_of(pl.line);
    lines.push_back(std::move(line));
  }
  o["lines"] = std::move(lines);
  json::array events;
  for (const auto& e : d.events)
    events.push_back(json::object{{"at", format_iso_shanghai(e.at)},
                                  {"actor", e.actor},
                                  {"kind", e.kind},
                                  {"from_state", text_or_null(e.from_state)},
                                  {"to_state", e.to_state},
                                  {"version", e.version},
                                  {"detail", e.detail}});
  o["events"] = std::move(events);
  return o;
}

json::object queue_stats_json(const review::QueueStats& s) {
  json::array slices;
  for (const auto& c : s.slices) {
    json::array reviewers;
    for (const auto& r : c.reviewers) reviewers.push_back(json::value(r));
    slices.push_back(json::object{{"slice", c.slice},
                                  {"range", c.range},
                                  {"reviewers", std::move(reviewers)},
                                  {"ready", c.ready},
                                  {"key_city_ready", c.key_city_ready},
                                  {"in_review", c.in_review}});
  }
  json::object states;
  for (const auto& [state, n] : s.by_state) states[state] = n;
  return {{"slices", std::move(slices)},
          {"states", std::move(states)},
          {"trades_waiting", s.signals_waiting}};
}

json::object stock_json(const review::StockLevel& s) {
  return {{"sku", s.sku},           {"on_hand", s.on_hand},
          {"reserved", s.reserved}, {"available", s.available()},
          {"location", s.location}, {"updated_at", format_iso_shanghai(s.updated_at)}};
}

}  // namespace fulfil::daemon::api
