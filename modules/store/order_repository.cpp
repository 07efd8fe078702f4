#include "store/order_repository.hpp"

#include <array>
#include <deque>
#include <optional>
#include <unordered_map>

#include "common/timeutil.hpp"
#include "orders/fulfilment.hpp"
#include "orders/serial.hpp"
#include "store/row_reader.hpp"

namespace fulfil::store {

UpsertReport& UpsertReport::operator+=(const UpsertReport& o) {
  inserted += o.inserted;
  updated += o.updated;
  unchanged += o.unchanged;
  entered += o.entered;
  intercepted += o.intercepted;
  return *this;
}

namespace {

constexpr std::array<std::string_view, 37> k_trade_columns{"tid",
                                                           "shop",
                                                           "source",
                                                           "status",
                                                           "fstate",
                                                           "intercept_reason",
                                                           "serial",
                                                           "serial_day",
                                                           "serial_seq",
                                                           "type",
                                                           "created",
                                                           "pay_time",
                                                           "modified",
                                                           "consign_time",
                                                           "end_time",
                                                           "payment",
                                                           "total_fee",
                                                           "post_fee",
                                                           "discount_fee",
                                                           "buyer_nick",
                                                           "buyer_message",
                                                           "buyer_memo",
                                                           "seller_memo",
                                                           "seller_flag",
                                                           "receiver_name",
                                                           "receiver_mobile",
                                                           "receiver_phone",
                                                           "province",
                                                           "city",
                                                           "district",
                                                           "town",
                                                           "address_detail",
                                                           "zip",
                                                           "shipping_type",
                                                           "content_digest",
                                                           "arrived_at",
                                                           "updated_at"};

// On conflict the incoming trade is newer (decide() checked): take its fields, but keep the
// first arrival, the original source and any serial already given.
constexpr std::string_view k_trade_conflict =
    "ON CONFLICT (tid) DO UPDATE SET status = excluded.status, fstate = excluded.fstate, "
    "intercept_reason = COALESCE(excluded.intercept_reason, trades.intercept_reason), "
    "serial = COALESCE(trades.serial, excluded.serial), "
    "serial_day = COALESCE(trades.serial_day, excluded.serial_day), "
    "serial_seq = COALESCE(trades.serial_seq, excluded.serial_seq), type = excluded.type, "
    "created = excluded.created, pay_time = excluded.pay_time, modified = excluded.modified, "
    "consign_time = excluded.consign_time, end_time = excluded.end_time, "
    "payment = excluded.payment, total_fee = excluded.total_fee, post_fee = excluded.post_fee, "
    "discount_fee = excluded.discount_fee, buyer_nick = excluded.buyer_nick, "
    "buyer_message = excluded.buyer_message, buyer_memo = excluded.buyer_memo, "
    "seller_memo = excluded.seller_memo, seller_flag = excluded.seller_flag, "
    "receiver_name = excluded.receiver_name, receiver_mobile = excluded.receiver_mobile, "
    "receiver_phone = excluded.receiver_phone, province = excluded.province, "
    "city = excluded.city, district = excluded.district, town = excluded.town, "
    "address_detail = excluded.address_detail, zip = excluded.zip, "
    "shipping_type = excluded.shipping_type, content_digest = excluded.content_digest, "
    "updated_at = excluded.updated_at";

constexpr std::array<std::string_view, 13> k_line_columns{
    "oid",   "tid", "num_iid", "sku_id", "outer_iid",    "outer_sku_id", "title", "sku_properties",
    "price", "num", "payment", "status", "refund_status"};

constexpr std::array<std::string_view, 5> k_event_columns{"tid", "at", "actor", "kind", "detail"};

constexpr std::array<std::string_view, 3> k_signal_columns{"tid", "kind", "at"};

SqlValue opt(const std::optional<std::int64_t>& v) {
  return v ? SqlValue(*v) : SqlValue(std::monostate{});
}
SqlValue text_or_null(std::string_view s) {
  return s.empty() ? SqlValue(std::monostate{}) : SqlValue(s);
}

std::string tid_list(std::span<const orders::Trade* const> trades) {
  std::string out;
  for (const auto* t : trades) {
    if (!out.empty()) out += ',';
    out += std::to_string(t->tid);  // integers only: safe to inline
  }
  return out;
}

}  // namespace

std::int64_t OrderRepository::reserve_serials(int yymmdd, std::int64_t count) {
  // One row per day; gaps from rolled-back transactions are fine, duplicates are not.
  long long day = yymmdd, n = count, last = 0;
  m_conn.sql() << "INSERT INTO serial_counters (day, next_seq) VALUES (:d, :n) "
                  "ON CONFLICT (day) DO UPDATE SET next_seq = serial_counters.next_seq + "
                  "excluded.next_seq RETURNING next_seq",
      soci::use(day), soci::use(n), soci::into(last);
  return last - count + 1;  // first sequence number of the block
}

UpsertReport OrderRepository::upsert(std::span<const orders::Trade> trades,
                                     std::string_view actor) {
  UpsertReport report;
  if (trades.empty()) return report;

  // A batch may hold the same trade twice (it moved between pages): keep the newest.
  std::unordered_map<orders::Tid, const orders::Trade*> newest;
  std::vector<const orders::Trade*> batch;
  for (const auto& t : trades) {
    auto [it, fresh] = newest.try_emplace(t.tid, &t);
    if (fresh)
      batch.push_back(&t);
    else if (t.modified >= it->second->modified)
      it->second = &t;
  }
  for (auto& p : batch) p = newest[p->tid];
  report.unchanged += static_cast<int>(trades.size() - batch.size());

  std::unordered_map<orders::Tid, orders::StoredState> stored;
  {
    std::string sql =
        "SELECT tid, status, fstate, modified, serial, content_digest FROM trades WHERE tid IN (" +
        tid_list(batch) + ")";
    if (m_conn.dialect() == Dialect::postgresql) sql += " ORDER BY tid FOR UPDATE";
    soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql);
    for (const auto& r : rows)
      stored[get_int(r, 0)] = {get_text(r, 1), get_text(r, 2), get_int(r, 3), !is_null(r, 4),
                               get_int(r, 5)};
  }

  const UnixSeconds now = m_clock.now();
  std::vector<orders::Transition> decisions;
  decisions.reserve(batch.size());
  std::int64_t serials_needed = 0;
  for (const auto* t : batch) {
    auto it = stored.find(t->tid);
    decisions.push_back(orders::decide(
        *t, it == stored.end() ? std::nullopt : std::optional<orders::StoredState>(it->second)));
    if (decisions.back().assign_serial) ++serials_needed;
  }
  const int today = shanghai_yymmdd(now);
  std::int64_t next_seq = serials_needed ? reserve_serials(today, serials_needed) : 0;

  std::deque<std::string> serials;  // owns the serial texts the SqlValues point into
  std::vector<SqlValue> new_trade_rows, trade_rows, line_rows, event_rows, signal_rows;
  std::vector<const orders::Trade*> replaced_lines;
  trade_rows.reserve(batch.size() * k_trade_columns.size());
  const std::string_view source = actor.substr(0, actor.find(':'));
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const orders::Trade& t = *batch[i];
    const orders::Transition& d = decisions[i];
    if (d.action == orders::Transition::Action::skip) {
      ++report.unchanged;
      continue;
    }
    if (d.action == orders::Transition::Action::insert)
      ++report.inserted;
    else {
      ++report.updated;
      replaced_lines.push_back(&t);
    }
    SqlValue serial, serial_day, serial_seq;
    if (d.assign_serial) {
      orders::Serial s{today, next_seq++};
      serial = std::string_view(serials.emplace_back(s.text()));
      serial_day = std::int64_t{today};
      serial_seq = s.seq;
      ++report.entered;
    }
    if (!d.intercept_reason.empty()) ++report.intercepted;
    // What review must hear about: a trade entering the warehouse, one pulled out, and a
    // change to one already inside (memo, address: it may need another look).
    const auto was = stored.find(t.tid);
    const bool was_in = was != stored.end() && orders::entered_warehouse(was->second.fstate);
    std::string_view signal;
    if (d.assign_serial)
      signal = orders::signal::entered;
    else if (was_in && d.fstate == orders::fstate::intercepted &&
             was->second.fstate != orders::fstate::intercepted)
      signal = orders::signal::intercepted;
    else if (was_in && d.fstate != orders::fstate::intercepted)
      signal = orders::signal::changed;
    if (!signal.empty()) {
      SqlValue sig[] = {t.tid, signal, now};
      signal_rows.insert(signal_rows.end(), std::begin(sig), std::end(sig));
    }
    const auto& a = t.address;
    SqlValue row[] = {t.tid,
                      std::string_view(t.shop),
                      source,
                      std::string_view(t.status),
                      std::string_view(d.fstate),  // `decisions` outlives the writes
                      text_or_null(d.intercept_reason),
                      serial,
                      serial_day,
                      serial_seq,
                      text_or_null(t.type),
                      t.created,
                      opt(t.pay_time),
                      t.modified,
                      opt(t.consign_time),
                      opt(t.end_time),
                      t.payment,
                      t.total_fee,
                      t.post_fee,
                      t.discount_fee,
                      std::string_view(t.buyer_nick),
                      text_or_null(t.buyer_message),
                      text_or_null(t.buyer_memo),
                      text_or_null(t.seller_memo),
                      std::int64_t{t.seller_flag},
                      std::string_view(t.receiver_name),
                      text_or_null(t.receiver_mobile),
                      text_or_null(t.receiver_phone),
                      std::string_view(a.province),
                      std::string_view(a.city),
                      std::string_view(a.district),
                      text_or_null(a.town),
                      std::string_view(a.detail),
                      text_or_null(a.zip),
                      text_or_null(t.shipping_type),
                      orders::content_digest(t),
                      now,
                      now};
    // Trades the store has not seen go in plainly (COPY on PostgreSQL); the conflict clause
    // is for ones it holds. A trade another writer stored meanwhile makes the plain insert
    // fail, and the batch is fetched and decided again.
    auto& rows = was == stored.end() ? new_trade_rows : trade_rows;
    rows.insert(rows.end(), std::begin(row), std::end(row));
    for (const auto& l : t.lines) {
      SqlValue line[] = {l.oid,
                         t.tid,
                         l.num_iid,
                         l.sku_id,
                         text_or_null(l.outer_iid),
                         text_or_null(l.outer_sku_id),
                         std::string_view(l.title),
                         text_or_null(l.sku_properties),
                         l.price,
                         std::int64_t{l.num},
                         l.payment,
                         text_or_null(l.status),
                         text_or_null(l.refund_status)};
      line_rows.insert(line_rows.end(), std::begin(line), std::end(line));
    }
    for (const auto& e : d.events) {
      SqlValue ev[] = {t.tid, now, actor, std::string_view(e.kind), std::string_view(e.detail)};
      event_rows.insert(event_rows.end(), std::begin(ev), std::end(ev));
    }
  }

  if (!replaced_lines.empty())
    m_conn.sql() << "DELETE FROM trade_lines WHERE tid IN (" + tid_list(replaced_lines) + ")";
  m_writer.insert("trades", k_trade_columns, new_trade_rows);
  m_writer.insert("trades", k_trade_columns, trade_rows, k_trade_conflict);
  m_writer.insert("trade_lines", k_line_columns, line_rows);
  m_writer.insert("order_events", k_event_columns, event_rows);
  m_writer.insert("trade_signals", k_signal_columns, signal_rows);
  return report;
}

}  // namespace fulfil::store
