#include "courier/sf_client.hpp"

#include <boost/json.hpp>

#include "courier/sf_protocol.hpp"
#include "platform/form_encoding.hpp"

namespace fulfil::courier {

namespace json = boost::json;

namespace {

json::object contact_json(const Contact& c, int type) {
  return {{"contactType", type},    {"contact", c.name}, {"mobile", c.mobile},
          {"province", c.province}, {"city", c.city},    {"county", c.district},
          {"address", c.address}};
}

// The waybill number and routing of a create or search answer.
Result<WaybillAnswer> read_order(const std::string& msg_data) {
  boost::system::error_code ec;
  auto v = json::parse(msg_data, ec);
  if (ec || !v.is_object()) return fail(ErrorKind::remote_retry, "SF msgData is not JSON");
  const auto& o = v.as_object();
  WaybillAnswer a;
  if (auto f = o.find("filterResult"); f != o.end()) {
    const auto& fv = f->value();
    a.unreachable =
        (fv.is_int64() && fv.as_int64() == 3) || (fv.is_string() && fv.as_string() == "3");
  }
  for (const char* k : {"originCode", "destCode"})
    if (auto it = o.find(k); it != o.end() && it->value().is_string())
      (std::string_view(k) == "originCode" ? a.origin_code : a.dest_code) = it->value().as_string();
  if (auto list = o.find("waybillNoInfoList"); list != o.end() && list->value().is_array())
    for (const auto& w : list->value().as_array())
      if (w.is_object())
        if (auto no = w.as_object().find("waybillNo");
            no != w.as_object().end() && no->value().is_string() && a.waybill_no.empty())
          a.waybill_no = no->value().as_string();
  if (a.waybill_no.empty() && !a.unreachable)
    return fail(ErrorKind::remote_retry, "SF answered without a waybill number");
  return a;
}

}  // namespace

Result<std::string> SfClient::call(std::string_view service, const std::string& msg_data) {
  const std::string timestamp = std::to_string(m_clock.now() * 1000);
  const std::string request_id = m_settings.partner_id + "-" + std::to_string(m_clock.now()) + "-" +
                                 std::to_string(++m_request);
  platform::Params form = {
      {"partnerID", m_settings.partner_id},
      {"requestID", request_id.substr(0, 40)},
      {"serviceCode", std::string(service)},
      {"timestamp", timestamp},
      {"msgDigest", sf::msg_digest(msg_data, timestamp, m_settings.check_word)},
      {"msgData", msg_data}};
  auto r = m_http.post(m_settings.base_url, "application/x-www-form-urlencoded;charset=UTF-8",
                       platform::encode_form(form));
  if (!r) return std::unexpected(with_context(r.error(), std::string(service)));
  if (r->status == 429) return fail(ErrorKind::rate_limited, std::string(service) + ": HTTP 429");
  if (r->status >= 500)
    return fail(ErrorKind::remote_retry,
                std::string(service) + ": HTTP " + std::to_string(r->status));
  if (r->status != 200)
    return fail(ErrorKind::remote_reject,
                std::string(service) + ": HTTP " + std::to_string(r->status));
  auto answer = sf::read_answer(r->body);
  if (!answer) return std::unexpected(with_context(answer.error(), std::string(service)));
  return answer->msg_data;
}

Result<WaybillAnswer> SfClient::create(const WaybillRequest& req) {
  json::array cargo;
  for (const auto& [name, count] : req.items)
    cargo.push_back(json::object{{"name", name}, {"count", count}, {"unit", "件"}});
  json::object msg{
      {"language", "zh-CN"},
      {"orderId", req.order_id},
      {"monthlyCard", m_settings.monthly_card},
      {"payMethod", 1},
      {"expressTypeId", m_settings.express_type},
      {"parcelQty", 1},
      {"totalWeight", req.weight_g / 1000.0},
      {"cargoDetails", std::move(cargo)},
      {"contactInfoList", json::array{contact_json(req.sender, 1), contact_json(req.receiver, 2)}}};
  auto r = call("EXP_RECE_CREATE_ORDER", json::serialize(msg));
  if (!r) {
    // 8016: the order exists (our earlier request got through, its answer did not).
    if (sf::business_code(r.error()) == "8016") return find(req.order_id);
    return std::unexpected(r.error());
  }
  return read_order(*r);
}

Result<WaybillAnswer> SfClient::find(const std::string& order_id) {
  json::object msg{{"language", "zh-CN"}, {"orderId", order_id}, {"searchType", 1}};
  auto r = call("EXP_RECE_SEARCH_ORDER_RESP", json::serialize(msg));
  if (!r) {
    if (sf::business_code(r.error()) == "8018")
      return fail(ErrorKind::not_found, "SF has no order " + order_id);
    return std::unexpected(r.error());
  }
  return read_order(*r);
}

Result<void> SfClient::cancel(const std::string& order_id) {
  json::object msg{{"language", "zh-CN"}, {"orderId", order_id}, {"dealType", 2}};
  auto r = call("EXP_RECE_UPDATE_ORDER", json::serialize(msg));
  if (!r && sf::business_code(r.error()) != "8037") return std::unexpected(r.error());
  return {};
}

}  // namespace fulfil::courier
