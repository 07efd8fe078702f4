#include "orders/serial.hpp"

#include <cstdio>

namespace fulfil::orders {

std::string Serial::text() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "D%06d%05lld", yymmdd, static_cast<long long>(seq));
  return buf;
}

std::optional<Serial> parse_serial(std::string_view s) {
  if (s.size() < 12 || s.size() > 20 || s[0] != 'D') return std::nullopt;
  Serial out;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    if (i <= 6)
      out.yymmdd = out.yymmdd * 10 + (s[i] - '0');
    else
      out.seq = out.seq * 10 + (s[i] - '0');
  }
  return out;
}

}  // namespace fulfil::orders
