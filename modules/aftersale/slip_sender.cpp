#include "aftersale/slip_sender.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "aftersale/outbox.hpp"
#include "aftersale/slip.hpp"
#include "common/log.hpp"

namespace fulfil::aftersale {

namespace {

using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Flight {
  std::string slip_id, body;
  steady::time_point due;
  int attempts = 0;
};

// A monitor event: which one, and the endpoint it concerns.
std::optional<std::uint16_t> read_event(zmq::socket_t& s) {
  zmq::message_t head, address;
  if (!s.recv(head, zmq::recv_flags::dontwait)) return std::nullopt;
  if (head.more()) (void)s.recv(address);
  if (head.size() < 2) return std::nullopt;
  std::uint16_t event = 0;
  std::memcpy(&event, head.data(), sizeof event);
  return event;
}

std::atomic<int> g_monitor_seq{0};

// How long slips may wait for a connection before the socket is built anew.
constexpr std::chrono::seconds k_rebuild_after{10};

// What a refused handshake means, for the person who must fix it.
std::string handshake_failure(std::uint16_t event) {
  if (event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
    return "the service module refused our key: put our public key (the .pub beside "
           "aftersale.secret_key_file) among its clients' keys";
  if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)
    return "the peer does not speak our protocol: is aftersale.service_endpoint the module's "
           "CURVE ROUTER, and is curve set alike on both sides?";
  return "the handshake failed (check service_public_key_file and the module's keys)";
}

}  // namespace

Result<void> SlipSender::run(store::Connection& conn, const std::atomic<bool>& stop,
                             const std::function<bool()>& keep_going) {
  Outbox outbox(conn);
  zmq::socket_t dealer, events;
  const std::string monitor_endpoint =
      "inproc://fulfil-outbox-monitor-" + std::to_string(g_monitor_seq++);
  try {
    dealer = zmq::socket_t(m_ctx, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    // No queueing for a connection that is not up: a send then fails at once and the slip
    // stays due, instead of sitting in a pipe that a reconnect throws away. The same option
    // drops acks that arrived on a connection just closed: those slips stay in flight and
    // go again on the next connection (the receiver dedupes).
    dealer.set(zmq::sockopt::immediate, 1);
    dealer.set(zmq::sockopt::sndhwm, std::max(1000, m_s.window * 4));
    dealer.set(zmq::sockopt::rcvhwm, std::max(1000, m_s.window * 4));
    dealer.set(zmq::sockopt::heartbeat_ivl, m_s.heartbeat_ms);
    dealer.set(zmq::sockopt::heartbeat_timeout, m_s.heartbeat_ms * 3);
    dealer.set(zmq::sockopt::heartbeat_ttl, m_s.heartbeat_ms * 3);
    dealer.set(zmq::sockopt::reconnect_ivl, 100);
    dealer.set(zmq::sockopt::reconnect_ivl_max, 2000);
    if (m_keys) make_curve_client(dealer, m_keys->first, m_keys->second);
    if (zmq_socket_monitor(dealer.handle(), monitor_endpoint.c_str(),
                           ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED |
                               ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                               ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                               ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) != 0)
      return fail(ErrorKind::internal, "cannot monitor the outbox socket");
    events = zmq::socket_t(m_ctx, zmq::socket_type::pair);
    events.set(zmq::sockopt::linger, 0);
    events.connect(monitor_endpoint);
    dealer.connect(m_s.service_endpoint);
  } catch (const zmq::error_t& e) {
    return fail(ErrorKind::config,
                "aftersale.service_endpoint " + m_s.service_endpoint + ": " + e.what());
  }
  m_monitor.update([&](ChannelStatus& s) {
    s.endpoint = m_s.service_endpoint;
    s.sending = true;
  });
  log::info("slip sender started", {{"endpoint", m_s.service_endpoint},
                                    {"curve", m_keys ? "on" : "off"},
                                    {"window", m_s.window}});

  std::map<std::int64_t, Flight> flights;  // by outbox id: resends go in outbox order
  std::unordered_map<std::string, std::int64_t> by_slip;
  std::vector<std::int64_t> acked;
  std::unordered_set<std::int64_t> acked_set;  // acked, not yet written delivered
  std::int64_t cursor = 0;
  bool connected = false, got_ack = false;
  auto now = steady::now();
  steady::time_point unconnected_since = now;
  steady::time_point next_fetch = now, next_sweep = now + std::chrono::seconds(1),
                     next_lease = now + std::chrono::seconds(3), first_ack{};
  std::int64_t sent = 0, resent = 0, acks = 0, unknown = 0, bad = 0, auth = 0;

  auto backoff = [&](int attempts) {
    std::int64_t ms = m_s.ack_timeout_ms;
    for (int i = 1; i < attempts && ms < m_s.max_backoff_ms; ++i) ms *= 2;
    return milliseconds(std::min<std::int64_t>(ms, m_s.max_backoff_ms));
  };
  auto flush_acks = [&] {
    if (acked.empty()) return;
    if (auto w = outbox.mark_delivered(acked, m_clock.now()); !w) {
      log::warn("acked slips not yet recorded as delivered; retrying",
                {{"error", w.error().message}, {"slips", static_cast<std::int64_t>(acked.size())}});
      return;
    }
    acked.clear();
    acked_set.clear();
  };
  auto publish = [&](const std::string& error) {
    m_monitor.update([&](ChannelStatus& s) {
      s.connected = connected;
      s.in_flight = static_cast<std::int64_t>(flights.size());
      s.sent = sent;
      s.resent = resent;
      s.acked = acks;
      s.unknown_acks = unknown;
      s.bad_messages = bad;
      s.auth_failures = auth;
      if (!error.empty()) s.last_error = error;
    });
  };

  while (!stop) {
    now = steady::now();
    if (keep_going && now >= next_lease) {
      next_lease = now + std::chrono::seconds(3);
      if (!keep_going()) break;
    }
    // Take more of the backlog while the window has room.
    const int room = m_s.window - static_cast<int>(flights.size());
    if (room > 0 && now >= next_fetch) {
      auto rows = outbox.pending_after(cursor, room);
      if (!rows) {
        log::warn("outbox not readable; retrying in 1 s", {{"error", rows.error().message}});
        publish(rows.error().message);
        next_fetch = now + std::chrono::seconds(1);
      } else {
        for (auto& r : *rows) {
          cursor = std::max(cursor, r.id);
          if (flights.contains(r.id) || acked_set.contains(r.id)) continue;
          by_slip[r.slip_id] = r.id;
          flights.emplace(r.id, Flight{std::move(r.slip_id), std::move(r.body), now, 0});
        }
        if (static_cast<int>(rows->size()) < room) {
          next_fetch = now + milliseconds(m_s.poll_ms);
          // On PostgreSQL a slower transaction can commit a lower id after we read past
          // it: now and then read the whole pending set again.
          if (now >= next_sweep) {
            cursor = 0;
            next_sweep = now + std::chrono::seconds(1);
          }
        }
      }
    }
    // Send what is due, oldest first.
    if (connected) {
      for (auto& [id, f] : flights) {
        if (f.due > now) continue;
        bool ok = false;
        try {
          ok = dealer
                   .send(zmq::buffer(std::string_view("SLIP")),
                         zmq::send_flags::sndmore | zmq::send_flags::dontwait)
                   .has_value();
          if (ok) {
            dealer.send(zmq::buffer(f.slip_id), zmq::send_flags::sndmore);
            dealer.send(zmq::buffer(f.body), zmq::send_flags::none);
          }
        } catch (const zmq::error_t& e) {
          log::warn("slip not sent", {{"slip", f.slip_id}, {"error", e.what()}});
        }
        if (!ok) break;  // the pipe is full or the peer just left: try again later
        ++(f.attempts == 0 ? sent : resent);
        ++f.attempts;
        f.due = now + backoff(f.attempts);
      }
    }
    // Wait for acks, monitor events, the next due slip or the next look at the outbox.
    steady::time_point wake = now + milliseconds(100);
    if (flights.size() < static_cast<std::size_t>(m_s.window)) wake = std::min(wake, next_fetch);
    if (connected)
      for (const auto& [id, f] : flights) wake = std::min(wake, f.due);
    if (!acked.empty()) wake = std::min(wake, first_ack + milliseconds(5));
    const auto timeout =
        std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(wake - now));
    zmq::pollitem_t items[] = {{dealer.handle(), 0, ZMQ_POLLIN, 0},
                               {events.handle(), 0, ZMQ_POLLIN, 0}};
    try {
      zmq::poll(items, 2, timeout);
    } catch (const zmq::error_t& e) {
      if (e.num() == ETERM) break;
    }
    std::string handshake_refused;
    bool cut_short = false;
    while (auto ev = read_event(events)) {
      if (*ev == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
        connected = true;
        // Everything unacked goes again, in order, before anything new.
        for (auto& [id, f] : flights)
          if (f.attempts > 0) f.due = steady::now();
        m_monitor.update([&](ChannelStatus& s) {
          s.connected_since = m_clock.now();
          s.disconnected_since.reset();
        });
        log::info("service module connected", {{"endpoint", m_s.service_endpoint}});
      } else if (*ev == ZMQ_EVENT_DISCONNECTED) {
        if (connected) {
          m_monitor.update([&](ChannelStatus& s) {
            s.disconnected_since = m_clock.now();
            s.connected_since.reset();
          });
          log::warn("service module gone; slips wait in the outbox",
                    {{"endpoint", m_s.service_endpoint},
                     {"in_flight", static_cast<std::int64_t>(flights.size())}});
          unconnected_since = steady::now();
        }
        connected = false;
      } else {
        // libzmq ends a session whose handshake was refused and does not try it again: the
        // socket is given up here and the caller builds a new one after a pause, so the
        // backlog drains once the module (or our key) is fixed.
        ++auth;
        handshake_refused = handshake_failure(*ev);
        log::error("service module handshake failed; the connection is rebuilt and tried again",
                   {{"endpoint", m_s.service_endpoint}, {"why", handshake_refused}});
        break;
      }
    }
    // Read every answer waiting.
    for (;;) {
      zmq::message_t kind;
      try {
        if (!dealer.recv(kind, zmq::recv_flags::dontwait)) break;
      } catch (const zmq::error_t&) {
        break;
      }
      // The rest of an answer is here with its first frame (libzmq queues whole messages),
      // unless the peer's connection ended between our reads: with `immediate` libzmq then
      // drops the pipe and the rest with it. A blocking read for the rest waited for ever (it
      // held the daemon's stop), and any later read on this socket can trip libzmq's assertion
      // that a message's parts come together (fq.cpp `!_more`, libzmq issues 1143 and 3663)
      // and abort the daemon. So the rest is read without waiting, and a cut answer ends this
      // socket: the next run builds a new one, and the unacked slips go again.
      std::vector<zmq::message_t> rest;
      for (bool more = kind.more(); more && !cut_short; more = rest.back().more()) {
        rest.emplace_back();
        try {
          cut_short = !dealer.recv(rest.back(), zmq::recv_flags::dontwait);
        } catch (const zmq::error_t&) {
          cut_short = true;
        }
      }
      if (cut_short) {
        ++bad;
        break;
      }
      std::vector<std::string_view> frames{kind.to_string_view()};
      for (const auto& f : rest) frames.push_back(f.to_string_view());
      const auto acked_id = acked_slip(frames);
      if (!acked_id) {
        ++bad;
        log::warn("the service module sent something that is not an ack; ignored",
                  {{"first_frame", kind.to_string().substr(0, 40)},
                   {"frames", static_cast<std::int64_t>(rest.size() + 1)}});
        continue;
      }
      const std::string slip(*acked_id);
      auto it = by_slip.find(slip);
      if (it == by_slip.end()) {
        ++unknown;  // a second ack of a slip sent twice, or a confused peer
        if (unknown % 1000 == 1)
          log::warn("ack for a slip not in flight; ignored", {{"slip", slip.substr(0, 60)}});
        continue;
      }
      if (acked.empty()) first_ack = steady::now();
      acked.push_back(it->second);
      acked_set.insert(it->second);
      flights.erase(it->second);
      by_slip.erase(it);
      ++acks;
      got_ack = true;
    }
    // A refused handshake ends the run. So do slips waiting with no connection for
    // k_rebuild_after: libzmq can stop trying a peer without an event we see (a refusal that
    // raced the peer's restart). The next run connects on a new socket.
    std::optional<Error> end;
    if (!handshake_refused.empty())
      end = Error{ErrorKind::auth, handshake_refused};
    else if (cut_short)
      end = Error{ErrorKind::network,
                  "an answer was cut short by a peer that left; the socket is rebuilt"};
    else if (!connected && !flights.empty() && steady::now() - unconnected_since > k_rebuild_after)
      end = Error{ErrorKind::network,
                  "no connection for " + std::to_string(k_rebuild_after.count()) + " s with " +
                      std::to_string(flights.size()) + " slips waiting; the socket is rebuilt"};
    if (end) {
      publish(end->message);
      flush_acks();
      m_monitor.update([](ChannelStatus& st) {
        st.sending = false;
        st.connected = false;
      });
      return fail(end->kind, m_s.service_endpoint + ": " + end->message);
    }
    if (!acked.empty() &&
        (acked.size() >= 256 || steady::now() >= first_ack + milliseconds(5) || stop))
      flush_acks();
    if (got_ack) m_monitor.update([&](ChannelStatus& s) { s.last_ack_at = m_clock.now(); });
    got_ack = false;
    publish({});
  }
  flush_acks();
  m_monitor.update([](ChannelStatus& s) {
    s.sending = false;
    s.connected = false;
  });
  return {};
}

}  // namespace fulfil::aftersale
