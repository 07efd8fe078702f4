#pragma once
#include <algorithm>
#include <chrono>
#include <string_view>

#include "common/cancellation.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "outbound/backoff.hpp"

namespace fulfil::outbound {

// How often and how patiently a failed protocol call (a page, a confirmation) is tried
// again; the HTTP client has already retried the transport underneath.
struct RetryPolicy {
  int max_attempts = 6;
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{30000};
  std::chrono::milliseconds rate_limit_pause{5000};  // TOP code 7: back off harder
};

// Calls fn() until it succeeds, fails with a kind that retrying cannot fix, runs out of
// attempts, or shutdown is asked for. Back-off doubles from base_delay with jitter; rate
// limits wait at least rate_limit_pause. Each retry is logged with `who` and `what`.
template <class Fn>
auto with_retries(Fn&& fn, const RetryPolicy& policy, Cancellation& cancel, std::string_view who,
                  std::string_view what) -> decltype(fn()) {
  for (int attempt = 1;; ++attempt) {
    if (cancel.cancelled())
      return fail(ErrorKind::cancelled, std::string(what) + ": shutting down");
    auto r = fn();
    if (r || !is_retryable(r.error().kind) || attempt >= policy.max_attempts) return r;
    auto wait = backoff_delay(attempt, policy.base_delay, policy.max_delay);
    if (r.error().kind == ErrorKind::rate_limited) wait = std::max(wait, policy.rate_limit_pause);
    log::warn("retrying", {{"who", who},
                           {"what", what},
                           {"attempt", attempt},
                           {"kind", to_string(r.error().kind)},
                           {"wait_ms", static_cast<std::int64_t>(wait.count())},
                           {"error", r.error().message}});
    if (!cancel.sleep_for(wait))
      return fail(ErrorKind::cancelled, std::string(what) + ": shutting down");
  }
}

}  // namespace fulfil::outbound
