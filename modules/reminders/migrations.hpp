#pragma once
#include "store/migrations.hpp"

namespace fulfil::reminders {

// The reminders' tables: reminders and the trades they chase, their attempts (tasks and
// texts, each with an idempotency key), the notes that explain each decision, the buyers not
// to remind, the saved templates, and the platform write-backs waiting to be made.
store::MigrationSet migration_set();

}  // namespace fulfil::reminders
