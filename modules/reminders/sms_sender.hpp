#pragma once
#include <string>

#include "common/clock.hpp"
#include "reminders/message_template.hpp"
#include "reminders/settings.hpp"
#include "reminders/sms_client.hpp"
#include "store/database.hpp"

namespace fulfil::reminders {

struct SendCounts {
  int sent = 0, retry = 0, rejected = 0;
  int settled = 0;    // texts whose answer was lost, found at the gateway: not sent again
  int unsettled = 0;  // not found there: due again, under the same key
  int delivered = 0;  // receipts read
  std::string alert;  // the account was refused: every text stopped
};

// Sends the due texts. Each is marked `sending` (committed) before the gateway is asked and
// settled after; one still `sending` at the next pass (an answer lost, or the daemon killed
// in between) is looked up with QuerySendDetails by its key before anything is sent again.
class SmsSender {
 public:
  SmsSender(store::Connection& c, const Clock& clock, const ReminderSettings& s, SmsClient& sms)
      : m_conn(c), m_clock(clock), m_settings(s), m_sms(sms) {}
  Result<SendCounts> run();

 private:
  Result<void> settle_sending(SendCounts& counts);
  Result<void> send_due(SendCounts& counts);
  Result<void> read_receipts(SendCounts& counts);
  store::Connection& m_conn;
  const Clock& m_clock;
  const ReminderSettings& m_settings;
  SmsClient& m_sms;
};

// The gateway's TemplateParam for a text: each placeholder `template_text` uses, under the
// variable name of the approved template (name, time, order, shop, product, days, amount,
// discount).
std::string template_param(std::string_view template_text, const Values& values);

}  // namespace fulfil::reminders
