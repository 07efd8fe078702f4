#include "courier/waybill_service.hpp"

#include <array>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "common/log.hpp"
#include "common/timeutil.hpp"
#include "courier/number_pool.hpp"
#include "review/parcel_rows.hpp"
#include "review/transitions.hpp"
#include "store/bulk_writer.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::courier {

using store::get_int;
using store::get_text;
using store::SqlValue;

namespace {

constexpr std::array<std::string_view, 8> k_waybill_columns{"parcel_id",  "courier",    "idem_key",
                                                            "state",      "waybill_no", "reason",
                                                            "created_at", "updated_at"};
constexpr std::array<std::string_view, 9> k_confirm_columns{"parcel_id", "tid",        "shop",
                                                            "courier",   "waybill_no", "sub_tids",
                                                            "state",     "attempts",   "next_at"};

const review::Actor k_auto{"auto", static_cast<review::Roles>(review::Role::automatic)};

// Capped exponential backoff for confirmations: 30 s, 1 min, 2 min ... at most 1 h.
std::int64_t backoff_seconds(std::int64_t attempts) {
  return std::min<std::int64_t>(3600, 30LL << std::clamp<std::int64_t>(attempts - 1, 0, 7));
}

Waybill read_waybill(const soci::row& r) {
  return {get_int(r, 0),  get_int(r, 1),  get_text(r, 2), get_text(r, 3), get_text(r, 4),
          get_text(r, 5), get_text(r, 6), get_text(r, 7), get_int(r, 8),  get_int(r, 9)};
}
constexpr const char* k_select_waybill =
    "SELECT id, parcel_id, courier, idem_key, state, waybill_no, reason, error, created_at, "
    "updated_at FROM waybills ";

// What allocation, confirmation and a remote request need of a trade.
struct TradeFacts {
  std::string shop, province, city, district, detail, buyer_message, receiver, mobile;
  Fen payment = 0;
};

std::map<orders::Tid, TradeFacts> load_trades(store::Connection& conn,
                                              const std::vector<orders::Tid>& tids) {
  std::map<orders::Tid, TradeFacts> out;
  soci::rowset<soci::row> rows =
      (conn.sql().prepare << "SELECT tid, shop, province, city, district, address_detail, "
                             "buyer_message, receiver_name, receiver_mobile, payment FROM trades "
                             "WHERE tid IN (" +
                                 store::id_list(tids) + ")");
  for (const auto& r : rows)
    out[get_int(r, 0)] = {get_text(r, 1), get_text(r, 2), get_text(r, 3),
                          get_text(r, 4), get_text(r, 5), get_text(r, 6),
                          get_text(r, 7), get_text(r, 8), get_int(r, 9)};
  return out;
}

// One confirmation per trade of each issued parcel. A parcel that holds only some lines of
// a trade (it was split) names them (sub_tid, is_split); only split parcels' lines are read.
// `numbers`: parcel -> (courier, waybill number).
void queue_confirmations(store::Connection& conn, review::ParcelRows& rows,
                         const std::vector<review::Parcel>& issued,
                         std::map<std::int64_t, std::vector<orders::Tid>>& homes,
                         std::map<std::int64_t, std::pair<std::string, std::string>>& numbers,
                         std::map<orders::Tid, TradeFacts>& trades, UnixSeconds now) {
  if (issued.empty()) return;
  std::vector<std::int64_t> ids;
  for (const auto& p : issued) ids.push_back(p.id);
  std::set<std::int64_t> split;
  {
    const std::string in = store::id_list(ids);
    soci::rowset<soci::row> rs =
        (conn.sql().prepare << "SELECT from_parcel, to_parcel FROM parcel_line_moves WHERE "
                               "from_parcel IN (" +
                                   in + ") OR to_parcel IN (" + in + ")");
    for (const auto& r : rs) {
      split.insert(get_int(r, 0));
      split.insert(get_int(r, 1));
    }
  }
  std::vector<std::int64_t> split_ids(split.begin(), split.end());
  auto lines = rows.lines(split_ids);
  {
    // The trades not yet known, in one query rather than one each.
    std::vector<orders::Tid> missing;
    for (const auto& p : issued)
      for (auto tid : homes[p.id])
        if (!trades.contains(tid)) missing.push_back(tid);
    for (const auto& [pid, pls] : lines)
      for (const auto& pl : pls)
        if (!trades.contains(pl.tid)) missing.push_back(pl.tid);
    if (!missing.empty()) trades.merge(load_trades(conn, missing));
  }
  std::deque<std::string> owned;
  std::vector<SqlValue> values;
  for (const auto& p : issued) {
    std::map<orders::Tid, std::string> sub;  // tid -> oids, for split parcels only
    if (split.contains(p.id))
      for (const auto& pl : lines[p.id]) {
        auto& o = sub[pl.tid];
        if (!o.empty()) o += ',';
        o += std::to_string(pl.line.oid);
      }
    else
      for (auto tid : homes[p.id]) sub[tid];
    for (const auto& [tid, oids] : sub) {
      auto t = trades.find(tid);
      if (t == trades.end()) t = trades.emplace(tid, load_trades(conn, {tid})[tid]).first;
      const auto& [courier, number] = numbers[p.id];
      SqlValue row[] = {p.id,
                        tid,
                        std::string_view(t->second.shop),
                        std::string_view(courier),
                        std::string_view(number),
                        oids.empty() ? SqlValue(std::monostate{})
                                     : SqlValue(std::string_view(owned.emplace_back(oids))),
                        std::string_view("pending"),
                        std::int64_t{0},
                        now};
      values.insert(values.end(), std::begin(row), std::end(row));
    }
  }
  store::BulkWriter(conn).insert("ship_confirmations", k_confirm_columns, values,
                                 "ON CONFLICT (tid, waybill_no) DO NOTHING");
}

// The waybill requests of these parcels (parcel id, idempotency key), built with a few
// queries per 500 parcels rather than three per parcel. Throws on database errors.
Result<std::vector<WaybillRequest>> requests_for(
    store::Connection& conn, const Contact& sender,
    const std::vector<std::pair<std::int64_t, std::string>>& parcels) {
  std::vector<WaybillRequest> requests(parcels.size());
  constexpr std::size_t k_part = 500;
  review::ParcelRows rows(conn);
  for (std::size_t from = 0; from < parcels.size(); from += k_part) {
    const std::span part(parcels.data() + from, std::min(k_part, parcels.size() - from));
    std::vector<std::int64_t> ids;
    for (const auto& [id, key] : part) ids.push_back(id);
    auto shipped = rows.shipped_tids(ids);
    auto lines = rows.lines(ids);
    std::vector<orders::Tid> tids;
    for (const auto& [id, ts] : shipped) tids.insert(tids.end(), ts.begin(), ts.end());
    auto trades = load_trades(conn, tids);
    for (std::size_t k = 0; k < part.size(); ++k) {
      const auto& [parcel_id, key] = part[k];
      WaybillRequest& req = requests[from + k];
      req.order_id = key;
      req.sender = sender;
      const auto& own = shipped[parcel_id];
      for (auto tid : own) req.tids.push_back(std::to_string(tid));
      if (auto t = own.empty() ? trades.end() : trades.find(own.front()); t != trades.end())
        req.receiver = {t->second.receiver, t->second.mobile,   t->second.province,
                        t->second.city,     t->second.district, t->second.detail};
      for (const auto& pl : lines[parcel_id]) req.items.emplace_back(pl.line.title, pl.line.num);
    }
  }
  return requests;
}

const std::map<std::string, std::string> k_none_refused;

// One batch of the waybill job, in the caller's transaction.
class IssueBatch {
 public:
  IssueBatch(store::Connection& c, const CourierSettings& s, UnixSeconds now)
      : m_conn(c), m_rows(c), m_s(s), m_now(now), m_day(shanghai_yymmdd(now)) {}

  WaybillReport run(bool& more) {
    // Parcels whose remote waybill is being asked for wait for the answer.
    std::string tail =
        "WHERE state = 'approved' AND NOT EXISTS (SELECT 1 FROM waybills w WHERE w.parcel_id = "
        "parcels.id AND w.state = 'requested') ORDER BY key_rank, pay_time, id LIMIT " +
        std::to_string(std::max(1, m_s.batch));
    if (m_conn.dialect() == store::Dialect::postgresql) tail += " FOR UPDATE SKIP LOCKED";
    auto parcels = m_rows.load_where(tail);
    more = static_cast<int>(parcels.size()) == std::max(1, m_s.batch);
    if (parcels.empty()) return m_report;
    std::vector<std::int64_t> ids;
    for (const auto& p : parcels) ids.push_back(p.id);
    auto homes = m_rows.shipped_tids(ids);
    std::vector<orders::Tid> tids;
    for (auto& [id, ts] : homes) tids.insert(tids.end(), ts.begin(), ts.end());
    auto trades = load_trades(m_conn, tids);
    load_day();
    // Couriers that refused a parcel (快递不到, or a refusal) since it was last approved are
    // not asked again, and their own answer is the reason; a parcel a person released and
    // approved again asks every courier afresh.
    std::map<std::int64_t, std::map<std::string, std::string>> refused;
    {
      soci::rowset<soci::row> rs =
          (m_conn.sql().prepare
           << "SELECT w.parcel_id, w.courier, w.error FROM waybills w WHERE w.state = 'failed' "
              "AND w.parcel_id IN (" +
                  store::id_list(ids) +
                  ") AND w.updated_at >= (SELECT COALESCE(MAX(e.at), 0) FROM parcel_events e "
                  "WHERE e.parcel_id = w.parcel_id AND e.to_state = 'approved')");
      for (const auto& r : rs)
        refused[get_int(r, 0)][get_text(r, 1)] = get_text(r, 1) + " refused it: " + get_text(r, 2);
    }

    std::vector<const review::Parcel*> todo;
    for (const auto& p : parcels) todo.push_back(&p);
    std::set<std::string> dry;
    std::vector<review::Parcel> parked, issued;
    std::vector<std::string> issued_details;
    while (!todo.empty()) {
      std::map<std::string, std::vector<std::pair<const review::Parcel*, std::string>>> by_courier;
      for (const auto* p : todo) {
        ParcelFacts facts;
        for (auto tid : homes[p->id]) {
          const auto& t = trades[tid];
          facts.province = t.province;
          facts.city = t.city;
          facts.buyer_message += t.buyer_message;
          facts.value += t.payment;
        }
        const auto it = refused.find(p->id);
        auto chosen =
            allocate(facts, m_s, m_counts, dry, it == refused.end() ? k_none_refused : it->second);
        if (!chosen) {
          review::Parcel copy = *p;
          copy.problem = chosen.error().message;
          parked.push_back(std::move(copy));
          continue;
        }
        ++m_counts.per_courier[chosen->courier];
        by_courier[chosen->courier].emplace_back(p, chosen->reason);
      }
      todo.clear();
      for (auto& [courier, group] : by_courier) {
        if (const Courier* c = m_s.find(courier); c && c->remote()) {
          // Recorded before the call (call_remote); the answer completes it.
          for (auto& [p, reason] : group) {
            add_waybill(*p, courier, "", reason, "requested");
            ++m_added[courier];
            ++m_report.requested;
          }
          continue;
        }
        std::vector<std::int64_t> for_ids;
        for (auto& [p, reason] : group) for_ids.push_back(p->id);
        auto numbers = NumberPool(m_conn).take(courier, for_ids, m_now);
        for (std::size_t i = 0; i < group.size(); ++i) {
          auto& [p, reason] = group[i];
          if (i >= numbers.size()) {  // dry: try another courier for the rest
            --m_counts.per_courier[courier];
            todo.push_back(p);
            continue;
          }
          add_waybill(*p, courier, numbers[i], reason, "issued");
          issued.push_back(*p);
          issued_details.push_back(courier + " " + numbers[i] + " (" + reason + ")");
          ++m_added[courier];
        }
        if (numbers.size() < group.size()) {
          dry.insert(courier);
          m_report.empty_pools.push_back(courier);
        }
      }
      if (!todo.empty() && dry.size() == m_s.couriers.size()) {
        m_report.waiting = static_cast<int>(todo.size());  // no numbers anywhere: stay approved
        break;
      }
    }
    m_rows.writer().insert("waybills", k_waybill_columns, m_waybill_rows);
    save_day();
    m_report.issued =
        static_cast<int>(review::move_parcels(m_rows, issued, review::Action::assign_waybill,
                                              k_auto, "waybill issued", m_now)
                             .size());
    m_report.parked = static_cast<int>(
        review::move_parcels(m_rows, parked, review::Action::park, k_auto, "no courier", m_now)
            .size());
    if (m_s.confirm_at == ConfirmAt::waybill)
      queue_confirmations(m_conn, m_rows, issued, homes, m_numbers, trades, m_now);
    if (m_report.waiting) more = false;
    return m_report;
  }

 private:
  void load_day() {
    long long day = m_day;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT courier, parcels FROM courier_days WHERE day = :d",
         soci::use(day));
    for (const auto& r : rows) m_counts.per_courier[get_text(r, 0)] = get_int(r, 1);
  }
  void save_day() {
    for (const auto& [courier, n] : m_added) {
      long long day = m_day, count = n;
      std::string c = courier;
      m_conn.sql() << "INSERT INTO courier_days (day, courier, parcels) VALUES (:d, :c, :n) "
                      "ON CONFLICT (day, courier) DO UPDATE SET parcels = courier_days.parcels + "
                      "excluded.parcels",
          soci::use(day), soci::use(c), soci::use(count);
    }
  }
  void add_waybill(const review::Parcel& p, const std::string& courier, const std::string& number,
                   const std::string& reason, std::string_view state) {
    // The key a remote courier would dedupe on: one per parcel and attempt.
    const std::string& key = m_owned.emplace_back("P" + std::to_string(p.id) + "-" +
                                                  std::to_string(p.version) + "-" + courier);
    SqlValue row[] = {p.id,
                      std::string_view(m_owned.emplace_back(courier)),
                      std::string_view(key),
                      state,
                      number.empty() ? SqlValue(std::monostate{})
                                     : SqlValue(std::string_view(m_owned.emplace_back(number))),
                      std::string_view(m_owned.emplace_back(reason)),
                      m_now,
                      m_now};
    m_waybill_rows.insert(m_waybill_rows.end(), std::begin(row), std::end(row));
    m_numbers[p.id] = {courier, number};
  }
  store::Connection& m_conn;
  review::ParcelRows m_rows;
  const CourierSettings& m_s;
  UnixSeconds m_now;
  int m_day;
  DayCounts m_counts;
  std::map<std::string, std::int64_t> m_added;
  std::vector<SqlValue> m_waybill_rows;
  std::deque<std::string> m_owned;
  std::map<std::int64_t, std::pair<std::string, std::string>> m_numbers;
  WaybillReport m_report;
};

}  // namespace

Result<WaybillReport> WaybillService::issue(RemoteCouriers* remote, int max_batches) {
  WaybillReport total;
  for (int i = 0; i < max_batches; ++i) {
    bool more = false;
    auto r = store::in_transaction(m_conn, [&]() -> Result<WaybillReport> {
      return IssueBatch(m_conn, m_s, m_clock.now()).run(more);
    });
    if (!r) return std::unexpected(r.error());
    total.issued += r->issued;
    total.parked += r->parked;
    total.waiting += r->waiting;
    total.requested += r->requested;
    for (auto& c : r->empty_pools)
      if (std::find(total.empty_pools.begin(), total.empty_pools.end(), c) ==
          total.empty_pools.end())
        total.empty_pools.push_back(c);
    if (!more) break;
  }
  if (remote)
    if (auto r = call_remote(*remote, total); !r) return std::unexpected(r.error());
  for (const auto& c : total.empty_pools)
    log::warn("waybill pool empty: parcels wait", {{"courier", c}, {"waiting", total.waiting}});
  return total;
}

Result<void> WaybillService::call_remote(RemoteCouriers& remote, WaybillReport& report) {
  // Every waybill still `requested` (this run's, or one a crash left between the call and
  // its record) is asked for with its own key; the courier answers a repeat with the same
  // waybill, so none is ever issued twice.
  struct Pending {
    std::int64_t id, parcel_id;
    std::string courier, key;
  };
  auto pending = store::guarded([&]() -> Result<std::vector<Pending>> {
    std::vector<Pending> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT id, parcel_id, courier, idem_key FROM waybills WHERE "
                                 "state = 'requested' ORDER BY id LIMIT 5000");
    for (const auto& r : rows)
      out.push_back({get_int(r, 0), get_int(r, 1), get_text(r, 2), get_text(r, 3)});
    return out;
  });
  if (!pending) return std::unexpected(pending.error());
  if (pending->empty()) return {};
  std::vector<std::pair<std::int64_t, std::string>> asked;  // parcel, key
  for (const auto& w : *pending) asked.emplace_back(w.parcel_id, w.key);
  auto built = store::guarded([&] { return requests_for(m_conn, m_s.sender, asked); });
  if (!built) return std::unexpected(built.error());
  auto& requests = *built;
  // The couriers are asked on a thread of their own while this one records each answer as
  // it comes, a few to a transaction with its parcel's move: the wire never waits for a
  // write or for a whole round, and a crash costs at most the answers of one small batch
  // (asked again under their keys next run).
  std::map<std::string, std::vector<std::size_t>> by_courier;
  for (std::size_t i = 0; i < pending->size(); ++i) by_courier[(*pending)[i].courier].push_back(i);
  struct Mailbox {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<std::pair<std::size_t, Result<WaybillAnswer>>> answers;
    bool asked_all = false;
  } box;
  std::thread asker([&] {
    for (const auto& [courier, items] : by_courier) {
      std::vector<WaybillRequest> batch;
      for (auto i : items) batch.push_back(std::move(requests[i]));
      try {
        remote.create_each(courier, batch, [&](std::size_t k, Result<WaybillAnswer> answer) {
          if (k >= items.size()) return;
          std::lock_guard lock(box.mutex);
          box.answers.emplace_back(items[k], std::move(answer));
          box.ready.notify_one();
        });
      } catch (const std::exception& e) {
        log::error("asking the courier failed", {{"courier", courier}, {"error", e.what()}});
      }
    }
    std::lock_guard lock(box.mutex);
    box.asked_all = true;
    box.ready.notify_one();
  });
  constexpr std::size_t k_most_per_write = 64;
  constexpr auto k_gather = std::chrono::milliseconds(10);
  std::optional<Error> failed;
  for (;;) {
    std::vector<std::pair<std::size_t, Result<WaybillAnswer>>> answered;
    {
      std::unique_lock lock(box.mutex);
      box.ready.wait(lock, [&] { return !box.answers.empty() || box.asked_all; });
      if (box.answers.empty()) break;
      // Group commit: a few milliseconds more gathers the answers arriving meanwhile into
      // this transaction (one fsync for many instead of one each, which capped the job at
      // about 400 answers/s however many were on the wire).
      box.ready.wait_for(lock, k_gather,
                         [&] { return box.answers.size() >= k_most_per_write || box.asked_all; });
      while (!box.answers.empty() && answered.size() < k_most_per_write) {
        answered.push_back(std::move(box.answers.front()));
        box.answers.pop_front();
      }
    }
    if (failed) continue;  // the rest are asked again next run, under the same keys
    auto done = store::in_transaction(m_conn, [&]() -> Result<void> {
      const UnixSeconds now = m_clock.now();
      for (const auto& [i, answer] : answered) {
        const auto& w = (*pending)[i];
        record_answer(w.id, w.parcel_id, w.courier, w.key, answer, now, report);
      }
      return {};
    });
    if (!done) failed = done.error();
  }
  asker.join();
  if (failed) return std::unexpected(*failed);
  return {};
}

void WaybillService::record_answer(std::int64_t waybill_id, std::int64_t parcel_id,
                                   const std::string& courier, const std::string& key,
                                   const Result<WaybillAnswer>& answer, UnixSeconds now,
                                   WaybillReport& report) {
  long long id = waybill_id, at = now;
  if (!answer && is_retryable(answer.error().kind)) {
    ++report.retrying;
    log::warn("waybill request failed; asked again next run",
              {{"courier", courier}, {"key", key}, {"error", answer.error().message}});
    m_conn.sql() << "UPDATE waybills SET error = :e, updated_at = :t WHERE id = :i",
        soci::use(answer.error().message), soci::use(at), soci::use(id);
    return;
  }
  if (!answer && answer.error().kind == ErrorKind::auth) {
    // Our credentials or permissions, not this parcel: it waits (asked again next run) while
    // a person fixes the account; the courier stays eligible for it.
    ++report.retrying;
    log::error("the courier refuses our credentials; parcels wait until they are fixed",
               {{"courier", courier}, {"error", answer.error().message}});
    m_conn.sql() << "UPDATE waybills SET error = :e, updated_at = :t WHERE id = :i",
        soci::use(answer.error().message), soci::use(at), soci::use(id);
    return;
  }
  if (!answer || answer->unreachable || answer->waybill_no.empty()) {
    std::string why =
        !answer ? answer.error().message : courier + " cannot deliver to this address (快递不到)";
    soci::statement st =
        (m_conn.sql().prepare << "UPDATE waybills SET state = 'failed', error = :e, updated_at = "
                                 ":t WHERE id = :i AND state = 'requested'",
         soci::use(why), soci::use(at), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return;
    // The day's count is of waybills issued: a refusal gives back the place it was counted in.
    long long requested_at = now;
    m_conn.sql() << "SELECT created_at FROM waybills WHERE id = :i", soci::use(id),
        soci::into(requested_at);
    long long day = shanghai_yymmdd(requested_at);
    std::string c = courier;
    m_conn.sql() << "UPDATE courier_days SET parcels = parcels - 1 WHERE day = :d AND courier = "
                    ":c AND parcels > 0",
        soci::use(day), soci::use(c);
    ++report.refused;
    return;
  }
  soci::statement st =
      (m_conn.sql().prepare << "UPDATE waybills SET state = 'issued', waybill_no = :n, error = "
                               "'', updated_at = :t WHERE id = :i AND state = 'requested'",
       soci::use(answer->waybill_no), soci::use(at), soci::use(id));
  st.execute(true);
  if (st.get_affected_rows() == 0) return;  // another daemon completed it
  review::ParcelRows rows(m_conn);
  const review::Actor automatic{"auto", static_cast<review::Roles>(review::Role::automatic)};
  auto moved =
      review::move_parcels(rows, rows.load(std::span(&parcel_id, 1), true),
                           review::Action::assign_waybill, automatic, "waybill issued", now);
  if (moved.empty()) return;  // intercepted meanwhile: void_unused cancels it
  ++report.issued;
  if (m_s.confirm_at == ConfirmAt::waybill) {
    auto homes = rows.home_tids(std::vector<std::int64_t>{parcel_id});
    std::map<std::int64_t, std::pair<std::string, std::string>> numbers{
        {parcel_id, {courier, answer->waybill_no}}};
    std::map<orders::Tid, TradeFacts> trades;
    queue_confirmations(m_conn, rows, moved, homes, numbers, trades, now);
  }
}

void queue_confirmations_of(store::Connection& conn, review::ParcelRows& rows,
                            const std::vector<review::Parcel>& parcels, UnixSeconds now) {
  if (parcels.empty()) return;
  std::vector<std::int64_t> ids;
  for (const auto& p : parcels) ids.push_back(p.id);
  std::map<std::int64_t, std::pair<std::string, std::string>> numbers;
  soci::rowset<soci::row> rs =
      (conn.sql().prepare << "SELECT parcel_id, courier, waybill_no FROM waybills WHERE state = "
                             "'issued' AND parcel_id IN (" +
                                 store::id_list(ids) + ")");
  for (const auto& r : rs) numbers[get_int(r, 0)] = {get_text(r, 1), get_text(r, 2)};
  auto homes = rows.home_tids(ids);
  std::map<orders::Tid, TradeFacts> trades;
  queue_confirmations(conn, rows, parcels, homes, numbers, trades, now);
}

Result<std::pair<int, int>> WaybillService::reconcile_shipped(std::int64_t after_seconds) {
  return store::in_transaction(m_conn, [&]() -> Result<std::pair<int, int>> {
    const long long now = m_clock.now(), cut = now - after_seconds;
    // Only the last week: older ones were settled by people or by this job long ago.
    const long long since = cut - 7 * 86400;
    std::vector<std::pair<std::int64_t, long long>> stale;  // id, times resent
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare
             << "SELECT c.id, c.resent, c.tid FROM ship_confirmations c JOIN trades t ON t.tid = "
                "c.tid WHERE c.state = 'sent' AND c.done_at < :c AND c.done_at >= :s AND "
                "t.status = 'WAIT_SELLER_SEND_GOODS'",
         soci::use(cut), soci::use(since));
    for (const auto& r : rows) stale.emplace_back(get_int(r, 0), get_int(r, 1));
    int resent = 0, failed = 0;
    const std::string hours = std::to_string(after_seconds / 3600);
    for (const auto& [id, times] : stale) {
      long long cid = id;
      if (times == 0) {
        std::string why = "reconciliation: the platform still shows the trade unshipped " + hours +
                          " h after it accepted the confirmation; sent again";
        m_conn.sql() << "UPDATE ship_confirmations SET state = 'pending', resent = 1, next_at = "
                        ":n, last_error = :e, done_at = NULL WHERE id = :i",
            soci::use(now), soci::use(why), soci::use(cid);
        ++resent;
      } else {
        std::string why =
            "reconciliation: the platform still shows the trade unshipped after a second "
            "confirmation; check it on the platform";
        m_conn.sql() << "UPDATE ship_confirmations SET state = 'failed', last_error = :e WHERE "
                        "id = :i",
            soci::use(why), soci::use(cid);
        ++failed;
      }
    }
    if (resent || failed)
      log::warn("shipped here, not on the platform",
                {{"sent_again", resent}, {"for_a_person", failed}, {"after_hours", hours}});
    return std::pair{resent, failed};
  });
}

Result<ConfirmReport> WaybillService::confirm(const ConfirmShipments& send, int limit) {
  // Take due rows under a short lease (next_at moves 5 min on), call outside any transaction,
  // then record each outcome: a crash in between only delays a confirmation.
  const UnixSeconds now = m_clock.now();
  auto due = store::in_transaction(m_conn, [&]() -> Result<std::vector<Confirmation>> {
    std::vector<Confirmation> out;
    long long at = now;
    std::string sql =
        "SELECT id, parcel_id, tid, shop, courier, waybill_no, sub_tids, state, attempts, "
        "next_at, last_error FROM ship_confirmations WHERE state = 'pending' AND next_at <= :n "
        "ORDER BY next_at LIMIT " +
        std::to_string(limit);
    if (m_conn.dialect() == store::Dialect::postgresql) sql += " FOR UPDATE SKIP LOCKED";
    soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql, soci::use(at));
    for (const auto& r : rows)
      out.push_back({get_int(r, 0), get_int(r, 1), get_int(r, 2), get_text(r, 3), get_text(r, 4),
                     get_text(r, 5), get_text(r, 6), get_text(r, 7), get_text(r, 10), get_int(r, 8),
                     get_int(r, 9)});
    std::vector<std::int64_t> ids;
    for (const auto& c : out) ids.push_back(c.id);
    if (!ids.empty())
      m_conn.sql() << "UPDATE ship_confirmations SET next_at = " + std::to_string(now + 300) +
                          " WHERE id IN (" + store::id_list(ids) + ")";
    return out;
  });
  if (!due) return std::unexpected(due.error());
  ConfirmReport report;
  if (due->empty()) return report;
  const auto answers = send(*due);
  const UnixSeconds at = m_clock.now();
  struct Outcome {
    std::string state, error;
    long long attempts, next, done, id;
  };
  std::vector<Outcome> outcomes;
  for (std::size_t i = 0; i < due->size(); ++i) {
    const Confirmation& c = (*due)[i];
    const Result<Told>& r = answers[i];
    Outcome o{"sent", "", c.attempts + 1, at, at, c.id};
    if (!r) {
      o.error = r.error().message;
      const bool again = is_retryable(r.error().kind) && o.attempts < m_s.max_confirm_attempts;
      o.state = again ? "pending" : "failed";
      o.next = at + backoff_seconds(o.attempts);
      (again ? report.retrying : report.failed)++;
      log::warn("ship confirmation failed", {{"tid", c.tid},
                                             {"waybill", c.waybill_no},
                                             {"attempt", static_cast<std::int64_t>(o.attempts)},
                                             {"error", o.error},
                                             {"will_retry", again ? "yes" : "no"}});
    } else if (*r == Told::by_hand) {
      o.state = "manual";
      o.error = "no platform API for shop " + c.shop + ": mark it shipped on the platform";
      ++report.by_hand;
    } else if (*r == Told::exchange) {
      o.state = "manual";
      o.error = "an exchange: enter the waybill in the platform's exchange record";
      ++report.by_hand;
    } else {
      ++report.sent;
    }
    outcomes.push_back(std::move(o));
  }
  // Outcomes are stored in one transaction: a crash before it only repeats the calls, which
  // the platform answers as already done.
  auto saved = store::in_transaction(m_conn, [&]() -> Result<void> {
    // One statement prepared for the batch and run per row, rather than parsed again for
    // each of up to 2,000 rows.
    Outcome row;
    soci::indicator done_ind = soci::i_ok, error_ind = soci::i_ok;
    soci::statement st =
        (m_conn.sql().prepare << "UPDATE ship_confirmations SET state = :s, attempts = :a, "
                                 "next_at = :n, last_error = :e, done_at = :d WHERE id = :id",
         soci::use(row.state), soci::use(row.attempts), soci::use(row.next),
         soci::use(row.error, error_ind), soci::use(row.done, done_ind), soci::use(row.id));
    for (const auto& o : outcomes) {
      row = o;  // copied, not moved: the outcomes stay whole whatever happens to this run
      done_ind = row.state == "sent" ? soci::i_ok : soci::i_null;
      error_ind = row.error.empty() ? soci::i_null : soci::i_ok;
      st.execute(true);
    }
    return {};
  });
  if (!saved) return std::unexpected(saved.error());
  return report;
}

Result<ConfirmReport> WaybillService::confirm(const ConfirmShipment& one, int limit) {
  return confirm(
      [&](std::span<const Confirmation> cs) {
        std::vector<Result<Told>> out;
        for (const auto& c : cs) out.push_back(one(c));
        return out;
      },
      limit);
}

Result<int> WaybillService::void_unused(RemoteCouriers* remote) {
  struct Dead {
    std::int64_t id;
    std::string courier, number, key;
  };
  auto dead = store::guarded([&]() -> Result<std::vector<Dead>> {
    std::vector<Dead> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT w.id, w.courier, w.waybill_no, w.idem_key FROM waybills "
                                 "w JOIN parcels p ON p.id = w.parcel_id WHERE w.state = 'issued' "
                                 "AND p.state IN ('intercepted', 'cancelled')");
    for (const auto& r : rows)
      out.push_back({get_int(r, 0), get_text(r, 1), get_text(r, 2), get_text(r, 3)});
    return out;
  });
  if (!dead) return std::unexpected(dead.error());
  int ended = 0;
  for (const auto& d : *dead) {
    const Courier* c = m_s.find(d.courier);
    std::string state = "void", error;
    if (c && c->remote()) {
      if (!remote) continue;  // cancelled by a pass that can reach the courier
      auto r = remote->cancel(d.courier, d.key, d.number);  // outside any transaction
      if (!r && is_retryable(r.error().kind)) continue;
      state = r ? "cancelled" : "void";
      if (!r) error = "the courier refused the cancellation: " + r.error().message;
    }
    auto done = store::in_transaction(m_conn, [&]() -> Result<void> {
      long long wid = d.id, at = m_clock.now();
      soci::indicator error_ind = error.empty() ? soci::i_null : soci::i_ok;
      m_conn.sql() << "UPDATE waybills SET state = :s, error = :e, updated_at = :t WHERE id = :i "
                      "AND state = 'issued'",
          soci::use(state), soci::use(error, error_ind), soci::use(at), soci::use(wid);
      if (!c || !c->remote()) NumberPool(m_conn).void_number(d.courier, d.number);
      // A confirmation not sent yet must not be: the parcel does not ship. That includes the
      // ones a person was to enter by hand (CSV shops' `manual` list).
      m_conn.sql() << "UPDATE ship_confirmations SET state = 'void' WHERE waybill_no = :n AND "
                      "state IN ('pending', 'manual')",
          soci::use(d.number);
      return {};
    });
    if (!done) return std::unexpected(done.error());
    ++ended;
  }
  return ended;
}

Result<std::optional<Waybill>> WaybillService::live_waybill(std::int64_t parcel_id) {
  return store::guarded([&]() -> Result<std::optional<Waybill>> {
    long long id = parcel_id;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << std::string(k_select_waybill) +
                                     "WHERE parcel_id = :p AND state IN ('requested', 'issued')",
         soci::use(id));
    std::optional<Waybill> out;
    for (const auto& r : rows) out = read_waybill(r);
    return out;
  });
}

Result<std::vector<Waybill>> WaybillService::waybills_of(std::int64_t parcel_id) {
  return store::guarded([&]() -> Result<std::vector<Waybill>> {
    long long id = parcel_id;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << std::string(k_select_waybill) + "WHERE parcel_id = :p ORDER BY id",
         soci::use(id));
    std::vector<Waybill> out;
    for (const auto& r : rows) out.push_back(read_waybill(r));
    return out;
  });
}

Result<DayCounts> WaybillService::today() {
  return store::guarded([&]() -> Result<DayCounts> {
    DayCounts out;
    long long day = shanghai_yymmdd(m_clock.now());
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT courier, parcels FROM courier_days WHERE day = :d",
         soci::use(day));
    for (const auto& r : rows) out.per_courier[get_text(r, 0)] = get_int(r, 1);
    return out;
  });
}

Result<std::vector<Confirmation>> WaybillService::confirmations(const std::string& state,
                                                                int limit) {
  return store::guarded([&]() -> Result<std::vector<Confirmation>> {
    std::vector<Confirmation> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT id, parcel_id, tid, shop, courier, waybill_no, sub_tids, "
                                 "state, attempts, next_at, last_error FROM ship_confirmations "
                                 "WHERE state = :s ORDER BY id DESC LIMIT " +
                                     std::to_string(std::clamp(limit, 1, 1000)),
         soci::use(state));
    for (const auto& r : rows)
      out.push_back({get_int(r, 0), get_int(r, 1), get_int(r, 2), get_text(r, 3), get_text(r, 4),
                     get_text(r, 5), get_text(r, 6), get_text(r, 7), get_text(r, 10), get_int(r, 8),
                     get_int(r, 9)});
    return out;
  });
}

}  // namespace fulfil::courier
