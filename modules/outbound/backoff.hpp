#pragma once
#include <chrono>
#include <optional>

namespace fulfil::outbound {

// How long to wait before attempt `attempt + 1` (attempt counts from 1): the delay doubles
// from `base` up to `cap`, and a random half of it is taken off so that many clients that
// failed together do not come back together. A server's Retry-After is a floor.
std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap,
                                        std::optional<std::chrono::seconds> retry_after = {});

}  // namespace fulfil::outbound
