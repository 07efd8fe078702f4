#include "cluster.hpp"

#include <unistd.h>

#include <algorithm>
#include <random>

#include "common/log.hpp"

namespace fulfil::daemon {

std::string shop_owner(const std::string& shop, std::vector<std::string> shops,
                       const std::vector<std::string>& members) {
  if (members.empty()) return {};
  std::sort(shops.begin(), shops.end());
  auto at = std::lower_bound(shops.begin(), shops.end(), shop);
  if (at == shops.end() || *at != shop) return {};
  return members[static_cast<std::size_t>(at - shops.begin()) % members.size()];
}

namespace {

std::string run_token() {
  std::random_device rd;
  return std::to_string(rd()) + "-" + std::to_string(rd()) + "-" + std::to_string(::getpid());
}

std::string host_name() {
  char host[256] = "";
  ::gethostname(host, sizeof host - 1);
  return host;
}

}  // namespace

Cluster::Cluster(std::string instance, UnixSeconds started_at)
    : m_me{std::move(instance), run_token(), host_name(), ::getpid(), started_at, 0} {}

void Cluster::beat(store::Connection& conn, UnixSeconds now) {
  store::ClusterRepository repo(conn);
  auto b = repo.beat(m_me, now, k_member_ttl_seconds);
  if (!b) {
    log::warn("cluster heartbeat failed; shops stay as they were", {{"error", b.error().message}});
    return;
  }
  std::string error;
  if (!b->accepted)
    error = "another daemon runs as instance \"" + m_me.instance + "\" (host " + b->other->host +
            ", pid " + std::to_string(b->other->pid) +
            "): give each daemon its own instance_id; this one syncs no shop meanwhile";
  auto members = repo.alive(now, k_member_ttl_seconds);
  std::lock_guard lock(m_mutex);
  if (error != m_error) {
    if (!error.empty()) log::error("duplicate instance id", {{"error", error}});
    m_error = error;
  }
  if (members) m_members = std::move(*members);
}

bool Cluster::owns(const std::string& shop, const std::vector<std::string>& shops) const {
  std::lock_guard lock(m_mutex);
  if (!m_error.empty()) return false;
  std::vector<std::string> ids;
  for (const auto& m : m_members) ids.push_back(m.instance);
  if (std::find(ids.begin(), ids.end(), m_me.instance) == ids.end()) return true;
  return shop_owner(shop, shops, ids) == m_me.instance;
}

Cluster::View Cluster::view() const {
  std::lock_guard lock(m_mutex);
  return {m_members, m_error};
}

void Cluster::leave(store::Connection& conn) {
  if (!m_error.empty()) return;  // the row is the other daemon's
  (void)store::ClusterRepository(conn).leave(m_me);
}

}  // namespace fulfil::daemon
