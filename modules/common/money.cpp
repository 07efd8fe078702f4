#include "common/money.hpp"

namespace fulfil {

namespace {
// 10^11 yuan: far above any real order, far below int64 overflow.
constexpr Fen k_max_fen = 10'000'000'000'000LL;
}  // namespace

Result<Fen> parse_yuan(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return fail(ErrorKind::invalid_input,
                "amount \"" + std::string(text.substr(0, 40)) + "\": " + std::string(why));
  };
  if (text.empty()) return bad("empty");
  Fen whole = 0;
  std::size_t i = 0;
  std::size_t int_digits = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return bad("not a number");
    whole = whole * 10 + (c - '0');
    if (++int_digits > 12) return bad("too large");
  }
  if (int_digits == 0) return bad("no digits before the decimal point");
  Fen fraction = 0;
  if (i < text.size()) {  // text[i] == '.'
    std::size_t decimals = text.size() - i - 1;
    if (decimals == 0) return bad("no digits after the decimal point");
    if (decimals > 2) return bad("more than two decimals");
    for (std::size_t j = i + 1; j < text.size(); ++j) {
      char c = text[j];
      if (c < '0' || c > '9') return bad("not a number");
      fraction = fraction * 10 + (c - '0');
    }
    if (decimals == 1) fraction *= 10;
  }
  Fen fen = whole * 100 + fraction;
  if (fen > k_max_fen) return bad("too large");
  return fen;
}

std::string format_yuan(Fen fen) {
  std::string sign = fen < 0 ? "-" : "";
  std::uint64_t v = fen < 0 ? static_cast<std::uint64_t>(-(fen + 1)) + 1 : fen;
  std::string frac = std::to_string(v % 100);
  if (frac.size() == 1) frac.insert(0, "0");
  return sign + std::to_string(v / 100) + "." + frac;
}

}  // namespace fulfil
