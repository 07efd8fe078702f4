#include "courier/allocation.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace fulfil::courier {

namespace {

// "新疆维吾尔自治区" starts with "新疆"; "杭州市" with "杭州".
bool names(const std::string& region, const std::string& place) {
  return !region.empty() && !place.empty() && place.compare(0, region.size(), region) == 0;
}

// Why `c` cannot take the parcel, or empty when it can.
std::string cannot_take(const Courier& c, const ParcelFacts& p, const DayCounts& today) {
  for (const auto& r : c.not_served)
    if (region_matches(r, p)) return c.code + " does not serve " + r;
  if (c.daily_capacity > 0) {
    auto it = today.per_courier.find(c.code);
    if (it != today.per_courier.end() && it->second >= c.daily_capacity)
      return c.code + " is at its daily capacity of " + std::to_string(c.daily_capacity);
  }
  return {};
}

std::string percent(double x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", x * 100);
  return buf;
}

}  // namespace

std::int64_t DayCounts::total() const {
  std::int64_t n = 0;
  for (const auto& [code, count] : per_courier) n += count;
  return n;
}

bool region_matches(const std::string& region, const ParcelFacts& p) {
  return names(region, p.province) || names(region, p.city);
}

Result<Allocation> allocate(const ParcelFacts& p, const CourierSettings& s, const DayCounts& today,
                            const std::set<std::string>& dry,
                            const std::map<std::string, std::string>& refused) {
  std::vector<const Courier*> able;
  std::string refusals;
  for (const auto& c : s.couriers) {
    const auto answer = refused.find(c.code);
    auto why = answer != refused.end() ? answer->second
               : dry.contains(c.code)  ? c.code + " has no waybill numbers left"
                                       : cannot_take(c, p, today);
    if (why.empty())
      able.push_back(&c);
    else
      refusals += (refusals.empty() ? "" : "; ") + why;
  }
  if (able.empty())
    return fail(ErrorKind::invalid_input,
                "no courier can take it: " + (refusals.empty() ? "none configured" : refusals));

  std::string asked_note;
  if (s.honour_buyer_request && !p.buyer_message.empty())
    for (const auto& c : s.couriers)
      for (const auto& alias : c.aliases)
        if (!alias.empty() && p.buyer_message.find(alias) != std::string::npos) {
          if (std::find(able.begin(), able.end(), &c) != able.end())
            return Allocation{c.code, "the buyer asked for " + alias};
          asked_note = " (the buyer asked for " + alias +
                       ", which cannot take it: " + cannot_take(c, p, today) + ")";
        }

  for (const auto& rule : s.region_rules)
    if (region_matches(rule.region, p))
      for (const Courier* c : able)
        if (c->code == rule.courier)
          return Allocation{c->code, "region rule " + rule.region + " -> " + c->code + asked_note};

  // Balance: the courier furthest below its target share, counting this parcel.
  int shares = 0;
  for (const Courier* c : able) shares += c->share;
  const double total = static_cast<double>(today.total()) + 1;
  const Courier* best = nullptr;
  double best_deficit = 0;
  for (const Courier* c : able) {
    if (shares > 0 && c->share == 0) continue;
    const double target = shares > 0 ? static_cast<double>(c->share) / shares : 1.0 / able.size();
    const auto it = today.per_courier.find(c->code);
    const double have = it == today.per_courier.end() ? 0 : static_cast<double>(it->second);
    const double deficit = target * total - have;
    if (!best || deficit > best_deficit + 1e-9 ||
        (std::abs(deficit - best_deficit) <= 1e-9 &&
         (c->cost < best->cost || (c->cost == best->cost && c->code < best->code)))) {
      best = c;
      best_deficit = deficit;
    }
  }
  if (!best) best = able.front();
  const auto it = today.per_courier.find(best->code);
  const double had = it == today.per_courier.end() ? 0 : static_cast<double>(it->second);
  return Allocation{best->code, "balance: " + best->code + " had " +
                                    percent(today.total() ? had / today.total() : 0) +
                                    " of today's " + std::to_string(today.total()) +
                                    " parcels, target " + std::to_string(best->share) + "%" +
                                    asked_note};
}

}  // namespace fulfil::courier
