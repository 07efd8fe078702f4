#include "lang/language.hpp"
#include "raster/page_raster.hpp"

namespace fulfil::printers {

// Receipt printers place nothing by coordinates in standard mode, so each page goes as one
// raster image (GS v 0) in bands the printer's buffer takes, then a feed and cut.
Result<std::string> render_escpos(const Document& doc, Font& font) {
  constexpr int k_band = 256;
  std::string out = "\x1b@";
  for (const Page& page : doc.pages) {
    auto raster = rasterise(doc, page, font);
    if (!raster) return std::unexpected(raster.error());
    for (int y = 0; y < raster->height; y += k_band) {
      const int rows = std::min(k_band, raster->height - y);
      const int w = raster->stride;
      out += "\x1dv0";
      out.push_back('\0');
      out.push_back(static_cast<char>(w & 0xFF));
      out.push_back(static_cast<char>(w >> 8));
      out.push_back(static_cast<char>(rows & 0xFF));
      out.push_back(static_cast<char>(rows >> 8));
      out.append(
          reinterpret_cast<const char*>(raster->bits.data()) + static_cast<std::ptrdiff_t>(y) * w,
          static_cast<std::size_t>(rows) * w);
    }
    out += "\x1dV";
    out.push_back('B');
    out.push_back('\0');
  }
  return out;
}

}  // namespace fulfil::printers
