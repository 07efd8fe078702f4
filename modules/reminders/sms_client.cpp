#include "reminders/sms_client.hpp"

#include <boost/json.hpp>

#include <array>
#include <ctime>
#include <random>

#include "common/json_text.hpp"
#include "common/timeutil.hpp"
#include "outbound/form_encoding.hpp"
#include "reminders/sms_signature.hpp"

namespace fulfil::reminders {

namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 5> k_retry{"isv.BUSINESS_LIMIT_CONTROL",
                                                  "isv.DAY_LIMIT_CONTROL", "isp.SYSTEM_ERROR",
                                                  "isp.RAM_PERMISSION_DENY", "Throttling.User"};
constexpr std::array<std::string_view, 6> k_account{
    "InvalidAccessKeyId.NotFound", "SignatureDoesNotMatch", "isv.AMOUNT_NOT_ENOUGH",
    "isv.OUT_OF_SERVICE",          "isv.ACCOUNT_ABNORMAL",  "isv.ACCOUNT_NOT_EXISTS"};

std::string nonce() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const auto a = rng(), b = rng();
  char out[40];
  std::snprintf(
      out, sizeof out, "%08llx-%04llx-4%03llx-a%03llx-%012llx",
      static_cast<unsigned long long>(a >> 32), static_cast<unsigned long long>((a >> 16) & 0xffff),
      static_cast<unsigned long long>(a & 0xfff), static_cast<unsigned long long>(b >> 52),
      static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return out;
}

std::string utc_stamp(UnixSeconds t) {
  std::time_t tt = t;
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

}  // namespace

SmsVerdict sms_verdict(std::string_view code) {
  if (code == "OK") return SmsVerdict::sent;
  for (auto c : k_retry)
    if (c == code) return SmsVerdict::retry;
  for (auto c : k_account)
    if (c == code) return SmsVerdict::account;
  // SignatureNonceUsed is our bug; a fresh nonce on the next try cures it.
  if (code == "SignatureNonceUsed") return SmsVerdict::retry;
  return SmsVerdict::reject;
}

std::string sms_day(UnixSeconds t) {
  const auto s = format_gmt8(t);  // "2026-11-11 10:05:00"
  return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
}

Result<json::object> SmsClient::call(outbound::Params p, bool resend_safe) {
  p["AccessKeyId"] = m_settings.access_key_id;
  p["Format"] = "JSON";
  p["RegionId"] = "cn-hangzhou";
  p["SignatureMethod"] = "HMAC-SHA1";
  p["SignatureVersion"] = "1.0";
  p["Version"] = "2017-05-25";
  // The gateway refuses a nonce it has seen (SignatureNonceUsed), and a resend after a lost
  // answer may follow a copy that arrived: every send is signed afresh.
  auto signed_body = [p, this]() mutable {
    p["SignatureNonce"] = nonce();
    p["Timestamp"] = utc_stamp(m_clock.now());
    p.erase("Signature");
    p["Signature"] = rpc_signature(m_settings.access_key_secret, "POST", p);
    return outbound::encode_form(p);
  };
  outbound::HttpRequest req;
  req.url = m_settings.url;
  req.content_type = "application/x-www-form-urlencoded; charset=utf-8";
  req.body = signed_body();
  req.fresh_body = signed_body;
  req.peer = "sms";
  req.resend_safe = resend_safe;
  auto res = m_http.post(std::move(req));
  if (!res) return std::unexpected(with_context(res.error(), "SMS gateway"));
  boost::system::error_code ec;
  auto v = json::parse(res->body, ec);
  if (ec || !v.is_object()) {
    if (res->status >= 500)
      return fail(ErrorKind::remote_retry, "SMS gateway: HTTP " + std::to_string(res->status));
    return fail(ErrorKind::network, "SMS gateway: the answer is not JSON (" +
                                        std::to_string(res->body.size()) + " bytes, HTTP " +
                                        std::to_string(res->status) + "; cut short?)");
  }
  auto o = std::move(v.as_object());
  o["_http"] = res->status;
  return o;
}

Result<SmsAnswer> SmsClient::send(const std::string& phone, const std::string& template_param,
                                  const std::string& out_id) {
  auto o = call({{"Action", "SendSms"},
                 {"PhoneNumbers", phone},
                 {"SignName", m_settings.sign_name},
                 {"TemplateCode", m_settings.template_code},
                 {"TemplateParam", template_param},
                 {"OutId", out_id}},
                false);
  if (!o) return std::unexpected(o.error());
  SmsAnswer a{json_text(*o, "Code"), json_text(*o, "Message"), json_text(*o, "BizId"),
              static_cast<int>((*o)["_http"].as_int64())};
  if (a.http_status >= 500)  // not taken: safe to send again later
    return fail(ErrorKind::remote_retry,
                "SMS gateway: HTTP " + std::to_string(a.http_status) + " " + a.code);
  if (a.code.empty()) {
    if (a.http_status >= 500)
      return fail(ErrorKind::remote_retry, "SMS gateway: HTTP " + std::to_string(a.http_status));
    return fail(ErrorKind::network, "SMS gateway: an answer without Code");
  }
  return a;
}

Result<std::vector<SmsReceipt>> SmsClient::receipts(const std::string& phone,
                                                    const std::string& day) {
  std::vector<SmsReceipt> out;
  for (int page = 1; page <= 20; ++page) {
    auto o = call({{"Action", "QuerySendDetails"},
                   {"PhoneNumber", phone},
                   {"SendDate", day},
                   {"PageSize", "50"},
                   {"CurrentPage", std::to_string(page)}},
                  true);
    if (!o) return std::unexpected(o.error());
    const auto code = json_text(*o, "Code");
    if (code != "OK") {
      const auto v = sms_verdict(code);
      return fail(v == SmsVerdict::account ? ErrorKind::auth
                  : v == SmsVerdict::retry ? ErrorKind::remote_retry
                                           : ErrorKind::remote_reject,
                  "SMS gateway QuerySendDetails: " + code + " " + json_text(*o, "Message"));
    }
    std::size_t got = 0;
    if (auto d = o->find("SmsSendDetailDTOs"); d != o->end() && d->value().is_object())
      if (auto list = d->value().as_object().find("SmsSendDetailDTO");
          list != d->value().as_object().end() && list->value().is_array())
        for (const auto& e : list->value().as_array()) {
          if (!e.is_object()) continue;
          const auto& r = e.as_object();
          SmsReceipt rc{json_text(r, "PhoneNum"), json_text(r, "OutId"), json_text(r, "ErrCode"),
                        json_text(r, "Content"), std::atoi(json_text(r, "SendStatus").c_str())};
          out.push_back(std::move(rc));
          ++got;
        }
    const auto total = std::atoll(json_text(*o, "TotalCount").c_str());
    if (got < 50 || static_cast<long long>(out.size()) >= total) break;
  }
  return out;
}

}  // namespace fulfil::reminders
