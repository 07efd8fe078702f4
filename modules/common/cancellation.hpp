#pragma once
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace fulfil {

// A shutdown flag that long-running jobs poll, and that wakes them from back-off sleeps.
class Cancellation {
 public:
  void cancel() {
    {
      std::lock_guard lock(m_mutex);
      m_cancelled = true;
    }
    m_cv.notify_all();
  }
  bool cancelled() const {
    std::lock_guard lock(m_mutex);
    return m_cancelled;
  }
  // Sleeps up to `d`; returns false at once when cancelled (before or during the sleep).
  bool sleep_for(std::chrono::milliseconds d) {
    std::unique_lock lock(m_mutex);
    return !m_cv.wait_for(lock, d, [&] { return m_cancelled; });
  }

 private:
  mutable std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_cancelled = false;
};

}  // namespace fulfil
