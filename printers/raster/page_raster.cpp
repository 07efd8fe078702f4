#include "raster/page_raster.hpp"

#include "common/utf8.hpp"
#include "raster/barcode.hpp"

namespace fulfil::printers {

Result<Bitmap> rasterise(const Document& doc, const Page& page, Font& font) {
  Bitmap out(doc.width, doc.height);
  for (const RuleItem& r : page.rules) out.fill(r.x, r.y, r.w, r.h);
  for (const TextItem& t : page.texts) {
    int pen64 = t.x * 64;
    const int baseline = t.y + font.ascent(t.size);
    for (char32_t cp : code_points(t.text)) {
      const Glyph& g = font.glyph(cp, t.size);
      out.draw(g, (pen64 + 32) >> 6, baseline);
      pen64 += g.advance;
    }
  }
  for (const CodeItem& c : page.codes) {
    auto symbol = encode_barcode(c.symbology, c.data);
    if (!symbol) return std::unexpected(symbol.error());
    const int row_h = c.symbology == Symbology::qr ? c.module : c.height;
    for (int r = 0; r < symbol->rows; ++r)
      for (int col = 0; col < symbol->columns; ++col)
        if (symbol->at(r, col)) out.fill(c.x + col * c.module, c.y + r * row_h, c.module, row_h);
  }
  return out;
}

}  // namespace fulfil::printers
