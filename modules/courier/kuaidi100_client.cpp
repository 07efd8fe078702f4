#include "courier/kuaidi100_client.hpp"

#include <boost/json.hpp>

#include "common/digest.hpp"
#include "common/json_text.hpp"
#include "common/timeutil.hpp"
#include "outbound/fanout.hpp"
#include "outbound/form_encoding.hpp"

namespace fulfil::courier {

namespace json = boost::json;

namespace {

std::string upper_md5(std::string_view s) {
  return hex_upper(md5_raw(s));
}

// The error an answer {"result":false,"returnCode":...,"message":...} means.
Error kuaidi100_error(const std::string& code, const std::string& message) {
  const std::string what = "Kuaidi100 " + code + ": " + message;
  if (code == "400" || code == "408") return {ErrorKind::invalid_input, what};
  if (code == "500") return {ErrorKind::not_found, what};
  if (code == "503" || code == "601") return {ErrorKind::auth, what};
  return {ErrorKind::remote_retry, what};
}

Result<json::object> read_object(std::string_view body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object())
    return fail(ErrorKind::network, "Kuaidi100 answer is not JSON (" + std::to_string(body.size()) +
                                        " bytes; cut short?)");
  return std::move(v.as_object());
}

Result<Track> track_from(const json::object& o) {
  if (auto result = o.find("result");
      result != o.end() && result->value().is_bool() && !result->value().as_bool())
    return std::unexpected(kuaidi100_error(json_text(o, "returnCode"), json_text(o, "message")));
  Track t;
  t.com = json_text(o, "com");
  t.number = json_text(o, "nu");
  t.checked = json_text(o, "ischeck") == "1";
  const std::string state = json_text(o, "state");
  if (state.empty() || state.find_first_not_of("0123456789") != std::string::npos)
    return fail(ErrorKind::remote_retry, "Kuaidi100 answer for " + t.number + " has no state");
  t.state_code = std::atoi(state.c_str());
  t.state = from_kuaidi100(t.state_code);
  if (auto data = o.find("data"); data != o.end() && data->value().is_array())
    for (const auto& e : data->value().as_array()) {
      if (!e.is_object()) continue;
      const auto& eo = e.as_object();
      std::string when = json_text(eo, "ftime");
      if (when.empty()) when = json_text(eo, "time");
      auto at = parse_gmt8(when);
      if (!at) continue;  // an event without a readable time cannot be ordered: skipped
      t.events.push_back(
          {*at, json_text(eo, "context"), json_text(eo, "areaName"), json_text(eo, "status")});
    }
  return t;
}

}  // namespace

std::string kuaidi100_company(std::string_view code) {
  static const std::pair<std::string_view, std::string_view> k_map[] = {
      {"ZTO", "zhongtong"},   {"YTO", "yuantong"},  {"STO", "shentong"}, {"YUNDA", "yunda"},
      {"SF", "shunfeng"},     {"EMS", "ems"},       {"JD", "jd"},        {"HTKY", "huitongkuaidi"},
      {"DBL", "debangwuliu"}, {"ZJS", "zhaijisong"}};
  for (const auto& [ours, theirs] : k_map)
    if (ours == code) return std::string(theirs);
  return {};
}

Result<Track> read_track(std::string_view body) {
  auto o = read_object(body);
  if (!o) return std::unexpected(o.error());
  return track_from(*o);
}

Result<Track> read_callback(std::string_view form_body, std::string_view salt) {
  auto form = outbound::decode_form(form_body);
  const std::string& param = form["param"];
  if (param.empty()) return fail(ErrorKind::invalid_input, "Kuaidi100 callback without param");
  auto o = read_object(param);
  if (!o) return fail(ErrorKind::invalid_input, "Kuaidi100 callback param is not JSON");
  const json::value* last = o->if_contains("lastResult");
  std::string number = last && last->is_object() ? json_text(last->as_object(), "nu") : "";
  if (upper_md5(param + std::string(salt)) != form["sign"])
    return fail(ErrorKind::auth, "Kuaidi100 callback for " + (number.empty() ? "?" : number) +
                                     ": sign does not match (wrong salt, or not from Kuaidi100)");
  if (!last || !last->is_object())
    return fail(ErrorKind::invalid_input, "Kuaidi100 callback without lastResult");
  auto t = track_from(last->as_object());
  if (!t && t.error().kind == ErrorKind::remote_retry)
    t.error().kind = ErrorKind::invalid_input;  // nothing to retry: the push itself is bad
  return t;
}

std::vector<Result<Track>> Kuaidi100Client::query_many(std::span<const TrackQuery> queries) {
  std::vector<Result<Track>> out(queries.size(), fail(ErrorKind::internal, "not asked"));
  outbound::fan_out(
      m_http, queries.size(), static_cast<std::size_t>(m_settings.in_flight),
      [&](std::size_t i) {
        json::object p{{"com", queries[i].com},
                       {"num", queries[i].number},
                       {"phone", queries[i].phone},
                       {"from", ""},
                       {"to", ""},
                       {"resultv2", "1"},
                       {"show", "0"},
                       {"order", "desc"}};
        const std::string param = json::serialize(p);
        outbound::Params form{{"customer", m_settings.customer},
                              {"param", param},
                              {"sign", upper_md5(param + m_settings.key + m_settings.customer)}};
        return outbound::HttpRequest{m_settings.base_url + "/poll/query.do",
                                     "application/x-www-form-urlencoded",
                                     outbound::encode_form(form), "kuaidi100", true};
      },
      [&](std::size_t i, Result<outbound::HttpResponse> r) -> std::optional<outbound::HttpRequest> {
        if (!r)
          out[i] = std::unexpected(with_context(r.error(), "Kuaidi100 query"));
        else if (auto e = outbound::status_error(*r, "Kuaidi100 query"))
          out[i] = std::unexpected(*e);
        else
          out[i] = read_track(r->body);
        note_refusal(out[i]);
        return std::nullopt;
      });
  return out;
}

std::vector<Result<void>> Kuaidi100Client::subscribe_many(std::span<const TrackQuery> queries) {
  std::vector<Result<void>> out(queries.size(), fail(ErrorKind::internal, "not asked"));
  outbound::fan_out(
      m_http, queries.size(), static_cast<std::size_t>(m_settings.in_flight),
      [&](std::size_t i) {
        json::object p{{"company", queries[i].com},
                       {"number", queries[i].number},
                       {"key", m_settings.key},
                       {"parameters",
                        {{"callbackurl", m_settings.callback_url},
                         {"salt", m_settings.salt},
                         {"resultv2", "1"},
                         {"phone", queries[i].phone}}}};
        outbound::Params form{{"schema", "json"}, {"param", json::serialize(p)}};
        return outbound::HttpRequest{m_settings.base_url + "/poll",
                                     "application/x-www-form-urlencoded",
                                     outbound::encode_form(form), "kuaidi100", true};
      },
      [&](std::size_t i, Result<outbound::HttpResponse> r) -> std::optional<outbound::HttpRequest> {
        if (!r) {
          out[i] = std::unexpected(with_context(r.error(), "Kuaidi100 subscribe"));
          return std::nullopt;
        }
        if (auto e = outbound::status_error(*r, "Kuaidi100 subscribe")) {
          out[i] = std::unexpected(*e);
          return std::nullopt;
        }
        auto o = read_object(r->body);
        if (!o) {
          out[i] = std::unexpected(o.error());
          return std::nullopt;
        }
        const std::string code = json_text(*o, "returnCode");
        if (code == "200" || code == "501")  // 501: already subscribed, fine
          out[i] = {};
        else
          out[i] = std::unexpected(kuaidi100_error(code, json_text(*o, "message")));
        note_refusal(out[i]);
        return std::nullopt;
      });
  return out;
}

template <class T>
void Kuaidi100Client::note_refusal(const Result<T>& r) {
  // Our customer id or key refused (503, 601): no query can succeed until a person fixes
  // them, so Kuaidi100's breaker opens with its words, for /healthz.
  if (!r && r.error().kind == ErrorKind::auth) m_http.refused("kuaidi100", r.error().message);
}

}  // namespace fulfil::courier
