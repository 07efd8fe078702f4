#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace fulfil {

// Byte offset of the first invalid UTF-8 sequence (overlongs, surrogates and code points
// above U+10FFFF count as invalid), or nullopt when the text is valid UTF-8.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

// Converts GB18030 (what Chinese Excel writes as "ANSI") to UTF-8 with iconv.
Result<std::string> gb18030_to_utf8(std::string_view text);

// Converts UTF-8 to GB18030 (what Chinese printers' resident fonts take).
Result<std::string> utf8_to_gb18030(std::string_view text);

// The code points of UTF-8 text; an invalid sequence becomes U+FFFD.
std::u32string code_points(std::string_view text);

// Appends one code point as UTF-8.
void append_utf8(std::string& out, char32_t cp);

// Cuts text to at most max_bytes without splitting a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

// Text fit for a log line or an error message: valid UTF-8 is kept, control characters and
// bytes that are not UTF-8 become \xNN, and text past max_bytes of the input ends in "…".
std::string printable(std::string_view text, std::size_t max_bytes = 200);

// Whether text holds a control character (C0, DEL), NUL included; tab, CR and LF count
// only when allow_whitespace is false.
bool has_control(std::string_view text, bool allow_whitespace = true);

}  // namespace fulfil
