#include <cstdio>

#include "common/utf8.hpp"
#include "lang/language.hpp"
#include "raster/bitmap.hpp"

namespace fulfil::printers {

namespace {

std::string mm(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g mm", v);
  return buf;
}

// A TSPL string literal: quotes go as \["].
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += "\\[\"]";
    else
      out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

Result<std::string> render_tspl(const Document& doc, Font& font, const RenderSettings& settings) {
  std::string out;
  out.reserve(16384);
  char line[160];
  for (const Page& page : doc.pages) {
    out += "SIZE " + mm(doc.width_mm) + "," + mm(doc.height_mm) + "\r\nGAP " + mm(settings.gap_mm) +
           ",0 mm\r\nDIRECTION 1\r\nREFERENCE 0,0\r\nCLS\r\n";
    for (const RuleItem& r : page.rules) {
      std::snprintf(line, sizeof line, "BAR %d,%d,%d,%d\r\n", r.x, r.y, r.w, r.h);
      out += line;
    }
    for (const TextItem& t : page.texts) {
      if (settings.text_mode == TextMode::resident) {
        auto gb = utf8_to_gb18030(t.text);
        if (!gb)
          return fail(ErrorKind::invalid_input,
                      "\"" + t.text + "\" has characters GB18030 lacks: " + gb.error().message);
        std::snprintf(line, sizeof line, "TEXT %d,%d,", t.x, t.y);
        out += line + quoted(settings.resident_font) + ",0,1,1," + quoted(*gb) + "\r\n";
        continue;
      }
      const Bitmap b = text_bitmap(font, t.text, t.size);
      std::snprintf(line, sizeof line, "BITMAP %d,%d,%d,%d,0,", t.x, t.y, b.stride, b.height);
      out += line;
      // TSPL bitmaps print the 0 bits.
      for (std::uint8_t v : b.bits) out.push_back(static_cast<char>(~v));
      out += "\r\n";
    }
    for (const CodeItem& c : page.codes) {
      if (c.symbology == Symbology::qr)
        std::snprintf(line, sizeof line, "QRCODE %d,%d,M,%d,A,0,", c.x, c.y, c.module);
      else
        std::snprintf(line, sizeof line, "BARCODE %d,%d,\"128\",%d,0,0,%d,%d,", c.x, c.y, c.height,
                      c.module, c.module);
      out += line + quoted(c.data) + "\r\n";
    }
    out += "PRINT 1,1\r\n";
  }
  return out;
}

}  // namespace fulfil::printers
