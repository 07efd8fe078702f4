#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "store/database.hpp"

namespace fulfil::store {

// One running daemon as the others see it: who it is, where it runs, when it last beat.
struct ClusterMember {
  std::string instance;  // instance_id from the config (the host name by default)
  std::string token;     // this run of it: tells a second daemon under the same id apart
  std::string host;
  std::int64_t pid = 0;
  UnixSeconds started_at = 0;
  UnixSeconds seen_at = 0;
};

// What a heartbeat found.
struct Heartbeat {
  bool accepted = true;
  // Set when another live run holds this instance id (accepted false): its host and pid.
  std::optional<ClusterMember> other;
};

// A lease as the cluster status shows it.
struct LeaseRow {
  std::string name, holder;
  UnixSeconds expires_at = 0;
};

// The daemons sharing one store (cluster_members) and what they hold (leases). Each
// daemon beats every few seconds; a member not seen for `ttl` seconds is gone, and the
// work assigned to it moves to the others.
class ClusterRepository {
 public:
  explicit ClusterRepository(Connection& c) : m_conn(c) {}
  // Records `me` as alive at `now`. Refused when a different run holds the instance id and
  // was seen within `ttl` — unless it ran on this host under a pid that no longer exists
  // (this daemon's own predecessor, killed): a restart takes its place at once.
  Result<Heartbeat> beat(const ClusterMember& me, UnixSeconds now, std::int64_t ttl);
  // Members seen within `ttl`, by instance id.
  Result<std::vector<ClusterMember>> alive(UnixSeconds now, std::int64_t ttl);
  // Leases not yet expired, by name.
  Result<std::vector<LeaseRow>> leases(UnixSeconds now);
  // Removes `me` on a clean stop, so its share moves without waiting for the ttl.
  Result<void> leave(const ClusterMember& me);

 private:
  Connection& m_conn;
};

}  // namespace fulfil::store
