#pragma once
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "cluster.hpp"
#include "common/clock.hpp"
#include "outbound/circuit_breaker.hpp"
#include "store_health.hpp"

namespace fulfil::daemon::api {

// What the API reports about the process itself.
struct ProcessState {
  std::atomic<bool> ready{false};
  std::atomic<bool> stopping{false};
  std::string instance_id;
  UnixSeconds started_at = 0;
  std::vector<std::string> shops;  // configured shop names; guarded by `mutex`
  std::mutex mutex;
  // The HTTP client's breakers (one per outside peer), shown on /healthz; null in tools.
  const outbound::CircuitBreakers* breakers = nullptr;
  // The daemons sharing the store and this one's place among them; null in tools.
  const Cluster* cluster = nullptr;
  // Whether the store answers (checked every 2 s); null in tools.
  const StoreHealth* store_health = nullptr;
};

}  // namespace fulfil::daemon::api
