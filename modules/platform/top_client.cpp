#include "platform/top_client.hpp"

#include <boost/json/parse.hpp>

#include "common/timeutil.hpp"

namespace fulfil::platform {

namespace json = boost::json;

std::string response_key(std::string_view method) {
  if (method.starts_with("taobao.")) method.remove_prefix(7);
  std::string key(method);
  for (auto& c : key)
    if (c == '.') c = '_';
  return key + "_response";
}

namespace {

Error map_error_response(const json::object& e, std::string_view method) {
  auto text = [&](std::string_view k) -> std::string {
    const json::value* v = e.if_contains(k);
    if (!v) return {};
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_int64()) return std::to_string(v->get_int64());
    return {};
  };
  std::int64_t code = 0;
  if (const json::value* c = e.if_contains("code")) {
    if (c->is_int64())
      code = c->get_int64();
    else if (c->is_string())
      code = std::atoll(std::string(c->get_string()).c_str());
  }
  const std::string sub_code = text("sub_code");
  std::string message = std::string(method) + ": error " + std::to_string(code) + " " + text("msg");
  if (!sub_code.empty()) message += " (" + sub_code + ": " + text("sub_msg") + ")";
  ErrorKind kind = ErrorKind::remote_reject;
  if (code == 7)
    kind = ErrorKind::rate_limited;
  else if (code == 11 || code == 12 || (code >= 25 && code <= 29))
    kind = ErrorKind::auth;
  else if (sub_code.starts_with("isp.") || code == 10 || (code == 15 && sub_code.empty()))
    kind = ErrorKind::remote_retry;
  else if (sub_code.starts_with("isv."))
    kind = ErrorKind::remote_reject;
  return {kind, std::move(message)};
}

}  // namespace

outbound::HttpRequest TopClient::prepare(std::string_view method, outbound::Params params) {
  params["method"] = std::string(method);
  params["app_key"] = m_settings.app_key;
  if (!m_settings.session.empty()) params["session"] = m_settings.session;
  params["timestamp"] = format_gmt8(m_clock.now());
  params["v"] = "2.0";
  params["sign_method"] = std::string(to_string(m_settings.sign_method));
  params["format"] = "json";
  params["sign"] = top_sign(params, m_settings.app_secret, m_settings.sign_method);
  // Reads (…get) change nothing, so a lost answer may be asked for again; the e-waybill's
  // get is keyed by object_id and answers a repeat with the same waybill.
  const bool read = method.ends_with(".get");
  return {m_settings.base_url, "application/x-www-form-urlencoded; charset=utf-8",
          outbound::encode_form(params), "top:" + m_shop, read};
}

Result<const json::object*> TopClient::call(std::string_view method, outbound::Params params) {
  return read(method, m_http.post(prepare(method, std::move(params))));
}

Result<const json::object*> TopClient::read(std::string_view method,
                                            Result<outbound::HttpResponse> response) {
  if (!response) return std::unexpected(with_context(response.error(), method));
  if (auto e = outbound::status_error(*response, method)) return std::unexpected(*e);

  m_last = boost::json::value();  // drop the old answer before its arena goes
  m_arena.emplace(m_arena_buffer.get(), k_arena_bytes);
  json::parse_options options;
  // Invalid UTF-8 inside one trade must cost that trade only: the parser lets it through
  // and the trade parser rejects the field.
  options.allow_invalid_utf8 = true;
  options.max_depth = 64;
  boost::system::error_code ec;
  m_last = json::parse(response->body, ec, &*m_arena, options);
  if (ec)
    // A cut or garbled body: nothing in it can be trusted; the caller retries the page.
    return fail(ErrorKind::network, std::string(method) + ": malformed JSON answer (" +
                                        ec.message() + ", " +
                                        std::to_string(response->body.size()) + " bytes)");
  if (!m_last.is_object())
    return fail(ErrorKind::network, std::string(method) + ": answer is not a JSON object");
  const auto& root = m_last.get_object();
  if (const json::value* e = root.if_contains("error_response")) {
    if (!e->is_object())
      return fail(ErrorKind::remote_retry, std::string(method) + ": bad error_response");
    return std::unexpected(map_error_response(e->get_object(), method));
  }
  const json::value* body = root.if_contains(response_key(method));
  if (!body || !body->is_object())
    return fail(ErrorKind::remote_retry,
                std::string(method) + ": answer has no " + response_key(method));
  return &body->get_object();
}

Result<TradePage> TopClient::trade_page(std::string_view method, outbound::Params params) {
  auto body = call(method, std::move(params));
  if (!body) return std::unexpected(body.error());
  TradePage page;
  const json::object& o = **body;
  if (const json::value* hn = o.if_contains("has_next"); hn && hn->is_bool())
    page.has_next = hn->get_bool();
  if (const json::value* tr = o.if_contains("total_results")) {
    if (tr->is_int64())
      page.total_results = tr->get_int64();
    else if (tr->is_string())
      page.total_results = std::atoll(std::string(tr->get_string()).c_str());
  }
  parse_trade_list(o.if_contains("trades"), m_shop, page.parsed);
  return page;
}

Result<TradePage> TopClient::trades_sold_increment_get(UnixSeconds start, UnixSeconds end,
                                                       int page_no, int page_size,
                                                       bool use_has_next) {
  return trade_page("taobao.trades.sold.increment.get",
                    {{"fields", std::string(trade_fields())},
                     {"start_modified", format_gmt8(start)},
                     {"end_modified", format_gmt8(end)},
                     {"page_no", std::to_string(page_no)},
                     {"page_size", std::to_string(page_size)},
                     {"use_has_next", use_has_next ? "true" : "false"}});
}

Result<TradePage> TopClient::trades_sold_get(UnixSeconds start, UnixSeconds end, int page_no,
                                             int page_size, bool use_has_next) {
  return trade_page("taobao.trades.sold.get", {{"fields", std::string(trade_fields())},
                                               {"start_created", format_gmt8(start)},
                                               {"end_created", format_gmt8(end)},
                                               {"page_no", std::to_string(page_no)},
                                               {"page_size", std::to_string(page_size)},
                                               {"use_has_next", use_has_next ? "true" : "false"}});
}

}  // namespace fulfil::platform
