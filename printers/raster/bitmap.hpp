#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "raster/font.hpp"

namespace fulfil::printers {

// A 1-bit image, rows MSB first, 1 = black: what thermal printers take.
struct Bitmap {
  int width = 0, height = 0;
  int stride = 0;  // bytes per row
  std::vector<std::uint8_t> bits;

  Bitmap() = default;
  Bitmap(int w, int h) : width(w), height(h), stride((w + 7) / 8), bits(stride * h, 0) {}
  bool get(int x, int y) const { return (bits[y * stride + x / 8] >> (7 - x % 8)) & 1; }
  void fill(int x, int y, int w, int h);
  // Draws a glyph with its pen at (x, baseline).
  void draw(const Glyph& g, int x, int baseline);
  // Count of black dots (tests compare renderings by it).
  std::int64_t ink() const;
};

// One line of text at `size` dots, as wide as its advances and `size` high.
Bitmap text_bitmap(Font& font, std::string_view utf8, int size);

}  // namespace fulfil::printers
