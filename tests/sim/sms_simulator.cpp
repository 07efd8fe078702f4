#include "sms_simulator.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "common/timeutil.hpp"
#include "outbound/form_encoding.hpp"
#include "reminders/sms_signature.hpp"

namespace fulfil::sim {

namespace json = boost::json;

namespace {

http::Response answer(const std::string& code, const std::string& message, int status = 200) {
  http::Response r;
  r.status = status;
  r.body = json::serialize(json::object{
      {"Code", code}, {"Message", message}, {"RequestId", "SIM-" + std::to_string(std::rand())}});
  return r;
}

bool mobile(const std::string& n) {
  return n.size() == 11 && n[0] == '1' &&
         std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

SmsSimulator::SmsSimulator(std::string access_key_id, std::string secret,
                           std::set<std::string> sign_names, std::set<std::string> template_codes,
                           std::function<UnixSeconds()> now)
    : m_key_id(std::move(access_key_id)),
      m_secret(std::move(secret)),
      m_sign_names(std::move(sign_names)),
      m_template_codes(std::move(template_codes)),
      m_now(std::move(now)) {}

unsigned short SmsSimulator::start() {
  return m_server.start();
}

void SmsSimulator::set_faults(const SmsFaults& f) {
  std::lock_guard lock(m_mutex);
  m_faults = f;
}

std::vector<SmsSimulator::Message> SmsSimulator::messages() const {
  std::lock_guard lock(m_mutex);
  return m_messages;
}

http::Response SmsSimulator::handle(const http::Request& req) {
  const auto n = ++m_requests;
  SmsFaults f;
  {
    std::lock_guard lock(m_mutex);
    f = m_faults;
  }
  if (f.http_500_every && n % f.http_500_every == 0)
    return answer("InternalError", "the simulator's 500", 500);
  outbound::Params p(req.query.begin(), req.query.end());
  if (req.method == "POST") p = outbound::decode_form(req.body);
  const auto signature = p.find("Signature");
  if (signature == p.end()) return answer("MissingSignature", "Signature is mandatory", 400);
  if (p["AccessKeyId"] != m_key_id)
    return answer("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404);
  if (reminders::rpc_signature(m_secret, req.method, p) != signature->second)
    return answer("SignatureDoesNotMatch", "Specified signature is not matched", 400);
  const UnixSeconds now = m_now();
  auto stamp = parse_iso(p["Timestamp"]);
  if (!stamp || std::abs(*stamp - now) > 900)
    return answer("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.",
                  400);
  {
    std::lock_guard lock(m_mutex);
    std::erase_if(m_nonces, [&](const auto& kv) { return kv.second < now - 900; });
    if (!m_nonces.emplace(p["SignatureNonce"], now).second && ++m_repeated_nonces)
      return answer("SignatureNonceUsed", "Specified signature nonce was used already.", 400);
  }
  http::Response r;
  if (p["Action"] == "SendSms") {
    const auto sends = ++m_sends;
    if (f.system_error_every && sends % f.system_error_every == 0)
      return answer("isp.SYSTEM_ERROR", "isp.SYSTEM_ERROR");
    r = send(p, now);
    if (f.drop_after_every && sends % f.drop_after_every == 0) r.drop_connection = true;
    if (f.truncate_every && sends % f.truncate_every == 0) r.truncate_to = r.body.size() / 2;
  } else if (p["Action"] == "QuerySendDetails") {
    r = query(p);
  } else {
    return answer("InvalidAction.NotFound", "Specified api is not found", 404);
  }
  r.delay = std::chrono::milliseconds(f.latency_ms);
  return r;
}

http::Response SmsSimulator::send(const std::map<std::string, std::string>& params,
                                  UnixSeconds now) {
  auto p = params;
  const std::string phone = p["PhoneNumbers"];
  if (!mobile(phone)) return answer("isv.MOBILE_NUMBER_ILLEGAL", "invalid mobile number");
  if (!m_sign_names.contains(p["SignName"]))
    return answer("isv.SMS_SIGNATURE_ILLEGAL", "the signature name is not approved");
  if (!m_template_codes.contains(p["TemplateCode"]))
    return answer("isv.SMS_TEMPLATE_ILLEGAL", "the template is not approved");
  boost::system::error_code ec;
  auto params_json = json::parse(p["TemplateParam"], ec);
  if (ec || !params_json.is_object())
    return answer("isv.INVALID_PARAMETERS", "TemplateParam is not a JSON object");
  std::lock_guard lock(m_mutex);
  long long minute = 0, hour = 0, day = 0;
  for (const auto& m : m_messages)
    if (m.phone == phone && m.sign_name == p["SignName"]) {
      minute += m.at > now - 60;
      hour += m.at > now - 3600;
      day += m.at > now - 86400;
    }
  if (minute >= 1 || hour >= 5 || day >= 10)
    return answer("isv.BUSINESS_LIMIT_CONTROL", "flow control for this number");
  Message m{std::to_string(900619746936498440LL + static_cast<long long>(m_messages.size())) + "^0",
            phone,
            p["SignName"],
            p["TemplateCode"],
            p["TemplateParam"],
            p["OutId"],
            now};
  m_messages.push_back(m);
  http::Response r;
  r.body = json::serialize(
      json::object{{"Code", "OK"}, {"Message", "OK"}, {"BizId", m.biz_id}, {"RequestId", "SIM"}});
  return r;
}

http::Response SmsSimulator::query(const std::map<std::string, std::string>& params) {
  auto p = params;
  std::lock_guard lock(m_mutex);
  json::array found;
  for (const auto& m : m_messages) {
    if (m.phone != p["PhoneNumber"]) continue;
    if (!p["BizId"].empty() && m.biz_id != p["BizId"]) continue;
    if (format_gmt8(m.at).substr(0, 10) != p["SendDate"].substr(0, 4) + "-" +
                                               p["SendDate"].substr(4, 2) + "-" +
                                               p["SendDate"].substr(6, 2))
      continue;
    found.push_back(json::object{{"PhoneNum", m.phone},
                                 {"SendStatus", 3},
                                 {"ErrCode", "DELIVERED"},
                                 {"TemplateCode", m.template_code},
                                 {"OutId", m.out_id},
                                 {"SendDate", format_gmt8(m.at)},
                                 {"ReceiveDate", format_gmt8(m.at + 5)}});
  }
  http::Response r;
  const auto total = found.size();
  r.body = json::serialize(
      json::object{{"Code", "OK"},
                   {"Message", "OK"},
                   {"TotalCount", total},
                   {"SmsSendDetailDTOs", json::object{{"SmsSendDetailDTO", std::move(found)}}}});
  return r;
}

}  // namespace fulfil::sim
