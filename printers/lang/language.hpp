#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "layout/page.hpp"
#include "raster/font.hpp"

namespace fulfil::printers {

enum class Language { zpl, tspl, escpos, pdf };
std::string_view to_string(Language l);
std::optional<Language> parse_language(std::string_view s);
// The file extension of a job in this language ("zpl", "pdf").
std::string_view extension(Language l);

// How thermal printers get Chinese text: as bitmaps rasterised here (safe everywhere), or
// as text in a font stored on the printer (smaller jobs; the printer must have the font).
enum class TextMode { bitmap, resident };

struct RenderSettings {
  TextMode text_mode = TextMode::bitmap;
  std::string resident_font;  // ZPL: "E:SIMSUN.TTF"; TSPL: "TSS24.BF2"
  double gap_mm = 2;          // TSPL: the gap between labels
};

// One print job's bytes for these documents, in order (each page its own label or sheet).
Result<std::string> render(Language language, std::span<const Document* const> docs, Font& font,
                           const RenderSettings& settings);

Result<std::string> render_zpl(const Document& doc, Font& font, const RenderSettings& settings);
Result<std::string> render_tspl(const Document& doc, Font& font, const RenderSettings& settings);
Result<std::string> render_escpos(const Document& doc, Font& font);
// A PDF, one page per label page at the label's size, the font embedded.
Result<std::string> render_pdf(std::span<const Document* const> docs, TextMetrics& font);
// One page as a PNG at the label's resolution (a preview for people).
Result<std::string> render_png(const Document& doc, std::size_t page, TextMetrics& font);

}  // namespace fulfil::printers
