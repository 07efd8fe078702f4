#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_server.hpp"

namespace fulfil::daemon::api {

// Who may call a route. Today a person is the name in X-Fulfil-User and their roles come from
// the config ([review] reviewers of a slice, problem_handlers, supervisors); the web UI's
// logins will carry the same roles.
enum class Role : unsigned {
  staff = 1,            // any person who says who they are
  reviewer = 2,         // reviews a slice of the queue
  problem_handler = 4,  // works the problem queue
  supervisor = 8,
};
using Roles = unsigned;
constexpr Roles operator|(Role a, Role b) {
  return static_cast<Roles>(a) | static_cast<Roles>(b);
}
constexpr Roles operator|(Roles a, Role b) {
  return a | static_cast<Roles>(b);
}
// "supervisors", "reviewers, problem handlers or supervisors".
std::string describe_roles(Roles roles);

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
  std::string method;        // "GET" (answers HEAD too) or "POST"
  std::string pattern;       // "/api/v1/parcels/{id}/split": a {name} is one path segment
  std::string operation_id;  // the operation's operationId in daemon/api/openapi.yaml
  Roles roles = 0;           // 0: anyone may call it
  RouteHandler handler;
  // Integer parameters, with the name a 400 calls them by ({"id", "parcel id"}).
  std::map<std::string, std::string> ids = {};
  // Parameters that take only these values; any other value is not this route (404).
  std::map<std::string, std::vector<std::string>> choices = {};
  // The media types a body may come in (415 otherwise, naming them).
  std::vector<std::string> body_types = {"application/json"};
};

// "text/csv" of "Text/CSV; charset=utf-8": the media type alone, lower case.
std::string media_type(std::string_view content_type);

// Every route of the API in one table. A request is matched once: the most specific pattern
// (a literal segment wins over a parameter, left to right) whose segments fit the path; no
// pattern fits: 404; the pattern fits but not with this method: 405 with Allow. The caller's
// roles are checked before any parameter or body is read (403), then a body's media type
// (415), then integer parameters are parsed (400 naming the parameter), then the handler runs.
class RouteTable {
 public:
  using RolesOf = std::function<Roles(const std::string& user)>;
  explicit RouteTable(RolesOf roles_of) : m_roles_of(std::move(roles_of)) {}
  // Adds routes; a second route with the same method and pattern is a programming error.
  void add(std::vector<Route> routes);
  http::Response handle(const http::Request& req) const;
  const std::vector<Route>& routes() const { return m_routes; }

 private:
  struct Segment {
    std::string literal;  // empty for a parameter
    std::string param;
  };
  std::vector<Route> m_routes;
  std::vector<std::vector<Segment>> m_segments;  // per route, its pattern split
  RolesOf m_roles_of;
};

}  // namespace fulfil::daemon::api
