#include "review/checks.hpp"

#include <algorithm>

#include "common/money.hpp"
#include "common/utf8.hpp"
#include "orders/address.hpp"

namespace fulfil::review {

namespace {

const char* k_flag_names[] = {"grey", "red", "yellow", "green", "blue", "purple"};

std::string_view strip_city_suffix(std::string_view s) {
  constexpr std::string_view k_shi = "市";
  if (s.size() > k_shi.size() && s.substr(s.size() - k_shi.size()) == k_shi)
    s.remove_suffix(k_shi.size());
  return s;
}

std::string full_address(const orders::Trade& t) {
  const auto& a = t.address;
  return a.province + a.city + a.district + a.town + a.detail;
}

std::string_view clip(std::string_view s) {
  return utf8_prefix(s, 90);  // a reason, not the whole text (about 30 Chinese characters)
}

}  // namespace

std::vector<std::string> check_trade(const orders::Trade& t, const CheckSettings& c) {
  std::vector<std::string> out;
  if (c.buyer_message && !t.buyer_message.empty())
    out.push_back("buyer message: " + std::string(clip(t.buyer_message)));
  if (c.seller_memo && !t.seller_memo.empty()) {
    bool hit = c.memo_keywords.empty();
    for (const auto& k : c.memo_keywords) hit = hit || t.seller_memo.find(k) != std::string::npos;
    if (hit) out.push_back("seller memo: " + std::string(clip(t.seller_memo)));
  }
  if (std::find(c.park_flags.begin(), c.park_flags.end(), t.seller_flag) != c.park_flags.end())
    out.push_back(std::string("seller flag ") + k_flag_names[std::clamp(t.seller_flag, 0, 5)]);
  if (c.refund)
    for (const auto& l : t.lines)
      if (orders::refund_in_progress(l))
        out.push_back("refund " + l.refund_status + " on line " + std::to_string(l.oid));
  if (c.address) {
    const auto& a = t.address;
    if (a.province.empty() || a.city.empty())
      out.push_back("address incomplete: no province or city");
    else if (a.detail.size() < 6)
      out.push_back("address incomplete: street address \"" + a.detail + "\" is too short");
    else if (!orders::known_province(a.province))
      out.push_back("address not recognised: province \"" + a.province + "\"");
    if (t.receiver_mobile.empty() && t.receiver_phone.empty())
      out.push_back("no phone number for the courier");
  }
  if (c.payment) {
    Fen expected = t.post_fee - t.discount_fee;
    for (const auto& l : t.lines) expected += l.payment;
    if (expected != t.payment)
      out.push_back("payment " + format_yuan(t.payment) + " differs from lines + postage - " +
                    "discount = " + format_yuan(expected));
  }
  if (std::find(c.blacklist_buyers.begin(), c.blacklist_buyers.end(), t.buyer_nick) !=
      c.blacklist_buyers.end())
    out.push_back("buyer " + t.buyer_nick + " is on the blacklist");
  if (!c.blacklist_addresses.empty()) {
    const std::string where =
        full_address(t) + " " + t.receiver_name + " " + t.receiver_mobile + " " + t.receiver_phone;
    for (const auto& b : c.blacklist_addresses)
      if (!b.empty() && where.find(b) != std::string::npos)
        out.push_back("address matches blacklist entry \"" + b + "\"");
  }
  return out;
}

std::string sku_of(const orders::TradeLine& l) {
  return !l.outer_sku_id.empty() ? l.outer_sku_id : l.outer_iid;
}

std::string items_key(const orders::Trade& t) {
  std::vector<std::string> parts;
  for (const auto& l : t.lines) {
    std::string sku = sku_of(l);
    parts.push_back((sku.empty() ? l.title : sku) + "\x1f" + std::to_string(l.num));
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += p + "\x1e";
  return out;
}

std::string merge_key(const orders::Trade& t, bool across_shops) {
  std::string k = across_shops ? std::string() : t.shop;
  k += "\x1f" + t.buyer_nick + "\x1f" + t.receiver_name + "\x1f" + t.receiver_mobile + "\x1f" +
       full_address(t);
  return k;
}

bool is_key_city(const std::string& city, const std::vector<std::string>& key_cities) {
  const auto c = strip_city_suffix(city);
  for (const auto& k : key_cities)
    if (strip_city_suffix(k) == c) return true;
  return false;
}

}  // namespace fulfil::review
