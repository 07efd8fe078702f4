#pragma once
#include <vector>

#include "capability.hpp"

namespace fulfil::daemon {

// /api/v1/reminders, /reminder-tasks, /reminder-buyers, /reminder-templates: the reminders
// and their notes, the phone and IM task lists with the outcome form, the buyers not to
// remind, and the texts (checked when saved).
std::vector<api::Route> reminder_routes(Services& services);

// /api/v1/reports/reminders (the daily summary), /reports/reminder-ledger (the ledger), as
// JSON or CSV, and /api/v1/planning (staff for a planned day, domain §4).
std::vector<api::Route> reminder_report_routes(Services& services);

}  // namespace fulfil::daemon
