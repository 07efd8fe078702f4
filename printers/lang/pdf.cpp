#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>

#include "lang/language.hpp"
#include "raster/barcode.hpp"

namespace fulfil::printers {

namespace {

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Draws one page with cairo, `scale` user units per dot. Text goes through Pango (HarfBuzz
// shaping, the font subset embedded in PDFs); each line is placed on the same baseline as
// the bitmap renderers use.
class PageDrawer {
 public:
  PageDrawer(cairo_t* cr, double scale, TextMetrics& font)
      : m_cr(cr),
        m_scale(scale),
        m_font(font),
        m_layout(pango_cairo_create_layout(cr)),
        m_desc(pango_font_description_new()) {
    pango_font_description_set_family(m_desc, font.family().c_str());
    // Pango rounds glyph positions to whole device units by default: whole points in a
    // PDF, 5% wider text at label sizes. The layout measured unrounded advances.
    pango_context_set_round_glyph_positions(pango_layout_get_context(m_layout), FALSE);
    pango_layout_context_changed(m_layout);
  }
  ~PageDrawer() {
    pango_font_description_free(m_desc);
    g_object_unref(m_layout);
  }
  PageDrawer(const PageDrawer&) = delete;
  PageDrawer& operator=(const PageDrawer&) = delete;

  Result<void> draw(const Page& page) {
    cairo_set_source_rgb(m_cr, 0, 0, 0);
    for (const RuleItem& r : page.rules) rect(r.x, r.y, r.w, r.h);
    cairo_fill(m_cr);
    for (const CodeItem& c : page.codes) {
      auto symbol = encode_barcode(c.symbology, c.data);
      if (!symbol) return std::unexpected(symbol.error());
      const int row_h = c.symbology == Symbology::qr ? c.module : c.height;
      for (int r = 0; r < symbol->rows; ++r)
        for (int col = 0; col < symbol->columns;) {
          if (!symbol->at(r, col)) {
            ++col;
            continue;
          }
          int end = col;
          while (end < symbol->columns && symbol->at(r, end)) ++end;
          rect(c.x + col * c.module, c.y + r * row_h, (end - col) * c.module, row_h);
          col = end;
        }
      cairo_fill(m_cr);
    }
    for (const TextItem& t : page.texts) text(t);
    return {};
  }

 private:
  void rect(int x, int y, int w, int h) {
    cairo_rectangle(m_cr, x * m_scale, y * m_scale, w * m_scale, h * m_scale);
  }

  void text(const TextItem& t) {
    pango_font_description_set_absolute_size(m_desc, m_font.ppem(t.size) * m_scale * PANGO_SCALE);
    pango_layout_set_font_description(m_layout, m_desc);
    pango_layout_set_text(m_layout, t.text.c_str(), static_cast<int>(t.text.size()));
    const double baseline = static_cast<double>(pango_layout_get_baseline(m_layout)) / PANGO_SCALE;
    cairo_move_to(m_cr, t.x * m_scale, (t.y + m_font.ascent(t.size)) * m_scale - baseline);
    pango_cairo_show_layout(m_cr, m_layout);
  }

  cairo_t* m_cr;
  double m_scale;
  TextMetrics& m_font;
  PangoLayout* m_layout;
  PangoFontDescription* m_desc;
};

using Surface = std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)>;
using Context = std::unique_ptr<cairo_t, void (*)(cairo_t*)>;

Result<void> check(cairo_surface_t* s, const char* what) {
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
    return fail(ErrorKind::internal,
                std::string(what) + ": " + cairo_status_to_string(cairo_surface_status(s)));
  return {};
}

}  // namespace

Result<std::string> render_pdf(std::span<const Document* const> docs, TextMetrics& font) {
  std::string out;
  if (docs.empty()) return fail(ErrorKind::invalid_input, "a PDF needs at least one label");
  const double pt = 72.0 / 25.4;
  Surface surface(cairo_pdf_surface_create_for_stream(append_bytes, &out, docs[0]->width_mm * pt,
                                                      docs[0]->height_mm * pt),
                  cairo_surface_destroy);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "fulfild");
  {
    Context cr(cairo_create(surface.get()), cairo_destroy);
    for (const Document* d : docs) {
      const double scale = 72.0 / d->dpi;
      for (const Page& page : d->pages) {
        cairo_pdf_surface_set_size(surface.get(), d->width_mm * pt, d->height_mm * pt);
        PageDrawer drawer(cr.get(), scale, font);
        if (auto r = drawer.draw(page); !r) return std::unexpected(r.error());
        cairo_show_page(cr.get());
      }
    }
  }
  cairo_surface_finish(surface.get());
  if (auto r = check(surface.get(), "PDF"); !r) return std::unexpected(r.error());
  return out;
}

Result<std::string> render_png(const Document& doc, std::size_t page, TextMetrics& font) {
  if (page >= doc.pages.size())
    return fail(ErrorKind::not_found,
                "page " + std::to_string(page + 1) + " of " + std::to_string(doc.pages.size()));
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, doc.width, doc.height),
                  cairo_surface_destroy);
  if (auto r = check(surface.get(), "PNG"); !r) return std::unexpected(r.error());
  {
    Context cr(cairo_create(surface.get()), cairo_destroy);
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    PageDrawer drawer(cr.get(), 1.0, font);
    if (auto r = drawer.draw(doc.pages[page]); !r) return std::unexpected(r.error());
  }
  std::string out;
  cairo_surface_write_to_png_stream(surface.get(), append_bytes, &out);
  return out;
}

}  // namespace fulfil::printers
