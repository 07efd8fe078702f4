#pragma once
#include <atomic>
#include <memory>
#include <thread>

#include <zmq.hpp>

#include "aftersale/slip_sender.hpp"
#include "aftersale/status_feed.hpp"
#include "aftersale/zap_handler.hpp"
#include "store/database.hpp"

namespace fulfil::daemon {

// The after-sale channel of a running daemon: its ZeroMQ context, the ZAP handler, the
// slip sender's thread and the status feed's thread. On PostgreSQL only the instance that
// holds the lease sends (and publishes), so slips leave in one order.
class AftersaleRuntime {
 public:
  // Loads the keys (refusing loose permissions), starts the ZAP handler before anything
  // binds, binds the feed, and starts the threads. Any failure is a config error: the daemon
  // does not start without the channel it was told to run.
  static Result<std::unique_ptr<AftersaleRuntime>> start(const aftersale::ChannelSettings& s,
                                                         const store::StoreUrl& url,
                                                         std::string instance, const Clock& clock);
  ~AftersaleRuntime();
  aftersale::ChannelStatus status() const { return m_monitor.snapshot(); }
  // The feed's bound endpoint (empty without a feed).
  std::string feed_endpoint() const { return m_feed ? m_feed->endpoint() : std::string(); }

 private:
  AftersaleRuntime(const aftersale::ChannelSettings& s, const store::StoreUrl& url,
                   std::string instance, const Clock& clock)
      : m_s(s), m_url(url), m_instance(std::move(instance)), m_clock(clock) {}
  void send_loop();
  void feed_loop();
  aftersale::ChannelSettings m_s;
  store::StoreUrl m_url;
  std::string m_instance;
  const Clock& m_clock;
  zmq::context_t m_ctx;
  std::optional<std::pair<aftersale::KeyPair, std::string>> m_client_keys;
  std::unique_ptr<aftersale::ZapHandler> m_zap;
  std::unique_ptr<aftersale::StatusPublisher> m_feed;
  aftersale::ChannelMonitor m_monitor;
  std::atomic<bool> m_stop{false};
  std::thread m_sender, m_publisher;
};

}  // namespace fulfil::daemon
