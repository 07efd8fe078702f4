#pragma once
#include <string>

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

}  // namespace fulfil::store
