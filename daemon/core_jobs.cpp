#include "core_jobs.hpp"

#include "common/log.hpp"

namespace fulfil::daemon {

void beat(Cluster& cluster, StoreAccess& store, const Clock& clock) {
  if (auto conn = store.local(store::Durability::relaxed))
    cluster.beat(**conn, clock.now());
  else
    log::warn("cluster heartbeat skipped", {{"error", conn.error().message}});
}

std::vector<Job> core_jobs(StoreAccess& store, const Clock& clock, Cluster& cluster,
                           StoreHealth& store_health) {
  auto every = [](auto interval) {
    return [interval] { return std::chrono::duration_cast<std::chrono::milliseconds>(interval); };
  };
  return {
      {"store-check", std::chrono::seconds(2), every(std::chrono::seconds(2)),
       [&] { store_health.check(store, clock.now()); }},
      {"cluster", std::chrono::seconds(Cluster::k_beat_seconds),
       every(std::chrono::seconds(Cluster::k_beat_seconds)), [&] { beat(cluster, store, clock); }},
      {"checkpoint", std::chrono::seconds(1), every(std::chrono::milliseconds(1000)),
       [&] {
         auto conn = store.local(store::Durability::relaxed);
         if (!conn) return;
         try {
           (*conn)->checkpoint();
         } catch (const std::exception& e) {
           log::warn("checkpoint failed", {{"error", e.what()}});
           store.reset_local();
         }
       }},
  };
}

}  // namespace fulfil::daemon
