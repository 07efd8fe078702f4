#include "lang/zpl.hpp"

#include <charconv>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "lang/language.hpp"

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

// Text lines rendered to ^GFA fields, kept per thread: the sender, courier, shop and
// headings repeat on every label, so most lines are drawn and compressed once.
class GraphicCache {
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
    return m_lines.emplace(std::move(key), std::move(field)).first->second;
  }

 private:
  std::unordered_map<std::string, std::string> m_lines;
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
      origin(t.x, t.y);
      if (settings.text_mode == TextMode::resident) {
        out += "^A@N,";
        append_int(out, t.size);
        out.push_back(',');
        append_int(out, t.size);
        out.push_back(',');
        out += settings.resident_font;
        append_field(out, t.text);
      } else {
        static thread_local GraphicCache cache;
        out += cache.get(font, t);
        out += "^FS";
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
