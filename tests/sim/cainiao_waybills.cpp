#include "cainiao_waybills.hpp"

#include <boost/json.hpp>

#include "top_errors.hpp"

namespace fulfil::sim {

namespace json = boost::json;

namespace {

const std::set<std::string> k_cp_codes = {"ZTO", "YTO", "STO", "YUNDA", "SF", "EMS", "JD", "HTKY"};

std::string text(const json::object& o, std::string_view k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string())
                                                  : std::string();
}

const json::object* object(const json::object& o, std::string_view k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_object() ? &it->value().as_object() : nullptr;
}

http::Response invalid(std::string_view what) {
  return top_error(15, "Remote service error", "isv.invalid-parameter", what);
}

}  // namespace

http::Response CainiaoWaybills::get(const std::string& param_json) {
  boost::system::error_code ec;
  auto v = json::parse(param_json, ec);
  if (ec || !v.is_object())
    return invalid("param_waybill_cloud_print_apply_new_request is not JSON");
  const auto& req = v.as_object();
  const std::string cp = text(req, "cp_code");
  if (!k_cp_codes.contains(cp)) return invalid("cp_code " + cp + " is not a Cainiao partner");
  const auto* sender = object(req, "sender");
  if (!sender || text(*sender, "name").empty() || !object(*sender, "address"))
    return invalid("sender incomplete");
  auto list = req.find("trade_order_info_dtos");
  if (list == req.end() || !list->value().is_array() || list->value().as_array().empty())
    return invalid("trade_order_info_dtos missing");
  const auto& orders = list->value().as_array();
  if (orders.size() > 10) return invalid("at most 10 trade_order_info_dtos per call");
  for (const auto& o : orders) {
    if (!o.is_object() || text(o.as_object(), "object_id").empty())
      return invalid("object_id missing");
    const auto* recipient = object(o.as_object(), "recipient");
    const auto* address = recipient ? object(*recipient, "address") : nullptr;
    if (!address || text(*address, "province").empty() || text(*address, "detail").empty())
      return top_error(15, "Remote service error", "isv.waybill-address-invalid",
                       "收件人地址不完整: " + text(o.as_object(), "object_id"));
  }
  std::lock_guard lock(m_mutex);
  for (const auto& o : orders) {
    const auto* address = object(*object(o.as_object(), "recipient"), "address");
    if (m_unreachable.contains(text(*address, "province")))
      return top_error(15, "Remote service error", "isv.waybill-address-unreachable",
                       "该地址不在服务范围: " + text(o.as_object(), "object_id"));
  }
  json::array answers;
  for (const auto& o : orders) {
    const std::string id = text(o.as_object(), "object_id");
    auto& code = m_by_object[id];
    if (code.empty()) {
      code = std::to_string(m_next++);
      ++m_issued[id];
      m_known.insert(code);
    }
    json::object print{{"data", json::object{{"waybillCode", code},
                                             {"routingInfo", json::object{{"sortation", "华东"}}}}},
                       {"signature", "sim"},
                       {"templateURL", "http://cloudprint.cainiao.com/template/standard/101"},
                       {"ver", "waybill_print_secret_version_1"}};
    answers.push_back({{"object_id", id},
                       {"waybill_code", code},
                       {"print_data", json::serialize(print)},
                       {"parent_waybill_code", ""},
                       {"cp_code", cp}});
  }
  json::object body{
      {"cainiao_waybill_ii_get_response",
       json::object{{"modules", json::object{{"waybill_cloud_print_response", answers}}},
                    {"request_id", "sim"}}}};
  return {200, "application/json;charset=UTF-8", json::serialize(body)};
}

http::Response CainiaoWaybills::cancel(const std::string& cp_code,
                                       const std::string& waybill_code) {
  if (cp_code.empty() || waybill_code.empty()) return invalid("cp_code and waybill_code required");
  std::lock_guard lock(m_mutex);
  if (!m_known.contains(waybill_code))
    return top_error(15, "Remote service error", "isv.waybill-not-exist", "面单号不存在");
  m_cancelled.insert(waybill_code);
  return {200, "application/json;charset=UTF-8",
          R"({"cainiao_waybill_ii_cancel_response":{"cancel_result":true,"request_id":"sim"}})"};
}

void CainiaoWaybills::set_unreachable(std::set<std::string> provinces) {
  std::lock_guard lock(m_mutex);
  m_unreachable = std::move(provinces);
}

std::map<std::string, int> CainiaoWaybills::issued_per_object() const {
  std::lock_guard lock(m_mutex);
  return m_issued;
}

std::set<std::string> CainiaoWaybills::cancelled() const {
  std::lock_guard lock(m_mutex);
  return m_cancelled;
}

}  // namespace fulfil::sim
