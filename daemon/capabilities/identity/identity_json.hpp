#pragma once
#include <boost/json/array.hpp>

#include "identity/staff_roles.hpp"

namespace fulfil::daemon {

// Roles as the API shows them: ["packer","reviewer"], in all_staff_roles() order.
boost::json::array role_array(identity::StaffRoles roles);

}  // namespace fulfil::daemon
