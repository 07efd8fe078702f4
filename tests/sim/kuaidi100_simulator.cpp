#include "kuaidi100_simulator.hpp"

#include <boost/json.hpp>

#include <set>

#include "common/clock.hpp"
#include "common/digest.hpp"
#include "common/timeutil.hpp"
#include "outbound/curl_multi_client.hpp"
#include "outbound/form_encoding.hpp"

namespace fulfil::sim {

namespace json = boost::json;

namespace {

http::Response refusal(std::string_view code, std::string_view message) {
  return {
      200, "application/json;charset=UTF-8",
      json::serialize(json::object{{"result", false}, {"returnCode", code}, {"message", message}})};
}

std::string text(const json::object& o, std::string_view k) {
  auto it = o.find(k);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : "";
}

const std::set<std::string> k_companies = {"zhongtong", "yuantong", "shentong", "yunda",
                                           "shunfeng",  "ems",      "jd",       "huitongkuaidi"};

}  // namespace

Kuaidi100Simulator::Kuaidi100Simulator(std::string customer, std::string key)
    : m_customer(std::move(customer)), m_key(std::move(key)) {}

Kuaidi100Simulator::~Kuaidi100Simulator() = default;

unsigned short Kuaidi100Simulator::start() {
  return m_server.start();
}

std::string Kuaidi100Simulator::url() const {
  return m_server.base();
}

void Kuaidi100Simulator::set_faults(const Kuaidi100Faults& f) {
  std::lock_guard lock(m_mutex);
  m_faults = f;
}

void Kuaidi100Simulator::add_event(const std::string& com, const std::string& number, int state,
                                   const std::string& context, int minutes_ago, std::string phone) {
  std::lock_guard lock(m_mutex);
  auto& r = m_routes[number];
  r.com = com;
  r.state = state;
  if (!phone.empty()) r.phone = std::move(phone);
  r.events.push_back({SystemClock().now() - minutes_ago * 60LL, context, state});
}

std::string Kuaidi100Simulator::answer_json(const Route& r, const std::string& number) const {
  json::array data;
  auto events = r.events;
  std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.at > b.at; });
  for (const auto& e : events)
    data.push_back({{"time", format_gmt8(e.at)},
                    {"ftime", format_gmt8(e.at)},
                    {"context", e.context},
                    {"areaName", "浙江,杭州市"},
                    {"status", std::to_string(e.state)}});
  return json::serialize(json::object{{"message", "ok"},
                                      {"nu", number},
                                      {"ischeck", r.state == 3 ? "1" : "0"},
                                      {"com", r.com},
                                      {"status", "200"},
                                      {"state", std::to_string(r.state)},
                                      {"data", std::move(data)}});
}

http::Response Kuaidi100Simulator::handle(const http::Request& req) {
  const std::int64_t n = ++m_requests;
  Kuaidi100Faults f;
  {
    std::lock_guard lock(m_mutex);
    f = m_faults;
  }
  auto every = [n](int k) { return k > 0 && n % k == 0; };
  http::Response r;
  auto form = outbound::decode_form(req.body);
  if (every(f.http_500_every)) {
    r = {500, "text/html", "<html>500</html>"};
  } else if (every(f.busy_every)) {
    r = refusal("502", "服务器繁忙，请稍后重试");
  } else if (req.path == "/poll/query.do") {
    ++m_queries;
    const std::string& param = form["param"];
    if (form["customer"] != m_customer) {
      r = refusal("601", "customer 无效");
    } else if (hex_upper(md5_raw(param + m_key + m_customer)) != form["sign"]) {
      r = refusal("503", "验证签名失败");
    } else {
      boost::system::error_code ec;
      auto v = json::parse(param, ec);
      const auto* o = !ec && v.is_object() ? &v.as_object() : nullptr;
      std::lock_guard lock(m_mutex);
      if (!o) {
        r = refusal("400", "param 不是 JSON");
      } else if (!k_companies.contains(text(*o, "com"))) {
        r = refusal("400", "找不到对应公司");
      } else if (auto it = m_routes.find(text(*o, "num")); it == m_routes.end()) {
        r = refusal("500", "查询无结果，请隔段时间再查");
      } else if (text(*o, "com") == "shunfeng" &&
                 (text(*o, "phone").size() < 4 ||
                  !it->second.phone.ends_with(
                      text(*o, "phone").substr(text(*o, "phone").size() - 4)))) {
        r = refusal("408", "手机号码后四位校验不正确");
      } else {
        r = {200, "application/json;charset=UTF-8", answer_json(it->second, it->first)};
      }
    }
  } else if (req.path == "/poll") {
    boost::system::error_code ec;
    auto v = json::parse(form["param"], ec);
    const auto* o = !ec && v.is_object() ? &v.as_object() : nullptr;
    const auto* p = o && o->if_contains("parameters") && o->at("parameters").is_object()
                        ? &o->at("parameters").as_object()
                        : nullptr;
    std::lock_guard lock(m_mutex);
    if (form["schema"] != "json" || !o || !p) {
      r = refusal("400", "参数错误");
    } else if (text(*o, "key") != m_key) {
      r = refusal("601", "key 无效或已过期");
    } else if (m_subscriptions.contains(text(*o, "number"))) {
      r = refusal("501", "重复订阅");
    } else {
      m_subscriptions[text(*o, "number")] = {text(*o, "company"), text(*p, "callbackurl"),
                                             text(*p, "salt")};
      r = {200, "application/json;charset=UTF-8",
           R"({"result":true,"returnCode":"200","message":"提交成功"})"};
    }
  } else {
    r = {404, "text/plain", "not found"};
  }
  if (every(f.truncate_every)) r.truncate_to = r.body.size() / 2;
  r.delay = std::chrono::milliseconds(f.latency_ms);
  return r;
}

std::pair<int, std::string> Kuaidi100Simulator::push(const std::string& number, std::string url,
                                                     std::string salt) {
  std::string last;
  {
    std::lock_guard lock(m_mutex);
    auto sub = m_subscriptions.find(number);
    if (url.empty() && sub != m_subscriptions.end()) url = sub->second.callback_url;
    if (salt.empty() && sub != m_subscriptions.end()) salt = sub->second.salt;
    auto route = m_routes.find(number);
    last = route == m_routes.end() ? "{\"nu\":\"" + number + "\",\"state\":\"0\",\"data\":[]}"
                                   : answer_json(route->second, number);
  }
  const std::string param =
      R"({"status":"polling","billstatus":"got","message":"","lastResult":)" + last + "}";
  outbound::Params form{{"param", param}, {"sign", hex_upper(md5_raw(param + salt))}};
  outbound::OwnedHttpClient http;
  auto r = http.post(url, "application/x-www-form-urlencoded", outbound::encode_form(form));
  if (!r) return {0, r.error().message};
  return {r->status, r->body};
}

std::map<std::string, Kuaidi100Simulator::Subscription> Kuaidi100Simulator::subscriptions() const {
  std::lock_guard lock(m_mutex);
  return m_subscriptions;
}

}  // namespace fulfil::sim
