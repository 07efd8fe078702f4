#pragma once
#include <functional>
#include <vector>

#include "api/route_table.hpp"
#include "capability.hpp"

namespace fulfil::daemon {

// Logging in and out over HTTP: POST /api/v1/session (user and password; throttled per user
// name and per address before any password is hashed), GET /api/v1/session (who is logged
// in, with the CSRF token the page must echo), POST /api/v1/session/logout. The session is a
// random token in an HttpOnly, SameSite=Strict cookie; every login, failed login and logout
// is written to the audit log.
std::vector<api::Route> session_routes(Services& services);

}  // namespace fulfil::daemon
