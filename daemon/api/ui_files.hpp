#pragma once
#include <optional>

#include "http/http_server.hpp"

namespace fulfil::daemon::api {

// The staff web UI's files: "/" is its page, "/ui/..." its scripts and styles, served with
// a Content-Security-Policy that lets them load nothing from anywhere else. Everything the
// page does goes through the /api/v1 routes like any client. nullopt: not a UI path.
std::optional<http::Response> serve_ui(const http::Request& req);

}  // namespace fulfil::daemon::api
