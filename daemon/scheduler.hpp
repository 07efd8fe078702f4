#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fulfil::daemon {

// Runs periodic jobs off the event loop. Timers live on the I/O thread; each run is posted
// to the worker pool, so a slow sync never blocks HTTP or other timers. A job never
// overlaps itself: its next run is timed from the end of the previous one.
class Scheduler {
 public:
  Scheduler(boost::asio::io_context& io, boost::asio::thread_pool& pool) : m_io(io), m_pool(pool) {}
  ~Scheduler();

  // How long to wait before the next run, asked after each run (and before the first).
  using NextDelay = std::function<std::chrono::milliseconds()>;

  // Adds a job; `first_delay` before its first run, then `next_delay()` after each run.
  void add(std::string name, std::chrono::milliseconds first_delay, NextDelay next_delay,
           std::function<void()> job);
  // Cancels every job's timer; runs in progress finish on their own.
  void clear();
  // Jobs running right now.
  int running() const { return m_running->load(); }

 private:
  struct Job;
  void arm(const std::shared_ptr<Job>& job, std::chrono::milliseconds delay);
  boost::asio::io_context& m_io;
  boost::asio::thread_pool& m_pool;
  std::vector<std::shared_ptr<Job>> m_jobs;
  std::shared_ptr<std::atomic<int>> m_running = std::make_shared<std::atomic<int>>(0);
};

// Milliseconds until the next hh:mm in Asia/Shanghai after `now_unix`.
std::chrono::milliseconds until_shanghai_time(std::int64_t now_unix, int hour, int minute);

}  // namespace fulfil::daemon
