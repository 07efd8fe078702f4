#pragma once
#include <optional>
#include <string>
#include <utility>

#include "common/clock.hpp"
#include "store/database.hpp"

namespace fulfil::store {

// Time-limited leases that make a job a singleton across daemons sharing one store (on
// SQLite there is one daemon, and the lease costs one row). A holder that dies loses its
// lease when it expires; a live holder renews it.
class LeaseRepository {
 public:
  explicit LeaseRepository(Connection& c) : m_conn(c) {}
  // Takes or renews the lease `name` for `holder` until now + ttl. True when held.
  Result<bool> acquire(const std::string& name, const std::string& holder, UnixSeconds now,
                       std::int64_t ttl_seconds);
  // Gives the lease up early (only if still ours).
  Result<void> release(const std::string& name, const std::string& holder);

 private:
  Connection& m_conn;
};

// A lease held for a scope: released when it goes, on every path out.
class ScopedLease {
 public:
  // Takes `name` for `holder` until now + ttl; nullopt when another holder has it.
  static Result<std::optional<ScopedLease>> take(LeaseRepository& repo, std::string name,
                                                 std::string holder, UnixSeconds now,
                                                 std::int64_t ttl_seconds);
  ScopedLease(ScopedLease&& other) noexcept
      : m_repo(std::exchange(other.m_repo, nullptr)),
        m_name(std::move(other.m_name)),
        m_holder(std::move(other.m_holder)),
        m_ttl(other.m_ttl) {}
  ScopedLease& operator=(ScopedLease&&) = delete;
  ~ScopedLease();
  // Extends the lease; a `cancelled` error when another holder has taken it meanwhile.
  Result<void> renew(UnixSeconds now);

 private:
  ScopedLease(LeaseRepository& repo, std::string name, std::string holder, std::int64_t ttl)
      : m_repo(&repo), m_name(std::move(name)), m_holder(std::move(holder)), m_ttl(ttl) {}
  LeaseRepository* m_repo;
  std::string m_name, m_holder;
  std::int64_t m_ttl;
};

}  // namespace fulfil::store
