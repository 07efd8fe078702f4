#pragma once
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_server.hpp"
#include "identity/staff_roles.hpp"

namespace fulfil::daemon::api {

// Who may call a route: the roles of the staff users and API tokens (identity::StaffRole
// bits). An admin may call every route that needs a login.
using identity::StaffRole;
using Roles = identity::StaffRoles;
constexpr Roles k_public = 0;  // no login: health, the login itself, signed callbacks
constexpr Roles roles(std::initializer_list<StaffRole> list) {
  Roles out = static_cast<Roles>(StaffRole::admin);
  for (auto r : list) out |= static_cast<Roles>(r);
  return out;
}
// Anyone logged in (reads the warehouse floor needs: parcels, labels, tracking).
constexpr Roles k_any_staff = 127;
constexpr Roles k_review_staff =
    roles({StaffRole::reviewer, StaffRole::problem_handler, StaffRole::supervisor});
constexpr Roles k_supervisors = roles({StaffRole::supervisor});
// "packers, supervisors or admins".
std::string describe_roles(Roles roles);

// Who is calling, once authenticated.
struct Caller {
  std::string name;  // a user, or "token:NAME"
  Roles roles = 0;
  bool by_token = false;  // a bearer token: no cookie, so no CSRF token needed
  std::string csrf;       // a session's CSRF token, which its state changes must echo
};

// The path parameters of the route that matched, each parsed once: an integer parameter is
// here as a number, every other as its decoded text (a SKU holding '/' arrives %2F-encoded).
class PathParams {
 public:
  std::int64_t id(std::string_view name) const;
  const std::string& text(std::string_view name) const;

 private:
  friend class RouteTable;
  std::map<std::string, std::int64_t, std::less<>> m_ids;
  std::map<std::string, std::string, std::less<>> m_texts;
};

using RouteHandler = std::function<http::Response(const http::Request&, const PathParams&)>;

struct Route {
  std::string method;         // "GET" (answers HEAD too) or "POST"
  std::string pattern;        // "/api/v1/parcels/{id}/split": a {name} is one path segment
  std::string operation_id;   // the operation's operationId in daemon/api/openapi.yaml
  Roles roles = k_any_staff;  // k_public: no login needed
  RouteHandler handler;
  // Integer parameters, with the name a 400 calls them by ({"id", "parcel id"}).
  std::map<std::string, std::string> ids = {};
  // Parameters that take only these values; any other value is not this route (404).
  std::map<std::string, std::vector<std::string>> choices = {};
  // The media types a body may come in (415 otherwise, naming them).
  std::vector<std::string> body_types = {"application/json"};
  // When set, every answered call is written to the audit log under this action
  // ("label.reprint"; "parcel.*" takes the path's last segment: "parcel.approve"); a state
  // change by an API token is always written ("token.use").
  std::string audit = {};
};

// Marks the route of `operation_id` in `routes` as written to the audit log under `action`.
void audit_calls(std::vector<Route>& routes, std::string_view operation_id, std::string action);

// "text/csv" of "Text/CSV; charset=utf-8": the media type alone, lower case.
std::string media_type(std::string_view content_type);

// Every route of the API in one table. A request is matched once: the most specific pattern
// (a literal segment wins over a parameter, left to right) whose segments fit the path; no
// pattern fits: 404; the pattern fits but not with this method: 405 with Allow. Then, before
// any parameter or body is read: a route that needs a login and has no caller answers 401; a
// session's POST without its CSRF token 403; a caller without the route's roles 403. Then a
// body's media type (415), then integer parameters are parsed (400 naming the parameter),
// then the handler runs, with the caller's name and roles in the request.
class RouteTable {
 public:
  struct Access {
    // Who is calling: nullopt when nobody is logged in or the credentials are not (or no
    // longer) good; an error when the store cannot say.
    std::function<Result<std::optional<Caller>>(const http::Request&)> identify;
    // Called after a handler answered an authenticated call (the audit log).
    std::function<void(const Route&, const http::Request&, const http::Response&)> answered;
  };
  explicit RouteTable(Access access) : m_access(std::move(access)) {}
  // Adds routes; a second route with the same method and pattern is a programming error.
  void add(std::vector<Route> routes);
  http::Response handle(http::Request req) const;
  const std::vector<Route>& routes() const { return m_routes; }

 private:
  struct Segment {
    std::string literal;  // empty for a parameter
    std::string param;
  };
  std::vector<Route> m_routes;
  std::vector<std::vector<Segment>> m_segments;  // per route, its pattern split
  Access m_access;
};

}  // namespace fulfil::daemon::api
