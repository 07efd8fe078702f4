#include "aftersale/slip.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/timeutil.hpp"

namespace fulfil::aftersale {

namespace json = boost::json;

std::string_view slip_kind(const ReturnRecord& r) {
  if (r.state == "unidentified") return "unidentified";
  for (const auto& l : r.lines)
    if (l.action == LineAction::exchange) return "exchange";
  return "return";
}

std::string slip_id(std::int64_t return_id, int n) {
  return "S" + std::to_string(return_id) + "-" + std::to_string(n);
}

std::string slip_json(const ReturnRecord& r, std::string_view id, std::string_view supersedes,
                      UnixSeconds now) {
  json::array lines;
  Fen refund = 0;
  for (const auto& l : r.lines) {
    json::object o{{"oid", std::to_string(l.oid)},
                   {"tid", std::to_string(l.tid)},
                   {"sku", l.sku},
                   {"title", l.title},
                   {"action", to_string(l.action)},
                   {"quantity", l.quantity},
                   {"paid_fen", l.paid},
                   {"reason_code", l.reason_code},
                   {"reason", l.reason}};
    if (l.action == LineAction::exchange) {
      o["new_sku"] = l.new_sku;
      o["colour"] = l.colour;
      o["size"] = l.size;
      o["new_unit_price_fen"] =
          l.new_unit_price ? json::value(*l.new_unit_price) : json::value(nullptr);
    } else {
      refund += l.paid;
    }
    lines.push_back(std::move(o));
  }
  json::object parcel{{"courier", r.courier},
                      {"waybill_no", r.waybill_no},
                      {"scanned", r.scanned},
                      {"condition", to_string(r.condition)},
                      {"note", r.note},
                      {"received_by", r.received_by},
                      {"received_at", format_iso_shanghai(r.received_at)}};
  json::object slip{{"schema", k_slip_schema}, {"slip_id", id},
                    {"kind", slip_kind(r)},    {"created_at", format_iso_shanghai(now)},
                    {"return_id", r.id},       {"return_parcel", std::move(parcel)}};
  if (!supersedes.empty()) slip["supersedes"] = supersedes;
  if (r.tid) {
    slip["order"] =
        json::object{{"tid", std::to_string(*r.tid)},
                     {"shop", r.shop},
                     {"buyer_nick", r.buyer_nick},
                     {"parcel_id", r.parcel_id ? json::value(*r.parcel_id) : json::value(nullptr)},
                     {"outbound_waybill", r.outbound_waybill}};
    slip["lines"] = std::move(lines);
    slip["refund_fen"] = refund;
  } else {
    slip["order"] = nullptr;
  }
  if (r.exchange)
    slip["exchange"] =
        json::object{{"tid", std::to_string(r.exchange->tid)},
                     {"price_difference_fen", r.exchange->price_difference},
                     {"prices_known", r.exchange->prices_known},
                     // Customer service checks every exchange whose price moved or is unknown.
                     {"check", !r.exchange->prices_known || r.exchange->price_difference != 0}};
  return json::serialize(slip);
}

std::optional<std::string_view> acked_slip(std::span<const std::string_view> frames) {
  if (frames.size() != 2 || frames[0] != "ACK") return std::nullopt;
  return frames[1];
}

}  // namespace fulfil::aftersale
