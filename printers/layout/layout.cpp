#include "layout/layout.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "common/utf8.hpp"
#include "layout/text_fit.hpp"
#include "raster/barcode.hpp"

namespace fulfil::printers {

namespace {

using Fields = std::map<std::string, std::string, std::less<>>;

std::string substitute(const std::string& text, const Fields& fields, const Fields& page_vars) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto open = text.find('{', i);
    auto close = open == std::string::npos ? open : text.find('}', open);
    if (close == std::string::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, open - i);
    std::string_view name(text.data() + open + 1, close - open - 1);
    if (auto it = page_vars.find(name); it != page_vars.end())
      out += it->second;
    else if (auto f = fields.find(name); f != fields.end())
      out += f->second;
    i = close + 1;
  }
  return out;
}

int line_height(int size) {
  return size + std::max(1, size / 8);
}

class Layouter {
 public:
  Layouter(const LabelTemplate& t, const LabelData& d, TextMetrics& font, Document& doc)
      : m_t(t), m_d(d), m_font(font), m_doc(doc) {}

  // Lays out one side: as many pages as its tables need.
  Result<std::vector<Page>> side(const std::vector<Element>& elements) {
    int pages = 1;
    std::vector<std::vector<Page>> tables;
    for (const auto& e : elements)
      if (e.kind == ElementKind::table) {
        auto t = table(e);
        pages = std::max(pages, static_cast<int>(t.size()));
        tables.push_back(std::move(t));
      }
    std::vector<Page> out(pages);
    for (std::size_t i = 0; i < tables.size(); ++i)
      for (std::size_t p = 0; p < tables[i].size(); ++p) merge(out[p], tables[i][p]);
    for (int p = 0; p < pages; ++p) {
      const Fields vars = {{"page", std::to_string(p + 1)}, {"pages", std::to_string(pages)}};
      for (const auto& e : elements) {
        if (e.kind == ElementKind::table || !on_page(e.on, p, pages)) continue;
        if (auto r = element(e, vars, out[p]); !r) return std::unexpected(r.error());
      }
    }
    return out;
  }

 private:
  static bool on_page(OnPages on, int p, int pages) {
    switch (on) {
      case OnPages::all:
        return true;
      case OnPages::first:
        return p == 0;
      case OnPages::rest:
        return p > 0;
      case OnPages::last:
        return p == pages - 1;
    }
    return true;
  }

  static void merge(Page& into, Page& from) {
    std::move(from.texts.begin(), from.texts.end(), std::back_inserter(into.texts));
    std::move(from.rules.begin(), from.rules.end(), std::back_inserter(into.rules));
    std::move(from.codes.begin(), from.codes.end(), std::back_inserter(into.codes));
  }

  Error error(const Element& e, std::string what) const {
    return {ErrorKind::invalid_input,
            m_t.file + ":" + std::to_string(e.line) + ": " + e.where + ": " + what};
  }

  void warn(const Element& e, std::string what) {
    std::string w = e.where + ": " + what;
    if (std::find(m_doc.warnings.begin(), m_doc.warnings.end(), w) == m_doc.warnings.end())
      m_doc.warnings.push_back(std::move(w));
  }

  // The text as printable code points: line breaks and tabs become spaces, characters the
  // font lacks become □ (each named once in the warnings).
  std::u32string printable(const Element& e, const std::string& utf8) {
    std::u32string out = code_points(utf8);
    for (char32_t& c : out) {
      if (c == U'\n' || c == U'\r' || c == U'\t')
        c = U' ';
      else if (c < 0x20 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0x200D)
        c = 0;
      else if (!m_font.has_glyph(c)) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(c));
        std::string ch;
        append_utf8(ch, c);
        warn(e, "'" + ch + "' (" + hex + ") is not in the font " + m_font.family() +
                    "; printed as " + (m_font.has_glyph(U'□') ? "□" : "?"));
        c = m_font.has_glyph(U'□') ? U'□' : U'?';
      }
    }
    std::erase(out, char32_t{0});
    return out;
  }

  static std::string to_utf8(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) append_utf8(out, c);
    return out;
  }

  // Fits text in a box w × h (h 0: max_lines lines, default one). Returns its lines and size.
  Result<std::pair<std::vector<std::u32string>, int>> fit(const Element& e,
                                                          const std::u32string& text, int w, int h,
                                                          int size, int min_size, int max_lines) {
    for (int s = size;; --s) {
      int lines_room = h > 0 ? std::max(1, (h - s) / line_height(s) + 1) : 1;
      if (max_lines > 0) lines_room = h > 0 ? std::min(lines_room, max_lines) : max_lines;
      auto lines = wrap_text(text, w, s, m_font);
      if (static_cast<int>(lines.size()) <= lines_room) return std::pair{lines, s};
      if (s > min_size && min_size > 0) continue;
      if (e.must_fit)
        return std::unexpected(error(e, "\"" + to_utf8(text) + "\" does not fit in " +
                                            std::to_string(lines_room) + " line(s)"));
      lines.resize(lines_room);
      lines.back() = cut_with_ellipsis(lines.back(), w, s, m_font);
      warn(e, "text cut to fit " + std::to_string(lines_room) + " line(s)");
      return std::pair{lines, s};
    }
  }

  void place_lines(const std::vector<std::u32string>& lines, int x, int y, int w, int size,
                   Align align, Page& page) {
    for (const auto& l : lines) {
      int lx = x;
      if (align != Align::left) {
        const int free = std::max(0, w - text_width(l, size, m_font));
        lx += align == Align::center ? free / 2 : free;
      }
      if (!l.empty()) page.texts.push_back({lx, y, size, to_utf8(l)});
      y += line_height(size);
    }
  }

  Result<void> element(const Element& e, const Fields& vars, Page& page) {
    const int x = m_t.dots(e.x), y = m_t.dots(e.y), w = m_t.dots(e.w), h = m_t.dots(e.h);
    switch (e.kind) {
      case ElementKind::text: {
        const auto text = printable(e, substitute(e.text, m_d.fields, vars));
        const int size = m_t.dots(e.size);
        const int min_size = e.min_size > 0 ? m_t.dots(e.min_size) : 0;
        auto fitted = fit(e, text, w, h, size, min_size, e.max_lines);
        if (!fitted) return std::unexpected(fitted.error());
        place_lines(fitted->first, x, y, w, fitted->second, e.align, page);
        return {};
      }
      case ElementKind::code128:
      case ElementKind::qr:
        return code(e, substitute(e.text, m_d.fields, vars), x, y, w, h, page);
      case ElementKind::rule: {
        const int thin = std::max(1, m_t.dots(0.25));
        page.rules.push_back({x, y, std::max(w, thin), std::max(h, thin)});
        return {};
      }
      case ElementKind::box: {
        const int t = std::max(1, m_t.dots(e.thickness));
        box(x, y, w, h, t, page);
        return {};
      }
      case ElementKind::table:
        return {};
    }
    return {};
  }

  static void box(int x, int y, int w, int h, int t, Page& page) {
    page.rules.push_back({x, y, w, t});
    page.rules.push_back({x, y + h - t, w, t});
    page.rules.push_back({x, y, t, h});
    page.rules.push_back({x + w - t, y, t, h});
  }

  Result<void> code(const Element& e, const std::string& data, int x, int y, int w, int h,
                    Page& page) {
    if (data.empty()) return std::unexpected(error(e, "no data for the barcode (" + e.text + ")"));
    const Symbology sym = e.kind == ElementKind::qr ? Symbology::qr : Symbology::code128;
    if (sym == Symbology::qr) {
      auto modules = qr_modules(data);
      if (!modules) return std::unexpected(error(e, modules.error().message));
      const int side = m_t.dots(e.size);
      const int module = side / *modules;
      if (module < 1)
        return std::unexpected(error(e, "QR code of \"" + data + "\" needs " +
                                            std::to_string(*modules) + " dots, has " +
                                            std::to_string(side)));
      page.codes.push_back({sym, x, y, module, module * *modules, *modules, data});
      return {};
    }
    auto symbol = encode_barcode(sym, data);
    if (!symbol) return std::unexpected(error(e, symbol.error().message));
    const int max_module = std::max(1, m_t.dots(0.5));
    const int module = std::min(max_module, w / symbol->columns);
    if (module < 1)
      return std::unexpected(error(
          e, "Code 128 of \"" + data + "\" needs " + std::to_string(symbol->columns) +
                 " dots, the layout gives " + std::to_string(w) + ": too long for the layout"));
    const int text_size = e.readable ? m_t.dots(e.size) : 0;
    const int bars = std::max(1, h - (e.readable ? line_height(text_size) : 0));
    const int width = module * symbol->columns;
    const int bx = x + (w - width) / 2;
    page.codes.push_back({sym, bx, y, module, bars, symbol->columns, data});
    if (e.readable)
      place_lines({code_points(data)}, x, y + bars, w, text_size, Align::center, page);
    return {};
  }

  // A table of item lines, one Page per page it needs.
  std::vector<Page> table(const Element& e) {
    const int size = m_t.dots(e.size);
    const int lh = line_height(size);
    const int pad = std::max(1, m_t.dots(0.6));
    const int thin = std::max(1, m_t.dots(0.2));
    std::vector<int> col_x, col_w;
    int cx = m_t.dots(e.x);
    for (const auto& c : e.columns) {
      col_x.push_back(cx);
      col_w.push_back(m_t.dots(c.w));
      cx += m_t.dots(c.w);
    }
    std::vector<Page> pages;
    int y = 0, bottom = 0;
    auto start_page = [&] {
      pages.emplace_back();
      const bool first = pages.size() == 1;
      y = m_t.dots(first ? e.y : e.continue_y);
      bottom = y + m_t.dots(first ? e.h : e.continue_h);
      for (std::size_t c = 0; c < e.columns.size(); ++c) {
        auto title = wrap_text(printable(e, e.columns[c].title), col_w[c] - pad, size, m_font);
        place_lines({title.front()}, col_x[c], y, col_w[c] - pad, size, e.columns[c].align,
                    pages.back());
      }
      y += lh;
      pages.back().rules.push_back({m_t.dots(e.x), y, m_t.dots(e.w), thin});
      y += pad;
    };
    start_page();
    for (std::size_t row = 0; row < m_d.lines.size(); ++row) {
      const auto& line = m_d.lines[row];
      std::vector<std::vector<std::u32string>> cells;
      int rows = 1;
      for (std::size_t c = 0; c < e.columns.size(); ++c) {
        const auto& col = e.columns[c];
        std::u32string text;
        if (!col.field.empty())
          if (auto it = line.find(col.field); it != line.end()) text = printable(e, it->second);
        auto wrapped = wrap_text(text, col_w[c] - pad, size, m_font);
        if (wrapped.size() > 3) {
          wrapped.resize(3);
          wrapped.back() = cut_with_ellipsis(wrapped.back(), col_w[c] - pad, size, m_font);
          warn(e, "line " + std::to_string(row + 1) + " " + col.field + " cut to 3 lines");
        }
        rows = std::max(rows, static_cast<int>(wrapped.size()));
        cells.push_back(std::move(wrapped));
      }
      const int height = rows * lh + pad;
      if (y + height > bottom) start_page();
      for (std::size_t c = 0; c < e.columns.size(); ++c) {
        if (e.columns[c].box) {
          const int side = size * 3 / 4;
          box(col_x[c] + pad, y + (lh - side) / 2, side, side, thin, pages.back());
        }
        place_lines(cells[c], col_x[c], y, col_w[c] - pad, size, e.columns[c].align, pages.back());
      }
      y += height;
      pages.back().rules.push_back({m_t.dots(e.x), y - pad / 2 - thin, m_t.dots(e.w), thin});
    }
    return pages;
  }

  const LabelTemplate& m_t;
  const LabelData& m_d;
  TextMetrics& m_font;
  Document& m_doc;
};

}  // namespace

Result<Document> lay_out(const LabelTemplate& t, const LabelData& data, TextMetrics& font) {
  Document doc;
  doc.template_name = t.name;
  doc.dpi = t.dpi;
  doc.width = t.dots(t.width_mm);
  doc.height = t.dots(t.height_mm);
  doc.width_mm = t.width_mm;
  doc.height_mm = t.height_mm;
  Layouter l(t, data, font, doc);
  auto front = l.side(t.front);
  if (!front) return std::unexpected(front.error());
  if (t.back.empty()) {
    doc.pages = std::move(*front);
    return doc;
  }
  auto back = l.side(t.back);
  if (!back) return std::unexpected(back.error());
  doc.duplex = true;
  const std::size_t sheets = std::max(front->size(), back->size());
  for (std::size_t s = 0; s < sheets; ++s) {
    doc.pages.push_back(s < front->size() ? std::move((*front)[s]) : Page{});
    doc.pages.push_back(s < back->size() ? std::move((*back)[s]) : Page{});
  }
  return doc;
}

}  // namespace fulfil::printers
