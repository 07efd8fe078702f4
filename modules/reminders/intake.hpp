#pragma once
#include "common/clock.hpp"
#include "reminders/settings.hpp"
#include "store/database.hpp"

namespace fulfil::reminders {

struct IntakeCounts {
  int trades = 0;     // unpaid trades taken in
  int reminders = 0;  // reminders made for them
  int excluded = 0;   // of those, buyers on the sensitive or never-again list
};

struct SettleCounts {
  int paid = 0;       // every trade of the reminder paid or closed, some paid
  int recovered = 0;  // of those, paid within the attribution window after a reminder
  int closed = 0;     // all closed unpaid
};

// Unpaid trades into reminders, and reminders out when their trades are paid or closed.
class Intake {
 public:
  Intake(store::Connection& c, const Clock& clock, const ReminderSettings& s)
      : m_conn(c), m_clock(clock), m_settings(s) {}
  // Every WAIT_BUYER_PAY trade not yet chased joins its buyer's open reminder in the shop, or
  // starts one (sensitive and never-again buyers start one already excluded, with a note).
  // Trades past their close are left alone. In transactions of `batch` buyers.
  Result<IntakeCounts> take_unpaid(int batch = 2000);
  // Reminders whose trades have all left WAIT_BUYER_PAY: paid (recovered when a reminder was
  // made within attribution_hours before the payment) or closed; their open tasks end.
  Result<SettleCounts> settle();

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
  const ReminderSettings& m_settings;
};

}  // namespace fulfil::reminders
