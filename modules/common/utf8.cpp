#include "common/utf8.hpp"

#include <iconv.h>

#include <cerrno>
#include <memory>

namespace fulfil {

std::optional<std::size_t> find_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF)
      len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
      len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
      len = 4, cp = c & 0x07;
    else
      return i;
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
      return i;
    i += len;
  }
  return std::nullopt;
}

namespace {

Result<std::string> convert(std::string_view text, const char* to, const char* from) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1))
    return fail(ErrorKind::internal, std::string("iconv cannot convert ") + from + " to " + to);
  std::unique_ptr<void, int (*)(iconv_t)> guard(cd, iconv_close);
  std::string out(text.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(text.data());
  std::size_t in_left = text.size();
  std::size_t done = 0;
  while (in_left > 0) {
    char* outp = out.data() + done;
    std::size_t out_left = out.size() - done;
    std::size_t r = iconv(cd, &in, &in_left, &outp, &out_left);
    done = out.size() - out_left;
    if (r == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) {
        out.resize(out.size() * 2);
        continue;
      }
      return fail(ErrorKind::invalid_input,
                  "byte " + std::to_string(text.size() - in_left) + " is not valid " + from);
    }
  }
  out.resize(done);
  return out;
}

}  // namespace

Result<std::string> gb18030_to_utf8(std::string_view text) {
  return convert(text, "UTF-8", "GB18030");
}

Result<std::string> utf8_to_gb18030(std::string_view text) {
  return convert(text, "GB18030", "UTF-8");
}

std::u32string code_points(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      out.push_back(c);
      ++i;
      continue;
    }
    const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    bool ok = len > 0 && i + len <= n;
    char32_t cp = len == 4 ? c & 0x07 : len == 3 ? c & 0x0F : c & 0x1F;
    for (std::size_t k = 1; ok && k < len; ++k) {
      ok = (p[i + k] & 0xC0) == 0x80;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    out.push_back(ok ? cp : U'\uFFFD');
    i += ok ? len : 1;
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

std::string printable(std::string_view text, std::size_t max_bytes) {
  const bool cut = text.size() > max_bytes;
  if (cut) text = utf8_prefix(text, max_bytes);
  std::string out;
  out.reserve(text.size() + 8);
  auto hex = [&](unsigned char c) {
    static constexpr char k_digits[] = "0123456789abcdef";
    out += "\\x";
    out.push_back(k_digits[c >> 4]);
    out.push_back(k_digits[c & 0xF]);
  };
  while (!text.empty()) {
    const auto bad = find_invalid_utf8(text).value_or(text.size());
    for (char c : text.substr(0, bad)) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7F)
        hex(u);
      else
        out.push_back(c);
    }
    if (bad == text.size()) break;
    hex(static_cast<unsigned char>(text[bad]));
    text.remove_prefix(bad + 1);
  }
  if (cut) out += "…";
  return out;
}

bool has_control(std::string_view text, bool allow_whitespace) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (allow_whitespace && (c == '\t' || c == '\n' || c == '\r')) continue;
    if (u < 0x20 || u == 0x7F) return true;
  }
  return false;
}

}  // namespace fulfil
