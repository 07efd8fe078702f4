#include "scheduler.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/log.hpp"
#include "common/timeutil.hpp"
#include "store/writer_turns.hpp"

namespace fulfil::daemon {

namespace asio = boost::asio;

struct Scheduler::Job {
  Job(asio::io_context& io, std::string n, NextDelay d, std::function<void()> f)
      : name(std::move(n)), next_delay(std::move(d)), fn(std::move(f)), timer(io) {}
  std::string name;
  NextDelay next_delay;
  std::function<void()> fn;
  asio::steady_timer timer;
  bool cancelled = false;  // touched on the I/O thread only
};

Scheduler::~Scheduler() {
  clear();
}

void Scheduler::add(std::string name, std::chrono::milliseconds first_delay, NextDelay next_delay,
                    std::function<void()> fn) {
  auto job = std::make_shared<Job>(m_io, std::move(name), std::move(next_delay), std::move(fn));
  m_jobs.push_back(job);
  arm(job, first_delay);
}

void Scheduler::arm(const std::shared_ptr<Job>& job, std::chrono::milliseconds delay) {
  job->timer.expires_after(delay);
  job->timer.async_wait([this, job, running = m_running](boost::system::error_code ec) {
    if (ec || job->cancelled) return;
    ++*running;
    asio::post(m_pool, [this, job, running] {
      // The job's writes are counted under its name (the store's writer accounts).
      store::WriterTurns::name_holder(job->name);
      try {
        job->fn();
      } catch (const std::exception& e) {
        log::error("job failed", {{"job", job->name}, {"error", e.what()}});
      }
      // Re-arm on the I/O thread, where timers and `cancelled` live.
      asio::post(m_io, [this, job, running] {
        --*running;
        if (!job->cancelled) arm(job, job->next_delay());
      });
    });
  });
}

void Scheduler::clear() {
  for (auto& job : m_jobs) {
    job->cancelled = true;
    job->timer.cancel();
  }
  m_jobs.clear();
}

std::chrono::milliseconds until_shanghai_time(std::int64_t now, int hour, int minute) {
  const std::int64_t local = now + k_shanghai_offset;
  const std::int64_t day_start = local - ((local % 86400) + 86400) % 86400;
  std::int64_t target = day_start + hour * 3600 + minute * 60;
  if (target <= local) target += 86400;
  return std::chrono::seconds(target - local);
}

}  // namespace fulfil::daemon
