#include "outbound/backoff.hpp"

#include <algorithm>
#include <random>

namespace fulfil::outbound {

std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap,
                                        std::optional<std::chrono::seconds> retry_after) {
  thread_local std::minstd_rand random{std::random_device{}()};
  auto full = base;
  for (int i = 1; i < attempt && full < cap; ++i) full *= 2;
  full = std::min(full, cap);
  const auto half = full.count() / 2;
  std::uniform_int_distribution<std::int64_t> jitter(0, half);
  std::chrono::milliseconds wait(full.count() - half + jitter(random));
  if (retry_after) wait = std::max<std::chrono::milliseconds>(wait, *retry_after);
  return wait;
}

}  // namespace fulfil::outbound
