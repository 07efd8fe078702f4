#include "store/row_reader.hpp"

#include <charconv>

namespace fulfil::store {

bool is_null(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null;
}

std::int64_t get_int(const soci::row& r, std::size_t i, std::int64_t if_null) {
  if (is_null(r, i)) return if_null;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<std::int64_t>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<std::int64_t>(r.get<double>(i));
    case soci::dt_string: {
      // A whole number stored as text (some backends type computed columns so): read
      // exactly, and anything else is the caller's `if_null` rather than an exception.
      const std::string text = r.get<std::string>(i);
      std::int64_t v = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      return ec == std::errc() && end == text.data() + text.size() ? v : if_null;
    }
    default:
      return if_null;
  }
}

std::optional<std::int64_t> get_opt_int(const soci::row& r, std::size_t i) {
  if (is_null(r, i)) return std::nullopt;
  return get_int(r, i);
}

std::string get_text(const soci::row& r, std::size_t i) {
  if (is_null(r, i)) return {};
  if (r.get_properties(i).get_data_type() != soci::dt_string) return std::to_string(get_int(r, i));
  return r.get<std::string>(i);
}

}  // namespace fulfil::store
