#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"

namespace fulfil::printers {

// One glyph rasterised to 1 bit per dot (rows MSB first, 1 = black).
struct Glyph {
  int left = 0;  // from the pen position to the bitmap's left edge
  int top = 0;   // from the baseline up to the bitmap's top row
  int width = 0, height = 0, pitch = 0;
  int advance = 0;  // to the next pen position, in 1/64 dot (unhinted, as PDF text runs)
  std::vector<std::uint8_t> bits;
};

// What the layout needs to know of a font: advances and which characters it has.
class TextMetrics {
 public:
  virtual ~TextMetrics() = default;
  // In 1/64 dot, unhinted: bitmaps and PDFs then put each glyph in the same place.
  virtual int advance(char32_t cp, int size) = 0;
  virtual bool has_glyph(char32_t cp) = 0;
  virtual int ascent(int size) = 0;
  // Pixels per em for a line `size` dots high (fonts size the em, we size the line).
  virtual double ppem(int size) const = 0;
  // The family name renderers ask Pango for.
  virtual const std::string& family() const = 0;
};

// A font file opened with FreeType, found by family name through fontconfig. Glyphs are
// rasterised once per size and kept; calls are safe from several threads, and each thread
// remembers what it looked up, so the lock is taken only for glyphs new to it.
class Font : public TextMetrics {
 public:
  // `name`: a family ("WenQuanYi Zen Hei") or a font file path.
  static Result<std::shared_ptr<Font>> open(const std::string& name);
  ~Font() override;
  Font(const Font&) = delete;
  Font& operator=(const Font&) = delete;

  int advance(char32_t cp, int size) override;
  bool has_glyph(char32_t cp) override;
  int ascent(int size) override;
  double ppem(int size) const override;
  const std::string& family() const override { return m_family; }
  const std::string& file() const { return m_file; }
  // The glyph of `cp` at `size` dots per em; valid as long as the font lives.
  const Glyph& glyph(char32_t cp, int size);
  std::size_t cached_glyphs() const;

 private:
  Font() = default;
  const Glyph& glyph_locked(char32_t cp, int size);

  struct Face;
  std::unique_ptr<Face> m_face;
  std::string m_family, m_file;
  std::uint64_t m_id = 0;  // unique per font, so threads' caches never mix two fonts
  mutable std::mutex m_mutex;
  std::unordered_map<std::uint64_t, std::unique_ptr<Glyph>> m_glyphs;
  std::unordered_map<char32_t, bool> m_has;
};

}  // namespace fulfil::printers
