#include "lang/zpl.hpp"

#include <charconv>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "common/utf8.hpp"
#include "lang/language.hpp"
#include "raster/bitmap.hpp"

namespace fulfil::printers {

namespace {

constexpr char k_hex[] = "0123456789ABCDEF";

// `n` copies of `c` in ZPL's run-length form (g..z count 20..400, G..Y count 1..19) at `p`;
// never longer than the run itself. Returns the end.
char* put_run(char* p, char c, int n) {
  if (n == 1) {
    *p++ = c;
    return p;
  }
  while (n > 0) {
    const int chunk = std::min(n, 419);
    if (chunk > 1) {
      if (chunk / 20) *p++ = static_cast<char>('g' + chunk / 20 - 1);
      if (chunk % 20) *p++ = static_cast<char>('G' + chunk % 20 - 1);
    }
    *p++ = c;
    n -= chunk;
  }
  return p;
}

// One row's hex digits up to its last black byte (`bytes` of them), as runs, at `p`.
char* put_row(char* p, const std::uint8_t* row, int bytes) {
  const int n = bytes * 2;
  auto digit = [row](int i) { return i & 1 ? row[i >> 1] & 15 : row[i >> 1] >> 4; };
  for (int i = 0; i < n;) {
    const int v = digit(i);
    const std::uint8_t both = static_cast<std::uint8_t>(v * 17);  // a byte of two such digits
    int j = i + 1;
    while (j < n) {
      if (!(j & 1) && j + 1 < n && row[j >> 1] == both) {
        j += 2;  // whole bytes at once: white space and solid black
      } else if (digit(j) == v) {
        ++j;
      } else {
        break;
      }
    }
    p = put_run(p, k_hex[v], j - i);
    i = j;
  }
  return p;
}

void append_int(std::string& out, long v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

// A field's data: ^FD as is, or with ^FH hex escapes when it holds ZPL's own characters.
void append_field(std::string& out, std::string_view data) {
  if (data.find_first_of("^~_") == std::string_view::npos) {
    out += "^FD";
    out += data;
  } else {
    out += "^FH^FD";
    for (char c : data) {
      if (c == '^' || c == '~' || c == '_') {
        out.push_back('_');
        out.push_back(k_hex[(c >> 4) & 15]);
        out.push_back(k_hex[c & 15]);
      } else {
        out.push_back(c);
      }
    }
  }
  out += "^FS";
}

}  // namespace

void append_zpl_graphic(std::string& out, const Bitmap& b) {
  const long total = static_cast<long>(b.stride) * b.height;
  out += "^GFA,";
  append_int(out, total);
  out.push_back(',');
  append_int(out, total);
  out.push_back(',');
  append_int(out, b.stride);
  out.push_back(',');
  // Written in place: a row never takes more than its hex digits and a comma.
  const std::size_t start = out.size();
  out.resize(start + static_cast<std::size_t>(b.height) * (2 * b.stride + 1));
  char* p = out.data() + start;
  const std::uint8_t* prev = nullptr;
  for (int y = 0; y < b.height; ++y) {
    const std::uint8_t* row = b.bits.data() + static_cast<std::ptrdiff_t>(y) * b.stride;
    if (prev && std::memcmp(prev, row, b.stride) == 0) {
      *p++ = ':';
      continue;
    }
    prev = row;
    int last = b.stride - 1;
    while (last >= 0 && row[last] == 0) --last;
    p = put_row(p, row, last + 1);
    if (last < b.stride - 1) *p++ = ',';
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
}

namespace {

// Text lines rendered whole to ^GFA fields, kept per thread: the sender, courier, shop and
// headings repeat on every label. Only for the lines GlyphFields cannot draw exactly.
class LineGraphics {
 public:
  const std::string& get(Font& font, const TextItem& t) {
    std::string key;
    key.reserve(t.text.size() + 24);
    key.append(reinterpret_cast<const char*>(&font), sizeof(void*));
    key.append(reinterpret_cast<const char*>(&t.size), sizeof t.size);
    key += t.text;
    auto it = m_lines.find(key);
    if (it != m_lines.end()) return it->second;
    if (m_lines.size() >= 4096) m_lines.clear();  // a day's distinct lines do not pile up
    std::string field;
    append_zpl_graphic(field, text_bitmap(font, t.text, t.size));
    field += "^FS";
    return m_lines.emplace(std::move(key), std::move(field)).first->second;
  }

 private:
  std::unordered_map<std::string, std::string> m_lines;
};

// Text as one ^GFA field per glyph, each compressed once per glyph and size and kept per
// thread: a label's own text (receiver, address, items) then costs lookups and copies
// rather than drawing and compressing a bitmap of every line. The dots are exactly those of
// text_bitmap's line (ZPL draws fields over each other, black wins); a line whose ink would
// reach past that bitmap's edges, which clip it, is left to LineGraphics.
class GlyphFields {
 public:
  // Appends `t`'s glyphs (none for blank text); false, appending nothing, for a clipped line.
  bool append(std::string& out, Font& font, const TextItem& t) {
    if (m_font != &font || m_glyphs.size() >= 65536) {  // one font's CJK set at a few sizes
      m_glyphs.clear();
      m_font = &font;
    }
    m_line.clear();
    long width64 = 0;
    for (char32_t cp : code_points(t.text)) {
      const Entry& e = entry(font, cp, t.size);
      m_line.push_back(&e);
      width64 += e.advance;
    }
    // text_bitmap's line is max(advance sum, 1) dots wide, drawn in whole bytes.
    const long line_dots = ((std::max((width64 + 63) / 64, 1L) + 7) / 8) * 8;
    long pen64 = 0;
    for (const Entry* e : m_line) {
      const long x = ((pen64 + 32) >> 6) + e->dx;
      if (!e->field.empty() && (x + e->ink_from < 0 || x + e->ink_to > line_dots || t.x + x < 0))
        return false;
      pen64 += e->advance;
    }
    pen64 = 0;
    for (const Entry* e : m_line) {
      if (!e->field.empty()) {
        out += "^FO";
        append_int(out, t.x + ((pen64 + 32) >> 6) + e->dx);
        out.push_back(',');
        append_int(out, t.y + e->dy);
        out += e->field;
      }
      pen64 += e->advance;
    }
    return true;
  }

 private:
  struct Entry {
    int advance = 0;               // 1/64 dot, as text_bitmap advances
    int dx = 0, dy = 0;            // the field's corner from the pen and the line's top
    int ink_from = 0, ink_to = 0;  // inked columns [from, to) of the field
    std::string field;             // "^GFA,…^FS"; empty when the glyph draws nothing in the line
  };

  const Entry& entry(Font& font, char32_t cp, int size) {
    const std::uint64_t key = (static_cast<std::uint64_t>(size) << 32) | cp;
    if (auto it = m_glyphs.find(key); it != m_glyphs.end()) return it->second;
    const Glyph& g = font.glyph(cp, size);
    Entry e;
    e.advance = g.advance;
    // The rows inside the line's box (text_bitmap clips above its top and below `size`),
    // less blank rows at either end.
    const int top = font.ascent(size) - g.top;
    int from = std::max(0, -top), to = std::min(g.height, size - top);
    auto blank = [&](int row) {
      for (int b = 0; b < g.pitch; ++b)
        if (g.bits[static_cast<std::size_t>(row * g.pitch + b)]) return false;
      return true;
    };
    while (from < to && blank(from)) ++from;
    while (to > from && blank(to - 1)) --to;
    if (from < to) {
      Bitmap b(g.pitch * 8, to - from);
      std::copy(g.bits.begin() + from * g.pitch, g.bits.begin() + to * g.pitch, b.bits.begin());
      e.ink_from = b.width;
      for (int y = 0; y < b.height; ++y)
        for (int x = 0; x < b.width; ++x)
          if (b.get(x, y)) {
            e.ink_from = std::min(e.ink_from, x);
            e.ink_to = std::max(e.ink_to, x + 1);
          }
      e.dx = g.left;
      e.dy = top + from;
      append_zpl_graphic(e.field, b);
      e.field += "^FS";
    }
    return m_glyphs.emplace(key, std::move(e)).first->second;
  }

  const Font* m_font = nullptr;
  std::unordered_map<std::uint64_t, Entry> m_glyphs;
  std::vector<const Entry*> m_line;
};

}  // namespace

Result<std::string> render_zpl(const Document& doc, Font& font, const RenderSettings& settings) {
  std::string out;
  out.reserve(16384);
  for (const Page& page : doc.pages) {
    out += "^XA^CI28^PW";
    append_int(out, doc.width);
    out += "^LL";
    append_int(out, doc.height);
    out += "^LH0,0\n";
    auto origin = [&](int x, int y) {
      out += "^FO";
      append_int(out, x);
      out.push_back(',');
      append_int(out, y);
    };
    for (const RuleItem& r : page.rules) {
      origin(r.x, r.y);
      out += "^GB";
      append_int(out, r.w);
      out.push_back(',');
      append_int(out, r.h);
      out.push_back(',');
      append_int(out, std::min(r.w, r.h));
      out += "^FS\n";
    }
    for (const TextItem& t : page.texts) {
      if (settings.text_mode == TextMode::resident) {
        origin(t.x, t.y);
        out += "^A@N,";
        append_int(out, t.size);
        out.push_back(',');
        append_int(out, t.size);
        out.push_back(',');
        out += settings.resident_font;
        append_field(out, t.text);
        out.push_back('\n');
        continue;
      }
      static thread_local GlyphFields glyphs;
      if (!glyphs.append(out, font, t)) {
        static thread_local LineGraphics lines;
        origin(t.x, t.y);
        out += lines.get(font, t);
      }
      out.push_back('\n');
    }
    for (const CodeItem& c : page.codes) {
      origin(c.x, c.y);
      if (c.symbology == Symbology::qr) {
        out += "^BQN,2,";
        append_int(out, c.module);
        append_field(out, "MA," + c.data);
      } else {
        out += "^BY";
        append_int(out, c.module);
        out += "^BCN,";
        append_int(out, c.height);
        out += ",N,N,N,A";
        append_field(out, c.data);
      }
      out.push_back('\n');
    }
    out += "^PQ1^XZ\n";
  }
  return out;
}

}  // namespace fulfil::printers
