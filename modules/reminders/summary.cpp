#include "reminders/summary.hpp"

namespace fulfil::reminders {

std::optional<std::int64_t> basis_points(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  // part * 10000 fits easily: amounts are fen, far below 2^63 / 10^4.
  return (part * 10000 * 2 + whole) / (2 * whole);
}

std::string percent_text(std::optional<std::int64_t> bp) {
  if (!bp) return "—";
  const std::int64_t frac = *bp % 100;
  return std::to_string(*bp / 100) + "." + (frac < 10 ? "0" : "") + std::to_string(frac) + "%";
}

}  // namespace fulfil::reminders
