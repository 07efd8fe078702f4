#include "capabilities/identity/session_routes.hpp"

#include <boost/json/array.hpp>

#include <algorithm>

#include "api/api_util.hpp"
#include "api/caller_identity.hpp"
#include "capabilities/identity/identity_json.hpp"
#include "common/log.hpp"
#include "identity/identity.hpp"

namespace fulfil::daemon {

namespace json = boost::json;
using api::error;
using api::from_error;

namespace {

// Over TLS (the daemon's own) the cookie is also Secure: a browser never sends it in clear.
std::string session_cookie(const http::Request& req, const std::string& token,
                           std::int64_t max_age) {
  return std::string(api::k_session_cookie) + "=" + token +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
         (req.secure ? "; Secure" : "");
}

void audit(store::Connection& conn, const std::string& actor, std::string action,
           const std::string& address, UnixSeconds now) {
  identity::AuditLog log(conn);
  if (auto r = log.append({0, now, actor, std::move(action), actor, "", address}); !r)
    log::error("audit log write failed", {{"user", actor}, {"error", r.error().message}});
}

class SessionRoutes {
 public:
  explicit SessionRoutes(Services& s) : m_s(s) {}

  http::Response login(const http::Request& req) {
    auto body = api::json_body(req);
    if (!body) return from_error(body.error());
    auto name = api::text_field(*body, "user");
    if (!name) return from_error(name.error());
    auto password = api::text_field(*body, "password");
    if (!password) return from_error(password.error());
    auto conn = m_s.store.local(store::Durability::strict);
    if (!conn) return from_error(conn.error());
    const auto settings = m_s.live.get()->logins;
    const UnixSeconds now = m_s.clock.now();
    identity::LoginThrottle by_user(**conn, settings.throttle),
        by_address(**conn, settings.address_throttle());
    const std::string user_key = "user:" + *name, address_key = "address:" + req.remote;
    const std::pair<identity::LoginThrottle*, std::string> keys[] = {{&by_user, user_key},
                                                                     {&by_address, address_key}};
    // Both keys wait before any Argon2 work is done: a guessing client costs nothing.
    std::int64_t wait = 0;
    for (const auto& [throttle, key] : keys) {
      auto w = throttle->wait(key, now);
      if (!w) return from_error(w.error());
      wait = std::max(wait, *w);
    }
    if (wait > 0) return throttled(wait);
    identity::UserRepository users(**conn);
    auto user = users.check_password(*name, *password);
    if (!user) return from_error(user.error());
    if (!*user) {
      for (const auto& [throttle, key] : keys) {
        auto w = throttle->failed(key, now);
        if (!w) return from_error(w.error());
        wait = std::max(wait, *w);
      }
      audit(**conn, *name, "login.failed", req.remote, now);
      log::warn("login failed", {{"user", *name}, {"address", req.remote}});
      if (wait > 0) return throttled(wait);
      return error(401, "login_failed", "wrong user name or password (or the user is disabled)");
    }
    // Only the user's failures are forgotten: one good account must not clear an address
    // that is guessing at others.
    if (auto r = by_user.succeeded(user_key); !r) return from_error(r.error());
    identity::SessionRepository sessions(**conn, settings.sessions);
    auto opened = sessions.open(**user, req.remote, now);
    if (!opened) return from_error(opened.error());
    audit(**conn, (*user)->name, "login", req.remote, now);
    auto r =
        api::ok(me_json(opened->session.user, opened->session.csrf, opened->session.expires_at));
    r.headers["Set-Cookie"] =
        session_cookie(req, opened->token, settings.sessions.absolute_seconds);
    r.headers["Cache-Control"] = "no-store";
    return r;
  }

  http::Response me(const http::Request& req) {
    if (req.user.starts_with("token:"))
      return api::ok(
          json::object{{"user", req.user}, {"roles", role_array(req.roles)}, {"by_token", true}});
    auto conn = m_s.store.local(store::Durability::strict);
    if (!conn) return from_error(conn.error());
    identity::SessionRepository sessions(**conn, m_s.live.get()->logins.sessions);
    auto s = sessions.find(api::cookie_value(req.cookie, api::k_session_cookie), m_s.clock.now());
    if (!s) return from_error(s.error());
    if (!*s) return error(401, "unauthenticated", "the session has ended: log in again");
    auto r = api::ok(me_json((*s)->user, (*s)->csrf, (*s)->expires_at));
    r.headers["Cache-Control"] = "no-store";
    return r;
  }

  // A person changes their own password: the current one is asked (and throttled like a
  // login), every other session of theirs ends, and this browser gets a fresh session.
  http::Response change_password(const http::Request& req) {
    if (req.user.starts_with("token:"))
      return error(403, "forbidden",
                   "an API token has no password: a person logs in to change theirs");
    auto body = api::json_body(req);
    if (!body) return from_error(body.error());
    auto current = api::text_field(*body, "current");
    if (!current) return from_error(current.error());
    auto fresh = api::text_field(*body, "password");
    if (!fresh) return from_error(fresh.error());
    if (*fresh == *current)
      return error(400, "bad_request", "password: the new password is the current one");
    auto conn = m_s.store.local(store::Durability::strict);
    if (!conn) return from_error(conn.error());
    const auto settings = m_s.live.get()->logins;
    const UnixSeconds now = m_s.clock.now();
    identity::LoginThrottle by_user(**conn, settings.throttle);
    const std::string key = "user:" + req.user;
    auto wait = by_user.wait(key, now);
    if (!wait) return from_error(wait.error());
    if (*wait > 0) return throttled(*wait);
    identity::UserRepository users(**conn);
    auto user = users.check_password(req.user, *current);
    if (!user) return from_error(user.error());
    if (!*user) {
      auto w = by_user.failed(key, now);
      if (!w) return from_error(w.error());
      audit(**conn, req.user, "password.change_failed", req.remote, now);
      if (*w > 0) return throttled(*w);
      return error(403, "wrong_password", "the current password is not right");
    }
    if (auto r = users.set_password(req.user, *fresh, now); !r) return from_error(r.error());
    if (auto r = by_user.succeeded(key); !r) return from_error(r.error());
    audit(**conn, req.user, "password.change", req.remote, now);
    identity::SessionRepository sessions(**conn, settings.sessions);
    auto opened = sessions.open(**user, req.remote, now);
    if (!opened) return from_error(opened.error());
    auto r =
        api::ok(me_json(opened->session.user, opened->session.csrf, opened->session.expires_at));
    r.headers["Set-Cookie"] =
        session_cookie(req, opened->token, settings.sessions.absolute_seconds);
    r.headers["Cache-Control"] = "no-store";
    return r;
  }

  http::Response logout(const http::Request& req) {
    auto conn = m_s.store.local(store::Durability::strict);
    if (!conn) return from_error(conn.error());
    if (!req.user.starts_with("token:")) {
      identity::SessionRepository sessions(**conn, m_s.live.get()->logins.sessions);
      if (auto r = sessions.close(api::cookie_value(req.cookie, api::k_session_cookie)); !r)
        return from_error(r.error());
      audit(**conn, req.user, "logout", req.remote, m_s.clock.now());
    }
    auto r = api::ok(json::object{{"logged_out", true}});
    r.headers["Set-Cookie"] = session_cookie(req, "", 0);
    return r;
  }

 private:
  static json::object me_json(const identity::User& user, const std::string& csrf,
                              UnixSeconds expires_at) {
    return {{"user", user.name},
            {"roles", role_array(user.roles)},
            {"csrf", csrf},
            {"by_token", false},
            {"expires_at", api::time_or_null(expires_at)}};
  }

  static http::Response throttled(std::int64_t wait) {
    auto r = error(429, "throttled",
                   "too many wrong passwords: try again in " + std::to_string(wait) + " s");
    r.headers["Retry-After"] = std::to_string(wait);
    return r;
  }

  Services& m_s;
};

}  // namespace

std::vector<api::Route> session_routes(Services& services) {
  auto s = std::make_shared<SessionRoutes>(services);
  return {
      {"POST", "/api/v1/session", "login", api::k_public,
       [s](const auto& req, const auto&) { return s->login(req); }},
      {"GET", "/api/v1/session", "getSession", api::k_any_staff,
       [s](const auto& req, const auto&) { return s->me(req); }},
      {"POST", "/api/v1/session/logout", "logout", api::k_any_staff,
       [s](const auto& req, const auto&) { return s->logout(req); }},
      {"POST", "/api/v1/session/password", "changePassword", api::k_any_staff,
       [s](const auto& req, const auto&) { return s->change_password(req); }},
  };
}

}  // namespace fulfil::daemon
