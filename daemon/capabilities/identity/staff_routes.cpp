#include "capabilities/identity/staff_routes.hpp"

#include <boost/json/array.hpp>

#include "api/api_util.hpp"
#include "capabilities/identity/identity_json.hpp"
#include "common/timeutil.hpp"
#include "identity/identity.hpp"

namespace fulfil::daemon {

namespace json = boost::json;
using api::from_error;

Result<identity::StaffRoles> roles_field(const json::object& body, std::string_view field) {
  const auto* v = body.if_contains(field);
  if (!v || !v->is_array())
    return fail(ErrorKind::invalid_input, std::string(field) +
                                              ": expected an array of role names (" +
                                              identity::roles_text(127) + ")");
  std::string text;
  for (const auto& role : v->as_array()) {
    if (!role.is_string())
      return fail(ErrorKind::invalid_input, std::string(field) + ": a role name is text");
    text += (text.empty() ? "" : ",") + std::string(role.as_string());
  }
  auto roles = identity::parse_roles_text(text);
  if (!roles) return std::unexpected(with_context(roles.error(), field));
  return roles;
}

namespace {

json::object user_json(const identity::User& u) {
  return {{"name", u.name},
          {"roles", role_array(u.roles)},
          {"disabled", u.disabled},
          {"created_at", api::time_or_null(u.created_at)},
          {"updated_at", api::time_or_null(u.updated_at)}};
}

json::object token_json(const identity::ApiToken& t) {
  return {{"name", t.name},
          {"role", identity::to_string(t.role)},
          {"created_at", api::time_or_null(t.created_at)},
          {"revoked_at", api::time_or_null(t.revoked_at)},
          {"last_used_at", api::time_or_null(t.last_used_at)}};
}

class StaffRoutes {
 public:
  explicit StaffRoutes(Services& s) : m_s(s) {}

  template <class Fn>
  http::Response with_conn(Fn fn) {
    auto conn = m_s.store.local(store::Durability::strict);
    if (!conn) return from_error(conn.error());
    return fn(**conn);
  }

  // Writes the change, then answers `answer`; a failed audit write fails the answer (the
  // change stands, and the admin is told the log missed it).
  http::Response audited(store::Connection& conn, const http::Request& req, std::string action,
                         const std::string& target, const std::string& detail, json::value answer) {
    identity::AuditLog log(conn);
    if (auto r = log.append(
            {0, m_s.clock.now(), req.user, std::move(action), target, detail, req.remote});
        !r)
      return from_error(with_context(r.error(), "done, but not written to the audit log"));
    return api::ok(answer);
  }

  http::Response list_users() {
    return with_conn([&](store::Connection& conn) {
      auto users = identity::UserRepository(conn).list();
      if (!users) return from_error(users.error());
      json::array out;
      for (const auto& u : *users) out.push_back(user_json(u));
      return api::ok(json::object{{"users", out}});
    });
  }

  http::Response add_user(const http::Request& req) {
    auto body = api::json_body(req);
    if (!body) return from_error(body.error());
    auto name = api::text_field(*body, "name");
    if (!name) return from_error(name.error());
    auto roles = roles_field(*body, "roles");
    if (!roles) return from_error(roles.error());
    auto password = api::text_field(*body, "password");
    if (!password) return from_error(password.error());
    return with_conn([&](store::Connection& conn) {
      auto user = identity::UserRepository(conn).add(*name, *roles, *password, m_s.clock.now());
      if (!user) return from_error(user.error());
      return audited(conn, req, "user.add", *name, identity::roles_text(*roles), user_json(*user));
    });
  }

  // Any of roles, password, disabled: each applied and audited on its own.
  http::Response change_user(const http::Request& req, const std::string& name) {
    auto body = api::json_body(req);
    if (!body) return from_error(body.error());
    std::optional<identity::StaffRoles> roles;
    if (body->contains("roles")) {
      auto r = roles_field(*body, "roles");
      if (!r) return from_error(r.error());
      roles = *r;
    }
    std::optional<std::string> password;
    if (body->contains("password")) {
      auto p = api::text_field(*body, "password");
      if (!p) return from_error(p.error());
      password = *p;
    }
    std::optional<bool> disabled;
    if (const auto* d = body->if_contains("disabled")) {
      if (!d->is_bool()) return from_error({ErrorKind::invalid_input, "disabled: true or false"});
      disabled = d->as_bool();
    }
    if (!roles && !password && !disabled)
      return from_error({ErrorKind::invalid_input, "say what changes: roles, password, disabled"});
    if (disabled && *disabled && name == req.user)
      return from_error({ErrorKind::conflict, "an admin cannot disable their own login"});
    return with_conn([&](store::Connection& conn) {
      identity::UserRepository users(conn);
      const UnixSeconds now = m_s.clock.now();
      if (password)
        if (auto r = users.set_password(name, *password, now); !r) return from_error(r.error());
      if (roles)
        if (auto r = users.set_roles(name, *roles, now); !r) return from_error(r.error());
      if (disabled)
        if (auto r = users.set_disabled(name, *disabled, now); !r) return from_error(r.error());
      auto user = users.get(name);
      if (!user) return from_error(user.error());
      if (!*user) return from_error({ErrorKind::not_found, "no user " + name});
      std::string what = roles ? "roles " + identity::roles_text(*roles) : "";
      if (password) what += std::string(what.empty() ? "" : "; ") + "new password";
      if (disabled)
        what += std::string(what.empty() ? "" : "; ") + (*disabled ? "disabled" : "enabled");
      return audited(conn, req, "user.change", name, what, user_json(**user));
    });
  }

  http::Response list_tokens() {
    return with_conn([&](store::Connection& conn) {
      auto tokens = identity::ApiTokenRepository(conn).list();
      if (!tokens) return from_error(tokens.error());
      json::array out;
      for (const auto& t : *tokens) out.push_back(token_json(t));
      return api::ok(json::object{{"tokens", out}});
    });
  }

  http::Response add_token(const http::Request& req) {
    auto body = api::json_body(req);
    if (!body) return from_error(body.error());
    auto name = api::text_field(*body, "name");
    if (!name) return from_error(name.error());
    auto role_name = api::text_field(*body, "role");
    if (!role_name) return from_error(role_name.error());
    auto role = identity::parse_staff_role(*role_name);
    if (!role)
      return from_error({ErrorKind::invalid_input, "role: \"" + *role_name + "\" is not one of " +
                                                       identity::roles_text(127)});
    return with_conn([&](store::Connection& conn) {
      auto issued = identity::ApiTokenRepository(conn).add(*name, *role, m_s.clock.now());
      if (!issued) return from_error(issued.error());
      auto out = token_json(issued->record);
      out["token"] = issued->token;  // shown this once; only its hash is kept
      return audited(conn, req, "token.add", *name, std::string(identity::to_string(*role)), out);
    });
  }

  http::Response revoke_token(const http::Request& req, const std::string& name) {
    return with_conn([&](store::Connection& conn) {
      if (auto r = identity::ApiTokenRepository(conn).revoke(name, m_s.clock.now()); !r)
        return from_error(r.error());
      return audited(conn, req, "token.revoke", name, "", json::object{{"revoked", name}});
    });
  }

  http::Response audit_log(const http::Request& req) {
    identity::AuditFilter filter;
    auto limit = api::limit_param(req, 200, 5000);
    if (!limit) return from_error(limit.error());
    filter.limit = *limit;
    if (auto it = req.query.find("actor"); it != req.query.end()) filter.actor = it->second;
    if (auto it = req.query.find("action"); it != req.query.end()) filter.action = it->second;
    for (auto [key, into] : {std::pair{"from", &filter.from}, std::pair{"to", &filter.to}}) {
      auto it = req.query.find(key);
      if (it == req.query.end()) continue;
      auto t = parse_iso(it->second);
      if (!t) return from_error(with_context(t.error(), key));
      *into = *t;
    }
    return with_conn([&](store::Connection& conn) {
      auto entries = identity::AuditLog(conn).list(filter);
      if (!entries) return from_error(entries.error());
      json::array out;
      for (const auto& e : *entries)
        out.push_back(json::object{{"id", e.id},
                                   {"at", api::time_or_null(e.at)},
                                   {"actor", e.actor},
                                   {"action", e.action},
                                   {"target", e.target},
                                   {"detail", e.detail},
                                   {"address", e.address}});
      return api::ok(json::object{{"entries", out}});
    });
  }

 private:
  Services& m_s;
};

}  // namespace

std::vector<api::Route> staff_routes(Services& services) {
  auto s = std::make_shared<StaffRoutes>(services);
  const api::Roles admins = api::roles({});
  return {
      {"GET", "/api/v1/users", "listUsers", admins,
       [s](const auto&, const auto&) { return s->list_users(); }},
      {"POST", "/api/v1/users", "addUser", admins,
       [s](const auto& req, const auto&) { return s->add_user(req); }},
      {"POST", "/api/v1/users/{name}", "changeUser", admins,
       [s](const auto& req, const auto& p) { return s->change_user(req, p.text("name")); }},
      {"GET", "/api/v1/tokens", "listTokens", admins,
       [s](const auto&, const auto&) { return s->list_tokens(); }},
      {"POST", "/api/v1/tokens", "addToken", admins,
       [s](const auto& req, const auto&) { return s->add_token(req); }},
      {"POST", "/api/v1/tokens/{name}/revoke", "revokeToken", admins,
       [s](const auto& req, const auto& p) { return s->revoke_token(req, p.text("name")); }},
      {"GET", "/api/v1/audit", "listAudit", api::k_supervisors,
       [s](const auto& req, const auto&) { return s->audit_log(req); }},
  };
}

}  // namespace fulfil::daemon
