#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <functional>

#include "store_access.hpp"

namespace fulfil::daemon {

// Brings the store up to date before the daemon's jobs start. Migrations may wait for a
// database that is still starting: they run on the worker pool and are retried every 5 s
// until they pass; then `on_ready` runs on the event loop, unless the daemon is stopping.
class StoreReady {
 public:
  StoreReady(boost::asio::io_context& io, boost::asio::thread_pool& pool, StoreAccess& store,
             const std::atomic<bool>& stopping, std::function<void()> on_ready)
      : m_io(io),
        m_pool(pool),
        m_store(store),
        m_stopping(stopping),
        m_on_ready(std::move(on_ready)),
        m_retry(io) {}
  void start();
  void cancel() { m_retry.cancel(); }

 private:
  boost::asio::io_context& m_io;
  boost::asio::thread_pool& m_pool;
  StoreAccess& m_store;
  const std::atomic<bool>& m_stopping;
  std::function<void()> m_on_ready;
  boost::asio::steady_timer m_retry;
};

}  // namespace fulfil::daemon
