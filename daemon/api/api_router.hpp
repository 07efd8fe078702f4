#pragma once
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "api/courier_routes.hpp"
#include "api/printing_routes.hpp"
#include "api/return_routes.hpp"
#include "api/review_routes.hpp"
#include "api/route_table.hpp"
#include "api/tracking_routes.hpp"
#include "cluster.hpp"
#include "common/clock.hpp"
#include "http/http_server.hpp"
#include "outbound/circuit_breaker.hpp"
#include "store_access.hpp"
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

// The API: one route table of every route (see routes() for the list and openapi.yaml for
// what each takes and answers): the process's own (/healthz, /readyz, orders, shops,
// quarantine), review's (ReviewRoutes), the courier module's (CourierRoutes, TrackingRoutes),
// printing's (PrintingRoutes) and after-sale's (ReturnRoutes). Runs on a worker thread (it
// queries the store). Errors are JSON {"code","message"} with 400 (bad parameter, named),
// 403, 404, 405 (with Allow), 409 or 503.
class ApiRouter {
 public:
  ApiRouter(StoreAccess& store, ProcessState& state, const Clock& clock,
            ReviewSettingsSource review, CourierSettingsSource couriers, PrintingSource printing,
            AftersaleSource aftersale);
  http::Response handle(const http::Request& req) { return m_table.handle(req); }
  const RouteTable& table() const { return m_table; }

 private:
  std::vector<Route> routes();
  http::Response healthz();
  boost::json::object cluster_json(bool& degraded);
  http::Response readyz();
  http::Response get_order(std::int64_t tid);
  http::Response list_orders(const http::Request& req);
  http::Response shops();
  http::Response quarantine(const http::Request& req);
  StoreAccess& m_store;
  ProcessState& m_state;
  const Clock& m_clock;
  CourierRoutes m_couriers;
  TrackingRoutes m_tracking;
  PrintingRoutes m_printing;
  ReturnRoutes m_returns;
  ReviewRoutes m_review;
  RouteTable m_table;
};

}  // namespace fulfil::daemon::api
