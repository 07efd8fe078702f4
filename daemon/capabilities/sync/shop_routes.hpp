#pragma once
#include <boost/json/object.hpp>

#include "api/process_state.hpp"
#include "api/route_table.hpp"
#include "common/clock.hpp"
#include "store_access.hpp"

namespace fulfil::daemon::api {

// The order sources as staff see them: GET /api/v1/shops (each configured shop's sync
// state) and GET /api/v1/quarantine (what sync or an import could not take, and why).
class ShopRoutes {
 public:
  ShopRoutes(StoreAccess& store, const Clock& clock, ProcessState& state)
      : m_store(store), m_clock(clock), m_state(state) {}
  std::vector<Route> routes();
  // Every shop's sync state for /healthz ("shops"); a shop with an alert or an error, or a
  // store that does not answer ("store_error"), makes the daemon degraded.
  void health(boost::json::object& out, bool& degraded);

 private:
  http::Response shops();
  http::Response quarantine(const http::Request& req);
  StoreAccess& m_store;
  const Clock& m_clock;
  ProcessState& m_state;
};

}  // namespace fulfil::daemon::api
