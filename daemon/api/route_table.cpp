#include "api/route_table.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <stdexcept>

#include "api/api_util.hpp"
#include "identity/password.hpp"

namespace fulfil::daemon::api {

std::string media_type(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && content_type.front() == ' ') content_type.remove_prefix(1);
  while (!content_type.empty() && content_type.back() == ' ') content_type.remove_suffix(1);
  std::string out(content_type);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void audit_calls(std::vector<Route>& routes, std::string_view operation_id, std::string action) {
  for (auto& r : routes)
    if (r.operation_id == operation_id) {
      r.audit = std::move(action);
      return;
    }
  throw std::logic_error("audit_calls: no route " + std::string(operation_id));
}

namespace {

// The path's segments as sent, each decoded ("/api/v1/stock/MY-2601%2F12" has four).
std::vector<std::string> path_segments(const http::Request& req) {
  std::vector<std::string> out;
  if (auto url = boost::urls::parse_origin_form(req.target)) {
    for (auto seg : url->segments()) out.emplace_back(seg);
    // "/api/v1/parcels/" is not "/api/v1/parcels": the empty last segment is kept.
    if (url->encoded_path().ends_with('/')) out.emplace_back();
    return out;
  }
  std::string_view rest = req.path;
  while (!rest.empty() && rest.front() == '/') {
    rest.remove_prefix(1);
    const auto slash = rest.find('/');
    out.emplace_back(rest.substr(0, slash));
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  return out;
}

}  // namespace

std::string describe_roles(Roles roles) {
  std::vector<std::string> names;
  for (auto role : identity::all_staff_roles())
    if (roles & static_cast<Roles>(role)) names.push_back(std::string(identity::to_string(role)));
  if (roles == k_any_staff) return "anyone logged in";
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return out.empty() ? "anyone" : out;
}

std::int64_t PathParams::id(std::string_view name) const {
  auto it = m_ids.find(name);
  if (it == m_ids.end())
    throw std::logic_error("route has no integer parameter " + std::string(name));
  return it->second;
}

const std::string& PathParams::text(std::string_view name) const {
  auto it = m_texts.find(name);
  if (it == m_texts.end()) throw std::logic_error("route has no parameter " + std::string(name));
  return it->second;
}

void RouteTable::add(std::vector<Route> routes) {
  for (auto& r : routes) {
    for (const auto& have : m_routes)
      if (have.method == r.method && have.pattern == r.pattern)
        throw std::logic_error("route " + r.method + " " + r.pattern + " added twice");
    std::vector<Segment> segments;
    std::string_view rest = r.pattern;
    while (!rest.empty()) {
      rest.remove_prefix(1);  // the '/'
      const auto slash = rest.find('/');
      const std::string_view seg = rest.substr(0, slash);
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}')
        segments.push_back({"", std::string(seg.substr(1, seg.size() - 2))});
      else
        segments.push_back({std::string(seg), ""});
      rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    }
    m_segments.push_back(std::move(segments));
    m_routes.push_back(std::move(r));
  }
}

http::Response RouteTable::handle(http::Request req) const {
  const auto segments = path_segments(req);
  auto fits = [&](std::size_t i) {
    const auto& pattern = m_segments[i];
    if (pattern.size() != segments.size()) return false;
    for (std::size_t k = 0; k < pattern.size(); ++k) {
      if (pattern[k].param.empty()) {
        if (pattern[k].literal != segments[k]) return false;
      } else if (auto c = m_routes[i].choices.find(pattern[k].param);
                 c != m_routes[i].choices.end() &&
                 std::find(c->second.begin(), c->second.end(), segments[k]) == c->second.end()) {
        return false;
      }
    }
    return true;
  };
  // A literal segment beats a parameter at the first place they differ.
  auto more_specific = [&](std::size_t a, std::size_t b) {
    for (std::size_t k = 0; k < segments.size(); ++k) {
      const bool la = m_segments[a][k].param.empty(), lb = m_segments[b][k].param.empty();
      if (la != lb) return la;
    }
    return false;
  };
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < m_routes.size(); ++i)
    if (fits(i) && (!best || more_specific(i, *best))) best = i;
  if (!best) return error(404, "not_found", "no route " + req.path);

  const Route* route = nullptr;
  std::string allow;
  for (std::size_t i = 0; i < m_routes.size(); ++i) {
    if (m_routes[i].pattern != m_routes[*best].pattern || !fits(i)) continue;
    if (m_routes[i].method == req.method) route = &m_routes[i];
    allow += (allow.empty() ? "" : ", ") + m_routes[i].method;
    if (m_routes[i].method == "GET") allow += ", HEAD";
  }
  if (!route) {
    auto r = error(405, "method_not_allowed",
                   req.method + " is not allowed on " + req.path + " (allowed: " + allow + ")");
    r.headers["Allow"] = allow;
    return r;
  }

  if (route->roles != k_public) {
    const std::string what = route->method + " " + route->pattern;
    auto caller = m_access.identify ? m_access.identify(req) : Result<std::optional<Caller>>();
    if (!caller) return from_error(caller.error());
    if (!*caller)
      return error(401, "unauthenticated",
                   what +
                       " needs a login: log in (POST /api/v1/session) or send an API token "
                       "(Authorization: Bearer ...); a session ends after its idle time");
    const Caller& who = **caller;
    // A cookie comes with any request the browser sends, wherever the page that caused it
    // came from; the CSRF token comes only from a page of ours that read it.
    if (req.method != "GET" && !who.by_token && !identity::same_secret(req.csrf, who.csrf))
      return error(403, "csrf",
                   req.csrf.empty() ? what + " needs the session's CSRF token (X-CSRF-Token)"
                                    : what + ": the CSRF token is not this session's");
    if (!(who.roles & route->roles))
      return error(403, "forbidden",
                   what + " is for " + describe_roles(route->roles) + "; " + who.name + " is " +
                       (who.roles ? identity::roles_text(who.roles) : std::string("no role")));
    req.user = who.name;
    req.roles = who.roles;
  }

  // A body is read only in a type the route takes: a page elsewhere can post text/plain or a
  // form to this daemon without asking first, never application/json.
  if (!req.body.empty()) {
    const std::string type = media_type(req.content_type);
    if (std::find(route->body_types.begin(), route->body_types.end(), type) ==
        route->body_types.end()) {
      std::string takes;
      for (const auto& t : route->body_types) takes += (takes.empty() ? "" : " or ") + t;
      return error(415, "unsupported_media_type",
                   route->method + " " + route->pattern + " takes " + takes + ", not " +
                       (type.empty() ? std::string("a body without Content-Type") : type));
    }
  }

  PathParams params;
  const auto& pattern = m_segments[route - m_routes.data()];
  for (std::size_t k = 0; k < pattern.size(); ++k) {
    const auto& name = pattern[k].param;
    if (name.empty()) continue;
    if (auto id = route->ids.find(name); id != route->ids.end()) {
      auto v = parse_id(segments[k], id->second);
      if (!v) return from_error(v.error());
      params.m_ids[name] = *v;
    }
    params.m_texts[name] = segments[k];
  }
  auto answer = route->handler(req, params);
  if (route->roles != k_public && m_access.answered) m_access.answered(*route, req, answer);
  return answer;
}

}  // namespace fulfil::daemon::api
