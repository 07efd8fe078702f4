#pragma once
#include <mutex>
#include <string>

#include "capability.hpp"

namespace fulfil::daemon {

// What /healthz says of payment reminders.
class ReminderHealth {
 public:
  void ran(UnixSeconds at, std::string error, std::string sms_alert);
  // {"last_run", "error", "sms_alert"}; degraded while the SMS account is refused.
  boost::json::object json(bool& degraded) const;

 private:
  mutable std::mutex m_mutex;
  UnixSeconds m_last_run = 0;
  std::string m_error, m_sms_alert;
};

// One pass of the reminders job, a singleton under the lease "reminders": the built-in texts
// saved (once), unpaid trades taken in, paid and closed ones settled, the planner run, due
// texts sent (when [reminders.sms] is on) and the platform write-backs made.
Result<void> run_reminders_once(const Config& config, StoreAccess& store,
                                outbound::HttpClient& http, const Clock& clock,
                                const std::string& instance_id, ReminderHealth& health);

}  // namespace fulfil::daemon
