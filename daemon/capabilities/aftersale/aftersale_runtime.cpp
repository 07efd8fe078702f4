#include "capabilities/aftersale/aftersale_runtime.hpp"

#include "common/log.hpp"
#include "store/lease_repository.hpp"

namespace fulfil::daemon {

namespace {

constexpr std::int64_t k_lease_seconds = 15;

// Runs `body` while this instance holds lease `name`, trying again every few seconds.
void while_leader(store::Connection& conn, const std::string& name, const std::string& holder,
                  const Clock& clock, const std::atomic<bool>& stop,
                  const std::function<void(const std::function<bool()>&)>& body) {
  store::LeaseRepository leases(conn);
  while (!stop) {
    auto held = leases.acquire(name, holder, clock.now(), k_lease_seconds);
    if (held && *held) {
      body([&] {
        auto again = leases.acquire(name, holder, clock.now(), k_lease_seconds);
        return again && *again;
      });
      (void)leases.release(name, holder);
    }
    for (int i = 0; i < 30 && !stop; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

Result<std::unique_ptr<AftersaleRuntime>> AftersaleRuntime::start(
    const aftersale::ChannelSettings& s, const store::StoreUrl& url, std::string instance,
    const Clock& clock) {
  std::unique_ptr<AftersaleRuntime> rt(new AftersaleRuntime(s, url, std::move(instance), clock));
  std::optional<aftersale::KeyPair> ours;
  if (s.curve) {
    auto k = aftersale::load_secret_key(s.secret_key_file);
    if (!k) return std::unexpected(k.error());
    ours = *k;
    if (!s.service_endpoint.empty()) {
      auto server = aftersale::load_public_key(s.service_public_key_file);
      if (!server) return std::unexpected(server.error());
      rt->m_client_keys.emplace(*k, *server);
    }
  }
  if (!s.status_bind.empty()) {
    if (s.curve) {
      auto allowed = aftersale::load_public_keys(s.subscriber_keys_dir);
      if (!allowed) return std::unexpected(allowed.error());
      // Before the bind: without a handler libzmq lets every CURVE client in.
      auto zap = aftersale::ZapHandler::start(rt->m_ctx, *allowed);
      if (!zap) return std::unexpected(zap.error());
      rt->m_zap = std::move(*zap);
      log::info("status feed subscribers allowed",
                {{"keys", static_cast<std::int64_t>(allowed->size())}});
    }
    auto feed = aftersale::StatusPublisher::bind(rt->m_ctx, s.status_bind, ours);
    if (!feed) return std::unexpected(feed.error());
    rt->m_feed = std::move(*feed);
    log::info("status feed bound", {{"endpoint", rt->m_feed->endpoint()}});
    rt->m_publisher = std::thread([r = rt.get()] { r->feed_loop(); });
  }
  if (!s.service_endpoint.empty()) rt->m_sender = std::thread([r = rt.get()] { r->send_loop(); });
  return rt;
}

AftersaleRuntime::~AftersaleRuntime() {
  m_stop = true;
  if (m_sender.joinable()) m_sender.join();
  if (m_publisher.joinable()) m_publisher.join();
  m_feed.reset();
  m_zap.reset();
}

void AftersaleRuntime::send_loop() {
  while (!m_stop) {
    auto conn = store::Connection::open(m_url, store::Durability::strict);
    if (!conn) {
      log::warn("slip sender: store not reachable; retrying", {{"error", conn.error().message}});
      std::this_thread::sleep_for(std::chrono::seconds(2));
      continue;
    }
    aftersale::SlipSender sender(m_ctx, m_s, m_client_keys, m_clock, m_monitor);
    // A refused handshake ends a run; the next builds a new socket after while_leader's
    // pause (3 s), so slips flow again once the module or the key is fixed.
    while_leader(
        **conn, "aftersale-outbox", m_instance, m_clock, m_stop,
        [&](const std::function<bool()>& keep) {
          auto r = sender.run(**conn, m_stop, keep);
          if (!r && r.error().kind == ErrorKind::network)  // no connection yet: not a fault here
            log::warn("slip sender: new socket in 3 s", {{"error", r.error().message}});
          else if (!r)
            log::error("slip sender stopped; trying again in 3 s", {{"error", r.error().message}});
        });
  }
}

void AftersaleRuntime::feed_loop() {
  while (!m_stop) {
    auto conn = store::Connection::open(m_url, store::Durability::relaxed);
    if (!conn) {
      std::this_thread::sleep_for(std::chrono::seconds(2));
      continue;
    }
    while_leader(
        **conn, "aftersale-feed", m_instance, m_clock, m_stop,
        [&](const std::function<bool()>& keep) {
          // Where the last run saved: changes recorded while no feed ran (a crash, a
          // restart, another instance's lease) are published now, numbered on from there.
          aftersale::StatusFeedReader reader;
          if (auto r = reader.resume(**conn); !r) {
            log::warn("status feed: cannot resume", {{"error", r.error().message}});
            return;
          }
          auto next_lease = std::chrono::steady_clock::now();
          while (!m_stop) {
            if (std::chrono::steady_clock::now() >= next_lease) {
              if (!keep()) return;
              next_lease += std::chrono::seconds(3);
            }
            auto changes = reader.next(**conn);
            if (!changes) {
              log::warn("status feed: store read failed", {{"error", changes.error().message}});
              return;
            }
            m_feed->publish(*changes);
            if (!changes->empty())
              if (auto saved = reader.save(**conn, m_clock.now()); !saved)
                log::warn("status feed: position not saved", {{"error", saved.error().message}});
            if (changes->empty())
              std::this_thread::sleep_for(std::chrono::milliseconds(m_s.feed_poll_ms));
          }
        });
  }
}

}  // namespace fulfil::daemon
