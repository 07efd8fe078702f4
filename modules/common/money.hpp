#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace fulfil {

// Money is always integer fen (1 yuan = 100 fen).
using Fen = std::int64_t;

// Parses a yuan amount as the platform sends it ("200.07", "15", "0.5") into fen, exactly.
// Rejects signs, more than two decimals, non-digits, empty text and amounts over 10^11 yuan.
Result<Fen> parse_yuan(std::string_view text);

// Formats fen as yuan with two decimals ("200.07", "-0.50").
std::string format_yuan(Fen fen);

}  // namespace fulfil
