#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fulfil::stock {

// How far a shop's quantities follow the warehouse. During the peak the seeds advise
// turning automatic stock sync off (the platform's own count is what sells; a push racing
// the sales oversells): lower_only still takes quantities down, never up; off pushes
// nothing. What was held back is kept and shown.
enum class PushMode { push, lower_only, off };

std::optional<PushMode> parse_push_mode(std::string_view text);
std::string_view to_string(PushMode mode);
// The stricter of two modes (off over lower_only over push): a switch for all shops and a
// shop's own both apply.
PushMode stricter(PushMode a, PushMode b);

// What to do for one SKU whose platform quantity should be `wanted`, `pushed` being the one
// last pushed (none: never, the platform's number is unknown).
struct PushDecision {
  bool push = false;
  std::string held;  // why not, naming what would have been pushed
};
PushDecision decide_push(PushMode mode, std::optional<std::int64_t> pushed, std::int64_t wanted);

}  // namespace fulfil::stock
