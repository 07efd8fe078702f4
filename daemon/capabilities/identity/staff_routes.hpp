#pragma once
#include <vector>

#include "api/route_table.hpp"
#include "capability.hpp"

namespace fulfil::daemon {

// Staff management over HTTP, for admins: users (add, roles, password, disable), API tokens
// (add, shown once; revoke) and, for supervisors too, the audit log with its filters. Every
// change is written to the audit log under the admin who made it.
std::vector<api::Route> staff_routes(Services& services);

// The roles of a JSON array of role names (["packer","reviewer"]), or invalid_input naming
// `field` and the unknown name.
Result<identity::StaffRoles> roles_field(const boost::json::object& body, std::string_view field);

}  // namespace fulfil::daemon
