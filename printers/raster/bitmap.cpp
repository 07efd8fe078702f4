#include "raster/bitmap.hpp"

#include <algorithm>
#include <bit>

#include "common/utf8.hpp"

namespace fulfil::printers {

void Bitmap::fill(int x, int y, int w, int h) {
  const int x0 = std::max(0, x), x1 = std::min(width, x + w);
  const int y0 = std::max(0, y), y1 = std::min(height, y + h);
  for (int row = y0; row < y1; ++row)
    for (int col = x0; col < x1; ++col) bits[row * stride + col / 8] |= 0x80 >> (col % 8);
}

void Bitmap::draw(const Glyph& g, int x, int baseline) {
  const int left = x + g.left, top = baseline - g.top;
  for (int row = 0; row < g.height; ++row) {
    const int y = top + row;
    if (y < 0 || y >= height) continue;
    const std::uint8_t* src = g.bits.data() + row * g.pitch;
    std::uint8_t* dst = bits.data() + y * stride;
    // Whole source bytes shifted into place: the fast path for cached glyphs.
    const int shift = ((left % 8) + 8) % 8;
    const int first = (left - shift) / 8;
    for (int b = 0; b < g.pitch; ++b) {
      const std::uint8_t v = src[b];
      if (!v) continue;
      const int at = first + b;
      if (at >= 0 && at < stride) dst[at] |= v >> shift;
      if (shift && at + 1 >= 0 && at + 1 < stride)
        dst[at + 1] |= static_cast<std::uint8_t>(v << (8 - shift));
    }
  }
}

std::int64_t Bitmap::ink() const {
  std::int64_t n = 0;
  for (auto b : bits) n += std::popcount(b);
  return n;
}

Bitmap text_bitmap(Font& font, std::string_view utf8, int size) {
  std::vector<const Glyph*> glyphs;
  int width64 = 0;
  for (char32_t cp : code_points(utf8)) {
    const Glyph& g = font.glyph(cp, size);
    glyphs.push_back(&g);
    width64 += g.advance;
  }
  Bitmap out(std::max((width64 + 63) / 64, 1), size);
  const int baseline = font.ascent(size);
  int pen64 = 0;
  for (const Glyph* g : glyphs) {
    out.draw(*g, (pen64 + 32) >> 6, baseline);
    pen64 += g->advance;
  }
  return out;
}

}  // namespace fulfil::printers
