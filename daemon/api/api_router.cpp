#include "api/api_router.hpp"
#include "store/cluster_repository.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>

#include "api/api_util.hpp"
#include "api/host_check.hpp"
#include "api/order_json.hpp"
#include "api/ui_files.hpp"
#include "common/digits.hpp"
#include "common/timeutil.hpp"
#include "orders/fulfilment.hpp"
#include "store/migrations.hpp"
#include "store/order_queries.hpp"
#include "store/quarantine_repository.hpp"
#include "store/sync_state_repository.hpp"

namespace fulfil::daemon::api {

namespace json = boost::json;

ApiRouter::ApiRouter(Services& services, CapabilitySet& capabilities)
    : m_store(services.store),
      m_state(services.state),
      m_clock(services.clock),
      m_live(services.live),
      m_capabilities(capabilities),
      m_callers(services.store, services.clock,
                [&live = services.live] { return live.get()->logins.sessions; }),
      m_table({[this](const http::Request& req) { return m_callers.identify(req); },
               [this](const Route& route, const http::Request& req, const http::Response& r) {
                 m_callers.answered(route, req, r);
               }}) {
  m_table.add(routes());
  m_table.add(capabilities.routes());
}

http::Response ApiRouter::handle(http::Request req) {
  if (!req.host.empty() && !host_allowed(req.host, m_live.get()->http_hosts))
    return error(403, "host_refused",
                 "Host \"" + req.host +
                     "\" is not a name of this daemon: add it to [http] hosts if staff reach "
                     "it so");
  if (auto page = serve_ui(req)) return std::move(*page);
  const auto& proxies = m_live.get()->http_trusted_proxies;
  if (!req.real_ip.empty() &&
      std::find(proxies.begin(), proxies.end(), req.remote) != proxies.end()) {
    req.remote = req.real_ip.substr(0, 64);  // the client is the one the proxy names
  }
  return m_table.handle(std::move(req));
}

std::vector<Route> ApiRouter::routes() {
  return {
      {"GET", "/healthz", "getHealth", k_public,
       [this](const auto&, const auto&) { return healthz(); }},
      {"GET", "/readyz", "getReady", k_public,
       [this](const auto&, const auto&) { return readyz(); }},
      {"GET", "/api/v1/orders", "listOrders", k_any_staff,
       [this](const auto& req, const auto&) { return list_orders(req); }},
      {"GET",
       "/api/v1/orders/{tid}",
       "getOrder",
       k_any_staff,
       [this](const auto&, const auto& p) { return get_order(p.id("tid")); },
       {{"tid", "tid"}}},
  };
}

http::Response ApiRouter::readyz() {
  if (m_state.stopping) return error(503, "stopping", "shutting down");
  if (!m_state.ready)
    return error(503, "starting", "migrations or the first store check have not passed yet");
  if (m_state.store_health)
    if (auto h = m_state.store_health->view(); !h.ok)
      return error(503, "store_unreachable", "the store does not answer: " + h.error);
  return ok(json::object{{"ready", true}});
}

http::Response ApiRouter::healthz() {
  json::object o;
  const UnixSeconds now = m_clock.now();
  o["instance"] = m_state.instance_id;
  o["ready"] = m_state.ready.load();
  o["uptime_seconds"] = now - m_state.started_at;
  o["store"] = m_store.url().masked();
  bool degraded = false;
  if (m_state.store_health)
    if (auto h = m_state.store_health->view(); !h.ok) {
      degraded = true;
      o["store_down_since"] = format_iso_shanghai(*h.down_since);
    }
  m_capabilities.health(o, degraded);
  json::array peers;
  if (m_state.breakers)
    for (const auto& b : m_state.breakers->views()) {
      degraded = degraded || b.state != outbound::CircuitBreakers::State::closed;
      json::object peer{{"peer", b.peer},
                        {"state", to_string(b.state)},
                        {"consecutive_failures", b.consecutive_failures},
                        {"failures", b.total_failures},
                        {"calls", b.total_calls}};
      if (!b.reason.empty()) peer["refused"] = b.reason;
      peers.push_back(std::move(peer));
    }
  o["outside_peers"] = std::move(peers);
  if (m_state.cluster) o["cluster"] = cluster_json(degraded);
  o["status"] = degraded ? "degraded" : "ok";
  return ok(o);  // 200 while the process lives; readiness is /readyz
}

json::object ApiRouter::cluster_json(bool& degraded) {
  const auto view = m_state.cluster->view();
  std::vector<std::string> shops;
  {
    std::lock_guard lock(m_state.mutex);
    shops = m_state.shops;
  }
  std::vector<std::string> ids;
  for (const auto& m : view.members) ids.push_back(m.instance);
  json::array members, leases;
  for (const auto& m : view.members) {
    json::array mine;
    for (const auto& shop : shops)
      if (shop_owner(shop, shops, ids) == m.instance) mine.push_back(json::value(shop));
    members.push_back({{"instance", m.instance},
                       {"host", m.host},
                       {"pid", m.pid},
                       {"started_at", format_iso_shanghai(m.started_at)},
                       {"seen_at", format_iso_shanghai(m.seen_at)},
                       {"shops", std::move(mine)}});
  }
  if (auto conn = m_store.local(store::Durability::relaxed)) {
    if (auto held = store::ClusterRepository(**conn).leases(m_clock.now()))
      for (const auto& l : *held)
        leases.push_back({{"name", l.name},
                          {"holder", l.holder},
                          {"expires_at", format_iso_shanghai(l.expires_at)}});
  }
  json::object o{{"members", std::move(members)}, {"leases", std::move(leases)}};
  if (!view.error.empty()) {
    degraded = true;
    o["error"] = view.error;
  }
  return o;
}

http::Response ApiRouter::get_order(std::int64_t tid) {
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto order = store::OrderQueries(**conn).get(tid);
  if (!order) {
    m_store.reset_local();
    return from_error(order.error());
  }
  if (!*order) return error(404, "not_found", "no order with tid " + std::to_string(tid));
  return ok(order_detail_json(**order));
}

http::Response ApiRouter::list_orders(const http::Request& req) {
  store::OrderFilter f;
  auto q = [&](const char* k) -> std::string {
    auto it = req.query.find(k);
    return it == req.query.end() ? std::string() : it->second;
  };
  if (auto refused = unknown_parameter(
          req, {"fstate", "status", "shop", "modified_from", "modified_to", "limit", "cursor"}))
    return *refused;
  f.fstate = q("fstate");
  if (!f.fstate.empty() && !orders::known_fstate(f.fstate))
    return error(400, "bad_request", "fstate: unknown state \"" + f.fstate + "\"");
  f.status = q("status");
  f.shop = q("shop");
  for (auto [name, target] :
       {std::pair{"modified_from", &f.modified_from}, std::pair{"modified_to", &f.modified_to}}) {
    if (q(name).empty()) continue;
    auto t = parse_iso(q(name));
    if (!t) return error(400, "bad_request", std::string(name) + ": " + t.error().message);
    *target = *t;
  }
  auto limit = limit_param(req, f.limit, 500);
  if (!limit) return from_error(limit.error());
  f.limit = *limit;
  if (std::string c = q("cursor"); !c.empty()) {
    auto dot = c.find('.');
    auto m = dot == std::string::npos ? Result<std::int64_t>(fail(ErrorKind::invalid_input, ""))
                                      : parse_id(c.substr(0, dot), "cursor");
    auto t = dot == std::string::npos ? m : parse_id(c.substr(dot + 1), "cursor");
    if (!m || !t) return error(400, "bad_request", "cursor: not a cursor this API returned");
    f.after = std::pair{*m, *t};
  }
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto page = store::OrderQueries(**conn).list(f);
  if (!page) {
    m_store.reset_local();
    return from_error(page.error());
  }
  json::array items;
  for (const auto& d : page->orders) items.push_back(order_summary_json(d));
  json::object o;
  o["orders"] = std::move(items);
  o["next_cursor"] = page->next ? json::value(std::to_string(page->next->first) + "." +
                                              std::to_string(page->next->second))
                                : json::value(nullptr);
  return ok(o);
}

}  // namespace fulfil::daemon::api
