#pragma once
#include <cstdint>
#include <expected>
#include <string_view>

namespace fulfil {

// Why text is not a non-negative 64-bit integer.
enum class DigitsError { empty, not_digits, too_large };

// Reads plain decimal digits (no sign, no spaces) into an int64, exactly: values above
// 9223372036854775807 are too_large, never wrapped. Platform ids have up to 19 digits.
std::expected<std::int64_t, DigitsError> parse_digits(std::string_view text);

}  // namespace fulfil
