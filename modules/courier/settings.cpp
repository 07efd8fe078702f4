#include "courier/settings.hpp"

#include <set>

namespace fulfil::courier {

const Courier* CourierSettings::find(const std::string& code) const {
  for (const auto& c : couriers)
    if (c.code == code) return &c;
  return nullptr;
}

std::vector<std::string> validate(const CourierSettings& s) {
  std::vector<std::string> errors;
  std::set<std::string> codes;
  int shares = 0;
  for (const auto& c : s.couriers) {
    if (c.code.empty()) errors.push_back("a courier has no code");
    if (!codes.insert(c.code).second)
      errors.push_back("courier " + c.code + " is configured twice");
    if (c.share < 0 || c.share > 100)
      errors.push_back("courier " + c.code + ": share must be 0-100 percent");
    shares += c.share;
  }
  if (shares > 100)
    errors.push_back("courier shares add up to " + std::to_string(shares) + "%, more than 100");
  if (!s.couriers.empty() && shares == 0 && s.region_rules.empty())
    errors.push_back("no courier has a share and no region rule names one: nothing would ship");
  for (const auto& r : s.region_rules)
    if (!codes.contains(r.courier))
      errors.push_back("region rule " + r.region + ": no courier " + r.courier);
  return errors;
}

}  // namespace fulfil::courier
