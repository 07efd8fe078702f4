#include "stock/push_mode.hpp"

namespace fulfil::stock {

std::optional<PushMode> parse_push_mode(std::string_view t) {
  if (t == "push") return PushMode::push;
  if (t == "lower_only") return PushMode::lower_only;
  if (t == "off") return PushMode::off;
  return std::nullopt;
}

std::string_view to_string(PushMode m) {
  switch (m) {
    case PushMode::push:
      return "push";
    case PushMode::lower_only:
      return "lower_only";
    case PushMode::off:
      return "off";
  }
  return "off";
}

PushMode stricter(PushMode a, PushMode b) {
  return static_cast<int>(a) > static_cast<int>(b) ? a : b;
}

PushDecision decide_push(PushMode mode, std::optional<std::int64_t> pushed, std::int64_t wanted) {
  if (pushed && *pushed == wanted) return {};  // the platform has it already
  const std::string to = std::to_string(wanted);
  switch (mode) {
    case PushMode::push:
      return {true, ""};
    case PushMode::off:
      return {false, "switched off: would push " + to};
    case PushMode::lower_only:
      if (!pushed)
        return {false,
                "lower only: never pushed, the platform's number is unknown; would push " + to};
      if (wanted > *pushed)
        return {false, "lower only: would raise " + std::to_string(*pushed) + " -> " + to};
      return {true, ""};
  }
  return {};
}

}  // namespace fulfil::stock
