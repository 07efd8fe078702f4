#pragma once
#include <string>

namespace fulfil::picking {

// [picking] in the config file.
struct PickingSettings {
  // Locations starting with this make the promo zone (活动专区), walked first; empty: none.
  std::string promo_zone;
  int wave_size = 30;  // parcels in a wave when the picker does not say
};

inline constexpr int k_max_wave_size = 200;  // one trolley, one sorting rack

}  // namespace fulfil::picking
