#include "reminders/ledger.hpp"

#include <map>
#include <set>

#include "common/timeutil.hpp"
#include "store/row_reader.hpp"

namespace fulfil::reminders {

using store::get_int;
using store::get_opt_int;
using store::get_text;

std::string shanghai_day(UnixSeconds t) {
  return format_gmt8(t).substr(0, 10);
}

std::string_view result_text(std::string_view state) {
  if (state == "paid") return "已付款";
  if (state == "closed") return "交易关闭";
  if (state == "closed_request") return "要求关闭";
  if (state == "refused") return "不要催付";
  if (state == "given_up") return "放弃";
  return "跟进中";
}

LedgerLine ledger_line(const soci::row& r) {
  LedgerLine x;
  x.id = get_int(r, 0);
  x.shop = get_text(r, 1);
  x.buyer_nick = get_text(r, 2);
  x.state = get_text(r, 3);
  x.staff = get_text(r, 4);
  x.channel = get_text(r, 5);
  x.reason = get_text(r, 6);
  x.reminded_at = get_int(r, 7);
  x.placed = get_int(r, 8);
  x.paid_at = get_opt_int(r, 9);
  x.unpaid = get_int(r, 10);
  x.paid = get_int(r, 11);
  x.recovered = get_int(r, 12);
  x.orders = static_cast<int>(get_int(r, 13));
  x.paid_orders = static_cast<int>(get_int(r, 14));
  x.responded = get_int(r, 15) != 0;
  return x;
}

Result<std::vector<LedgerLine>> Ledger::lines(UnixSeconds from, UnixSeconds to, int limit) {
  return store::guarded([&]() -> Result<std::vector<LedgerLine>> {
    std::vector<LedgerLine> out;
    long long f = from, t = to, l = limit;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << std::string("SELECT ") + k_ledger_columns +
                                     " FROM reminders WHERE reminded_at >= :f AND reminded_at < "
                                     ":t ORDER BY reminded_at, id LIMIT :l",
         soci::use(f), soci::use(t), soci::use(l));
    for (const auto& r : rows) out.push_back(ledger_line(r));
    return out;
  });
}

Result<Report> Ledger::report(UnixSeconds from, UnixSeconds to) {
  auto lines_read = lines(from, to, 10'000'000);
  if (!lines_read) return std::unexpected(lines_read.error());
  Report out;
  std::map<std::string, DaySummary> days;
  std::map<std::pair<std::string, std::string>, DaySummary> days_staff;
  std::map<std::string, ChannelReturn> channels;
  std::map<std::string, int> reasons;
  auto add = [](DaySummary& d, const LedgerLine& x) {
    ++d.customers;
    d.orders += x.orders;
    d.unpaid += x.unpaid;
    if (x.recovered > 0) {
      ++d.customers_paid;
      d.orders_paid += x.paid_orders;
      d.recovered += x.recovered;
    }
    if (x.responded || x.recovered > 0) ++d.customers_responding;
  };
  for (const auto& x : *lines_read) {
    const auto day = shanghai_day(x.reminded_at);
    add(days[day], x);
    add(days_staff[{day, x.staff}], x);
    add(out.total, x);
    if (!x.reason.empty()) ++reasons[x.reason];
    if (x.recovered > 0 && !x.channel.empty()) {
      auto& c = channels[x.channel];
      c.recovered += x.recovered;
      ++c.reminders_credited;
    }
  }
  // What the channels cost: every attempt that went out in the window, by the day it went.
  auto costs = store::guarded([&]() -> Result<void> {
    long long f = from, t = to;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT a.channel, a.cost, a.done_at, a.staff, a.state, "
                                 "a.outcome FROM reminder_attempts a WHERE a.done_at >= :f AND "
                                 "a.done_at < :t AND a.state IN ('sent', 'delivered', "
                                 "'undelivered', 'done')",
         soci::use(f), soci::use(t));
    for (const auto& r : rows) {
      const auto channel = get_text(r, 0);
      if (channel == "im" && get_text(r, 5) == "offline") continue;  // nothing was sent
      const Fen cost = channel == "sms"     ? get_int(r, 1)
                       : channel == "phone" ? m_settings.phone_cost
                                            : m_settings.im_cost;
      auto& c = channels[channel];
      c.channel = channel;
      ++c.attempts;
      c.cost += cost;
      const auto day = shanghai_day(get_int(r, 2));
      days[day].cost += cost;
      days_staff[{day, channel == "sms" ? "sms" : get_text(r, 3)}].cost += cost;
      out.total.cost += cost;
    }
    return {};
  });
  if (!costs) return std::unexpected(costs.error());
  for (auto& [d, s] : days) out.days.emplace_back(d, s);
  for (auto& [k, s] : days_staff) out.days_staff.emplace_back(k.first, k.second, s);
  for (auto& [name, c] : channels) {
    c.channel = name;
    out.channels.push_back(c);
  }
  for (auto& [r, n] : reasons) out.reasons.emplace_back(r, n);
  return out;
}

}  // namespace fulfil::reminders
