#include "courier/cainiao_client.hpp"

#include <boost/json.hpp>

#include "outbound/fanout.hpp"

namespace fulfil::courier {

namespace json = boost::json;

namespace {

json::object address_json(const Contact& c) {
  return {{"province", c.province},
          {"city", c.city},
          {"district", c.district},
          {"town", ""},
          {"detail", c.address}};
}

json::object order_json(const WaybillRequest& r, const std::string& template_url) {
  json::array items, tids;
  for (const auto& [name, count] : r.items) items.push_back({{"name", name}, {"count", count}});
  for (const auto& t : r.tids) tids.push_back(json::value(t));
  return {{"object_id", r.order_id},
          {"order_info", {{"order_channels_type", "TB"}, {"trade_order_list", tids}}},
          {"package_info", {{"id", r.order_id}, {"items", items}, {"weight", r.weight_g}}},
          {"recipient",
           {{"name", r.receiver.name},
            {"mobile", r.receiver.mobile},
            {"address", address_json(r.receiver)}}},
          {"template_url", template_url}};
}

}  // namespace

outbound::HttpRequest CainiaoClient::get_request(std::span<const WaybillRequest> chunk) {
  json::array orders;
  for (const auto& r : chunk) orders.push_back(order_json(r, m_settings.template_url));
  const Contact& s = chunk.front().sender;
  json::object param{
      {"cp_code", m_cp},
      {"sender", {{"name", s.name}, {"mobile", s.mobile}, {"address", address_json(s)}}},
      {"trade_order_info_dtos", std::move(orders)}};
  auto request =
      m_top.prepare("cainiao.waybill.ii.get",
                    {{"param_waybill_cloud_print_apply_new_request", json::serialize(param)}});
  request.peer = "cainiao:" + m_cp;  // its own breaker: one courier down stops only it
  return request;
}

void CainiaoClient::read_answer(std::span<const WaybillRequest> chunk,
                                Result<outbound::HttpResponse> r,
                                std::span<Result<WaybillAnswer>> out, bool& refused_whole) {
  auto body = m_top.read("cainiao.waybill.ii.get", std::move(r));
  if (!body && body.error().kind == ErrorKind::auth)  // the shop's session, not the parcels
    m_http.refused("cainiao:" + m_cp, body.error().message);
  if (!body) {
    refused_whole = body.error().kind == ErrorKind::remote_reject && chunk.size() > 1;
    for (auto& o : out) o = std::unexpected(body.error());
    return;
  }
  std::map<std::string, std::string> codes;
  const json::value* modules = (*body)->if_contains("modules");
  const json::value* list = modules && modules->is_object()
                                ? modules->as_object().if_contains("waybill_cloud_print_response")
                                : nullptr;
  if (list && list->is_array())
    for (const auto& w : list->as_array()) {
      if (!w.is_object()) continue;
      const auto* id = w.as_object().if_contains("object_id");
      const auto* code = w.as_object().if_contains("waybill_code");
      if (id && id->is_string() && code && code->is_string() && !code->as_string().empty())
        codes[std::string(id->as_string())] = std::string(code->as_string());
    }
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    auto it = codes.find(chunk[i].order_id);
    if (it == codes.end())
      out[i] = fail(
          ErrorKind::remote_retry,
          "cainiao.waybill.ii.get: no waybill in the answer for object_id " + chunk[i].order_id);
    else
      out[i] = WaybillAnswer{it->second, false, {}, {}};
  }
}

std::vector<Result<WaybillAnswer>> CainiaoClient::get_many(
    std::span<const WaybillRequest> requests) {
  std::vector<Result<WaybillAnswer>> out(requests.size(),
                                         fail(ErrorKind::internal, "no answer yet"));
  // Pass 1: calls of 10; pass 2: the parcels of calls refused as a whole, one a call.
  std::vector<std::pair<std::size_t, std::size_t>> chunks;  // first, count
  for (std::size_t i = 0; i < requests.size(); i += k_per_call)
    chunks.emplace_back(i, std::min(k_per_call, requests.size() - i));
  for (int pass = 0; pass < 2 && !chunks.empty(); ++pass) {
    std::vector<std::pair<std::size_t, std::size_t>> singles;
    outbound::fan_out(
        m_http, chunks.size(), static_cast<std::size_t>(m_settings.in_flight),
        [&](std::size_t c) {
          return get_request(requests.subspan(chunks[c].first, chunks[c].second));
        },
        [&](std::size_t c,
            Result<outbound::HttpResponse> r) -> std::optional<outbound::HttpRequest> {
          auto [first, count] = chunks[c];
          bool refused_whole = false;
          read_answer(requests.subspan(first, count), std::move(r),
                      std::span(out).subspan(first, count), refused_whole);
          if (refused_whole)
            for (std::size_t i = first; i < first + count; ++i) singles.emplace_back(i, 1);
          return std::nullopt;
        });
    chunks = std::move(singles);
  }
  return out;
}

Result<void> CainiaoClient::cancel(const std::string& waybill_code) {
  auto r =
      m_top.call("cainiao.waybill.ii.cancel", {{"cp_code", m_cp}, {"waybill_code", waybill_code}});
  if (!r) return std::unexpected(r.error());
  const json::value* ok = (*r)->if_contains("cancel_result");
  if (!ok || !ok->is_bool() || !ok->as_bool())
    return fail(ErrorKind::remote_reject,
                "cainiao.waybill.ii.cancel: Cainiao did not cancel " + waybill_code);
  return {};
}

}  // namespace fulfil::courier
