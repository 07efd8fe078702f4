#pragma once
#include "common/clock.hpp"
#include "reminders/settings.hpp"
#include "store/database.hpp"

namespace fulfil::reminders {

struct PlanCounts {
  int looked = 0;                  // reminders whose wake-up time had come
  int im = 0, phone = 0, sms = 0;  // attempts planned
  int given_up = 0;
  int expired = 0;  // tasks and texts whose window passed undone
};

// Applies the planner (plan_step) to the reminders due for a look: reads each one's attempts
// and its buyer's history (flags, the last paid order, every reminder made in the last days),
// and writes the new attempts (with their text filled in), the notes and the next wake-up in
// one transaction per batch.
class Planning {
 public:
  Planning(store::Connection& c, const Clock& clock, const ReminderSettings& s)
      : m_conn(c), m_clock(clock), m_settings(s) {}
  // Tasks and texts still due after their window: expired, and their reminders woken.
  Result<int> expire();
  // Up to `limit` reminders whose wake_at has come, in batches of `batch`.
  Result<PlanCounts> plan(int limit = 100000, int batch = 2000);

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
  const ReminderSettings& m_settings;
};

// A mobile number a text or a call can reach: 11 digits starting with 1 (a +86 or 86 prefix
// and spaces or dashes allowed).
bool reachable_mobile(std::string_view number);

}  // namespace fulfil::reminders
