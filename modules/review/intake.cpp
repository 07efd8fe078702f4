#include "review/intake.hpp"

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>

#include "orders/fulfilment.hpp"
#include "review/approval.hpp"
#include "review/checks.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::review {

using store::get_int;
using store::get_text;
using store::SqlValue;

IntakeReport& IntakeReport::operator+=(const IntakeReport& o) {
  signals += o.signals;
  parcels += o.parcels;
  problems += o.problems;
  merged += o.merged;
  intercepted += o.intercepted;
  rechecked += o.rechecked;
  return *this;
}

namespace {

constexpr std::array<std::string_view, 5> k_trade_columns{"tid", "parcel_id", "origin_parcel",
                                                          "items_key", "created"};

// A trade seen earlier with the same buyer: for the duplicate check.
struct Seen {
  orders::Tid tid;
  std::string items;
  UnixSeconds created;
};

std::string join(const std::vector<std::string>& reasons) {
  std::string out;
  for (const auto& r : reasons) out += (out.empty() ? "" : "; ") + r;
  return out;
}

// `text_of` each trade, each text once.
template <class Fn>
std::vector<std::string> distinct(const std::vector<store::OrderDetail>& trades, Fn text_of) {
  std::set<std::string> s;
  for (const auto& d : trades) s.insert(text_of(d.trade));
  return {s.begin(), s.end()};
}

// The earliest and latest creation time of `trades` (not empty).
std::pair<UnixSeconds, UnixSeconds> created_span(const std::vector<store::OrderDetail>& trades) {
  auto [lo, hi] = std::minmax_element(
      trades.begin(), trades.end(),
      [](const auto& a, const auto& b) { return a.trade.created < b.trade.created; });
  return {lo->trade.created, hi->trade.created};
}

// Runs `sql` with `texts` bound as one JSON list in place of {list}.
template <class Fn>
void for_each_row(store::Connection& c, std::string sql, const std::vector<std::string>& texts,
                  Fn fn) {
  if (texts.empty()) return;
  sql.replace(sql.find("{list}"), 6, store::text_set(c.dialect()));
  std::string list = store::json_text_array(texts);
  soci::rowset<soci::row> rows = (c.sql().prepare << sql, soci::use(list));
  for (const auto& r : rows) fn(r);
}

class Batch {
 public:
  Batch(ParcelRows& rows, const ReviewSettings& s, UnixSeconds now)
      : m_rows(rows), m_s(s), m_now(now) {}

  IntakeReport run() {
    auto& sql = m_rows.conn().sql();
    std::string pick = "SELECT id, tid, kind FROM trade_signals ORDER BY id LIMIT " +
                       std::to_string(std::max(1, m_s.batch));
    if (m_rows.conn().dialect() == store::Dialect::postgresql) pick += " FOR UPDATE SKIP LOCKED";
    std::vector<std::int64_t> signal_ids;
    std::vector<orders::Tid> entered, intercepted, changed;
    {
      soci::rowset<soci::row> rs = (sql.prepare << pick);
      for (const auto& r : rs) {
        signal_ids.push_back(get_int(r, 0));
        const std::string kind = get_text(r, 2);
        auto& target = kind == orders::signal::entered       ? entered
                       : kind == orders::signal::intercepted ? intercepted
                                                             : changed;
        target.push_back(get_int(r, 1));
      }
    }
    m_report.signals = static_cast<int>(signal_ids.size());
    if (signal_ids.empty()) return m_report;
    take_in(entered);
    stop(intercepted);
    recheck(changed);
    sql << "DELETE FROM trade_signals WHERE id IN (" + store::id_list(signal_ids) + ")";
    return m_report;
  }

 private:
  // Entered trades become parcels.
  void take_in(std::vector<orders::Tid> tids) {
    if (tids.empty()) return;
    std::sort(tids.begin(), tids.end());
    tids.erase(std::unique(tids.begin(), tids.end()), tids.end());
    {
      // A replayed signal must not make a second parcel.
      std::set<orders::Tid> have;
      soci::rowset<soci::row> rs =
          (m_rows.conn().sql().prepare
           << "SELECT tid FROM parcel_trades WHERE tid IN (" + store::id_list(tids) + ")");
      for (const auto& r : rs) have.insert(get_int(r, 0));
      std::erase_if(tids, [&](orders::Tid t) { return have.contains(t); });
    }
    auto trades = store::OrderQueries(m_rows.conn()).get_many(tids);
    if (trades.empty()) return;
    std::sort(trades.begin(), trades.end(), [](const auto& a, const auto& b) {
      auto pa = a.trade.pay_time.value_or(a.trade.created),
           pb = b.trade.pay_time.value_or(b.trade.created);
      return pa != pb ? pa < pb : a.trade.tid < b.trade.tid;
    });
    load_neighbours(trades);

    std::vector<Parcel> fresh;
    std::vector<SqlValue> trade_rows;
    std::deque<std::string> owned;
    std::vector<orders::Tid> problem_tids;
    std::int64_t next_id = m_rows.reserve_ids(static_cast<std::int64_t>(trades.size()));
    for (const auto& d : trades) {
      const orders::Trade& t = d.trade;
      std::vector<std::string> reasons = check_trade(t, m_s.checks);
      const std::string items = items_key(t);
      if (m_s.checks.duplicate_minutes > 0)
        for (const auto& seen : m_seen[t.buyer_nick])
          if (seen.tid != t.tid && seen.items == items &&
              std::llabs(seen.created - t.created) <= m_s.checks.duplicate_minutes * 60) {
            reasons.push_back("likely a mistaken duplicate of trade " + std::to_string(seen.tid) +
                              " (same buyer and items, " +
                              std::to_string(std::llabs(seen.created - t.created) / 60) +
                              " minutes apart)");
            break;
          }
      m_seen[t.buyer_nick].push_back({t.tid, items, t.created});

      Parcel p = new_parcel(d, next_id++);
      const std::string mkey = p.merge_key;
      std::int64_t home = p.id;
      if (d.fstate == orders::fstate::intercepted) {
        p.state = State::intercepted;
        p.problem = d.intercept_reason;
        ++m_report.intercepted;
      } else if (!reasons.empty()) {
        p.state = State::problem;
        p.problem = join(reasons);
        problem_tids.push_back(t.tid);
        ++m_report.problems;
      } else if (auto target = m_s.merge ? m_open.find(mkey) : m_open.end();
                 target != m_open.end() && join_parcel(target->second, p, t.tid)) {
        // Joins an open parcel of the same buyer and address. Its own parcel is kept, merged,
        // so unmerge can give it back.
        home = target->second;
        p.state = State::merged;
        p.merged_into = home;
        ++m_report.merged;
      } else {
        ++m_report.parcels;
        if (m_s.merge) m_open.emplace(mkey, p.id);
      }
      m_events.push_back({p.id, m_now, "auto", "created", "", std::string(to_string(p.state)), 1,
                          p.state == State::ready    ? "queued in slice " + p.slice
                          : p.state == State::merged ? "merged into parcel " + std::to_string(home)
                                                     : p.problem});
      SqlValue row[] = {t.tid, home, p.id, std::string_view(owned.emplace_back(items)), t.created};
      trade_rows.insert(trade_rows.end(), std::begin(row), std::end(row));
      if (p.state == State::ready) m_fresh_ids.insert(p.id);
      fresh.push_back(std::move(p));
    }
    m_rows.insert(fresh);
    m_rows.writer().insert("parcel_trades", k_trade_columns, trade_rows);
    for (auto& p : m_touched) m_rows.update(p.second);
    m_rows.mirror(problem_tids, "problem");
    m_rows.add_events(m_events);
    m_events.clear();
  }

  Parcel new_parcel(const store::OrderDetail& d, std::int64_t id) {
    const orders::Trade& t = d.trade;
    Parcel p;
    p.id = id;
    p.shop = t.shop;
    p.version = 1;
    p.pay_time = t.pay_time.value_or(t.created);
    p.created = t.created;
    auto serial = orders::parse_serial(d.serial).value_or(orders::Serial{});
    p.serial_day = serial.yymmdd;
    p.serial_seq = serial.seq;
    p.slice = slice_of(m_s.slicing, {serial, t.created, t.shop});
    p.key_rank = is_key_city(t.address.city, m_s.key_cities) ? 0 : 1;
    p.buyer_nick = t.buyer_nick;
    p.merge_key = merge_key(t, m_s.merge_across_shops);
    p.city = t.address.city;
    p.created_at = p.updated_at = m_now;
    return p;
  }

  // Records that `p` (the trade's own parcel) merges into `home`; false when `home` is no
  // longer open (another daemon claimed it meanwhile).
  bool join_parcel(std::int64_t home, const Parcel& p, orders::Tid tid) {
    const std::string detail = "trade " + std::to_string(tid) + " joined (same buyer and address)";
    if (m_fresh_ids.contains(home)) {
      // Created in this batch, which runs in payment order: its payment is the earliest.
      m_events.push_back({home, m_now, "auto", "merged", "ready", "ready", 1, detail});
      return true;
    }
    auto it = m_touched.find(home);
    if (it == m_touched.end()) {
      auto loaded = m_rows.load_one(home, true);
      if (!loaded || loaded->state != State::ready || has_lines_moved(home)) return false;
      it = m_touched.emplace(home, *loaded).first;
    }
    Parcel& target = it->second;
    target.pay_time = std::min(target.pay_time, p.pay_time);
    m_events.push_back(advance(target, target.state, "merged", "auto", detail, m_now));
    return true;
  }

  // Open parcels these trades may join and recent trades for the duplicate check, of their
  // buyers. The open ones come by merge key from the index of open parcels (review migration
  // 3), so neither a regular's shipped parcels nor those to other addresses are read. SQLite
  // is told to use it: left to itself it walks the state index through every ready parcel.
  void load_neighbours(const std::vector<store::OrderDetail>& trades) {
    const bool sqlite = m_rows.conn().dialect() == store::Dialect::sqlite;
    if (m_s.merge)
      for_each_row(
          m_rows.conn(),
          std::string("SELECT p.id, p.merge_key FROM parcels p ") +
              (sqlite ? "INDEXED BY parcels_open_merge " : "") +
              "WHERE p.merge_key IN ({list}) AND p.state = 'ready' AND p.split_from IS NULL",
          distinct(trades,
                   [&](const orders::Trade& t) { return merge_key(t, m_s.merge_across_shops); }),
          [&](const soci::row& r) { m_open.emplace(get_text(r, 1), get_int(r, 0)); });
    if (m_s.checks.duplicate_minutes <= 0) return;
    // Only trades near enough in time to be a duplicate of one in the batch.
    const long long window = m_s.checks.duplicate_minutes * 60LL;
    const auto created = created_span(trades);
    for_each_row(
        m_rows.conn(),
        "SELECT t.tid, t.items_key, t.created, p.buyer_nick, p.state FROM parcels p JOIN "
        "parcel_trades t ON t.origin_parcel = p.id WHERE p.buyer_nick IN ({list}) AND "
        "t.created BETWEEN " +
            std::to_string(created.first - window) + " AND " +
            std::to_string(created.second + window),
        distinct(trades, [](const orders::Trade& t) { return t.buyer_nick; }),
        [&](const soci::row& r) {
          if (get_text(r, 4) != "cancelled")
            m_seen[get_text(r, 3)].push_back({get_int(r, 0), get_text(r, 1), get_int(r, 2)});
        });
  }

  bool has_lines_moved(std::int64_t id) {
    long long n = 0, from = id;
    m_rows.conn().sql() << "SELECT COUNT(*) FROM parcel_line_moves WHERE from_parcel = :f",
        soci::use(from), soci::into(n);
    return n > 0;
  }

  // Intercepted trades stop every live parcel that holds them.
  void stop(const std::vector<orders::Tid>& tids) {
    if (tids.empty()) return;
    std::set<std::int64_t> ids;
    soci::rowset<soci::row> rs =
        (m_rows.conn().sql().prepare
         << "SELECT parcel_id FROM parcel_trades WHERE tid IN (" + store::id_list(tids) +
                ") UNION SELECT to_parcel FROM parcel_line_moves WHERE tid IN (" +
                store::id_list(tids) + ")");
    for (const auto& r : rs) ids.insert(get_int(r, 0));
    std::vector<std::int64_t> list(ids.begin(), ids.end());
    auto flags = m_rows.trade_flags(tids);
    auto homes = m_rows.home_tids(list);
    for (auto& p : m_rows.load(list, true)) {
      const Actor sync{"sync", static_cast<Roles>(Role::sync)};
      if (!decide(p.facts(), Action::intercept, sync, std::nullopt, m_now)) continue;
      std::string why;
      for (auto tid : tids)
        if (auto f = flags.find(tid); f != flags.end() && f->second.fstate == "intercepted")
          for (auto h : homes[p.id])
            if (h == tid) why = "trade " + std::to_string(tid) + ": " + f->second.reason;
      if (why.empty()) why = "a trade of this parcel was intercepted on the platform";
      const Parcel before = p;
      p.problem = why;
      m_events.push_back(advance(p, State::intercepted, "intercepted", "sync", why, m_now));
      leave_approved(m_rows, before, p.id);
      m_rows.update(p);
      ++m_report.intercepted;
    }
    m_rows.add_events(m_events);
    m_events.clear();
  }

  // Changed trades are checked again while their parcel has not gone past approval.
  void recheck(const std::vector<orders::Tid>& tids) {
    if (tids.empty()) return;
    auto trades = store::OrderQueries(m_rows.conn()).get_many(tids);
    std::map<orders::Tid, std::int64_t> home;
    {
      soci::rowset<soci::row> rs = (m_rows.conn().sql().prepare
                                    << "SELECT tid, parcel_id FROM parcel_trades WHERE tid IN (" +
                                           store::id_list(tids) + ")");
      for (const auto& r : rs) home[get_int(r, 0)] = get_int(r, 1);
    }
    for (const auto& d : trades) {
      auto h = home.find(d.trade.tid);
      if (h == home.end()) continue;
      auto p = m_rows.load_one(h->second, true);
      if (!p || p->waived) continue;
      auto reasons = check_trade(d.trade, m_s.checks);
      if (reasons.empty()) continue;
      const Actor automatic{"auto", static_cast<Roles>(Role::automatic)};
      if (!decide(p->facts(), Action::park, automatic, std::nullopt, m_now)) continue;
      const Parcel before = *p;
      p->problem = "trade " + std::to_string(d.trade.tid) + " changed: " + join(reasons);
      m_events.push_back(advance(*p, State::problem, "parked", "auto", p->problem, m_now));
      leave_approved(m_rows, before, p->id);
      m_rows.update(*p);
      auto tids_of = m_rows.home_tids(p->id);
      m_rows.mirror(tids_of, "problem");
      ++m_report.rechecked;
    }
    m_rows.add_events(m_events);
    m_events.clear();
  }

  ParcelRows& m_rows;
  const ReviewSettings& m_s;
  UnixSeconds m_now;
  IntakeReport m_report;
  std::vector<ParcelEvent> m_events;
  std::unordered_map<std::string, std::int64_t> m_open;  // merge key -> ready parcel
  std::unordered_map<std::string, std::vector<Seen>> m_seen;
  std::map<std::int64_t, Parcel> m_touched;  // stored parcels that gained trades
  std::set<std::int64_t> m_fresh_ids;        // new ready parcels in this batch
};

}  // namespace

IntakeReport intake_batch(ParcelRows& rows, const ReviewSettings& settings, UnixSeconds now) {
  return Batch(rows, settings, now).run();
}

}  // namespace fulfil::review
