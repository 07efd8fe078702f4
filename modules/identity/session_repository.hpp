#pragma once
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "identity/user_repository.hpp"
#include "store/database.hpp"

namespace fulfil::identity {

// How long a login lasts: ended after `idle_seconds` without a request, and after
// `absolute_seconds` whatever happens (a shift, so a shared pack station does not stay
// logged in overnight).
struct SessionLimits {
  std::int64_t idle_seconds = 30 * 60;
  std::int64_t absolute_seconds = 12 * 3600;
};

// A live session as a request sees it.
struct Session {
  User user;
  std::string csrf;  // the value every state-changing request must echo
  UnixSeconds created_at = 0, expires_at = 0;
};

// A new session: the cookie token (given to the browser once) and the session.
struct OpenedSession {
  std::string token;
  Session session;
};

// Login sessions (table `sessions`), kept as the SHA-256 of their token so every daemon of a
// store knows them. A session ends on logout, idle or absolute expiry, or when its user is
// disabled or their password or roles change.
class SessionRepository {
 public:
  SessionRepository(store::Connection& c, SessionLimits limits) : m_conn(c), m_limits(limits) {}
  Result<OpenedSession> open(const User& user, const std::string& address, UnixSeconds now);
  // The session of `token` when it is live (its idle time restarts, written at most once a
  // minute); nullopt when unknown, expired or its user is disabled.
  Result<std::optional<Session>> find(const std::string& token, UnixSeconds now);
  Result<void> close(const std::string& token);
  // Every session of `user` (disabled, new password, new roles); how many ended.
  Result<int> close_all(const std::string& user);

 private:
  store::Connection& m_conn;
  SessionLimits m_limits;
};

}  // namespace fulfil::identity
