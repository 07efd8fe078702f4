#include "outbound/circuit_breaker.hpp"

namespace fulfil::outbound {

bool CircuitBreakers::allow(const std::string& peer, Clock::time_point now) {
  std::lock_guard lock(m_mutex);
  auto& p = m_peers[peer];
  switch (p.state) {
    case State::closed:
      return true;
    case State::open:
      if (now - p.opened_at < m_settings.open_for) return false;
      p.state = State::half_open;
      p.trial_in_flight = true;
      return true;
    case State::half_open:
      if (p.trial_in_flight) return false;
      p.trial_in_flight = true;
      return true;
  }
  return true;
}

void CircuitBreakers::record(const std::string& peer, bool success, Clock::time_point now) {
  std::lock_guard lock(m_mutex);
  auto& p = m_peers[peer];
  ++p.calls;
  p.trial_in_flight = false;
  // A refused peer stays open until a call made after the refusal (the half-open trial)
  // gets through: answers of calls already on the wire say nothing about the fix.
  if (success && p.state == State::open && !p.reason.empty()) return;
  if (success) {
    p.consecutive = 0;
    p.state = State::closed;
    p.reason.clear();
    return;
  }
  ++p.failures;
  ++p.consecutive;
  if (p.state == State::half_open || p.consecutive >= m_settings.failures_to_open) {
    p.state = State::open;
    p.opened_at = now;
  }
}

void CircuitBreakers::refuse(const std::string& peer, const std::string& reason,
                             Clock::time_point now) {
  std::lock_guard lock(m_mutex);
  auto& p = m_peers[peer];
  ++p.failures;
  ++p.consecutive;
  p.trial_in_flight = false;
  p.state = State::open;
  p.opened_at = now;
  p.reason = reason;
}

std::vector<CircuitBreakers::View> CircuitBreakers::views() const {
  std::lock_guard lock(m_mutex);
  std::vector<View> out;
  for (const auto& [name, p] : m_peers)
    out.push_back({name, p.state, p.consecutive, p.failures, p.calls, p.reason});
  return out;
}

std::string_view to_string(CircuitBreakers::State s) {
  switch (s) {
    case CircuitBreakers::State::closed:
      return "closed";
    case CircuitBreakers::State::open:
      return "open";
    case CircuitBreakers::State::half_open:
      return "half_open";
  }
  return "closed";
}

}  // namespace fulfil::outbound
