#include "store_access.hpp"

#include <map>
#include <memory>

namespace fulfil::daemon {

namespace {
using Key = std::pair<std::string, store::Durability>;
thread_local std::map<Key, std::unique_ptr<store::Connection>> t_connections;
}  // namespace

Result<store::Connection*> StoreAccess::local(store::Durability durability) {
  Key key{m_url.target, durability};
  auto it = t_connections.find(key);
  if (it != t_connections.end()) return it->second.get();
  auto conn = store::Connection::open(m_url, durability);
  if (!conn) return std::unexpected(conn.error());
  // The daemon checkpoints from its own job (App), never in a request's commit.
  (*conn)->defer_checkpoints();
  return t_connections.emplace(key, std::move(*conn)).first->second.get();
}

void StoreAccess::reset_local() {
  for (auto it = t_connections.begin(); it != t_connections.end();)
    it = it->first.first == m_url.target ? t_connections.erase(it) : std::next(it);
}

}  // namespace fulfil::daemon
