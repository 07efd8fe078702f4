#include "raster/font.hpp"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <atomic>
#include <cmath>

namespace fulfil::printers {

struct Font::Face {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  int size = 0;  // the pixel size last set on the face
  ~Face() {
    if (face) FT_Done_Face(face);
    if (library) FT_Done_FreeType(library);
  }
};

namespace {

std::atomic<std::uint64_t> g_next_font_id{1};

// The file and face index fontconfig picks for a family, or the path itself.
Result<std::pair<std::string, int>> locate(const std::string& name) {
  if (name.find('/') != std::string::npos) return std::pair{name, 0};
  FcConfig* config = FcInitLoadConfigAndFonts();
  if (!config) return fail(ErrorKind::config, "fontconfig could not load its configuration");
  FcPattern* pattern = FcNameParse(reinterpret_cast<const FcChar8*>(name.c_str()));
  FcConfigSubstitute(config, pattern, FcMatchPattern);
  FcDefaultSubstitute(pattern);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(config, pattern, &result);
  std::pair<std::string, int> out;
  std::string got_family;
  if (match) {
    FcChar8* file = nullptr;
    FcChar8* family = nullptr;
    int index = 0;
    if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch)
      out.first = reinterpret_cast<const char*>(file);
    if (FcPatternGetString(match, FC_FAMILY, 0, &family) == FcResultMatch)
      got_family = reinterpret_cast<const char*>(family);
    if (FcPatternGetInteger(match, FC_INDEX, 0, &index) == FcResultMatch) out.second = index;
    FcPatternDestroy(match);
  }
  FcPatternDestroy(pattern);
  FcConfigDestroy(config);
  // fontconfig always answers with something; a different family means ours is not there.
  if (out.first.empty() || got_family != name)
    return fail(ErrorKind::config, "font \"" + name + "\" is not installed (fontconfig offers \"" +
                                       got_family +
                                       "\"); install fonts-wqy-zenhei or set "
                                       "printing.font to an installed CJK font");
  return out;
}

}  // namespace

Result<std::shared_ptr<Font>> Font::open(const std::string& name) {
  auto where = locate(name);
  if (!where) return std::unexpected(where.error());
  std::shared_ptr<Font> font(new Font());
  font->m_id = g_next_font_id++;
  font->m_face = std::make_unique<Face>();
  if (FT_Init_FreeType(&font->m_face->library) != 0)
    return fail(ErrorKind::internal, "FreeType could not start");
  if (FT_New_Face(font->m_face->library, where->first.c_str(), where->second,
                  &font->m_face->face) != 0)
    return fail(ErrorKind::config, "font file " + where->first + " could not be opened");
  font->m_file = where->first;
  font->m_family = font->m_face->face->family_name ? font->m_face->face->family_name : name;
  return font;
}

Font::~Font() = default;

namespace {

// What this thread already asked of a font: layout asks for every character of every
// label, and several printers lay out at once, so hits must not take the font's lock.
struct ThreadCache {
  std::uint64_t font_id = 0;
  std::unordered_map<std::uint64_t, const Glyph*> glyphs;
  std::unordered_map<char32_t, bool> has;
  void bind(std::uint64_t id) {
    if (font_id == id) return;
    font_id = id;
    glyphs.clear();
    has.clear();
  }
};
thread_local ThreadCache t_cache;

}  // namespace

bool Font::has_glyph(char32_t cp) {
  t_cache.bind(m_id);
  if (auto it = t_cache.has.find(cp); it != t_cache.has.end()) return it->second;
  bool has = false;
  {
    std::lock_guard lock(m_mutex);
    auto it = m_has.find(cp);
    if (it != m_has.end()) {
      has = it->second;
    } else {
      has = FT_Get_Char_Index(m_face->face, cp) != 0;
      m_has.emplace(cp, has);
    }
  }
  t_cache.has.emplace(cp, has);
  return has;
}

int Font::ascent(int size) {
  const FT_Face f = m_face->face;
  return static_cast<int>(
      std::lround(static_cast<double>(size) * f->ascender / (f->ascender - f->descender)));
}

double Font::ppem(int size) const {
  const FT_Face f = m_face->face;
  return static_cast<double>(size) * f->units_per_EM / (f->ascender - f->descender);
}

int Font::advance(char32_t cp, int size) {
  return glyph(cp, size).advance;
}

const Glyph& Font::glyph(char32_t cp, int size) {
  t_cache.bind(m_id);
  const std::uint64_t key = (static_cast<std::uint64_t>(size) << 32) | cp;
  if (auto it = t_cache.glyphs.find(key); it != t_cache.glyphs.end()) return *it->second;
  const Glyph* g = nullptr;
  {
    std::lock_guard lock(m_mutex);
    g = &glyph_locked(cp, size);  // glyphs never move or go while the font lives
  }
  t_cache.glyphs.emplace(key, g);
  return *g;
}

std::size_t Font::cached_glyphs() const {
  std::lock_guard lock(m_mutex);
  return m_glyphs.size();
}

const Glyph& Font::glyph_locked(char32_t cp, int size) {
  const std::uint64_t key = (static_cast<std::uint64_t>(size) << 32) | cp;
  auto it = m_glyphs.find(key);
  if (it != m_glyphs.end()) return *it->second;
  auto g = std::make_unique<Glyph>();
  FT_Face f = m_face->face;
  if (m_face->size != size) {
    // The em spans ascender to descender, so `size` dots hold a whole line of text.
    // A fractional em (26.6), as Pango uses it: the advances then agree with PDF text.
    FT_Set_Char_Size(f, 0, std::max(64L, std::lround(ppem(size) * 64)), 72, 72);
    m_face->size = size;
  }
  if (FT_Load_Char(f, cp, FT_LOAD_RENDER | FT_LOAD_TARGET_MONO | FT_LOAD_MONOCHROME) == 0) {
    const FT_GlyphSlot slot = f->glyph;
    const FT_Bitmap& b = slot->bitmap;
    g->left = slot->bitmap_left;
    g->top = slot->bitmap_top;
    g->width = static_cast<int>(b.width);
    g->height = static_cast<int>(b.rows);
    g->advance = static_cast<int>(slot->linearHoriAdvance >> 10);
    g->pitch = (g->width + 7) / 8;
    g->bits.resize(static_cast<std::size_t>(g->pitch) * g->height);
    for (int row = 0; row < g->height; ++row) {
      const unsigned char* src = b.buffer + static_cast<std::ptrdiff_t>(row) * b.pitch;
      std::copy(src, src + g->pitch, g->bits.begin() + static_cast<std::ptrdiff_t>(row) * g->pitch);
    }
  }
  return *m_glyphs.emplace(key, std::move(g)).first->second;
}

}  // namespace fulfil::printers
