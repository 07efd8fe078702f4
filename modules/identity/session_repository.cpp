#include "identity/session_repository.hpp"

#include "common/digest.hpp"
#include "identity/password.hpp"
#include "store/row_reader.hpp"

namespace fulfil::identity {

Result<OpenedSession> SessionRepository::open(const User& user, const std::string& address,
                                              UnixSeconds now) {
  OpenedSession opened{random_hex(32),
                       {user, random_hex(16), now, now + m_limits.absolute_seconds}};
  const std::string digest = sha256_hex(opened.token);
  return store::in_transaction(m_conn, [&]() -> Result<OpenedSession> {
    long long at = now, until = opened.session.expires_at;
    // Expired sessions go as new ones come: the table holds only the live and the recent.
    long long idle_cutoff = now - m_limits.idle_seconds;
    m_conn.sql() << "DELETE FROM sessions WHERE expires_at <= :now OR last_seen_at < :idle",
        soci::use(at), soci::use(idle_cutoff);
    m_conn.sql() << "INSERT INTO sessions (token_sha256, user_name, csrf, address, created_at, "
                    "last_seen_at, expires_at) VALUES (:t, :u, :c, :a, :n, :n2, :e)",
        soci::use(digest), soci::use(user.name), soci::use(opened.session.csrf), soci::use(address),
        soci::use(at), soci::use(at), soci::use(until);
    return opened;
  });
}

Result<std::optional<Session>> SessionRepository::find(const std::string& token, UnixSeconds now) {
  const std::string digest = sha256_hex(token);
  struct Found {
    Session session;
    UnixSeconds last_seen;
  };
  auto found = store::guarded([&]() -> Result<std::optional<Found>> {
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare
             << "SELECT u.name, u.roles, u.disabled, u.created_at, u.updated_at, s.csrf, "
                "s.created_at, s.expires_at, s.last_seen_at FROM sessions s JOIN users u ON "
                "u.name = s.user_name WHERE s.token_sha256 = :t",
         soci::use(digest));
    for (const auto& r : rows) {
      User u{store::get_text(r, 0), static_cast<StaffRoles>(store::get_int(r, 1)),
             store::get_int(r, 2) != 0, store::get_int(r, 3), store::get_int(r, 4)};
      return std::optional<Found>(
          Found{{u, store::get_text(r, 5), store::get_int(r, 6), store::get_int(r, 7)},
                store::get_int(r, 8)});
    }
    return std::optional<Found>();
  });
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::optional<Session>();
  const auto& f = **found;
  if (f.session.user.disabled || now >= f.session.expires_at ||
      now - f.last_seen > m_limits.idle_seconds)
    return std::optional<Session>();
  if (now - f.last_seen >= 60) {
    auto touched = store::in_transaction(m_conn, [&]() -> Result<void> {
      long long at = now;
      m_conn.sql() << "UPDATE sessions SET last_seen_at = :n WHERE token_sha256 = :t",
          soci::use(at), soci::use(digest);
      return {};
    });
    if (!touched) return std::unexpected(touched.error());
  }
  return std::optional<Session>(f.session);
}

Result<void> SessionRepository::close(const std::string& token) {
  const std::string digest = sha256_hex(token);
  return store::in_transaction(m_conn, [&]() -> Result<void> {
    m_conn.sql() << "DELETE FROM sessions WHERE token_sha256 = :t", soci::use(digest);
    return {};
  });
}

Result<int> SessionRepository::close_all(const std::string& user) {
  return store::in_transaction(m_conn, [&]() -> Result<int> {
    long long n = 0;
    m_conn.sql() << "SELECT COUNT(*) FROM sessions WHERE user_name = :u", soci::use(user),
        soci::into(n);
    m_conn.sql() << "DELETE FROM sessions WHERE user_name = :u", soci::use(user);
    return static_cast<int>(n);
  });
}

}  // namespace fulfil::identity
