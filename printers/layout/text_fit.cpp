#include "layout/text_fit.hpp"

namespace fulfil::printers {

namespace {

// Characters a line may break before or after on their own (CJK and full-width forms).
bool breaks_alone(char32_t c) {
  return c >= 0x2E80 && !(c >= 0xFE00 && c <= 0xFE0F);
}

// Closing punctuation that must not start a line: it stays with the character before.
bool no_line_start(char32_t c) {
  return c == U'，' || c == U'。' || c == U'、' || c == U'；' || c == U'：' || c == U'）' ||
         c == U'！' || c == U'？' || c == U',' || c == U'.' || c == U')' || c == U'」';
}

}  // namespace

namespace {
int width64(const std::u32string& text, int size, TextMetrics& font) {
  int w = 0;
  for (char32_t c : text) w += font.advance(c, size);
  return w;
}
}  // namespace

int text_width(const std::u32string& text, int size, TextMetrics& font) {
  return (width64(text, size, font) + 63) / 64;
}

std::vector<std::u32string> wrap_text(const std::u32string& text, int width_dots, int size,
                                      TextMetrics& font) {
  const int width = width_dots * 64;
  // Tokens: a run of spaces, a Latin word, or one CJK character with any closing
  // punctuation after it.
  std::vector<std::u32string> tokens;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t j = i + 1;
    if (text[i] == U' ') {
      while (j < text.size() && text[j] == U' ') ++j;
    } else if (!breaks_alone(text[i])) {
      while (j < text.size() && text[j] != U' ' && !breaks_alone(text[j])) ++j;
    }
    while (j < text.size() && no_line_start(text[j])) ++j;
    tokens.push_back(text.substr(i, j - i));
    i = j;
  }
  std::vector<std::u32string> lines;
  std::u32string line;
  int line_w = 0;
  auto flush = [&] {
    while (!line.empty() && line.back() == U' ') line.pop_back();
    lines.push_back(std::move(line));
    line.clear();
    line_w = 0;
  };
  for (const auto& tok : tokens) {
    const int w = width64(tok, size, font);
    if (line_w + w <= width) {
      if (!(line.empty() && tok[0] == U' ')) line += tok, line_w += w;
      continue;
    }
    if (tok[0] == U' ') {
      flush();
      continue;
    }
    if (!line.empty() && w <= width) {
      flush();
      line = tok, line_w = w;
      continue;
    }
    // A word wider than the line: split it by character.
    for (char32_t c : tok) {
      const int cw = font.advance(c, size);
      if (line_w + cw > width && !line.empty()) flush();
      line.push_back(c);
      line_w += cw;
    }
  }
  if (!line.empty() || lines.empty()) flush();
  return lines;
}

std::u32string cut_with_ellipsis(std::u32string line, int width, int size, TextMetrics& font) {
  const int dots64 = font.advance(U'…', size);
  while (!line.empty() && width64(line, size, font) + dots64 > width * 64) line.pop_back();
  return line + U'…';
}

}  // namespace fulfil::printers
