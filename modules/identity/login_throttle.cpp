#include "identity/login_throttle.hpp"

#include <algorithm>

namespace fulfil::identity {

Result<std::int64_t> LoginThrottle::wait(const std::string& key, UnixSeconds now) {
  return store::guarded([&]() -> Result<std::int64_t> {
    long long until = 0;
    soci::indicator ind = soci::i_null;
    m_conn.sql() << "SELECT blocked_until FROM login_failures WHERE throttle_key = :k",
        soci::use(key), soci::into(until, ind);
    if (ind != soci::i_ok) return std::int64_t{0};
    return std::max<std::int64_t>(0, until - now);
  });
}

Result<std::int64_t> LoginThrottle::failed(const std::string& key, UnixSeconds now) {
  return store::in_transaction(m_conn, [&]() -> Result<std::int64_t> {
    long long failures = 0, first_at = now;
    soci::indicator ind = soci::i_null;
    m_conn.sql() << "SELECT failures, first_at FROM login_failures WHERE throttle_key = :k",
        soci::use(key), soci::into(failures, ind), soci::into(first_at);
    if (ind != soci::i_ok || now - first_at > m_rules.window_seconds) {
      failures = 0;
      first_at = now;
    }
    ++failures;
    std::int64_t block = 0;
    if (failures > m_rules.free_failures) {
      const auto doublings = std::min<long long>(failures - m_rules.free_failures - 1, 30);
      block = std::min(m_rules.max_block_seconds, m_rules.first_block_seconds << doublings);
    }
    long long until = now + block;
    m_conn.sql() << "INSERT INTO login_failures (throttle_key, failures, first_at, blocked_until) "
                    "VALUES (:k, :f, :a, :u) ON CONFLICT (throttle_key) DO UPDATE SET "
                    "failures = excluded.failures, first_at = excluded.first_at, "
                    "blocked_until = excluded.blocked_until",
        soci::use(key), soci::use(failures), soci::use(first_at), soci::use(until);
    return block;
  });
}

Result<void> LoginThrottle::succeeded(const std::string& key) {
  return store::in_transaction(m_conn, [&]() -> Result<void> {
    m_conn.sql() << "DELETE FROM login_failures WHERE throttle_key = :k", soci::use(key);
    return {};
  });
}

}  // namespace fulfil::identity
