#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace fulfil::daemon::api {

// Whether a request's Host header names this daemon: an IP address (v4, or v6 in brackets),
// "localhost", or one of `names` ([http] hosts), with or without a port, case aside. A page
// that rebinds its own name to this daemon's address (DNS rebinding) sends that name and is
// refused. A request without Host (not a browser's) is let through: it could name anything.
bool host_allowed(std::string_view host, const std::vector<std::string>& names);

// Whether a listen address stays on this machine (127.0.0.0/8, ::1, localhost).
bool is_loopback(std::string_view address);

}  // namespace fulfil::daemon::api
