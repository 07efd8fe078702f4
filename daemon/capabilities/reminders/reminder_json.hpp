#pragma once
#include <boost/json/object.hpp>

#include "reminders/ledger.hpp"
#include "reminders/reminder_queries.hpp"
#include "reminders/task_desk.hpp"

namespace fulfil::daemon {

// The API's JSON of reminders, tasks and the daily summary.
boost::json::object reminder_json(const reminders::LedgerLine& r);
boost::json::object reminder_detail_json(const reminders::ReminderDetail& d);
boost::json::object task_json(const reminders::Task& t);
boost::json::object summary_json(const reminders::DaySummary& s);

}  // namespace fulfil::daemon
