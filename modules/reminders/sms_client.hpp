#pragma once
#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "common/clock.hpp"
#include "outbound/form_encoding.hpp"
#include "outbound/http_client.hpp"
#include "reminders/settings.hpp"

namespace fulfil::reminders {

// What an answer code of the gateway means for the message (../shared/specs/sms.md).
enum class SmsVerdict {
  sent,     // OK
  retry,    // flow control, system error, 5xx: later, within the window
  reject,   // the message is wrong: do not send it again, use another channel
  account,  // the account is wrong: stop every text and tell a person
};
SmsVerdict sms_verdict(std::string_view code);

struct SmsAnswer {
  std::string code, message, biz_id;
  int http_status = 200;
};

// One delivery receipt of QuerySendDetails.
struct SmsReceipt {
  std::string phone, out_id, err_code, content;
  int status = 0;  // 1 waiting, 2 failed, 3 delivered
};

// Client of Alibaba Cloud's SMS gateway: RPC parameters signed with HMAC-SHA1, a fresh nonce
// and timestamp per request. SendSms is never resent by the HTTP layer (a lost answer is
// settled with QuerySendDetails by the caller); the query is.
class SmsClient {
 public:
  SmsClient(outbound::HttpClient& http, const Clock& clock, const SmsSettings& s)
      : m_http(http), m_clock(clock), m_settings(s) {}
  // SendSms to one number; `out_id` is the message's idempotency key. A transport failure
  // is an error (network, timeout: the message may have gone); any answer is an SmsAnswer.
  Result<SmsAnswer> send(const std::string& phone, const std::string& template_param,
                         const std::string& out_id);
  // The receipts of `phone` on `day` (Asia/Shanghai yyyyMMdd), every page.
  Result<std::vector<SmsReceipt>> receipts(const std::string& phone, const std::string& day);

 private:
  Result<boost::json::object> call(outbound::Params business, bool resend_safe);
  outbound::HttpClient& m_http;
  const Clock& m_clock;
  const SmsSettings& m_settings;
};

// 20261111 for a moment, in Asia/Shanghai (the gateway's SendDate).
std::string sms_day(UnixSeconds t);

}  // namespace fulfil::reminders
