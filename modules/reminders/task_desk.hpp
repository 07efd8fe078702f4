#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "reminders/planner.hpp"
#include "reminders/settings.hpp"
#include "store/database.hpp"

namespace fulfil::reminders {

// Why the buyer had not paid, as staff found out (seed 001's 未付款原因).
enum class Reason { none, operation, price, comparing, other };
std::string_view to_string(Reason r);
std::optional<Reason> parse_reason(std::string_view text);
// The seed's suggested response to a reason, shown in the task.
std::string_view suggested_response(Reason r);

// A call or IM message a person should make now (or soon): the buyer, the order, the
// script with it filled in.
struct Task {
  std::int64_t id = 0, reminder_id = 0;
  Channel channel = Channel::phone;
  std::string shop, buyer_nick, mobile, script;
  Fen amount = 0;
  int orders = 0;
  bool big = false;
  UnixSeconds first_placed = 0, due_from = 0, due_until = 0;
  bool now_allowed = true;       // a call outside the quiet hours
  UnixSeconds next_allowed = 0;  // when a quiet hour ends
};

struct OutcomeForm {
  Outcome outcome = Outcome::will_pay;
  Reason reason = Reason::none;
  std::string note;
};

// The phone and IM task lists, and the outcomes staff record on them.
class TaskDesk {
 public:
  TaskDesk(store::Connection& c, const Clock& clock, const ReminderSettings& s)
      : m_conn(c), m_clock(clock), m_settings(s) {}
  // Open tasks of `channel` (phone or im) whose window has begun: big first, then oldest.
  Result<std::vector<Task>> due(Channel channel, int limit);
  // Records a person's outcome on task `id`: the attempt is done; the reminder wakes (an
  // unanswered call is tried in another slot); a reached buyer is noted on the platform
  // memo; wants_close closes the trades on the platform; refused and angry put the buyer on
  // the never-again list with the do-not-remind flag. not_found for an unknown task;
  // conflict for one already done, expired or of a settled reminder.
  Result<void> record(std::int64_t id, const OutcomeForm& form, const std::string& staff);

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
  const ReminderSettings& m_settings;
};

}  // namespace fulfil::reminders
