#include "sf_simulator.hpp"

#include <boost/json.hpp>

#include "common/clock.hpp"
#include "courier/sf_protocol.hpp"
#include "outbound/form_encoding.hpp"

namespace fulfil::sim {

namespace json = boost::json;

namespace {

http::Response envelope(std::string_view code, std::string_view msg, const json::value* data) {
  json::object o{{"apiResultCode", code}, {"apiErrorMsg", msg}, {"apiResponseID", "sim"}};
  if (data) o["apiResultData"] = json::serialize(*data);
  return {200, "application/json;charset=UTF-8", json::serialize(o)};
}

http::Response business(bool ok, std::string_view code, std::string_view msg,
                        json::value msg_data = nullptr) {
  json::value d = json::object{{"success", ok},
                               {"errorCode", code},
                               {"errorMsg", ok ? json::value(nullptr) : json::value(msg)},
                               {"msgData", std::move(msg_data)}};
  return envelope("A1000", "", &d);
}

json::value order_data(const std::string& order_id, const std::string& waybill, bool reachable) {
  json::array list;
  if (!waybill.empty()) list.push_back(json::object{{"waybillType", 1}, {"waybillNo", waybill}});
  return json::object{{"orderId", order_id},
                      {"originCode", "755"},
                      {"destCode", reachable ? "571" : ""},
                      {"filterResult", reachable ? 2 : 3},
                      {"waybillNoInfoList", std::move(list)}};
}

}  // namespace

SfSimulator::SfSimulator(std::string partner_id, std::string check_word)
    : m_partner(std::move(partner_id)), m_check_word(std::move(check_word)) {}

SfSimulator::~SfSimulator() = default;

unsigned short SfSimulator::start() {
  return m_server.start();
}

std::string SfSimulator::url() const {
  return m_server.base() + "/std/service";
}

void SfSimulator::set_faults(const SfSimFaults& f) {
  std::lock_guard lock(m_mutex);
  m_faults = f;
}

void SfSimulator::set_unreachable(std::set<std::string> provinces) {
  std::lock_guard lock(m_mutex);
  m_unreachable = std::move(provinces);
}

std::map<std::string, int> SfSimulator::issued_per_order() const {
  std::lock_guard lock(m_mutex);
  return m_issued;
}

std::set<std::string> SfSimulator::cancelled() const {
  std::lock_guard lock(m_mutex);
  return m_cancelled;
}

http::Response SfSimulator::handle(const http::Request& req) {
  if (req.path != "/std/service") return {404, "text/plain", "not found"};
  const std::int64_t n = ++m_requests;
  SfSimFaults f;
  {
    std::lock_guard lock(m_mutex);
    f = m_faults;
  }
  auto every = [n](int k) { return k > 0 && n % k == 0; };
  http::Response r;
  if (every(f.http_500_every)) {
    r = {500, "text/html", "<html>500 Internal Server Error</html>"};
  } else if (every(f.rate_limit_every)) {
    r = envelope("A1005", "流量受控", nullptr);
  } else {
    auto form = outbound::decode_form(req.body);
    r = serve(std::map<std::string, std::string>(form.begin(), form.end()));
    if (every(f.truncate_every)) r.truncate_to = r.body.size() / 2;
    if (every(f.drop_after_every)) r.drop_connection = true;  // done, but the answer is lost
  }
  r.delay = std::chrono::milliseconds(f.latency_ms);
  return r;
}

http::Response SfSimulator::serve(const std::map<std::string, std::string>& form) {
  auto get = [&](const char* k) {
    auto it = form.find(k);
    return it == form.end() ? std::string() : it->second;
  };
  for (const char* k :
       {"partnerID", "requestID", "serviceCode", "timestamp", "msgDigest", "msgData"})
    if (get(k).empty()) return envelope("A1001", std::string("缺少必传参数 ") + k, nullptr);
  if (get("partnerID") != m_partner) return envelope("A1004", "无对应服务权限", nullptr);
  const std::int64_t ts = std::atoll(get("timestamp").c_str()) / 1000;
  if (std::llabs(ts - SystemClock().now()) > 600) return envelope("A1002", "请求已过期", nullptr);
  if (courier::sf::msg_digest(get("msgData"), get("timestamp"), m_check_word) != get("msgDigest"))
    return envelope("A1006", "数字签名无效", nullptr);
  {
    std::lock_guard lock(m_mutex);
    if (!m_request_ids.insert(get("requestID")).second) {
      ++m_repeated_ids;
      return envelope("A1007", "重复请求", nullptr);
    }
  }
  boost::system::error_code ec;
  auto msg = json::parse(get("msgData"), ec);
  if (ec || !msg.is_object()) return business(false, "1010", "msgData 不是 JSON");
  const auto& m = msg.as_object();
  auto text = [&](std::string_view k) {
    auto it = m.find(k);
    return it != m.end() && it->value().is_string() ? std::string(it->value().as_string())
                                                    : std::string();
  };
  const std::string order_id = text("orderId");
  if (order_id.empty()) return business(false, "8013", "订单号不能为空");
  const std::string service = get("serviceCode");
  std::lock_guard lock(m_mutex);
  if (service == "EXP_RECE_CREATE_ORDER") {
    if (m_orders.contains(order_id)) return business(false, "8016", "重复下单");
    std::string province;
    if (auto it = m.find("contactInfoList"); it != m.end() && it->value().is_array())
      for (const auto& c : it->value().as_array())
        if (c.is_object() && c.as_object().contains("contactType") &&
            c.as_object().at("contactType").to_number<int>() == 2)
          if (auto p = c.as_object().find("province");
              p != c.as_object().end() && p->value().is_string())
            province = p->value().as_string();
    if (m_unreachable.contains(province))
      return business(true, "S0000", "", order_data(order_id, "", false));
    const std::string waybill = "SF" + std::to_string(m_next_waybill++);
    m_orders[order_id] = waybill;
    ++m_issued[order_id];
    return business(true, "S0000", "", order_data(order_id, waybill, true));
  }
  if (service == "EXP_RECE_SEARCH_ORDER_RESP") {
    auto it = m_orders.find(order_id);
    if (it == m_orders.end()) return business(false, "8018", "订单不存在");
    return business(true, "S0000", "", order_data(order_id, it->second, true));
  }
  if (service == "EXP_RECE_UPDATE_ORDER") {
    if (!m_orders.contains(order_id)) return business(false, "8018", "订单不存在");
    if (!m_cancelled.insert(order_id).second) return business(false, "8037", "订单已取消");
    return business(true, "S0000", "", json::object{{"orderId", order_id}, {"resStatus", 2}});
  }
  return envelope("A1001", "未知服务 " + service, nullptr);
}

std::map<std::string, std::string> SfSimulator::orders() const {
  std::lock_guard lock(m_mutex);
  return m_orders;
}

}  // namespace fulfil::sim
