#include "reminders/made.hpp"

#include "common/timeutil.hpp"

namespace fulfil::reminders {

void record_reminded(store::Connection& c, std::int64_t id, UnixSeconds at,
                     const std::string& staff, const std::string& how, const std::string& result,
                     const ReminderSettings& s) {
  long long rid = id, t = at;
  c.sql() << "UPDATE reminders SET reminded_at = COALESCE(reminded_at, :t), staff = CASE WHEN "
             "staff = '' THEN :s ELSE staff END, wake_at = :w WHERE id = :i",
      soci::use(t), soci::use(staff), soci::use(t), soci::use(rid);
  if (s.write_back)
    queue_writeback(c, id, at, "memo",
                    "[催付 " + format_gmt8(at).substr(5, 11) + " " + how + " " + staff +
                        (result.empty() ? "" : ": " + result) + "]",
                    s.flag_reminded);
}

void queue_writeback(store::Connection& c, std::int64_t id, UnixSeconds at, const std::string& kind,
                     const std::string& memo, int flag) {
  long long rid = id, t = at, f = flag;
  c.sql() << "INSERT INTO reminder_writebacks (reminder_id, shop, tid, kind, memo, flag, state, "
             "created_at) SELECT r.id, r.shop, rt.tid, :k, :m, :f, 'pending', :t FROM reminders "
             "r JOIN reminder_trades rt ON rt.reminder_id = r.id WHERE r.id = :i",
      soci::use(kind), soci::use(memo), soci::use(f), soci::use(t), soci::use(rid);
}

}  // namespace fulfil::reminders
