#pragma once
#include <boost/json/array.hpp>

#include <functional>
#include <memory>

#include "api/route_table.hpp"
#include "common/clock.hpp"
#include "courier/settings.hpp"
#include "http/http_server.hpp"
#include "store_access.hpp"

namespace fulfil::daemon::api {

// The courier settings in force (they change on reload).
using CourierSettingsSource = std::function<std::shared_ptr<const courier::CourierSettings>()>;

// /api/v1/couriers*, /api/v1/parcels/{id}/waybill, /api/v1/confirmations,
// /api/v1/shipping/reconcil*: couriers with today's shares and pool levels, pool imports
// (supervisors), a parcel's waybills, the ship confirmations (the failed ones wait for a
// person), and the reconciliation with the platform (its figures; a run now, supervisors).
class CourierRoutes {
 public:
  CourierRoutes(StoreAccess& store, const Clock& clock, CourierSettingsSource settings)
      : m_store(store), m_clock(clock), m_settings(std::move(settings)) {}
  std::vector<Route> routes();
  // For /healthz: pool couriers whose free numbers are below their low_pool.
  boost::json::array pools_low();

 private:
  http::Response couriers();
  http::Response import_pool(const http::Request& req, const std::string& code);
  http::Response waybills(std::int64_t parcel_id);
  http::Response confirmations(const http::Request& req);
  http::Response reconcile(const http::Request& req);
  http::Response reconciliation(const http::Request& req);
  StoreAccess& m_store;
  const Clock& m_clock;
  CourierSettingsSource m_settings;
};

}  // namespace fulfil::daemon::api
