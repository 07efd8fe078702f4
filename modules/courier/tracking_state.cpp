#include "courier/tracking_state.hpp"

#include <array>
#include <utility>

namespace fulfil::courier {

namespace {
constexpr std::array<std::pair<TrackState, std::string_view>, 8> k_names = {{
    {TrackState::waiting, "waiting"},
    {TrackState::collected, "collected"},
    {TrackState::in_transit, "in_transit"},
    {TrackState::out_for_delivery, "out_for_delivery"},
    {TrackState::delivered, "delivered"},
    {TrackState::problem, "problem"},
    {TrackState::returning, "returning"},
    {TrackState::refused, "refused"},
}};

std::optional<TrackState> base_state(int code) {
  switch (code) {
    case 0:
    case 7:
      return TrackState::in_transit;
    case 1:
      return TrackState::collected;
    case 2:
      return TrackState::problem;
    case 3:
      return TrackState::delivered;
    case 4:
    case 14:
      return TrackState::refused;
    case 5:
      return TrackState::out_for_delivery;
    case 6:
      return TrackState::returning;
    default:
      return std::nullopt;
  }
}
}  // namespace

std::string_view to_string(TrackState s) {
  for (const auto& [state, name] : k_names)
    if (state == s) return name;
  return "waiting";
}

std::optional<TrackState> parse_track_state(std::string_view s) {
  for (const auto& [state, name] : k_names)
    if (name == s) return state;
  return std::nullopt;
}

std::optional<TrackState> from_kuaidi100(int state) {
  if (auto s = base_state(state)) return s;
  // resultv2 sub-states: 101 → 1, 501 → 5, 1401 → 14.
  if (state >= 100 && state < 10000) return base_state(state / 100);
  return std::nullopt;
}

bool is_final(TrackState s) {
  return s == TrackState::delivered || s == TrackState::refused;
}

bool needs_attention(TrackState s) {
  return s == TrackState::problem || s == TrackState::returning || s == TrackState::refused;
}

}  // namespace fulfil::courier
