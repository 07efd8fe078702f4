#include "courier/sf_client.hpp"

#include <boost/json.hpp>

#include <cstdio>

#include "courier/sf_protocol.hpp"
#include "outbound/fanout.hpp"
#include "outbound/form_encoding.hpp"

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

std::string create_message(const WaybillRequest& req, const SfSettings& s) {
  json::array cargo;
  for (const auto& [name, count] : req.items)
    cargo.push_back(json::object{{"name", name}, {"count", count}, {"unit", "件"}});
  json::object msg{
      {"language", "zh-CN"},
      {"orderId", req.order_id},
      {"monthlyCard", s.monthly_card},
      {"payMethod", 1},
      {"expressTypeId", s.express_type},
      {"parcelQty", 1},
      {"cargoDetails", std::move(cargo)},
      {"contactInfoList", json::array{contact_json(req.sender, 1), contact_json(req.receiver, 2)}}};
  // Boost.JSON writes a double in exponent form (0E0, 1.5E0): the weight in kg goes as a
  // plain decimal instead, grams exact.
  char weight[32];
  std::snprintf(weight, sizeof weight, "\"totalWeight\":%lld.%03lld,",
                static_cast<long long>(req.weight_g / 1000),
                static_cast<long long>(req.weight_g % 1000));
  std::string text = json::serialize(msg);
  text.insert(1, weight);
  return text;
}

std::string search_message(const std::string& order_id) {
  return json::serialize(
      json::object{{"language", "zh-CN"}, {"orderId", order_id}, {"searchType", 1}});
}

// 8018 on a search: SF has no such order.
Result<WaybillAnswer> not_found_as_error(const Error& e, const std::string& order_id) {
  if (sf::business_code(e) == "8018")
    return fail(ErrorKind::not_found, "SF has no order " + order_id);
  return std::unexpected(e);
}
Result<WaybillAnswer> not_found_as_error(const Error& e, const WaybillRequest& r) {
  return not_found_as_error(e, r.order_id);
}

}  // namespace

outbound::HttpRequest SfClient::request(std::string_view service, const std::string& msg_data,
                                        bool resend_safe) {
  // SF refuses a requestID it has seen (A1007): each request, and each resend of one, goes
  // with a fresh UUID, timestamp and digest.
  auto form = [partner = m_settings.partner_id, check_word = m_settings.check_word,
               service = std::string(service), msg_data, &clock = m_clock] {
    const std::string timestamp = std::to_string(clock.now() * 1000);
    return outbound::encode_form({{"partnerID", partner},
                                  {"requestID", sf::request_id()},
                                  {"serviceCode", service},
                                  {"timestamp", timestamp},
                                  {"msgDigest", sf::msg_digest(msg_data, timestamp, check_word)},
                                  {"msgData", msg_data}});
  };
  outbound::HttpRequest r{m_settings.base_url, "application/x-www-form-urlencoded;charset=UTF-8",
                          form(), peer(), resend_safe};
  r.fresh_body = std::move(form);
  return r;
}

Result<std::string> SfClient::read(std::string_view service, Result<outbound::HttpResponse> r) {
  if (!r) return std::unexpected(with_context(r.error(), service));
  if (auto e = outbound::status_error(*r, service)) return std::unexpected(*e);
  auto answer = sf::read_answer(r->body);
  if (!answer && answer.error().kind == ErrorKind::auth)
    m_http.refused(peer(),
                   answer.error().message +
                       " (check partner_id and the check word, FULFILD_COURIER_..._CHECK_WORD)");
  if (!answer) return std::unexpected(with_context(answer.error(), service));
  return answer->msg_data;
}

Result<std::string> SfClient::call(std::string_view service, const std::string& msg_data) {
  // Searches and cancels change nothing when repeated (a second cancel is 8037, done).
  return read(service, m_http.post(request(service, msg_data, true)));
}

Result<WaybillAnswer> SfClient::create(const WaybillRequest& req) {
  return std::move(create_many(std::span(&req, 1), 1).front());
}

std::vector<Result<WaybillAnswer>> SfClient::create_many(std::span<const WaybillRequest> requests,
                                                         std::size_t in_flight) {
  std::vector<Result<WaybillAnswer>> out(requests.size(),
                                         fail(ErrorKind::internal, "no answer yet"));
  create_each(requests, in_flight,
              [&](std::size_t i, Result<WaybillAnswer> a) { out[i] = std::move(a); });
  return out;
}

void SfClient::create_each(std::span<const WaybillRequest> requests, std::size_t in_flight,
                           const AnswerSink& sink) {
  std::vector<bool> searching(requests.size(), false);
  auto create_request = [&](std::size_t i) {
    // Resend-safe: a repeated orderId is answered 8016 and costs no second waybill.
    return request("EXP_RECE_CREATE_ORDER", create_message(requests[i], m_settings), true);
  };
  outbound::fan_out(
      m_http, requests.size(), in_flight, create_request,
      [&](std::size_t i, Result<outbound::HttpResponse> r) -> std::optional<outbound::HttpRequest> {
        if (searching[i]) {
          auto found = read("EXP_RECE_SEARCH_ORDER_RESP", std::move(r));
          sink(i, found ? read_order(*found) : not_found_as_error(found.error(), requests[i]));
          return std::nullopt;
        }
        auto created = read("EXP_RECE_CREATE_ORDER", std::move(r));
        // 8016 (the order exists: an earlier request got through, its answer did not) or
        // A1007 (SF saw this request before): ask SF for the order rather than give up.
        if (!created && sf::may_exist(created.error())) {
          searching[i] = true;
          return request("EXP_RECE_SEARCH_ORDER_RESP", search_message(requests[i].order_id), true);
        }
        sink(i, created ? read_order(*created)
                        : Result<WaybillAnswer>(std::unexpected(created.error())));
        return std::nullopt;
      });
}

Result<WaybillAnswer> SfClient::find(const std::string& order_id) {
  auto r = call("EXP_RECE_SEARCH_ORDER_RESP", search_message(order_id));
  if (!r) return not_found_as_error(r.error(), order_id);
  return read_order(*r);
}

Result<void> SfClient::cancel(const std::string& order_id) {
  json::object msg{{"language", "zh-CN"}, {"orderId", order_id}, {"dealType", 2}};
  auto r = call("EXP_RECE_UPDATE_ORDER", json::serialize(msg));
  if (!r && sf::business_code(r.error()) != "8037") return std::unexpected(r.error());
  return {};
}

}  // namespace fulfil::courier
