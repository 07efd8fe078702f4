#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace fulfil::sim {

// A ^GFA graphic as a printer reads it: the data of "^GFA,b,c,d,DATA" decoded (plain hex or
// ZPL's ASCII compression) into `rows` rows of `stride` bytes, 1 = black.
struct ZplGraphic {
  int stride = 0, rows = 0;
  std::vector<std::uint8_t> bits;
  std::int64_t ink() const;
};

// `field` starts after "^GFA," and ends before "^FS". nullopt when it does not decode to
// exactly the declared byte count: what a printer would print as garbage.
std::optional<ZplGraphic> decode_zpl_graphic(std::string_view field);

}  // namespace fulfil::sim
