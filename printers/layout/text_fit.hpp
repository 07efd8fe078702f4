#pragma once
#include <string>
#include <vector>

#include "raster/font.hpp"

namespace fulfil::printers {

// Breaks text into lines no wider than `width` dots: between CJK characters, at spaces
// between Latin words, and inside a word only when the word alone is too wide.
std::vector<std::u32string> wrap_text(const std::u32string& text, int width, int size,
                                      TextMetrics& font);

// Width in dots of one line.
int text_width(const std::u32string& text, int size, TextMetrics& font);

// Cuts `line` so that it and a trailing "…" fit in `width`.
std::u32string cut_with_ellipsis(std::u32string line, int width, int size, TextMetrics& font);

}  // namespace fulfil::printers
