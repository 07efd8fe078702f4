#include "reminders/selection.hpp"

#include <algorithm>
#include <map>

namespace fulfil::reminders {

std::vector<Candidate> select_candidates(std::span<const UnpaidTrade> trades, Fen big_order,
                                         const std::set<std::string>& sensitive) {
  std::map<std::pair<std::string, std::string>, Candidate> by_buyer;
  for (const auto& t : trades) {
    if (sensitive.contains(t.buyer_nick)) continue;
    auto& c = by_buyer[{t.shop, t.buyer_nick}];
    if (c.tids.empty()) c.shop = t.shop, c.buyer_nick = t.buyer_nick, c.first_placed = t.placed;
    c.tids.push_back(t.tid);
    c.amount += t.payment;
    c.first_placed = std::min(c.first_placed, t.placed);
    if (c.mobile.empty()) c.mobile = t.mobile;
  }
  std::vector<Candidate> out;
  for (auto& [key, c] : by_buyer) {
    std::sort(c.tids.begin(), c.tids.end());
    c.big = big_order > 0 && c.amount >= big_order;
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    if (a.big != b.big) return a.big;
    return std::tie(a.first_placed, a.shop, a.buyer_nick) <
           std::tie(b.first_placed, b.shop, b.buyer_nick);
  });
  return out;
}

}  // namespace fulfil::reminders
