#include "lang/language.hpp"

namespace fulfil::printers {

namespace {
constexpr std::string_view k_names[] = {"zpl", "tspl", "escpos", "pdf"};
}

std::string_view to_string(Language l) {
  return k_names[static_cast<int>(l)];
}

std::optional<Language> parse_language(std::string_view s) {
  for (int i = 0; i < 4; ++i)
    if (k_names[i] == s) return static_cast<Language>(i);
  return std::nullopt;
}

std::string_view extension(Language l) {
  return l == Language::escpos ? "bin" : to_string(l);
}

Result<std::string> render(Language language, std::span<const Document* const> docs, Font& font,
                           const RenderSettings& settings) {
  if (language == Language::pdf) return render_pdf(docs, font);
  std::string out;
  for (const Document* d : docs) {
    Result<std::string> one = language == Language::zpl    ? render_zpl(*d, font, settings)
                              : language == Language::tspl ? render_tspl(*d, font, settings)
                                                           : render_escpos(*d, font);
    if (!one) return one;
    out += *one;
  }
  return out;
}

}  // namespace fulfil::printers
