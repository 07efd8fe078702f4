#include "identity/staff_roles.hpp"

namespace fulfil::identity {

const std::vector<StaffRole>& all_staff_roles() {
  static const std::vector<StaffRole> k_all = {StaffRole::packer,
                                               StaffRole::picker,
                                               StaffRole::reviewer,
                                               StaffRole::problem_handler,
                                               StaffRole::customer_service,
                                               StaffRole::supervisor,
                                               StaffRole::admin};
  return k_all;
}

std::string_view to_string(StaffRole role) {
  switch (role) {
    case StaffRole::packer:
      return "packer";
    case StaffRole::picker:
      return "picker";
    case StaffRole::reviewer:
      return "reviewer";
    case StaffRole::problem_handler:
      return "problem_handler";
    case StaffRole::customer_service:
      return "customer_service";
    case StaffRole::supervisor:
      return "supervisor";
    case StaffRole::admin:
      return "admin";
  }
  return "?";
}

std::optional<StaffRole> parse_staff_role(std::string_view text) {
  for (auto role : all_staff_roles())
    if (to_string(role) == text) return role;
  return std::nullopt;
}

std::string roles_text(StaffRoles roles) {
  std::string out;
  for (auto role : all_staff_roles())
    if (roles & static_cast<StaffRoles>(role))
      out += (out.empty() ? "" : ",") + std::string(to_string(role));
  return out;
}

Result<StaffRoles> parse_roles_text(std::string_view text) {
  StaffRoles roles = 0;
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view word = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
    while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
    if (word.empty()) continue;
    auto role = parse_staff_role(word);
    if (!role)
      return fail(ErrorKind::invalid_input,
                  "unknown role \"" + std::string(word) + "\" (roles: " + roles_text(~0u) + ")");
    roles |= static_cast<StaffRoles>(*role);
  }
  if (roles == 0)
    return fail(ErrorKind::invalid_input, "no role given (roles: " + roles_text(~0u) + ")");
  return roles;
}

}  // namespace fulfil::identity
