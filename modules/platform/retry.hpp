#pragma once
#include <algorithm>
#include <chrono>
#include <string_view>

#include "common/cancellation.hpp"
#include "common/error.hpp"
#include "common/log.hpp"

namespace fulfil::platform {

// How often and how patiently a failed call is tried again.
struct RetryPolicy {
  int max_attempts = 6;
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{30000};
  std::chrono::milliseconds rate_limit_pause{5000};  // TOP code 7: back off harder
};

// Calls fn() until it succeeds, fails with a kind that retrying cannot fix, runs out of
// attempts, or shutdown is asked for. Back-off doubles from base_delay; rate limits wait
// at least rate_limit_pause. Each retry is logged with `what`.
template <class Fn>
auto with_retries(Fn&& fn, const RetryPolicy& policy, Cancellation& cancel, std::string_view shop,
                  std::string_view what) -> decltype(fn()) {
  auto delay = policy.base_delay;
  for (int attempt = 1;; ++attempt) {
    if (cancel.cancelled())
      return fail(ErrorKind::cancelled, std::string(what) + ": shutting down");
    auto r = fn();
    if (r || !is_retryable(r.error().kind) || attempt >= policy.max_attempts) return r;
    auto wait = r.error().kind == ErrorKind::rate_limited ? std::max(delay, policy.rate_limit_pause)
                                                          : delay;
    log::warn("retrying", {{"shop", shop},
                           {"what", what},
                           {"attempt", attempt},
                           {"kind", to_string(r.error().kind)},
                           {"wait_ms", static_cast<std::int64_t>(wait.count())},
                           {"error", r.error().message}});
    if (!cancel.sleep_for(wait))
      return fail(ErrorKind::cancelled, std::string(what) + ": shutting down");
    delay = std::min(delay * 2, policy.max_delay);
  }
}

}  // namespace fulfil::platform
