#pragma once
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "api/courier_routes.hpp"
#include "api/printing_routes.hpp"
#include "api/return_routes.hpp"
#include "api/review_routes.hpp"
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

// Routes: GET /healthz, /readyz, /api/v1/orders, /api/v1/orders/{tid}, /api/v1/shops,
// /api/v1/quarantine; review's routes (ReviewRoutes) for parcels, queues and stock; the
// courier module's (CourierRoutes, TrackingRoutes) for couriers, waybills, ship
// confirmations and tracking; printing's (PrintingRoutes) for printers, labels, reprints
// and previews; after-sale's (ReturnRoutes) for return check-in and the slip outbox. Runs on a
// worker thread (it queries the store). Errors are JSON
// {"code","message"} with 400 (bad parameter, named), 404, 405 or 503.
class ApiRouter {
 public:
  ApiRouter(StoreAccess& store, ProcessState& state, const Clock& clock,
            ReviewSettingsSource review, CourierSettingsSource couriers, PrintingSource printing,
            AftersaleSource aftersale)
      : m_store(store),
        m_state(state),
        m_clock(clock),
        m_couriers(store, clock, couriers, review),
        m_tracking(store, clock, couriers),
        m_printing(store, clock, std::move(printing)),
        m_returns(store, clock, std::move(aftersale)),
        m_review(store, clock, std::move(review)) {}
  http::Response handle(const http::Request& req);

 private:
  http::Response healthz();
  boost::json::object cluster_json(bool& degraded);
  http::Response readyz();
  http::Response get_order(std::string_view tid_text);
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
};

}  // namespace fulfil::daemon::api
