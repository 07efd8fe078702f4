#include "aftersale/status_feed.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/log.hpp"
#include "common/timeutil.hpp"
#include "store/row_reader.hpp"

namespace fulfil::aftersale {

namespace json = boost::json;
using store::get_int;
using store::get_text;

namespace {

std::int64_t max_of(store::Connection& conn, const std::string& sql) {
  long long v = 0;
  soci::indicator ind = soci::i_null;
  conn.sql() << sql, soci::into(v, ind);
  return ind == soci::i_ok ? v : 0;
}

}  // namespace

Result<void> StatusFeedReader::start_at_end(store::Connection& conn) {
  return store::guarded([&]() -> Result<void> {
    m_parcel_event = max_of(conn, "SELECT MAX(id) FROM parcel_events");
    m_confirm_done =
        max_of(conn, "SELECT MAX(done_at) FROM ship_confirmations WHERE state = 'sent'");
    m_confirm_id = max_of(conn, "SELECT MAX(id) FROM ship_confirmations");
    m_shipment_change = max_of(conn, "SELECT MAX(id) FROM shipment_changes");
    m_return = max_of(conn, "SELECT MAX(id) FROM returns");
    return {};
  });
}

Result<void> StatusFeedReader::resume(store::Connection& conn) {
  auto found = store::guarded([&]() -> Result<bool> {
    long long pe = 0, cd = 0, ci = 0, sc = 0, ret = 0, seq = 0;
    conn.sql() << "SELECT parcel_event, confirm_done, confirm_id, shipment_change, return_id, "
                  "seq FROM status_feed WHERE name = 'status'",
        soci::into(pe), soci::into(cd), soci::into(ci), soci::into(sc), soci::into(ret),
        soci::into(seq);
    if (!conn.sql().got_data()) return false;
    m_parcel_event = pe, m_confirm_done = cd, m_confirm_id = ci, m_shipment_change = sc,
    m_return = ret, m_seq = seq;
    return true;
  });
  if (!found) return std::unexpected(found.error());
  if (*found) return {};
  if (auto r = start_at_end(conn); !r) return r;
  return save(conn, 0);
}

Result<void> StatusFeedReader::save(store::Connection& conn, UnixSeconds now) {
  return store::in_transaction(conn, [&]() -> Result<void> {
    long long pe = m_parcel_event, cd = m_confirm_done, ci = m_confirm_id, sc = m_shipment_change,
              ret = m_return, seq = m_seq, at = now;
    conn.sql() << "INSERT INTO status_feed (name, parcel_event, confirm_done, confirm_id, "
                  "shipment_change, return_id, seq, saved_at) VALUES ('status', :pe, :cd, :ci, "
                  ":sc, :r, :s, :at) ON CONFLICT (name) DO UPDATE SET parcel_event = "
                  "excluded.parcel_event, confirm_done = excluded.confirm_done, confirm_id = "
                  "excluded.confirm_id, shipment_change = excluded.shipment_change, return_id = "
                  "excluded.return_id, seq = excluded.seq, saved_at = excluded.saved_at",
        soci::use(pe), soci::use(cd), soci::use(ci), soci::use(sc), soci::use(ret), soci::use(seq),
        soci::use(at);
    return {};
  });
}

Result<std::vector<StatusChange>> StatusFeedReader::next(store::Connection& conn, int limit) {
  return store::guarded([&]() -> Result<std::vector<StatusChange>> {
    std::vector<StatusChange> out;
    const std::string lim = " LIMIT " + std::to_string(limit);
    auto emit = [&](std::string topic, json::object o) {
      o["seq"] = ++m_seq;
      out.push_back({std::move(topic), json::serialize(o)});
    };
    {
      long long after = m_parcel_event;
      soci::rowset<soci::row> rows =
          (conn.sql().prepare
               << "SELECT e.id, e.parcel_id, e.at, e.to_state, e.actor, w.courier, w.waybill_no "
                  "FROM parcel_events e LEFT JOIN waybills w ON w.parcel_id = e.parcel_id AND "
                  "w.state = 'issued' WHERE e.id > :a AND e.to_state IN ('approved', 'waybill', "
                  "'printed', 'packed', 'intercepted', 'cancelled') ORDER BY e.id" +
                      lim,
           soci::use(after));
      for (const auto& r : rows) {
        m_parcel_event = std::max<std::int64_t>(m_parcel_event, get_int(r, 0));
        const std::string state = get_text(r, 3);
        json::object o{{"event", state},
                       {"parcel_id", get_int(r, 1)},
                       {"at", format_iso_shanghai(get_int(r, 2))},
                       {"actor", get_text(r, 4)}};
        if (state == "waybill" || state == "printed" || state == "packed") {
          o["courier"] = get_text(r, 5);
          o["waybill_no"] = get_text(r, 6);
        }
        emit("parcel." + state, std::move(o));
      }
      // Rows past the limit would be skipped by a bare max: the cursor stops at the last
      // row read, which the ORDER BY makes the largest.
    }
    {
      long long done = m_confirm_done, id = m_confirm_id;
      soci::rowset<soci::row> rows =
          (conn.sql().prepare
               << "SELECT id, done_at, parcel_id, tid, courier, waybill_no FROM "
                  "ship_confirmations WHERE state = 'sent' AND (done_at > :d OR (done_at = :d2 "
                  "AND id > :i)) ORDER BY done_at, id" +
                      lim,
           soci::use(done), soci::use(done), soci::use(id));
      for (const auto& r : rows) {
        m_confirm_id = get_int(r, 0);
        m_confirm_done = get_int(r, 1);
        emit("parcel.shipped", {{"event", "shipped"},
                                {"parcel_id", get_int(r, 2)},
                                {"tid", std::to_string(get_int(r, 3))},
                                {"courier", get_text(r, 4)},
                                {"waybill_no", get_text(r, 5)},
                                {"at", format_iso_shanghai(get_int(r, 1))}});
      }
    }
    {
      long long after = m_shipment_change;
      soci::rowset<soci::row> rows =
          (conn.sql().prepare << "SELECT c.id, c.at, c.from_state, c.to_state, s.courier, "
                                 "s.waybill_no, s.kind, s.parcel_id, s.tid FROM shipment_changes "
                                 "c JOIN shipments s ON s.id = c.shipment_id WHERE c.id > :a "
                                 "ORDER BY c.id" +
                                     lim,
           soci::use(after));
      for (const auto& r : rows) {
        m_shipment_change = get_int(r, 0);
        const std::string state = get_text(r, 3);
        json::object o{{"event", state == "delivered" ? "signed" : "tracking"},
                       {"state", state},
                       {"from_state", get_text(r, 2)},
                       {"courier", get_text(r, 4)},
                       {"waybill_no", get_text(r, 5)},
                       {"kind", get_text(r, 6)},
                       {"at", format_iso_shanghai(get_int(r, 1))}};
        if (auto p = store::get_opt_int(r, 7)) o["parcel_id"] = *p;
        if (auto t = store::get_opt_int(r, 8)) o["tid"] = std::to_string(*t);
        emit(state == "delivered" ? "tracking.signed" : "tracking." + state, std::move(o));
      }
    }
    {
      long long after = m_return;
      soci::rowset<soci::row> rows =
          (conn.sql().prepare << "SELECT id, received_at, state, courier, waybill_no, parcel_id, "
                                 "tid FROM returns WHERE id > :a ORDER BY id" +
                                     lim,
           soci::use(after));
      for (const auto& r : rows) {
        m_return = get_int(r, 0);
        json::object o{{"event", "returned"},
                       {"return_id", get_int(r, 0)},
                       {"identified", get_text(r, 2) == "identified"},
                       {"courier", get_text(r, 3)},
                       {"waybill_no", get_text(r, 4)},
                       {"at", format_iso_shanghai(get_int(r, 1))}};
        if (auto p = store::get_opt_int(r, 5)) o["parcel_id"] = *p;
        if (auto t = store::get_opt_int(r, 6)) o["tid"] = std::to_string(*t);
        emit("return.received", std::move(o));
      }
    }
    return out;
  });
}

Result<std::unique_ptr<StatusPublisher>> StatusPublisher::bind(zmq::context_t& ctx,
                                                               const std::string& endpoint,
                                                               const std::optional<KeyPair>& keys) {
  try {
    zmq::socket_t s(ctx, zmq::socket_type::pub);
    s.set(zmq::sockopt::linger, 0);
    s.set(zmq::sockopt::sndhwm, 100000);
    if (keys) make_curve_server(s, *keys, "fulfild-status");
    s.bind(endpoint);
    std::string bound = s.get(zmq::sockopt::last_endpoint);
    return std::unique_ptr<StatusPublisher>(new StatusPublisher(std::move(s), std::move(bound)));
  } catch (const zmq::error_t& e) {
    return fail(ErrorKind::config, "aftersale.status_bind " + endpoint + ": " + e.what());
  }
}

void StatusPublisher::publish(const std::vector<StatusChange>& changes) {
  for (const auto& c : changes) {
    try {
      m_socket.send(zmq::buffer(c.topic), zmq::send_flags::sndmore);
      m_socket.send(zmq::buffer(c.json), zmq::send_flags::none);
    } catch (const zmq::error_t& e) {
      log::warn("status change not published", {{"topic", c.topic}, {"error", e.what()}});
    }
  }
}

}  // namespace fulfil::aftersale
