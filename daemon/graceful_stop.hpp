#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>

#include "scheduler.hpp"

namespace fulfil::daemon {

// The end of a daemon: waits for the running jobs to finish, then stops the event loop; after
// the grace period it stops it anyway, and abandoned() tells the caller not to wait for the
// stuck workers (their open transactions roll back).
class GracefulStop {
 public:
  GracefulStop(boost::asio::io_context& io, Scheduler& scheduler)
      : m_io(io), m_scheduler(scheduler), m_timer(io) {}
  void begin(std::chrono::seconds grace);
  bool abandoned() const { return m_abandoned; }

 private:
  void check();
  boost::asio::io_context& m_io;
  Scheduler& m_scheduler;
  boost::asio::steady_timer m_timer;
  std::chrono::steady_clock::time_point m_deadline;
  bool m_abandoned = false;
};

}  // namespace fulfil::daemon
