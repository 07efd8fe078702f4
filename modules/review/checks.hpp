#pragma once
#include <string>
#include <vector>

#include "orders/trade.hpp"

namespace fulfil::review {

// The automatic checks that park a parcel as a problem. Each can be switched off.
struct CheckSettings {
  bool buyer_message = true;                  // any buyer message asks a person to read it
  bool seller_memo = true;                    // a seller memo parks ...
  std::vector<std::string> memo_keywords;     // ... only when it holds one of these (empty: any)
  std::vector<int> park_flags;                // seller flag colours that park (1 red .. 5 purple)
  bool refund = true;                         // a line with a refund in progress
  bool address = true;                        // incomplete or unrecognised address, no phone
  bool payment = true;                        // paid != lines + postage - discount
  int duplicate_minutes = 30;                 // same buyer, same items within N minutes; 0 off
  std::vector<std::string> blacklist_buyers;  // exact buyer nicks
  std::vector<std::string> blacklist_addresses;  // substrings of the address, name or phone
};

// The reasons, in words a person reads, why this trade needs a person; empty when none.
std::vector<std::string> check_trade(const orders::Trade& trade, const CheckSettings& settings);

// The stock-keeping unit a line is counted under: the merchant SKU code, else the
// merchant item code, else empty (not stock-kept).
std::string sku_of(const orders::TradeLine& line);

// "SKU×num" of every line, sorted: two trades with the same items have the same key.
std::string items_key(const orders::Trade& trade);

// Who and where a parcel goes: trades with the same key may share a parcel. The shop is
// part of it unless merging across shops is allowed.
std::string merge_key(const orders::Trade& trade, bool across_shops);

// True when `city` (normalised, "上海市") is one of `key_cities` ("上海" or "上海市").
bool is_key_city(const std::string& city, const std::vector<std::string>& key_cities);

}  // namespace fulfil::review
