#include "zpl_graphic.hpp"

#include <bit>
#include <charconv>
#include <string>

namespace fulfil::sim {

std::int64_t ZplGraphic::ink() const {
  std::int64_t n = 0;
  for (auto b : bits) n += std::popcount(b);
  return n;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
}  // namespace

std::optional<ZplGraphic> decode_zpl_graphic(std::string_view field) {
  long numbers[3] = {};
  for (long& n : numbers) {
    auto comma = field.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    auto [p, ec] = std::from_chars(field.data(), field.data() + comma, n);
    if (ec != std::errc() || p != field.data() + comma || n <= 0) return std::nullopt;
    field.remove_prefix(comma + 1);
  }
  const long total = numbers[0], stride = numbers[2];
  if (total % stride != 0) return std::nullopt;
  ZplGraphic g;
  g.stride = static_cast<int>(stride);
  g.rows = static_cast<int>(total / stride);
  const std::size_t row_hex = static_cast<std::size_t>(stride) * 2;
  std::string row, prev;
  int repeat = 0;
  auto finish_row = [&](char fill) {
    if (row.size() > row_hex) return false;
    row.append(row_hex - row.size(), fill);
    prev = row;
    for (std::size_t i = 0; i < row_hex; i += 2)
      g.bits.push_back(static_cast<std::uint8_t>(hex_value(row[i]) * 16 + hex_value(row[i + 1])));
    row.clear();
    return true;
  };
  for (char c : field) {
    if (c >= 'G' && c <= 'Y') {
      repeat += c - 'G' + 1;
    } else if (c >= 'g' && c <= 'z') {
      repeat += (c - 'g' + 1) * 20;
    } else if (c == ',' || c == '!') {
      if (!finish_row(c == ',' ? '0' : 'F')) return std::nullopt;
      repeat = 0;
    } else if (c == ':') {
      if (prev.empty() || !row.empty()) return std::nullopt;
      row = prev;
      if (!finish_row('0')) return std::nullopt;
    } else if (hex_value(c) >= 0) {
      row.append(repeat ? repeat : 1, c);
      repeat = 0;
      if (row.size() == row_hex && !finish_row('0')) return std::nullopt;
      if (row.size() > row_hex) return std::nullopt;
    } else if (c == '\n' || c == '\r') {
      continue;
    } else {
      return std::nullopt;
    }
  }
  if (!row.empty() || static_cast<long>(g.bits.size()) != total) return std::nullopt;
  return g;
}

}  // namespace fulfil::sim
