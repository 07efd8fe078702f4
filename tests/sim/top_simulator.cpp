#include "top_simulator.hpp"

#include <limits>

#include <boost/asio/executor_work_guard.hpp>

#include "common/clock.hpp"
#include "common/timeutil.hpp"
#include "common/utf8.hpp"
#include "outbound/form_encoding.hpp"
#include "platform/top_signer.hpp"
#include "top_errors.hpp"

namespace fulfil::sim {

TopSimulator::TopSimulator(TopSimSettings s) : m_settings(std::move(s)), m_gen(m_settings.seed) {
  if (m_settings.span_end == 0) {
    m_settings.span_end = SystemClock().now() - 120;
    m_settings.span_start = m_settings.span_end - 6 * 3600;
  }
  m_trades.reserve(static_cast<std::size_t>(m_settings.trades));
  const double step = static_cast<double>(m_settings.span_end - m_settings.span_start) /
                      static_cast<double>(std::max<std::int64_t>(1, m_settings.trades));
  for (std::int64_t i = 0; i < m_settings.trades; ++i) {
    auto created = m_settings.span_start + static_cast<UnixSeconds>(static_cast<double>(i) * step);
    auto t = m_gen.make(i, created);
    if (m_settings.steady_arrivals) {
      const UnixSeconds lag = t.modified - t.created;
      t.created -= lag;
      if (t.pay_time != 0) t.pay_time -= lag;
      t.modified -= lag;
    }
    t.modified = std::min(t.modified, m_settings.span_end);
    m_by_tid[t.tid] = m_trades.size();
    m_by_modified.emplace(t.modified, m_trades.size());
    m_by_created.emplace(t.created, m_trades.size());
    m_trades.push_back(std::move(t));
  }
}

TopSimulator::~TopSimulator() {
  stop();
}

unsigned short TopSimulator::start(unsigned short port) {
  m_server = std::make_unique<http::HttpServer>(
      m_io, [this](const http::Request& r) { return handle(r); });
  auto bound = m_server->listen("127.0.0.1", port);
  if (!bound) throw std::runtime_error(bound.error().message);
  m_port = *bound;
  m_thread = std::thread([this] {
    auto guard = boost::asio::make_work_guard(m_io);
    m_io.run();
  });
  return m_port;
}

void TopSimulator::stop() {
  if (!m_thread.joinable()) return;
  m_io.stop();
  m_thread.join();
  m_server.reset();
}

std::string TopSimulator::base_url() const {
  return "http://127.0.0.1:" + std::to_string(m_port) + "/router/rest";
}

void TopSimulator::set_faults(const TopSimFaults& f) {
  std::lock_guard lock(m_mutex);
  m_faults = f;
}

void TopSimulator::set_session_valid(bool valid) {
  std::lock_guard lock(m_mutex);
  m_session_valid = valid;
}

void TopSimulator::add_raw_trade(std::int64_t tid, UnixSeconds modified, std::string raw) {
  std::lock_guard lock(m_mutex);
  SimTrade t;
  t.tid = tid;
  t.status = "WAIT_SELLER_SEND_GOODS";
  t.created = modified;
  t.modified = modified;
  t.raw = std::move(raw);
  m_by_tid[tid] = m_trades.size();
  m_by_modified.emplace(modified, m_trades.size());
  m_by_created.emplace(modified, m_trades.size());
  m_trades.push_back(std::move(t));
  ++m_version;
}

void TopSimulator::mutate(int n) {
  std::lock_guard lock(m_mutex);
  mutate_locked(n);
}

void TopSimulator::mutate_locked(int n) {
  const UnixSeconds now = SystemClock().now();
  for (int i = 0; i < n && !m_trades.empty(); ++i) {
    std::size_t idx = m_gen.rng()() % m_trades.size();
    SimTrade& t = m_trades[idx];
    if (!t.raw.empty()) continue;
    m_by_modified.erase({t.modified, idx});
    if (t.status == "WAIT_BUYER_PAY") {
      t.status = "WAIT_SELLER_SEND_GOODS";
      t.pay_time = now;
    } else if (t.status == "WAIT_SELLER_SEND_GOODS") {
      switch (m_gen.rng()() % 3) {
        case 0:
          t.status = "TRADE_CLOSED";
          break;
        case 1:
          t.lines.back().refund_status = "WAIT_SELLER_AGREE";
          break;
        default:
          t.seller_memo = "改了备注 ✅";
          t.seller_flag = 3;
      }
    } else {
      t.seller_memo = "备注更新";
    }
    t.modified = std::max(now, t.modified);  // second resolution: two changes may share one
    m_by_modified.emplace(t.modified, idx);
    ++m_version;
  }
}

namespace {

// A request parameter, empty when absent.
std::string param(const std::map<std::string, std::string>& p, const std::string& key) {
  auto it = p.find(key);
  return it == p.end() ? std::string() : it->second;
}

http::Response no_such_trade() {
  return top_error(15, "Remote service error", "isv.trade-not-exist", "交易不存在");
}

}  // namespace

void TopSimulator::touch_locked(std::size_t index) {
  SimTrade& t = m_trades[index];
  m_by_modified.erase({t.modified, index});
  t.modified = std::max(SystemClock().now(), t.modified);
  m_by_modified.emplace(t.modified, index);
  ++m_version;
}

http::Response TopSimulator::offline_send(const std::map<std::string, std::string>& p) {
  auto get = [&](const char* k) { return param(p, k); };
  for (const char* k : {"tid", "out_sid", "company_code"})
    if (get(k).empty())
      return top_error(40, "Missing required arguments", std::string("isv.missing-parameter:") + k,
                       std::string("缺少参数 ") + k);
  static const std::set<std::string> k_companies = {"ZTO", "YTO", "STO",  "YUNDA", "SF",
                                                    "EMS", "JD",  "HTKY", "DBL",   "ZJS"};
  if (!k_companies.contains(get("company_code")))
    return top_error(15, "Remote service error", "isv.logistics-offline-service-error:B60",
                     "物流公司不存在");
  std::lock_guard lock(m_mutex);
  const std::int64_t tid = std::atoll(get("tid").c_str());
  auto it = m_by_tid.find(tid);
  if (it == m_by_tid.end()) return no_such_trade();
  SimTrade& t = m_trades[it->second];
  if (auto done = m_shipments.find(tid); done != m_shipments.end()) {
    // Told again with the same number (a retry after a lost answer): fine.
    if (done->second.out_sid == get("out_sid") && done->second.sub_tid == get("sub_tid")) {
      ++m_sends;
      return {200, "application/json;charset=UTF-8",
              R"({"logistics_offline_send_response":{"shipping":{"is_success":true}}})"};
    }
    if (get("sub_tid").empty())
      return top_error(15, "Remote service error", "isv.logistics-offline-service-error:B04",
                       "该订单已发货");
  }
  if (t.status != "WAIT_SELLER_SEND_GOODS" && t.status != "SELLER_CONSIGNED_PART")
    return top_error(15, "Remote service error", "isv.logistics-offline-service-error:B01",
                     "订单状态不允许发货: " + t.status);
  const bool partial = get("is_split") == "1" && !get("sub_tid").empty();
  t.status = partial ? "SELLER_CONSIGNED_PART" : "WAIT_BUYER_CONFIRM_GOODS";
  touch_locked(it->second);
  auto& record = m_shipments[tid];
  record = {get("company_code"), get("out_sid"),
            record.sub_tid.empty() ? get("sub_tid") : record.sub_tid + "," + get("sub_tid")};
  ++m_sends;
  return {200, "application/json;charset=UTF-8",
          R"({"logistics_offline_send_response":{"shipping":{"is_success":true}}})"};
}

// taobao.trade.memo.update: tid; memo (at most 1,000 characters) and/or flag 0-5; the trade
// must exist. The memo replaces the seller memo; the trade is modified.
http::Response TopSimulator::memo_update(const std::map<std::string, std::string>& p) {
  auto get = [&](const char* k) { return param(p, k); };
  if (get("tid").empty())
    return top_error(40, "Missing required arguments", "isv.missing-parameter:tid", "缺少参数 tid");
  const std::string flag = get("flag");
  if (!flag.empty() && (flag.size() != 1 || flag[0] < '0' || flag[0] > '5'))
    return top_error(41, "Invalid arguments", "isv.invalid-parameter:flag", "flag 只能是 0-5");
  if (code_points(get("memo")).size() > 1000)
    return top_error(41, "Invalid arguments", "isv.invalid-parameter:memo", "备注超过1000个字");
  if (get("memo").empty() && flag.empty() && get("reset") != "true")
    return top_error(40, "Missing required arguments", "isv.missing-parameter:memo",
                     "memo、flag 至少一个");
  std::lock_guard lock(m_mutex);
  const std::int64_t tid = std::atoll(get("tid").c_str());
  auto it = m_by_tid.find(tid);
  if (it == m_by_tid.end()) return no_such_trade();
  SimTrade& t = m_trades[it->second];
  if (get("reset") == "true") t.seller_memo.clear();
  if (!get("memo").empty()) t.seller_memo = get("memo");
  if (!flag.empty()) t.seller_flag = flag[0] - '0';
  touch_locked(it->second);
  ++m_memo_updates[tid];
  return {200, "application/json;charset=UTF-8",
          "{\"trade_memo_update_response\":{\"trade\":{\"tid\":" + std::to_string(tid) +
              ",\"modified\":\"" + format_gmt8(t.modified) + "\"}}}"};
}

// taobao.trade.close: tid and close_reason; only an unpaid trade can be closed by the seller.
http::Response TopSimulator::trade_close(const std::map<std::string, std::string>& p) {
  auto get = [&](const char* k) { return param(p, k); };
  for (const char* k : {"tid", "close_reason"})
    if (get(k).empty())
      return top_error(40, "Missing required arguments", std::string("isv.missing-parameter:") + k,
                       std::string("缺少参数 ") + k);
  std::lock_guard lock(m_mutex);
  const std::int64_t tid = std::atoll(get("tid").c_str());
  auto it = m_by_tid.find(tid);
  if (it == m_by_tid.end()) return no_such_trade();
  SimTrade& t = m_trades[it->second];
  if (t.status != "WAIT_BUYER_PAY")
    return top_error(15, "Remote service error", "isv.trade-status-error",
                     "交易状态不允许关闭: " + t.status);
  t.status = "TRADE_CLOSED_BY_TAOBAO";
  touch_locked(it->second);
  m_closed[tid] = get("close_reason");
  return {200, "application/json;charset=UTF-8",
          "{\"trade_close_response\":{\"trade\":{\"tid\":" + std::to_string(tid) +
              ",\"status\":\"TRADE_CLOSED_BY_TAOBAO\",\"modified\":\"" + format_gmt8(t.modified) +
              "\"}}}"};
}

// taobao.item.quantity.update: num_iid, quantity (0 to 999,999), sku_id when the item has
// SKUs, type 1 (full, the default) or 2 (incremental, never below zero).
http::Response TopSimulator::quantity_update(const std::map<std::string, std::string>& p) {
  auto get = [&](const char* k) { return param(p, k); };
  for (const char* k : {"num_iid", "quantity"})
    if (get(k).empty())
      return top_error(40, "Missing required arguments", std::string("isv.missing-parameter:") + k,
                       std::string("缺少参数 ") + k);
  const std::string type = get("type").empty() ? "1" : get("type");
  if (type != "1" && type != "2")
    return top_error(41, "Invalid arguments", "isv.invalid-parameter:type", "type 只能是 1 或 2");
  const std::int64_t num_iid = std::atoll(get("num_iid").c_str());
  const std::int64_t sku_id = std::atoll(get("sku_id").c_str());
  const std::int64_t quantity = std::atoll(get("quantity").c_str());
  if (type == "1" && (quantity < 0 || quantity > 999999 ||
                      get("quantity").find_first_not_of("0123456789") != std::string::npos))
    return top_error(41, "Invalid arguments", "isv.invalid-parameter:quantity",
                     "库存数量必须在 0 到 999999 之间");
  std::lock_guard lock(m_mutex);
  auto item = m_quantities.lower_bound({num_iid, std::numeric_limits<std::int64_t>::min()});
  if (item == m_quantities.end() || item->first.first != num_iid)
    return top_error(15, "Remote service error", "isv.item-not-exist", "商品不存在或已删除");
  auto it = m_quantities.find({num_iid, sku_id});
  if (it == m_quantities.end())
    return top_error(15, "Remote service error", "isv.sku-not-exist",
                     "该商品没有这个 SKU: " + std::to_string(sku_id));
  it->second = type == "1" ? quantity : std::max<std::int64_t>(0, it->second + quantity);
  ++m_quantity_updates;
  return {200, "application/json;charset=UTF-8",
          "{\"item_quantity_update_response\":{\"item\":{\"num_iid\":" + std::to_string(num_iid) +
              ",\"num\":" + std::to_string(it->second) + ",\"modified\":\"" +
              format_gmt8(SystemClock().now()) + "\"}}}"};
}

void TopSimulator::list_item(std::int64_t num_iid, std::vector<std::int64_t> sku_ids,
                             std::int64_t quantity) {
  std::lock_guard lock(m_mutex);
  if (sku_ids.empty()) sku_ids.push_back(0);
  for (auto sku : sku_ids) m_quantities[{num_iid, sku}] = quantity;
}

void TopSimulator::delist_item(std::int64_t num_iid) {
  std::lock_guard lock(m_mutex);
  std::erase_if(m_quantities, [&](const auto& e) { return e.first.first == num_iid; });
}

std::optional<std::int64_t> TopSimulator::quantity_of(std::int64_t num_iid,
                                                      std::int64_t sku_id) const {
  std::lock_guard lock(m_mutex);
  auto it = m_quantities.find({num_iid, sku_id});
  if (it == m_quantities.end()) return std::nullopt;
  return it->second;
}

std::map<std::int64_t, TopSimulator::Memo> TopSimulator::memos() const {
  std::lock_guard lock(m_mutex);
  std::map<std::int64_t, Memo> out;
  for (const auto& [tid, n] : m_memo_updates) {
    const auto& t = m_trades[m_by_tid.at(tid)];
    out[tid] = {t.seller_memo, t.seller_flag, n};
  }
  return out;
}

std::map<std::int64_t, std::string> TopSimulator::closed() const {
  std::lock_guard lock(m_mutex);
  return m_closed;
}

std::string TopSimulator::status_of(std::int64_t tid) const {
  std::lock_guard lock(m_mutex);
  auto it = m_by_tid.find(tid);
  return it == m_by_tid.end() ? std::string() : m_trades[it->second].status;
}

std::vector<std::int64_t> TopSimulator::tids_in(const std::string& status) const {
  std::lock_guard lock(m_mutex);
  std::vector<std::int64_t> out;
  for (const auto& [created, i] : m_by_created)
    if (m_trades[i].status == status && m_trades[i].raw.empty()) out.push_back(m_trades[i].tid);
  return out;
}

std::map<std::int64_t, TopSimulator::Shipment> TopSimulator::shipments() const {
  std::lock_guard lock(m_mutex);
  return m_shipments;
}

std::map<std::int64_t, ExpectedTrade> TopSimulator::expected() const {
  std::lock_guard lock(m_mutex);
  std::map<std::int64_t, ExpectedTrade> out;
  for (const auto& t : m_trades) {
    bool refund = false;
    for (const auto& l : t.lines) refund = refund || !l.refund_status.empty();
    out[t.tid] = {t.status,   t.raw.empty() ? t.payment() : 0,
                  t.modified, static_cast<int>(t.lines.size()),
                  refund,     !t.raw.empty()};
  }
  return out;
}

http::Response TopSimulator::handle(const http::Request& req) {
  if (req.path != "/router/rest") return {404, "text/plain", "not found"};
  // Some SDKs put system parameters in the query string and business ones in the body.
  std::map<std::string, std::string> params(req.query.begin(), req.query.end());
  for (auto& [k, v] : outbound::decode_form(req.body)) params[k] = v;
  const std::int64_t n = ++m_requests;
  TopSimFaults f;
  {
    std::lock_guard lock(m_mutex);
    f = m_faults;
  }
  auto every = [n](int k) { return k > 0 && n % k == 0; };
  http::Response r;
  if (every(f.drop_every)) {
    r.drop_connection = true;
  } else if (every(f.http_503_every)) {
    r = {503, "text/html", "<html>Service Unavailable</html>"};
  } else if (every(f.rate_limit_every)) {
    r = top_error(7, "App Call Limited", "accesscontrol.limited-by-app-access-count",
                  "This ban will last for 1 more seconds");
  } else if (every(f.isp_error_every)) {
    r = top_error(15, "Remote service error", "isp.top-remote-connection-timeout",
                  "连接远程服务超时");
  } else {
    r = gateway(params);
    if (every(f.truncate_every)) r.truncate_to = r.body.size() / 2;
  }
  if (r.status != 200 || r.body.starts_with("{\"error_response\"") || r.drop_connection ||
      r.truncate_to)
    ++m_errors;
  r.delay = std::chrono::milliseconds(f.latency_ms);
  return r;
}

http::Response TopSimulator::gateway(const std::map<std::string, std::string>& p) {
  auto get = [&](const char* k) { return param(p, k); };
  for (const char* k : {"method", "app_key", "timestamp", "sign", "v", "sign_method"})
    if (get(k).empty())
      return top_error(40, "Missing required arguments", std::string("isv.missing-parameter:") + k,
                       std::string("缺少参数 ") + k);
  const std::string method = get("method");
  if (get("app_key") != m_settings.app_key)
    return top_error(29, "Invalid app Key", "isv.appkey-not-exists");
  auto sm = platform::parse_sign_method(get("sign_method"));
  if (!sm) return top_error(41, "Invalid arguments:sign_method");
  if (get("format") != "" && get("format") != "json")
    return top_error(41, "Invalid arguments:format");
  if (get("v") != "2.0") return top_error(41, "Invalid arguments:v");
  auto ts = parse_gmt8(get("timestamp"));
  if (!ts)
    return top_error(31, "Invalid timestamp", "isv.invalid-parameter:timestamp",
                     ts.error().message);
  if (std::llabs(*ts - SystemClock().now()) > m_settings.max_skew_seconds)
    return top_error(31, "Invalid timestamp", "isv.invalid-parameter:timestamp",
                     "时间戳误差超过10分钟");
  outbound::Params signed_params(p.begin(), p.end());
  if (platform::top_sign(signed_params, m_settings.app_secret, *sm) != get("sign"))
    return top_error(25, "Invalid signature");
  static const std::set<std::string> k_methods = {
      "taobao.trades.sold.increment.get", "taobao.trades.sold.get", "taobao.trade.fullinfo.get",
      "taobao.logistics.offline.send",    "cainiao.waybill.ii.get", "cainiao.waybill.ii.cancel",
      "taobao.trade.memo.update",         "taobao.trade.close",     "taobao.item.quantity.update"};
  if (!k_methods.contains(method)) return top_error(22, "Invalid method");
  {
    std::lock_guard lock(m_mutex);
    if (get("session").empty()) return top_error(26, "Missing session");
    if (get("session") != m_settings.session || !m_session_valid)
      return top_error(27, "Invalid session", "sessionkey-not-generated-by-server",
                       "session 已失效");
  }
  if (method == "taobao.logistics.offline.send") return offline_send(p);
  if (method == "taobao.trade.memo.update") return memo_update(p);
  if (method == "taobao.trade.close") return trade_close(p);
  if (method == "taobao.item.quantity.update") return quantity_update(p);
  if (method == "cainiao.waybill.ii.get")
    return m_cainiao.get(get("param_waybill_cloud_print_apply_new_request"));
  if (method == "cainiao.waybill.ii.cancel")
    return m_cainiao.cancel(get("cp_code"), get("waybill_code"));
  if (get("fields").empty())
    return top_error(40, "Missing required arguments", "isv.missing-parameter:fields",
                     "缺少参数 fields");
  if (method == "taobao.trade.fullinfo.get") {
    std::lock_guard lock(m_mutex);
    std::int64_t tid = std::atoll(get("tid").c_str());
    auto it = m_by_tid.find(tid);
    if (it == m_by_tid.end()) return no_such_trade();
    std::string body = "{\"trade_fullinfo_get_response\":{\"trade\":";
    TradeGenerator::append_json(body, m_trades[it->second]);
    body += ",\"request_id\":\"sim\"}}";
    return {200, "application/json;charset=UTF-8", body};
  }
  return page(method, p, method == "taobao.trades.sold.get");
}

http::Response TopSimulator::page(const std::string& method,
                                  const std::map<std::string, std::string>& p, bool by_created) {
  auto get = [&](const std::string& k) {
    auto it = p.find(k);
    return it == p.end() ? std::string() : it->second;
  };
  const std::string prefix = by_created ? "created" : "modified";
  auto start = parse_gmt8(get("start_" + prefix));
  auto end = parse_gmt8(get("end_" + prefix));
  if (!start || !end)
    return top_error(41, "Invalid arguments", "isv.invalid-parameter:" + prefix, "时间格式错误");
  if (*end <= *start || (!by_created && *end - *start > 86400))
    return top_error(41, "Invalid arguments", "isv.invalid-parameter:" + prefix,
                     "时间范围必须在一天之内");
  const int page_no = get("page_no").empty() ? 1 : std::atoi(get("page_no").c_str());
  const int page_size = get("page_size").empty() ? 40 : std::atoi(get("page_size").c_str());
  if (page_no < 1 || page_size < 1 || page_size > 100)
    return top_error(41, "Invalid arguments", "isv.invalid-parameter:page_size", "page_size 1-100");
  const bool use_has_next = get("use_has_next") == "true";

  std::lock_guard lock(m_mutex);
  TopSimFaults f = m_faults;
  // The listing is cached per query and state version: paging a window costs one scan.
  std::string key =
      method + get("start_" + prefix) + get("end_" + prefix) + std::to_string(m_version);
  if (key != m_cache_key) {
    m_cache.clear();
    const auto& index = by_created ? m_by_created : m_by_modified;
    auto lo = index.lower_bound({*start, 0});
    auto hi = index.lower_bound({*end, 0});
    for (auto it = hi; it != lo;) m_cache.push_back((--it)->second);  // newest first
    m_cache_key = key;
  }
  const std::size_t total = m_cache.size();
  const std::size_t first =
      static_cast<std::size_t>(page_no - 1) * static_cast<std::size_t>(page_size);
  std::string root = method.substr(7);
  for (auto& c : root)
    if (c == '.') c = '_';
  std::string body = "{\"" + root + "_response\":{";
  if (use_has_next)
    body += std::string("\"has_next\":") + (first + page_size < total ? "true" : "false");
  else
    body += "\"total_results\":" + std::to_string(total);
  if (first < total) {
    body += ",\"trades\":{\"trade\":[";
    for (std::size_t i = first; i < std::min(total, first + page_size); ++i) {
      if (i != first) body.push_back(',');
      TradeGenerator::append_json(body, m_trades[m_cache[i]]);
    }
    body += "]}";
  }
  body += ",\"request_id\":\"sim" + std::to_string(m_requests.load()) + "\"}}";
  // Trades change while clients page: the next page sees a shifted listing.
  if (f.mutate_per_request > 0) mutate_locked(f.mutate_per_request);
  return {200, "application/json;charset=UTF-8", std::move(body)};
}

}  // namespace fulfil::sim
