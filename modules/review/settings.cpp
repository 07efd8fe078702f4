#include "review/settings.hpp"

#include <algorithm>

namespace fulfil::review {

namespace {
bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

Roles ReviewSettings::roles_of(const std::string& user) const {
  Roles r = 0;
  if (slice_of_reviewer(user)) r |= static_cast<Roles>(Role::reviewer);
  if (contains(problem_handlers, user)) r |= static_cast<Roles>(Role::problem_handler);
  if (contains(supervisors, user)) r |= static_cast<Roles>(Role::supervisor);
  return r;
}

const Slice* ReviewSettings::slice_of_reviewer(const std::string& user) const {
  for (const auto& s : slicing.slices)
    if (contains(s.reviewers, user)) return &s;
  return nullptr;
}

std::string ReviewSettings::slicing_fingerprint() const {
  std::string f = std::to_string(static_cast<int>(slicing.by));
  for (const auto& s : slicing.slices) f += "|" + describe_range(slicing, s) + "=" + s.name;
  f += "|cities";
  for (const auto& c : key_cities) f += "," + c;
  return f;
}

}  // namespace fulfil::review
