#include "graceful_stop.hpp"

#include "common/log.hpp"

namespace fulfil::daemon {

void GracefulStop::begin(std::chrono::seconds grace) {
  m_deadline = std::chrono::steady_clock::now() + grace;
  check();
}

void GracefulStop::check() {
  if (m_scheduler.running() == 0) {
    log::info("all jobs finished; exiting");
    m_io.stop();
    return;
  }
  if (std::chrono::steady_clock::now() >= m_deadline) {
    log::warn(
        "jobs still running after the grace period; exiting anyway (their open transactions roll "
        "back)",
        {{"running", m_scheduler.running()}});
    m_abandoned = true;
    m_io.stop();
    return;
  }
  m_timer.expires_after(std::chrono::milliseconds(50));
  m_timer.async_wait([this](boost::system::error_code) { check(); });
}

}  // namespace fulfil::daemon
