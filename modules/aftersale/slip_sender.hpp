#pragma once
#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include <zmq.hpp>

#include "aftersale/curve_keys.hpp"
#include "aftersale/settings.hpp"
#include "common/clock.hpp"
#include "store/database.hpp"

namespace fulfil::aftersale {

// What /healthz shows of the channel to the service module.
struct ChannelStatus {
  std::string endpoint;
  bool sending = false;    // this instance runs the sender (on PostgreSQL one instance does)
  bool connected = false;  // the peer finished the (CURVE) handshake and has not gone silent
  std::optional<UnixSeconds> last_ack_at, connected_since, disconnected_since;
  std::int64_t in_flight = 0, sent = 0, resent = 0, acked = 0;
  std::int64_t unknown_acks = 0, bad_messages = 0, auth_failures = 0;
  std::string last_error;
};

// The channel's status, written by the sender's thread and read by the API's.
class ChannelMonitor {
 public:
  ChannelStatus snapshot() const {
    std::lock_guard lock(m_mutex);
    return m_status;
  }
  template <class Fn>
  void update(Fn&& fn) {
    std::lock_guard lock(m_mutex);
    fn(m_status);
  }

 private:
  mutable std::mutex m_mutex;
  ChannelStatus m_status;
};

// Delivers outbox rows to the customer-service module: a DEALER connected to its ROUTER
// sends ["SLIP", slip id, JSON] and expects ["ACK", slip id]. Up to `window` slips travel
// unacknowledged; a slip not acked within ack_timeout_ms is sent again after doubling waits
// (up to max_backoff_ms), with the same id and the same bytes. ZMTP heartbeats notice a
// silent peer; when it is back, everything unacked goes again first, in outbox order, then
// the backlog. Acks are written as `delivered` in small batches (a crash between the ack
// and the write only sends those slips once more, which the receiver's dedupe absorbs).
class SlipSender {
 public:
  // `keys`: ours and the service module's public key; nullopt when CURVE is off.
  SlipSender(zmq::context_t& ctx, const ChannelSettings& settings,
             std::optional<std::pair<KeyPair, std::string>> keys, const Clock& clock,
             ChannelMonitor& monitor)
      : m_ctx(ctx), m_s(settings), m_keys(std::move(keys)), m_clock(clock), m_monitor(monitor) {}
  // Runs until `stop` is set or `keep_going` (asked every few seconds; renews the lease on
  // PostgreSQL) says no. Store errors are logged and retried; a socket that cannot be set up
  // returns a config error, and a handshake the peer refused (our key unknown to it, a peer
  // that is not a CURVE ROUTER) an auth error saying what to fix: libzmq does not retry
  // those, so the caller runs the sender again after a pause, on a new socket.
  Result<void> run(store::Connection& conn, const std::atomic<bool>& stop,
                   const std::function<bool()>& keep_going = {});

 private:
  zmq::context_t& m_ctx;
  const ChannelSettings& m_s;
  std::optional<std::pair<KeyPair, std::string>> m_keys;
  const Clock& m_clock;
  ChannelMonitor& m_monitor;
};

}  // namespace fulfil::aftersale
