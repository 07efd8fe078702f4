#pragma once
#include <string>

#include "common/clock.hpp"
#include "store/database.hpp"

namespace fulfil::reminders {

// Notes `text` on reminder `id` (a decision and why), unless the same text is noted on it
// already: a planner that looks again every hour explains a skip once. Inside the caller's
// transaction; throws on a database error like the statements around it.
void add_note(store::Connection& c, std::int64_t id, UnixSeconds at, const std::string& text);

}  // namespace fulfil::reminders
