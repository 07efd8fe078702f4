#pragma once
#include <algorithm>
#include <cstdint>

namespace fulfil::reminders {

// The SQL test, on reminder_attempts as `a`, of an attempt that reminded the buyer: a text
// the gateway accepted, or a call or IM message that reached them (planner.cpp's reached()).
inline constexpr const char* k_made_attempt =
    "(a.state IN ('sent', 'delivered') OR (a.state = 'done' AND a.outcome NOT IN ('no_answer', "
    "'offline')))";

// Seconds before trying again a text or a platform write-back refused for now, after `tries`
// tries: 1 minute doubled per try, at most an hour.
inline std::int64_t retry_after_seconds(std::int64_t tries) {
  return std::min<std::int64_t>(3600, 60LL << std::min<std::int64_t>(tries, 6));
}

}  // namespace fulfil::reminders
