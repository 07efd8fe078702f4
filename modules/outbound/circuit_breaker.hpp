#pragma once
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "outbound/http_client.hpp"

namespace fulfil::outbound {

// One circuit breaker per peer. After `failures_to_open` failed calls in a row the peer is
// `open`: calls fail at once, sparing a courier that is down (and our workers) the load.
// After `open_for` one trial call goes through (`half_open`); its success closes the
// breaker, its failure opens it again. Thread-safe: /healthz reads it while calls run.
class CircuitBreakers {
 public:
  using Clock = std::chrono::steady_clock;
  enum class State { closed, open, half_open };
  struct View {
    std::string peer;
    State state;
    int consecutive_failures;
    long long total_failures, total_calls;
    std::string reason;  // why the peer refused us, when it did (see refuse())
  };

  explicit CircuitBreakers(BreakerSettings settings) : m_settings(settings) {}
  // True when a call to `peer` may go now (a half-open peer lets one through at a time).
  bool allow(const std::string& peer, Clock::time_point now);
  void record(const std::string& peer, bool success, Clock::time_point now);
  // The peer answered, but refused our credentials or permissions: no call can succeed until
  // a person fixes them, so the breaker opens at once, keeping `reason` for /healthz (a
  // later success closes it and clears the reason).
  void refuse(const std::string& peer, const std::string& reason, Clock::time_point now);
  std::vector<View> views() const;

 private:
  struct Peer {
    State state = State::closed;
    int consecutive = 0;
    long long failures = 0, calls = 0;
    Clock::time_point opened_at{};
    bool trial_in_flight = false;
    std::string reason;
  };
  BreakerSettings m_settings;
  mutable std::mutex m_mutex;
  std::map<std::string, Peer> m_peers;
};

std::string_view to_string(CircuitBreakers::State s);

}  // namespace fulfil::outbound
