#include "common/digits.hpp"

#include <limits>

namespace fulfil {

std::expected<std::int64_t, DigitsError> parse_digits(std::string_view text) {
  if (text.empty()) return std::unexpected(DigitsError::empty);
  constexpr std::int64_t k_max = std::numeric_limits<std::int64_t>::max();
  std::int64_t out = 0;
  bool too_large = false;
  for (char c : text) {
    if (c < '0' || c > '9') return std::unexpected(DigitsError::not_digits);
    const int d = c - '0';
    if (out > (k_max - d) / 10)
      too_large = true;  // keep scanning: a letter later wins
    else
      out = out * 10 + d;
  }
  if (too_large) return std::unexpected(DigitsError::too_large);
  return out;
}

}  // namespace fulfil
