#include "courier/tracking_service.hpp"

#include <algorithm>
#include <map>

#include "common/log.hpp"
#include "store/row_reader.hpp"

namespace fulfil::courier {

using store::get_int;
using store::get_opt_int;
using store::get_text;

namespace {

constexpr std::string_view k_columns =
    "id, courier, waybill_no, kind, parcel_id, tid, state, state_code, last_event_at, "
    "last_context, last_error, subscribed, created_at";
constexpr std::string_view k_open = "state NOT IN ('delivered', 'refused') AND kind <> 'unmatched'";

Shipment shipment_from(const soci::row& r) {
  Shipment s;
  s.id = get_int(r, 0);
  s.courier = get_text(r, 1);
  s.waybill_no = get_text(r, 2);
  s.kind = get_text(r, 3);
  s.parcel_id = get_opt_int(r, 4);
  s.tid = get_opt_int(r, 5);
  s.state = get_text(r, 6);
  s.state_code = static_cast<int>(get_int(r, 7, -1));
  s.last_event_at = get_opt_int(r, 8);
  s.last_context = get_text(r, 9);
  s.last_error = get_text(r, 10);
  s.subscribed = get_int(r, 11) != 0;
  s.created_at = get_int(r, 12);
  return s;
}

}  // namespace

std::string_view to_string(ShipmentList l) {
  switch (l) {
    case ShipmentList::attention:
      return "attention";
    case ShipmentList::stuck:
      return "stuck";
    case ShipmentList::returns:
      return "returns";
    case ShipmentList::unmatched:
      return "unmatched";
  }
  return "attention";
}

std::optional<ShipmentList> parse_shipment_list(std::string_view s) {
  for (auto l : {ShipmentList::attention, ShipmentList::stuck, ShipmentList::returns,
                 ShipmentList::unmatched})
    if (to_string(l) == s) return l;
  return std::nullopt;
}

Result<int> TrackingService::enroll() {
  return store::in_transaction(m_conn, [&]() -> Result<int> {
    long long now = m_clock.now();
    soci::statement st =
        (m_conn.sql().prepare
             << "INSERT INTO shipments (courier, waybill_no, kind, parcel_id, tid, state, "
                "subscribed, next_poll_at, attempts, created_at, updated_at) "
                "SELECT w.courier, w.waybill_no, 'outbound', w.parcel_id, (SELECT MIN(pt.tid) "
                "FROM parcel_trades pt WHERE pt.parcel_id = w.parcel_id), 'waiting', 0, :n, 0, "
                ":n2, :n3 FROM waybills w JOIN parcels p ON p.id = w.parcel_id WHERE w.state = "
                "'issued' AND p.state NOT IN ('intercepted', 'cancelled') AND NOT EXISTS "
                "(SELECT 1 FROM shipments s WHERE s.courier = w.courier AND s.waybill_no = "
                "w.waybill_no)",
         soci::use(now), soci::use(now), soci::use(now));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
  });
}

Result<std::int64_t> TrackingService::apply(const Track& t) {
  return store::in_transaction(m_conn, [&]() -> Result<std::int64_t> {
    const long long now = m_clock.now();
    std::vector<Shipment> found = read("waybill_no = :w ORDER BY id", false, t.number);
    std::int64_t id = 0;
    if (found.empty()) {
      log::warn("tracking for a number we did not send; kept as unmatched",
                {{"company", t.com}, {"number", t.number}});
      std::string courier = t.com, number = t.number;
      m_conn.sql() << "INSERT INTO shipments (courier, waybill_no, kind, state, subscribed, "
                      "next_poll_at, attempts, created_at, updated_at) VALUES (:c, :w, "
                      "'unmatched', 'waiting', 0, :n, 0, :n2, :n3)",
          soci::use(courier), soci::use(number), soci::use(now), soci::use(now), soci::use(now);
      found = read("waybill_no = :w ORDER BY id", false, t.number);
      if (found.empty()) return fail(ErrorKind::internal, "unmatched shipment not stored");
    }
    id = found.front().id;
    std::optional<UnixSeconds> newest = found.front().last_event_at;
    std::string newest_context = found.front().last_context;
    for (const auto& e : t.events) {
      long long sid = id, at = e.at;
      std::string context = e.context, area = e.area, status = e.status;
      m_conn.sql() << "INSERT INTO shipment_events (shipment_id, at, context, area, status) "
                      "VALUES (:s, :a, :c, :r, :t) ON CONFLICT DO NOTHING",
          soci::use(sid), soci::use(at), soci::use(context), soci::use(area), soci::use(status);
      if (!newest || e.at >= *newest) {
        newest = e.at;
        newest_context = e.context;
      }
    }
    const std::string state =
        t.state ? std::string(to_string(*t.state)) : found.front().state;  // unknown: keep
    const bool final = t.state && is_final(*t.state);
    long long next = final ? now : now + static_cast<long long>(m_s.poll_minutes) * 60;
    long long code = t.state_code, sid = id, last = newest.value_or(0);
    soci::indicator last_ind = newest ? soci::i_ok : soci::i_null;
    m_conn.sql() << "UPDATE shipments SET state = :s, state_code = :c, last_event_at = :l, "
                    "last_context = :x, last_error = '', attempts = 0, next_poll_at = :p, "
                    "updated_at = :u WHERE id = :i",
        soci::use(state), soci::use(code), soci::use(last, last_ind), soci::use(newest_context),
        soci::use(next), soci::use(now), soci::use(sid);
    // The state's history, read by the status feed (modules/aftersale).
    if (state != found.front().state)
      m_conn.sql() << "INSERT INTO shipment_changes (shipment_id, at, from_state, to_state) "
                      "VALUES (:s, :a, :f, :t)",
          soci::use(sid), soci::use(now), soci::use(found.front().state), soci::use(state);
    return id;
  });
}

Result<std::int64_t> TrackingService::add_return(const std::string& courier,
                                                 const std::string& waybill_no,
                                                 std::optional<std::int64_t> tid,
                                                 const std::string& phone) {
  if (courier.empty() || courier.size() > 16)
    return fail(ErrorKind::invalid_input, "courier: expected a company code (ZTO, SF, ...)");
  if (waybill_no.empty() || waybill_no.size() > 40 ||
      waybill_no.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != std::string::npos)
    return fail(ErrorKind::invalid_input,
                "waybill_no: expected up to 40 capital letters, digits or '-', got \"" +
                    waybill_no.substr(0, 60) + "\"");
  return store::in_transaction(m_conn, [&]() -> Result<std::int64_t> {
    const long long now = m_clock.now();
    auto existing = read("waybill_no = :w ORDER BY id", false, waybill_no);
    std::erase_if(existing, [&](const Shipment& s) { return s.courier != courier; });
    if (!existing.empty()) {
      if (existing.front().kind != "return")
        return fail(ErrorKind::conflict, courier + " " + waybill_no + " is already followed as " +
                                             existing.front().kind);
      return existing.front().id;  // recorded before: the same shipment
    }
    long long t = tid.value_or(0);
    soci::indicator tid_ind = tid ? soci::i_ok : soci::i_null;
    std::string c = courier, w = waybill_no;
    m_conn.sql() << "INSERT INTO shipments (courier, waybill_no, kind, tid, state, subscribed, "
                    "next_poll_at, attempts, created_at, updated_at) VALUES (:c, :w, 'return', "
                    ":t, 'waiting', 0, :n, 0, :n2, :n3)",
        soci::use(c), soci::use(w), soci::use(t, tid_ind), soci::use(now), soci::use(now),
        soci::use(now);
    (void)phone;  // the trade's receiver phone is used when the courier checks it
    auto stored = read("waybill_no = :w ORDER BY id DESC", false, waybill_no);
    return stored.front().id;
  });
}

void TrackingService::record_failure(std::int64_t id, int attempts, const Error& e,
                                     UnixSeconds now) {
  // No result yet is normal for a fresh waybill: ask again at the usual pace. A link that
  // failed (reset, timeout, 5xx, an open breaker) says nothing about the number: again in
  // 30 s, 60, ... up to 10 min. Anything else backs off 10 min, 20, 40, ... up to 12 h, so a
  // broken number costs little.
  long long wait = static_cast<long long>(m_s.poll_minutes) * 60;
  if (e.kind == ErrorKind::network || e.kind == ErrorKind::timeout ||
      e.kind == ErrorKind::remote_retry || e.kind == ErrorKind::rate_limited)
    wait = std::min<long long>(30LL << std::min(attempts, 5), 600);
  else if (e.kind != ErrorKind::not_found)
    wait = std::min<long long>(600LL << std::min(attempts, 6), 12 * 3600);
  long long next = now + wait, at = now, sid = id, tries = attempts + 1;
  std::string message = e.message;
  m_conn.sql() << "UPDATE shipments SET last_error = :e, attempts = :a, next_poll_at = :n, "
                  "updated_at = :u WHERE id = :i",
      soci::use(message), soci::use(tries), soci::use(next), soci::use(at), soci::use(sid);
}

Result<TrackingReport> TrackingService::run(Kuaidi100Client& client) {
  TrackingReport report;
  auto enrolled = enroll();
  if (!enrolled) return std::unexpected(enrolled.error());
  report.enrolled = *enrolled;
  struct Due {
    Shipment s;
    std::string phone;
    int attempts;
  };
  auto due_where = [&](const std::string& extra) {
    return store::guarded([&]() -> Result<std::vector<Due>> {
      std::vector<Due> out;
      long long now = m_clock.now();
      soci::rowset<soci::row> rows =
          (m_conn.sql().prepare << "SELECT " + std::string(k_columns) +
                                       ", (SELECT t.receiver_mobile FROM trades t WHERE t.tid = "
                                       "shipments.tid), attempts FROM shipments WHERE " +
                                       std::string(k_open) + " AND next_poll_at <= :n" + extra +
                                       " ORDER BY next_poll_at LIMIT " + std::to_string(m_s.batch),
           soci::use(now));
      for (const auto& r : rows)
        out.push_back({shipment_from(r), get_text(r, 13), static_cast<int>(get_int(r, 14))});
      return out;
    });
  };
  auto queries_of = [](const std::vector<Due>& due) {
    std::vector<TrackQuery> q;
    for (const auto& d : due)
      q.push_back({kuaidi100_company(d.s.courier), d.s.waybill_no, d.phone});
    return q;
  };
  auto unknown_company = [&](const Due& d) -> std::optional<Error> {
    if (!kuaidi100_company(d.s.courier).empty()) return std::nullopt;
    return Error{ErrorKind::invalid_input,
                 "Kuaidi100 has no company code for courier " + d.s.courier};
  };

  const bool push = !client.settings().callback_url.empty();
  if (push) {
    auto fresh = due_where(" AND subscribed = 0");
    if (!fresh) return std::unexpected(fresh.error());
    auto answers = client.subscribe_many(queries_of(*fresh));
    auto done = store::in_transaction(m_conn, [&]() -> Result<void> {
      const long long now = m_clock.now();
      for (std::size_t i = 0; i < fresh->size(); ++i) {
        const auto& d = (*fresh)[i];
        if (auto e = unknown_company(d); e || !answers[i]) {
          record_failure(d.s.id, d.attempts, e ? *e : answers[i].error(), now);
          ++report.failed;
          continue;
        }
        // Pushes carry the news from now on; a daily query catches a lost push.
        long long next = now + 24 * 3600, sid = d.s.id;
        m_conn.sql() << "UPDATE shipments SET subscribed = 1, next_poll_at = :n, last_error = "
                        "'', updated_at = :u WHERE id = :i",
            soci::use(next), soci::use(now), soci::use(sid);
        ++report.subscribed;
      }
      return {};
    });
    if (!done) return std::unexpected(done.error());
  }

  auto due = due_where(push ? " AND subscribed = 1" : "");
  if (!due) return std::unexpected(due.error());
  auto tracks = client.query_many(queries_of(*due));
  for (std::size_t i = 0; i < due->size(); ++i) {
    const auto& d = (*due)[i];
    ++report.polled;
    auto e = unknown_company(d);
    if (!e && tracks[i]) {
      auto applied = apply(*tracks[i]);
      if (!applied) return std::unexpected(applied.error());
      ++report.updated;
      continue;
    }
    const Error& why = e ? *e : tracks[i].error();
    if (why.kind == ErrorKind::auth)
      log::error("Kuaidi100 refuses our credentials", {{"error", why.message}});
    auto r = store::in_transaction(m_conn, [&]() -> Result<void> {
      record_failure(d.s.id, d.attempts, why, m_clock.now());
      return {};
    });
    if (!r) return std::unexpected(r.error());
    if (why.kind != ErrorKind::not_found) ++report.failed;
  }
  return report;
}

std::vector<Shipment> TrackingService::read(const std::string& where_and_order, bool with_events,
                                            std::optional<std::string> number) {
  std::vector<Shipment> out;
  const std::string sql =
      "SELECT " + std::string(k_columns) + " FROM shipments WHERE " + where_and_order;
  auto collect = [&](soci::rowset<soci::row>&& rows) {
    for (const auto& r : rows) out.push_back(shipment_from(r));
  };
  if (number)
    collect((m_conn.sql().prepare << sql, soci::use(*number)));
  else
    collect((m_conn.sql().prepare << sql));
  if (with_events)
    for (auto& s : out) {
      long long sid = s.id;
      soci::rowset<soci::row> events =
          (m_conn.sql().prepare << "SELECT at, context, area, status FROM shipment_events WHERE "
                                   "shipment_id = :s ORDER BY at DESC",
           soci::use(sid));
      for (const auto& e : events)
        s.events.push_back({get_int(e, 0), get_text(e, 1), get_text(e, 2), get_text(e, 3)});
    }
  return out;
}

Result<std::vector<Shipment>> TrackingService::list(ShipmentList which, int limit) {
  return store::guarded([&]() -> Result<std::vector<Shipment>> {
    const long long now = m_clock.now();
    std::string where;
    switch (which) {
      case ShipmentList::attention:
        where =
            "kind <> 'unmatched' AND state IN ('problem', 'returning', 'refused') ORDER BY "
            "last_event_at DESC, id";
        break;
      case ShipmentList::stuck:
        where = std::string(k_open) + " AND COALESCE(last_event_at, created_at) < " +
                std::to_string(now - static_cast<long long>(m_s.stuck_hours) * 3600) +
                " ORDER BY COALESCE(last_event_at, created_at), id";
        break;
      case ShipmentList::returns:
        where = "kind = 'return' ORDER BY id DESC";
        break;
      case ShipmentList::unmatched:
        where = "kind = 'unmatched' ORDER BY id DESC";
        break;
    }
    return read(where + " LIMIT " + std::to_string(limit), false);
  });
}

Result<std::vector<Shipment>> TrackingService::of_parcel(std::int64_t parcel_id) {
  return store::guarded([&]() -> Result<std::vector<Shipment>> {
    return read("parcel_id = " + std::to_string(parcel_id) + " ORDER BY id", true);
  });
}

Result<std::optional<Shipment>> TrackingService::by_number(const std::string& waybill_no) {
  return store::guarded([&]() -> Result<std::optional<Shipment>> {
    auto found = read("waybill_no = :w ORDER BY id", true, waybill_no);
    if (found.empty()) return std::nullopt;
    return found.front();
  });
}

}  // namespace fulfil::courier
