#include "store/lease_repository.hpp"

namespace fulfil::store {

Result<bool> LeaseRepository::acquire(const std::string& name, const std::string& holder,
                                      UnixSeconds now, std::int64_t ttl_seconds) {
  return in_transaction(m_conn, [&]() -> Result<bool> {
    long long at = now, until = now + ttl_seconds;
    // One statement: insert, or take over when expired or already ours.
    m_conn.sql() << "INSERT INTO leases (name, holder, expires_at) VALUES (:n, :h, :u) "
                    "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                    "expires_at = excluded.expires_at "
                    "WHERE leases.expires_at < :now OR leases.holder = excluded.holder",
        soci::use(name), soci::use(holder), soci::use(until), soci::use(at);
    std::string current;
    m_conn.sql() << "SELECT holder FROM leases WHERE name = :n", soci::use(name),
        soci::into(current);
    return current == holder;
  });
}

Result<void> LeaseRepository::release(const std::string& name, const std::string& holder) {
  return in_transaction(m_conn, [&]() -> Result<void> {
    m_conn.sql() << "DELETE FROM leases WHERE name = :n AND holder = :h", soci::use(name),
        soci::use(holder);
    return {};
  });
}

Result<std::optional<ScopedLease>> ScopedLease::take(LeaseRepository& repo, std::string name,
                                                     std::string holder, UnixSeconds now,
                                                     std::int64_t ttl_seconds) {
  auto held = repo.acquire(name, holder, now, ttl_seconds);
  if (!held) return std::unexpected(held.error());
  if (!*held) return std::optional<ScopedLease>();
  return std::optional<ScopedLease>(
      ScopedLease(repo, std::move(name), std::move(holder), ttl_seconds));
}

ScopedLease::~ScopedLease() {
  if (m_repo) (void)m_repo->release(m_name, m_holder);  // expiry covers a failed release
}

Result<void> ScopedLease::renew(UnixSeconds now) {
  auto still = m_repo->acquire(m_name, m_holder, now, m_ttl);
  if (!still) return std::unexpected(still.error());
  if (!*still)
    return fail(ErrorKind::cancelled, "lost the lease " + m_name + " to another instance");
  return {};
}

}  // namespace fulfil::store
