#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace fulfil::identity {

// What a person (or an API token) is allowed to do, by the work they do in the warehouse.
enum class StaffRole : unsigned {
  packer = 1,
  picker = 2,
  reviewer = 4,
  problem_handler = 8,
  customer_service = 16,
  supervisor = 32,
  admin = 64,
};
using StaffRoles = unsigned;

// Every role, in the order lists show them.
const std::vector<StaffRole>& all_staff_roles();
std::string_view to_string(StaffRole role);
std::optional<StaffRole> parse_staff_role(std::string_view text);
// "packer,reviewer" (in all_staff_roles() order; empty for none).
std::string roles_text(StaffRoles roles);
// "packer, reviewer" or "reviewer,packer" -> the set; an unknown name is an invalid_input
// error naming it and the known ones; an empty list is refused.
Result<StaffRoles> parse_roles_text(std::string_view text);

}  // namespace fulfil::identity
