#include "capabilities/identity/identity_json.hpp"

namespace fulfil::daemon {

boost::json::array role_array(identity::StaffRoles roles) {
  boost::json::array out;
  for (auto role : identity::all_staff_roles())
    if (roles & static_cast<identity::StaffRoles>(role))
      out.emplace_back(identity::to_string(role));
  return out;
}

}  // namespace fulfil::daemon
