#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"

namespace fulfil::orders {

// A warehouse serial number (流水号): 'D' + yymmdd of the Shanghai day the trade entered
// the warehouse + a daily sequence of at least 5 digits ("D26111100007"). Past 99,999 a day
// the sequence widens to 6 digits, so a serial stays unique; reviewers split by comparing
// (day, sequence), never the text.
struct Serial {
  int yymmdd = 0;
  std::int64_t seq = 0;
  std::string text() const;
  auto operator<=>(const Serial&) const = default;
};

// Parses "D26111100007" back into its parts; nullopt when the text is not a serial.
std::optional<Serial> parse_serial(std::string_view text);

}  // namespace fulfil::orders
