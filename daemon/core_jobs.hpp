#pragma once
#include <vector>

#include "capability.hpp"
#include "cluster.hpp"
#include "store_health.hpp"

namespace fulfil::daemon {

// This daemon's heartbeat among those sharing the store (store errors are logged and keep
// the last view).
void beat(Cluster& cluster, StoreAccess& store, const Clock& clock);

// The core's own jobs: the store check behind /readyz (every 2 s), the cluster heartbeat, and
// SQLite's checkpoint (the WAL copied into the database off every request's path).
std::vector<Job> core_jobs(StoreAccess& store, const Clock& clock, Cluster& cluster,
                           StoreHealth& store_health);

}  // namespace fulfil::daemon
