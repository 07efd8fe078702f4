#pragma once
#include <memory>

#include "capability.hpp"

namespace fulfil::daemon {

// Payment reminders (催付): their tables (modules/reminders), [reminders] in the config, the
// reminders job (intake, planner, texts, platform write-backs) and /api/v1/reminders,
// /reminder-tasks, /reminder-buyers, /reminder-templates, /reports/reminders and /planning.
std::unique_ptr<Capability> make_reminders_capability();

}  // namespace fulfil::daemon
