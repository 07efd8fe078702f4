#pragma once
#include <map>
#include <set>
#include <string>

#include "common/money.hpp"
#include "reminders/eligibility.hpp"
#include "reminders/timing.hpp"

namespace fulfil::reminders {

// How to reach Alibaba Cloud's SMS gateway ([reminders.sms]).
struct SmsSettings {
  bool enabled = false;
  std::string url = "https://dysmsapi.aliyuncs.com/";
  std::string access_key_id, access_key_secret;
  std::string sign_name;                // the approved signature: 【…】 before every text
  std::string template_code;            // the approved template the saved `template` is a copy of
  std::string template_name = "sms-2";  // which saved template is sent
  Fen cost_per_part = 5;                // what one billed part costs (0.05 yuan)
  int batch = 200;                      // texts sent per pass
};

// [reminders]: every figure of the practice (domain §7), with the seeds' defaults.
struct ReminderSettings {
  bool enabled = true;
  int interval_seconds = 60;  // how often the reminders job runs
  Fen big_order = 50000;      // at or over: marked big, reminded first, phoned
  Fen phone_from = 20000;     // below: a text rather than a call (a call costs more)
  TimingSettings timing;
  EligibilitySettings eligibility;
  std::map<std::string, int, std::less<>> close_after_hours;  // per shop (a promotion's close)
  std::set<std::string, std::less<>> cross_border;  // shops whose buyers get English messages
  int phone_tries = 2;                              // calls unanswered before another channel
  int retry_after_minutes = 180;  // an unanswered call is tried again in another slot
  int attribution_hours = 72;     // a payment this soon after a reminder is its recovery
  Fen phone_cost = 50, im_cost = 0;
  bool write_back = true;              // seller memo and flag on the platform
  int flag_reminded = 3;               // green
  int flag_do_not_remind = 2;          // yellow
  int discount_percent = 3;            // offered in the cross-border 2-day message
  int give_up_unanswered = 2;          // cross-border: unanswered messages before giving up
  std::string phone_script = "phone";  // saved template names
  SmsSettings sms;
};

// The close of a shop's trades: its own or the platform's.
inline TimingSettings timing_for(const ReminderSettings& s, std::string_view shop) {
  TimingSettings t = s.timing;
  if (auto it = s.close_after_hours.find(shop); it != s.close_after_hours.end())
    t.close_after_hours = it->second;
  return t;
}

}  // namespace fulfil::reminders
