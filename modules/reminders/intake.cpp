#include "reminders/intake.hpp"

#include <algorithm>
#include <map>

#include "common/timeutil.hpp"
#include "reminders/attempt_rules.hpp"
#include "reminders/notes.hpp"
#include "reminders/selection.hpp"
#include "store/row_reader.hpp"

namespace fulfil::reminders {

using store::get_int;
using store::get_opt_int;
using store::get_text;

namespace {

struct BuyerFlags {
  bool sensitive = false, never_again = false;
};

int longest_close_hours(const ReminderSettings& s) {
  int h = s.timing.close_after_hours;
  for (const auto& [shop, hours] : s.close_after_hours) h = std::max(h, hours);
  return h;
}

// What a reminder's trades came to once none waits for payment any more.
struct Settled {
  std::int64_t id = 0;
  bool waiting = false;  // some trade still waits: not settled
  Fen paid = 0;
  int paid_orders = 0;
  UnixSeconds paid_at = 0;
};

}  // namespace

Result<IntakeCounts> Intake::take_unpaid(int batch) {
  const UnixSeconds now = m_clock.now();
  std::vector<UnpaidTrade> trades;
  std::map<std::pair<std::string, std::string>, BuyerFlags> flagged;
  auto read = store::guarded([&]() -> Result<void> {
    long long oldest = now - 3600LL * longest_close_hours(m_settings);
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare
             << "SELECT t.tid, t.shop, t.buyer_nick, COALESCE(t.receiver_mobile, ''), t.payment, "
                "t.created FROM trades t WHERE t.fstate = 'awaiting_payment' AND t.status = "
                "'WAIT_BUYER_PAY' AND t.created > :o AND NOT EXISTS (SELECT 1 FROM "
                "reminder_trades rt WHERE rt.tid = t.tid)",
         soci::use(oldest));
    for (const auto& r : rows) {
      UnpaidTrade t{get_int(r, 0),  get_text(r, 1), get_text(r, 2),
                    get_text(r, 3), get_int(r, 4),  get_int(r, 5)};
      if (now >= close_time(t.placed, timing_for(m_settings, t.shop))) continue;
      trades.push_back(std::move(t));
    }
    soci::rowset<soci::row> buyers =
        (m_conn.sql().prepare << "SELECT shop, buyer_nick, sensitive, never_again FROM "
                                 "reminder_buyers WHERE sensitive = 1 OR never_again = 1");
    for (const auto& r : buyers)
      flagged[{get_text(r, 0), get_text(r, 1)}] = {get_int(r, 2) != 0, get_int(r, 3) != 0};
    return {};
  });
  if (!read) return std::unexpected(read.error());
  IntakeCounts counts;
  if (trades.empty()) return counts;

  const auto groups = select_candidates(trades, m_settings.big_order, {});
  // Each trade's amount and time found again by its id (sorted: no map of a million nodes).
  std::sort(trades.begin(), trades.end(),
            [](const UnpaidTrade& a, const UnpaidTrade& b) { return a.tid < b.tid; });
  auto trade = [&](orders::Tid tid) -> const UnpaidTrade& {
    return *std::lower_bound(trades.begin(), trades.end(), tid,
                             [](const UnpaidTrade& t, orders::Tid id) { return t.tid < id; });
  };
  for (std::size_t from = 0; from < groups.size(); from += static_cast<std::size_t>(batch)) {
    const std::size_t to = std::min(groups.size(), from + static_cast<std::size_t>(batch));
    auto done = store::in_transaction(m_conn, [&]() -> Result<IntakeCounts> {
      IntakeCounts part;
      auto& sql = m_conn.sql();
      std::string shop, nick, mobile, state;
      long long id = 0, amount = 0, orders = 0, placed = 0, big = 0, at = now;
      soci::indicator found_ind = soci::i_ok;
      soci::statement find =
          (sql.prepare << "SELECT id, amount, orders, first_placed FROM reminders WHERE shop = :s "
                          "AND buyer_nick = :b AND state = 'open'",
           soci::use(shop), soci::use(nick), soci::into(id, found_ind), soci::into(amount),
           soci::into(orders), soci::into(placed));
      soci::statement grow =
          (sql.prepare << "UPDATE reminders SET amount = :a, orders = :o, first_placed = :p, big = "
                          ":g, wake_at = :w WHERE id = :i",
           soci::use(amount), soci::use(orders), soci::use(placed), soci::use(big), soci::use(at),
           soci::use(id));
      soci::statement add =
          (sql.prepare << "INSERT INTO reminders (shop, buyer_nick, mobile, amount, orders, "
                          "first_placed, big, state, created_at, wake_at) VALUES (:s, :b, :m, :a, "
                          ":o, :p, :g, :st, :c, :w) RETURNING id",
           soci::use(shop), soci::use(nick), soci::use(mobile), soci::use(amount),
           soci::use(orders), soci::use(placed), soci::use(big), soci::use(state), soci::use(at),
           soci::use(at), soci::into(id));
      // The links go in one bulk statement per batch (a million single inserts cost more
      // than everything else here).
      std::vector<long long> link_tid, link_reminder, link_payment, link_placed;
      for (std::size_t g = from; g < to; ++g) {
        const auto& c = groups[g];
        shop = c.shop;
        nick = c.buyer_nick;
        id = 0;
        const bool found = find.execute(true) && found_ind == soci::i_ok && id > 0;
        if (found) {
          amount += c.amount;
          orders += static_cast<long long>(c.tids.size());
          placed = std::min<long long>(placed, c.first_placed);
          big = m_settings.big_order > 0 && amount >= m_settings.big_order;
          grow.execute(true);
        } else {
          const auto f = flagged.find({c.shop, c.buyer_nick});
          const bool excluded = f != flagged.end();
          mobile = c.mobile;
          amount = c.amount;
          orders = static_cast<long long>(c.tids.size());
          placed = c.first_placed;
          big = c.big;
          state = excluded ? "excluded" : "open";
          add.execute(true);
          ++part.reminders;
          if (excluded) {
            ++part.excluded;
            add_note(m_conn, id, now,
                     f->second.sensitive ? "not reminded: the buyer is on the sensitive list"
                                         : "not reminded: the buyer asked never to be again");
          }
        }
        for (auto t : c.tids) {
          const auto& u = trade(t);
          link_tid.push_back(t);
          link_reminder.push_back(id);
          link_payment.push_back(u.payment);
          link_placed.push_back(u.placed);
          ++part.trades;
        }
      }
      if (!link_tid.empty())
        sql << "INSERT INTO reminder_trades (tid, reminder_id, payment, placed) VALUES (:t, :r, "
               ":p, :c)",
            soci::use(link_tid), soci::use(link_reminder), soci::use(link_payment),
            soci::use(link_placed);
      return part;
    });
    if (!done) return std::unexpected(done.error());
    counts.trades += done->trades;
    counts.reminders += done->reminders;
    counts.excluded += done->excluded;
  }
  return counts;
}

Result<SettleCounts> Intake::settle() {
  const UnixSeconds now = m_clock.now();
  std::vector<Settled> settled;
  auto read = store::guarded([&]() -> Result<void> {
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare
         << "SELECT r.id, t.fstate, t.status, t.pay_time, t.payment FROM reminders r JOIN "
            "reminder_trades rt ON rt.reminder_id = r.id JOIN trades t ON t.tid = rt.tid WHERE "
            "r.state = 'open' ORDER BY r.id");
    Settled cur;
    auto flush = [&] {
      if (cur.id && !cur.waiting) settled.push_back(cur);
    };
    for (const auto& r : rows) {
      const auto id = get_int(r, 0);
      if (id != cur.id) {
        flush();
        cur = Settled{id};
      }
      if (get_text(r, 1) == "awaiting_payment" || get_text(r, 2) == "WAIT_BUYER_PAY") {
        cur.waiting = true;
      } else if (auto paid = get_opt_int(r, 3)) {
        cur.paid += get_int(r, 4);
        ++cur.paid_orders;
        cur.paid_at = std::max(cur.paid_at, *paid);
      }
    }
    flush();
    return {};
  });
  if (!read) return std::unexpected(read.error());
  SettleCounts counts;
  for (const auto& s : settled) {
    auto done = store::in_transaction(m_conn, [&]() -> Result<bool> {
      auto& sql = m_conn.sql();
      long long id = s.id, paid_at = s.paid_at, t = now, credited_at = 0;
      std::string channel;
      soci::indicator ind = soci::i_null;
      if (s.paid > 0)
        sql << std::string(
                   "SELECT a.channel, a.done_at FROM reminder_attempts a WHERE "
                   "a.reminder_id = :r AND a.done_at IS NOT NULL AND a.done_at <= :p AND ") +
                   k_made_attempt + " ORDER BY a.done_at DESC LIMIT 1",
            soci::use(id), soci::use(paid_at), soci::into(channel, ind), soci::into(credited_at);
      const bool credited = s.paid > 0 && ind == soci::i_ok &&
                            s.paid_at - credited_at <= 3600LL * m_settings.attribution_hours;
      std::string state = s.paid > 0 ? "paid" : "closed";
      long long paid = s.paid, recovered = credited ? s.paid : 0, orders = s.paid_orders;
      if (!credited) channel.clear();
      soci::indicator paid_ind = s.paid > 0 ? soci::i_ok : soci::i_null;
      sql << "UPDATE reminders SET state = :s, settled_at = :t, paid_amount = :p, paid_orders = "
             ":o, paid_at = :pa, recovered = :r, channel = :c WHERE id = :i AND state = 'open'",
          soci::use(state), soci::use(t), soci::use(paid), soci::use(orders),
          soci::use(paid_at, paid_ind), soci::use(recovered), soci::use(channel), soci::use(id);
      sql << "UPDATE reminder_attempts SET state = 'cancelled', done_at = :t WHERE reminder_id = "
             ":i AND state = 'due'",
          soci::use(t), soci::use(id);
      std::string note;
      if (s.paid == 0)
        note = "closed unpaid";
      else if (credited)
        note = "paid " + format_gmt8(s.paid_at).substr(0, 16) + ": " + format_yuan(s.paid) +
               " recovered (" + channel + ")";
      else
        note = "paid " + format_gmt8(s.paid_at).substr(0, 16) +
               ", not within the attribution window of a reminder";
      add_note(m_conn, id, now, note);
      return credited;
    });
    if (!done) return std::unexpected(done.error());
    if (s.paid == 0)
      ++counts.closed;
    else {
      ++counts.paid;
      if (*done) ++counts.recovered;
    }
  }
  return counts;
}

}  // namespace fulfil::reminders
