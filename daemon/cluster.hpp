#pragma once
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "store/cluster_repository.hpp"

namespace fulfil::daemon {

// Which live daemon syncs a shop: shop k of the sorted shop names goes to member k mod D of
// the D live instance ids, sorted. Every daemon computes the same answer from the same
// member list, the shares differ by at most one, and a daemon that dies or joins moves its
// share once the others see it (the sync lease keeps two from running one shop meanwhile).
std::string shop_owner(const std::string& shop, std::vector<std::string> shops,
                       const std::vector<std::string>& members);

// This daemon's place among those sharing the store: it beats every few seconds, learns
// who is alive, and answers whether a shop is its to sync. Thread-safe.
class Cluster {
 public:
  static constexpr std::int64_t k_beat_seconds = 5;
  static constexpr std::int64_t k_member_ttl_seconds = 20;

  Cluster(std::string instance, UnixSeconds started_at);
  // One heartbeat and a fresh look at the members; store errors keep the last view.
  void beat(store::Connection& conn, UnixSeconds now);
  // True when this daemon should sync `shop` now. Before a first good heartbeat, or with
  // the store unreachable, every daemon may try (the sync lease decides); never while
  // another live daemon runs under our instance id.
  bool owns(const std::string& shop, const std::vector<std::string>& shops) const;
  struct View {
    std::vector<store::ClusterMember> members;
    std::string error;  // why this daemon takes no shops (a duplicate instance id)
  };
  View view() const;
  const store::ClusterMember& me() const { return m_me; }
  // Leaves the member list on a clean stop (the others take the share at once).
  void leave(store::Connection& conn);

 private:
  store::ClusterMember m_me;
  mutable std::mutex m_mutex;
  std::vector<store::ClusterMember> m_members;
  std::string m_error;
};

}  // namespace fulfil::daemon
