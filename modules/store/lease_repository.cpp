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

}  // namespace fulfil::store
