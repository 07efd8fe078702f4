#include "api/caller_identity.hpp"

#include <boost/json/parse.hpp>

#include "common/log.hpp"
#include "identity/api_token_repository.hpp"
#include "identity/audit_log.hpp"

namespace fulfil::daemon::api {

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name)
      return std::string(pair.substr(eq + 1));
  }
  return "";
}

namespace {

constexpr std::string_view k_bearer = "Bearer ";

// What the audit log keeps of a call: the reason or note the person gave, if any.
std::string reason_of(const http::Request& req) {
  if (req.body.empty() || req.body.size() > 64 * 1024) return "";
  boost::system::error_code ec;
  auto v = boost::json::parse(req.body, ec);
  if (ec || !v.is_object()) return "";
  for (const char* key : {"reason", "note", "why"})
    if (auto* f = v.as_object().if_contains(key); f && f->is_string())
      return std::string(f->as_string());
  return "";
}

}  // namespace

Result<std::optional<Caller>> CallerIdentity::identify(const http::Request& req) {
  const bool bearer = req.authorization.starts_with(k_bearer);
  const std::string cookie = bearer ? "" : cookie_value(req.cookie, k_session_cookie);
  if (!bearer && cookie.empty()) return std::optional<Caller>();
  auto conn = m_store.local(store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  const UnixSeconds now = m_clock.now();
  if (bearer) {
    identity::ApiTokenRepository tokens(**conn);
    auto token = tokens.authenticate(req.authorization.substr(k_bearer.size()), now);
    if (!token) return std::unexpected(token.error());
    if (!*token) return std::optional<Caller>();
    return std::optional<Caller>(
        Caller{"token:" + (*token)->name, static_cast<Roles>((*token)->role), true, ""});
  }
  identity::SessionRepository sessions(**conn, m_limits());
  auto session = sessions.find(cookie, now);
  if (!session) return std::unexpected(session.error());
  if (!*session) return std::optional<Caller>();
  return std::optional<Caller>(
      Caller{(*session)->user.name, (*session)->user.roles, false, (*session)->csrf});
}

void CallerIdentity::answered(const Route& route, const http::Request& req,
                              const http::Response& answer) {
  const bool by_token = req.user.starts_with("token:");
  // A token's reads are kept as its last use; what it changes, line by line.
  if (route.audit.empty() && !(by_token && route.method != "GET")) return;
  if (answer.status >= 300) return;
  auto conn = m_store.local(store::Durability::strict);
  Result<void> written = conn ? Result<void>() : std::unexpected(conn.error());
  // "parcel.*": the action is the path's last segment ("parcel.release").
  std::string action = route.audit.empty() ? "token.use" : route.audit;
  if (action.ends_with(".*"))
    action.replace(action.size() - 1, 1, req.path.substr(req.path.rfind('/') + 1));
  if (conn) {
    identity::AuditLog audit(**conn);
    written = audit.append({0, m_clock.now(), req.user, action, route.method + " " + req.path,
                            reason_of(req), req.remote});
  }
  if (!written)
    log::error("audit log write failed",
               {{"user", req.user}, {"target", req.path}, {"error", written.error().message}});
}

}  // namespace fulfil::daemon::api
