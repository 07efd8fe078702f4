#pragma once
#include <string>

#include "common/clock.hpp"
#include "reminders/settings.hpp"
#include "store/database.hpp"

namespace fulfil::reminders {

// Records on reminder `id` that the buyer was reminded at `at` by `staff` ("sms" for a
// text): the first such moment is the ledger's date reminded; the reminder wakes so the
// planner looks again; and, when write-back is on, each of its trades gets the seller memo
// "[催付 <when> <how> <staff>: <result>]" with the reminded flag on the platform. Inside
// the caller's transaction.
void record_reminded(store::Connection& c, std::int64_t id, UnixSeconds at,
                     const std::string& staff, const std::string& how, const std::string& result,
                     const ReminderSettings& s);

// Queues a platform write-back for every trade of reminder `id`: kind "memo" (the memo
// `memo` appended to the seller memo, with `flag`) or "close" (closed with reason `memo`).
void queue_writeback(store::Connection& c, std::int64_t id, UnixSeconds at, const std::string& kind,
                     const std::string& memo, int flag);

}  // namespace fulfil::reminders
