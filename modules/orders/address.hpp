#pragma once
#include <string_view>

#include "orders/trade.hpp"

namespace fulfil::orders {

// The address fields as the platform sends them.
struct RawAddress {
  std::string_view state;     // province: "上海", "广东省", "内蒙古"
  std::string_view city;      // may be empty, "上海市", "市辖区"
  std::string_view district;  // may hold the city when `city` is empty
  std::string_view town;
  std::string_view detail;
  std::string_view zip;
};

// Normalises to canonical names: provinces in full ("上海" -> "上海市", "广西" ->
// "广西壮族自治区"); municipalities get the municipality as city; an empty city with a
// city-level name in the district (东莞市, 仙桃市) moves it up to the city.
Address normalise_address(const RawAddress& raw);

// Splits one free-text address ("浙江省 杭州市 西湖区 文三路 1 号", as platform CSV
// exports write it) into levels, then normalises it.
Address parse_address_line(std::string_view line);

// True when `province` names one of the 34 province-level divisions (any accepted form).
bool known_province(std::string_view province);

// True for the four municipalities (北京 上海 天津 重庆), given a normalised province.
bool is_municipality(std::string_view province);

}  // namespace fulfil::orders
