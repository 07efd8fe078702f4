#include "capabilities/sync/shop_routes.hpp"

#include <algorithm>

#include "api/api_util.hpp"
#include "api/order_json.hpp"
#include "store/quarantine_repository.hpp"
#include "store/sync_state_repository.hpp"

namespace fulfil::daemon::api {

namespace json = boost::json;

std::vector<Route> ShopRoutes::routes() {
  return {
      {"GET", "/api/v1/shops", "listShops", k_any_staff,
       [this](const auto&, const auto&) { return shops(); }},
      {"GET", "/api/v1/quarantine", "listQuarantine", k_any_staff,
       [this](const auto& req, const auto&) { return quarantine(req); }},
  };
}

void ShopRoutes::health(json::object& o, bool& degraded) {
  auto conn = m_store.local(store::Durability::relaxed);
  json::array shops;
  if (!conn) {
    degraded = true;
    o["store_error"] = conn.error().message;
  } else if (auto states = store::SyncStateRepository(**conn).all(); !states) {
    degraded = true;
    o["store_error"] = states.error().message;
    m_store.reset_local();
  } else {
    const UnixSeconds now = m_clock.now();
    for (const auto& s : *states) {
      degraded = degraded || !s.alert.empty() || !s.last_error.empty();
      shops.push_back(sync_state_json(s, now));
    }
  }
  o["shops"] = std::move(shops);
}

http::Response ShopRoutes::shops() {
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto states = store::SyncStateRepository(**conn).all();
  if (!states) return from_error(states.error());
  json::array out;
  std::vector<std::string> names;
  {
    std::lock_guard lock(m_state.mutex);
    names = m_state.shops;
  }
  const UnixSeconds now = m_clock.now();
  for (const auto& name : names) {
    auto it =
        std::find_if(states->begin(), states->end(), [&](const auto& s) { return s.shop == name; });
    out.push_back(sync_state_json(it != states->end() ? *it : store::SyncState{name}, now));
  }
  return ok(json::object{{"shops", std::move(out)}});
}

http::Response ShopRoutes::quarantine(const http::Request& req) {
  auto limit = limit_param(req, 100, 1000);
  if (!limit) return from_error(limit.error());
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto entries = store::QuarantineRepository(**conn).recent(*limit);
  if (!entries) return from_error(entries.error());
  json::array out;
  for (const auto& e : *entries) out.push_back(quarantine_json(e));
  return ok(json::object{{"quarantine", std::move(out)}});
}

}  // namespace fulfil::daemon::api
