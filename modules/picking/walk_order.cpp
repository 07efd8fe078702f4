#include "picking/walk_order.hpp"

#include <algorithm>
#include <map>

namespace fulfil::picking {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

bool location_before(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) && is_digit(b[j])) {
      // Compare the digit runs as numbers: skip leading zeros, then the longer is larger.
      while (i < a.size() && a[i] == '0') ++i;
      while (j < b.size() && b[j] == '0') ++j;
      std::size_t ei = i, ej = j;
      while (ei < a.size() && is_digit(a[ei])) ++ei;
      while (ej < b.size() && is_digit(b[ej])) ++ej;
      if (ei - i != ej - j) return ei - i < ej - j;
      if (auto c = a.substr(i, ei - i).compare(b.substr(j, ej - j)); c != 0) return c < 0;
      i = ei, j = ej;
      continue;
    }
    if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
    ++i, ++j;
  }
  return a.size() - i < b.size() - j;
}

bool in_promo_zone(std::string_view location, std::string_view promo_zone) {
  return !promo_zone.empty() && location.starts_with(promo_zone);
}

std::vector<PickLine> walk(const std::vector<PickNeed>& needs, std::string_view promo_zone) {
  std::map<std::string, PickLine> by_sku;
  std::map<std::string, std::map<int, int>> slots;
  for (const auto& n : needs) {
    auto& line = by_sku[n.sku];
    if (line.sku.empty()) {
      line.sku = n.sku, line.title = n.title, line.spec = n.spec, line.location = n.location;
      line.promo = in_promo_zone(n.location, promo_zone);
    }
    if (n.stopped) continue;
    line.quantity += n.quantity;
    slots[n.sku][n.slot] += n.quantity;
  }
  std::vector<PickLine> out;
  for (auto& [sku, line] : by_sku) {
    for (auto [slot, qty] : slots[sku]) line.slots.emplace_back(slot, qty);
    out.push_back(std::move(line));
  }
  // Promo zone, then located, then unlocated; within each by location, then SKU.
  auto rank = [](const PickLine& l) { return l.promo ? 0 : l.location.empty() ? 2 : 1; };
  std::sort(out.begin(), out.end(), [&](const PickLine& a, const PickLine& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (location_before(a.location, b.location)) return true;
    if (location_before(b.location, a.location)) return false;
    return a.sku < b.sku;
  });
  for (std::size_t i = 0; i < out.size(); ++i) out[i].no = static_cast<int>(i + 1);
  return out;
}

std::string slots_text(const std::vector<std::pair<int, int>>& slots) {
  std::string out;
  for (auto [slot, qty] : slots) {
    if (!out.empty()) out += ' ';
    out += '#' + std::to_string(slot);
    if (qty != 1) out += "×" + std::to_string(qty);
  }
  return out;
}

}  // namespace fulfil::picking
