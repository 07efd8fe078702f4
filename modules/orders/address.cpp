#include "orders/address.hpp"

#include <array>
#include <vector>

namespace fulfil::orders {
namespace {

struct Province {
  std::string_view short_name;
  std::string_view full_name;
};

// Every province-level division, by the short name the platform sometimes sends.
constexpr std::array<Province, 34> k_provinces{{
    {"北京", "北京市"},         {"天津", "天津市"},           {"上海", "上海市"},
    {"重庆", "重庆市"},         {"河北", "河北省"},           {"山西", "山西省"},
    {"辽宁", "辽宁省"},         {"吉林", "吉林省"},           {"黑龙江", "黑龙江省"},
    {"江苏", "江苏省"},         {"浙江", "浙江省"},           {"安徽", "安徽省"},
    {"福建", "福建省"},         {"江西", "江西省"},           {"山东", "山东省"},
    {"河南", "河南省"},         {"湖北", "湖北省"},           {"湖南", "湖南省"},
    {"广东", "广东省"},         {"海南", "海南省"},           {"四川", "四川省"},
    {"贵州", "贵州省"},         {"云南", "云南省"},           {"陕西", "陕西省"},
    {"甘肃", "甘肃省"},         {"青海", "青海省"},           {"台湾", "台湾省"},
    {"内蒙古", "内蒙古自治区"}, {"广西", "广西壮族自治区"},   {"西藏", "西藏自治区"},
    {"宁夏", "宁夏回族自治区"}, {"新疆", "新疆维吾尔自治区"}, {"香港", "香港特别行政区"},
    {"澳门", "澳门特别行政区"},
}};

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string_view trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  // Full-width space (U+3000) is common in addresses typed on Chinese keyboards.
  while (starts_with(s, "\xE3\x80\x80")) s.remove_prefix(3);
  while (ends_with(s, "\xE3\x80\x80")) s.remove_suffix(3);
  return s;
}

const Province* find_province(std::string_view name) {
  for (const auto& p : k_provinces)
    if (name == p.full_name || name == p.short_name) return &p;
  // Loose forms: "广西省", "内蒙古省", "新疆自治区".
  for (const auto& p : k_provinces)
    if (starts_with(name, p.short_name)) return &p;
  return nullptr;
}

// Placeholder city names the platform uses for municipalities' urban area.
bool is_placeholder_city(std::string_view c) {
  return c.empty() || c == "市辖区" || c == "县" || c == "市辖县";
}

std::string canonical_city(std::string_view c) {
  if (c.empty()) return {};
  for (std::string_view suffix : {"市", "自治州", "盟", "地区", "区", "县"})
    if (ends_with(c, suffix)) return std::string(c);
  return std::string(c) + "市";
}

}  // namespace

bool known_province(std::string_view province) {
  return find_province(trim(province)) != nullptr;
}

bool is_municipality(std::string_view p) {
  return p == "北京市" || p == "上海市" || p == "天津市" || p == "重庆市";
}

Address normalise_address(const RawAddress& raw) {
  Address a;
  std::string_view state = trim(raw.state), city = trim(raw.city), district = trim(raw.district),
                   town = trim(raw.town);
  const Province* p = find_province(state);
  a.province = p ? std::string(p->full_name) : std::string(state);
  if (is_municipality(a.province)) {
    // 上海 / 上海市 / 市辖区 / "" all mean the municipality itself.
    a.city = a.province;
    if (!is_placeholder_city(city) && city != a.province && find_province(city) != p &&
        district.empty()) {
      district = city;  // "上海 浦东新区" with the district in the city field
    }
  } else if (city.empty() && !district.empty()) {
    // Cities without districts (东莞市) and county-level cities under the province
    // (仙桃市) arrive with the city in the district field.
    a.city = canonical_city(district);
    district = town;
    town = {};
  } else {
    a.city = canonical_city(city);
  }
  a.district = std::string(district);
  a.town = std::string(town);
  a.detail = std::string(trim(raw.detail));
  a.zip = std::string(trim(raw.zip));
  return a;
}

Address parse_address_line(std::string_view line) {
  std::vector<std::string_view> parts;
  std::string_view rest = trim(line);
  // The platform's order report ends the address with the zip in parentheses:
  // "... 文三路 478 号(310012)", sometimes full-width "（310012）".
  std::string_view zip;
  for (auto [open, close] : {std::pair{"(", ")"}, std::pair{"（", "）"}}) {
    if (!ends_with(rest, close)) continue;
    auto at = rest.rfind(open);
    if (at == std::string_view::npos) continue;
    auto inside = rest.substr(
        at + std::string_view(open).size(),
        rest.size() - at - std::string_view(open).size() - std::string_view(close).size());
    if (inside.size() == 6 && inside.find_first_not_of("0123456789") == std::string_view::npos) {
      zip = inside;
      rest = trim(rest.substr(0, at));
    }
    break;
  }
  // The export separates levels by spaces; the detail is whatever follows the levels.
  for (int level = 0; level < 3 && !rest.empty(); ++level) {
    auto sp = rest.find(' ');
    if (sp == std::string_view::npos) break;
    parts.push_back(rest.substr(0, sp));
    rest = trim(rest.substr(sp + 1));
  }
  RawAddress raw;
  if (parts.size() > 0) raw.state = parts[0];
  if (parts.size() > 1) raw.city = parts[1];
  if (parts.size() > 2) raw.district = parts[2];
  raw.detail = rest;
  raw.zip = zip;
  return normalise_address(raw);
}

}  // namespace fulfil::orders
