#include "store_health.hpp"

#include "common/log.hpp"

namespace fulfil::daemon {

void StoreHealth::check(StoreAccess& store, UnixSeconds now) {
  std::string error;
  if (auto conn = store.local(store::Durability::relaxed); !conn) {
    error = conn.error().message;
  } else {
    try {
      int one = 0;
      (*conn)->sql() << "SELECT 1", soci::into(one);
    } catch (const std::exception& e) {
      error = e.what();
      store.reset_local();
    }
  }
  std::lock_guard lock(m_mutex);
  if (error.empty() && !m_view.ok) {
    log::info("store reachable again", {{"down_seconds", now - m_view.down_since.value_or(now)}});
    m_view = View{};
  } else if (!error.empty()) {
    if (m_view.ok) {
      log::error("store unreachable: jobs wait for it, /readyz says 503", {{"error", error}});
      m_view.down_since = now;
    }
    m_view.ok = false;
    m_view.error = error;
  }
}

StoreHealth::View StoreHealth::view() const {
  std::lock_guard lock(m_mutex);
  return m_view;
}

}  // namespace fulfil::daemon
