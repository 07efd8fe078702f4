#pragma once
#include "api/caller_identity.hpp"
#include "api/process_state.hpp"
#include "api/route_table.hpp"
#include "capability_set.hpp"
#include "common/clock.hpp"
#include "http/http_server.hpp"
#include "store_access.hpp"

namespace fulfil::daemon::api {

// The API: one route table of every route (see openapi.yaml for what each takes and
// answers): the process's own (/healthz, /readyz, orders) and every capability's, each
// call's caller known from its session cookie or API token. Runs on a worker thread (it queries the
// store). Errors are JSON {"code","message"} with 400 (bad parameter, named), 403, 404, 405
// (with Allow), 409 or 503.
class ApiRouter {
 public:
  ApiRouter(Services& services, CapabilitySet& capabilities);
  // A request whose Host is not this daemon's ([http] hosts) is refused before routing.
  http::Response handle(http::Request req);
  const RouteTable& table() const { return m_table; }

 private:
  std::vector<Route> routes();
  http::Response healthz();
  boost::json::object cluster_json(bool& degraded);
  http::Response readyz();
  http::Response get_order(std::int64_t tid);
  http::Response list_orders(const http::Request& req);
  StoreAccess& m_store;
  ProcessState& m_state;
  const Clock& m_clock;
  const LiveConfig& m_live;
  CapabilitySet& m_capabilities;
  CallerIdentity m_callers;
  RouteTable m_table;
};

}  // namespace fulfil::daemon::api
