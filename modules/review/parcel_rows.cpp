#include "review/parcel_rows.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "store/id_counter.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::review {

using store::get_int;
using store::get_opt_int;
using store::get_text;
using store::id_list;
using store::SqlValue;

namespace {

constexpr const char* k_select =
    "SELECT id, shop, state, version, slice, key_rank, pay_time, created, serial_day, "
    "serial_seq, buyer_nick, merge_key, city, problem, waived, claim_holder, claim_expires, "
    "merged_into, split_from, reviewer, created_at, updated_at FROM parcels ";

constexpr std::array<std::string_view, 22> k_columns{
    "id",         "shop",     "state",      "version",      "slice",         "key_rank",
    "pay_time",   "created",  "serial_day", "serial_seq",   "buyer_nick",    "merge_key",
    "city",       "problem",  "waived",     "claim_holder", "claim_expires", "merged_into",
    "split_from", "reviewer", "created_at", "updated_at"};

constexpr std::array<std::string_view, 8> k_event_columns{
    "parcel_id", "at", "actor", "kind", "from_state", "to_state", "version", "detail"};

Parcel read(const soci::row& r) {
  Parcel p;
  std::size_t i = 0;
  p.id = get_int(r, i++);
  p.shop = get_text(r, i++);
  p.state = parse_state(get_text(r, i++)).value_or(State::problem);
  p.version = get_int(r, i++);
  p.slice = get_text(r, i++);
  p.key_rank = static_cast<int>(get_int(r, i++));
  p.pay_time = get_int(r, i++);
  p.created = get_int(r, i++);
  p.serial_day = get_int(r, i++);
  p.serial_seq = get_int(r, i++);
  p.buyer_nick = get_text(r, i++);
  p.merge_key = get_text(r, i++);
  p.city = get_text(r, i++);
  p.problem = get_text(r, i++);
  p.waived = get_int(r, i++) != 0;
  p.claim_holder = get_text(r, i++);
  p.claim_expires = get_int(r, i++);
  p.merged_into = get_opt_int(r, i++);
  p.split_from = get_opt_int(r, i++);
  p.reviewer = get_text(r, i++);
  p.created_at = get_int(r, i++);
  p.updated_at = get_int(r, i++);
  return p;
}

SqlValue text_or_null(std::string_view s) {
  return s.empty() ? SqlValue(std::monostate{}) : SqlValue(s);
}
SqlValue opt(const std::optional<std::int64_t>& v) {
  return v ? SqlValue(*v) : SqlValue(std::monostate{});
}

}  // namespace

ParcelEvent advance(Parcel& p, State to, std::string_view kind, const std::string& actor,
                    std::string detail, UnixSeconds now) {
  ParcelEvent e{p.id,
                now,
                actor,
                std::string(kind),
                std::string(to_string(p.state)),
                std::string(to_string(to)),
                p.version + 1,
                std::move(detail)};
  p.state = to;
  ++p.version;
  p.updated_at = now;
  if (to != State::in_review) {
    p.claim_holder.clear();
    p.claim_expires = 0;
  }
  return e;
}

std::vector<Parcel> ParcelRows::load_where(const std::string& tail) {
  std::vector<Parcel> out;
  soci::rowset<soci::row> rows = (m_conn.sql().prepare << std::string(k_select) + tail);
  for (const auto& r : rows) out.push_back(read(r));
  return out;
}

std::vector<Parcel> ParcelRows::load(std::span<const std::int64_t> ids, bool lock) {
  std::string tail = "WHERE id IN (" + id_list(ids) + ") ORDER BY id";
  if (lock && m_conn.dialect() == store::Dialect::postgresql) tail += " FOR UPDATE";
  return load_where(tail);
}

std::optional<Parcel> ParcelRows::load_one(std::int64_t id, bool lock) {
  auto v = load(std::span(&id, 1), lock);
  if (v.empty()) return std::nullopt;
  return v.front();
}

namespace {
// The selected columns again, for RETURNING.
std::string returning() {
  std::string cols(k_select);
  cols = cols.substr(7, cols.find(" FROM ") - 7);
  return " RETURNING " + cols;
}

std::vector<ParcelEvent> events_for(const std::vector<Parcel>& ps, const std::string& actor,
                                    std::string_view kind, std::string_view from, UnixSeconds now) {
  std::vector<ParcelEvent> out;
  for (const auto& p : ps)
    out.push_back({p.id, now, actor, std::string(kind), std::string(from),
                   std::string(to_string(p.state)), p.version, ""});
  return out;
}
}  // namespace

std::vector<Parcel> ParcelRows::claim(const std::string& slice, int n, const std::string& holder,
                                      UnixSeconds expires, UnixSeconds now) {
  const bool pg = m_conn.dialect() == store::Dialect::postgresql;
  std::string sql =
      "UPDATE parcels SET state = 'in_review', version = version + 1, claim_holder = :h, "
      "claim_expires = :e, updated_at = :n WHERE id IN (SELECT id FROM parcels WHERE state = "
      "'ready' AND slice = :s ORDER BY key_rank, pay_time, id LIMIT " +
      std::to_string(n) + (pg ? " FOR UPDATE SKIP LOCKED)" : ")") + returning();
  long long e = expires, at = now;
  std::vector<Parcel> out;
  soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql, soci::use(holder), soci::use(e),
                                  soci::use(at), soci::use(slice));
  for (const auto& r : rows) out.push_back(read(r));
  std::sort(out.begin(), out.end(), [](const Parcel& a, const Parcel& b) {
    return std::tie(a.key_rank, a.pay_time, a.id) < std::tie(b.key_rank, b.pay_time, b.id);
  });
  add_events(events_for(out, holder, "claimed", "ready", now));
  return out;
}

std::vector<Parcel> ParcelRows::expire_claims(UnixSeconds now, int limit) {
  const bool pg = m_conn.dialect() == store::Dialect::postgresql;
  std::string sql =
      "UPDATE parcels SET state = 'ready', version = version + 1, claim_holder = NULL, "
      "claim_expires = NULL, updated_at = :n WHERE id IN (SELECT id FROM parcels WHERE state = "
      "'in_review' AND claim_expires < :n2 ORDER BY claim_expires LIMIT " +
      std::to_string(limit) + (pg ? " FOR UPDATE SKIP LOCKED)" : ")") + returning();
  long long at = now;
  std::vector<Parcel> out;
  soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql, soci::use(at), soci::use(at));
  for (const auto& r : rows) out.push_back(read(r));
  add_events(events_for(out, "auto", "claim_expired", "in_review", now));
  return out;
}

std::int64_t ParcelRows::reserve_ids(std::int64_t n) {
  return store::reserve_ids(m_conn, "review_counters", "parcel", n);
}

void ParcelRows::insert(std::span<const Parcel> parcels) {
  std::vector<SqlValue> rows;
  rows.reserve(parcels.size() * k_columns.size());
  for (const auto& p : parcels) {
    SqlValue row[] = {p.id,
                      std::string_view(p.shop),
                      to_string(p.state),
                      p.version,
                      std::string_view(p.slice),
                      std::int64_t{p.key_rank},
                      p.pay_time,
                      p.created,
                      p.serial_day,
                      p.serial_seq,
                      std::string_view(p.buyer_nick),
                      std::string_view(p.merge_key),
                      std::string_view(p.city),
                      text_or_null(p.problem),
                      std::int64_t{p.waived},
                      text_or_null(p.claim_holder),
                      p.claim_expires ? SqlValue(p.claim_expires) : SqlValue(std::monostate{}),
                      opt(p.merged_into),
                      opt(p.split_from),
                      text_or_null(p.reviewer),
                      p.created_at,
                      p.updated_at};
    rows.insert(rows.end(), std::begin(row), std::end(row));
  }
  m_writer.insert("parcels", k_columns, rows);
}

void ParcelRows::update(const Parcel& p) {
  std::string state(to_string(p.state));
  long long version = p.version, waived = p.waived, expires = p.claim_expires,
            pay_time = p.pay_time, updated = p.updated_at, id = p.id;
  long long merged = p.merged_into.value_or(0);
  soci::indicator problem_ind = p.problem.empty() ? soci::i_null : soci::i_ok;
  soci::indicator holder_ind = p.claim_holder.empty() ? soci::i_null : soci::i_ok;
  soci::indicator expires_ind = p.claim_expires ? soci::i_ok : soci::i_null;
  soci::indicator merged_ind = p.merged_into ? soci::i_ok : soci::i_null;
  soci::indicator reviewer_ind = p.reviewer.empty() ? soci::i_null : soci::i_ok;
  m_conn.sql() << "UPDATE parcels SET state = :s, version = :v, problem = :p, waived = :w, "
                  "claim_holder = :h, claim_expires = :e, merged_into = :m, reviewer = :r, "
                  "pay_time = :pt, updated_at = :u WHERE id = :id",
      soci::use(state), soci::use(version), soci::use(p.problem, problem_ind), soci::use(waived),
      soci::use(p.claim_holder, holder_ind), soci::use(expires, expires_ind),
      soci::use(merged, merged_ind), soci::use(p.reviewer, reviewer_ind), soci::use(pay_time),
      soci::use(updated), soci::use(id);
}

void ParcelRows::add_events(std::span<const ParcelEvent> events) {
  std::vector<SqlValue> rows;
  rows.reserve(events.size() * k_event_columns.size());
  for (const auto& e : events) {
    SqlValue row[] = {e.parcel_id,
                      e.at,
                      std::string_view(e.actor),
                      std::string_view(e.kind),
                      text_or_null(e.from_state),
                      std::string_view(e.to_state),
                      e.version,
                      std::string_view(e.detail)};
    rows.insert(rows.end(), std::begin(row), std::end(row));
  }
  m_writer.insert("parcel_events", k_event_columns, rows);
}

std::vector<orders::Tid> ParcelRows::home_tids(std::int64_t parcel_id) {
  return home_tids(std::span(&parcel_id, 1))[parcel_id];
}

std::map<std::int64_t, std::vector<orders::Tid>> ParcelRows::home_tids(
    std::span<const std::int64_t> ids) {
  std::map<std::int64_t, std::vector<orders::Tid>> out;
  soci::rowset<soci::row> rows =
      (m_conn.sql().prepare << "SELECT parcel_id, tid FROM parcel_trades WHERE parcel_id IN (" +
                                   id_list(ids) + ") ORDER BY tid");
  for (const auto& r : rows) out[get_int(r, 0)].push_back(get_int(r, 1));
  return out;
}

std::map<std::int64_t, std::vector<orders::Tid>> ParcelRows::shipped_tids(
    std::span<const std::int64_t> ids) {
  auto out = home_tids(ids);
  soci::rowset<soci::row> rows =
      (m_conn.sql().prepare << "SELECT DISTINCT m.to_parcel, l.tid FROM parcel_line_moves m JOIN "
                               "trade_lines l ON l.oid = m.oid WHERE m.to_parcel IN (" +
                                   id_list(ids) + ")");
  for (const auto& r : rows) {
    auto& tids = out[get_int(r, 0)];
    const orders::Tid tid = get_int(r, 1);
    if (std::find(tids.begin(), tids.end(), tid) == tids.end()) tids.push_back(tid);
  }
  for (auto& [id, tids] : out) std::sort(tids.begin(), tids.end());
  return out;
}

std::map<orders::Tid, ParcelRows::TradeFlag> ParcelRows::trade_flags(
    std::span<const orders::Tid> tids) {
  std::map<orders::Tid, TradeFlag> out;
  std::string sql =
      "SELECT tid, fstate, intercept_reason FROM trades WHERE tid IN (" + id_list(tids) + ")";
  // Serialises with the sync, which locks the trades it updates; both lock in tid order, so
  // neither waits for the other in a cycle.
  if (m_conn.dialect() == store::Dialect::postgresql) sql += " ORDER BY tid FOR UPDATE";
  soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql);
  for (const auto& r : rows) out[get_int(r, 0)] = {get_text(r, 1), get_text(r, 2)};
  return out;
}

std::map<std::int64_t, std::vector<ParcelLine>> ParcelRows::lines(
    std::span<const std::int64_t> ids) {
  std::map<std::int64_t, std::vector<ParcelLine>> out;
  const std::string in = id_list(ids);
  auto read_into = [&](const std::string& sql) {
    soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql);
    for (const auto& r : rows)
      out[get_int(r, 0)].push_back({get_int(r, 13), store::read_line(r, 1)});
  };
  const std::string cols = store::line_columns("l") + " FROM trade_lines l ";
  read_into("SELECT pt.parcel_id, " + cols +
            "JOIN parcel_trades pt ON pt.tid = l.tid WHERE pt.parcel_id IN (" + in +
            ") AND NOT EXISTS (SELECT 1 FROM parcel_line_moves m WHERE m.oid = l.oid) "
            "ORDER BY l.tid, l.oid");
  read_into("SELECT m.to_parcel, " + cols +
            "JOIN parcel_line_moves m ON m.oid = l.oid WHERE m.to_parcel IN (" + in +
            ") ORDER BY l.tid, l.oid");
  return out;
}

void ParcelRows::mirror(std::span<const orders::Tid> tids, std::string_view fstate,
                        bool over_intercepted) {
  if (tids.empty()) return;
  std::string sql = "UPDATE trades SET fstate = '" + std::string(fstate) + "' WHERE tid IN (" +
                    id_list(tids) + ")";
  if (!over_intercepted) sql += " AND fstate <> 'intercepted'";
  m_conn.sql() << sql;
}

void ParcelRows::release_stock(std::span<const std::int64_t> parcel_ids) {
  if (parcel_ids.empty()) return;
  const std::string in = id_list(parcel_ids);
  m_conn.sql() << "UPDATE stock SET reserved = reserved - (SELECT SUM(r.qty) FROM "
                  "stock_reservations r WHERE r.sku = stock.sku AND r.parcel_id IN (" +
                      in +
                      ")) WHERE sku IN (SELECT sku FROM stock_reservations WHERE "
                      "parcel_id IN (" +
                      in + "))";
  m_conn.sql() << "DELETE FROM stock_reservations WHERE parcel_id IN (" + in + ")";
}

}  // namespace fulfil::review
