#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "reminders/settings.hpp"
#include "reminders/summary.hpp"
#include "store/database.hpp"

namespace fulfil::reminders {

// One line of the ledger (催款明细表, seed 002): a reminder made.
struct LedgerLine {
  std::int64_t id = 0;
  std::string shop, buyer_nick, state, staff, channel, reason;
  UnixSeconds reminded_at = 0, placed = 0;
  std::optional<UnixSeconds> paid_at;
  Fen unpaid = 0, paid = 0, recovered = 0;
  int orders = 0, paid_orders = 0;
  bool responded = false;
};

// The columns of `reminders` a LedgerLine is read from, in the order ledger_line reads them
// (a query may select more after them).
inline constexpr const char* k_ledger_columns =
    "id, shop, buyer_nick, state, staff, channel, reason, COALESCE(reminded_at, 0), "
    "first_placed, paid_at, amount, paid_amount, recovered, orders, paid_orders, responded";
LedgerLine ledger_line(const soci::row& r);

// The ledger's result column: 已付款, 交易关闭, 要求关闭, 不要催付, 放弃, 跟进中.
std::string_view result_text(std::string_view state);

// What one channel cost and brought back.
struct ChannelReturn {
  std::string channel;
  int attempts = 0, reminders_credited = 0;
  Fen cost = 0, recovered = 0;
  std::optional<std::int64_t> roi() const { return basis_points(recovered, cost); }
};

struct Report {
  std::vector<std::pair<std::string, DaySummary>> days;                      // "2026-11-11"
  std::vector<std::tuple<std::string, std::string, DaySummary>> days_staff;  // day, staff
  std::vector<ChannelReturn> channels;
  std::vector<std::pair<std::string, int>> reasons;  // reason key, reminders
  DaySummary total;
};

// The ledger and the daily summary (催款汇总表) over reminders first made in [from, to):
// per Asia/Shanghai day, per day and staff member (a text counts for "sms"), per channel
// (cost: texts at their billed parts, calls and IM at [reminders] phone_cost / im_cost;
// recovered: the channel of the last reminder before the payment), and the reasons found.
class Ledger {
 public:
  Ledger(store::Connection& c, const ReminderSettings& s) : m_conn(c), m_settings(s) {}
  Result<std::vector<LedgerLine>> lines(UnixSeconds from, UnixSeconds to, int limit);
  Result<Report> report(UnixSeconds from, UnixSeconds to);

 private:
  store::Connection& m_conn;
  const ReminderSettings& m_settings;
};

// "2026-11-11" of a moment, in Asia/Shanghai.
std::string shanghai_day(UnixSeconds t);

}  // namespace fulfil::reminders
