#pragma once
#include "capabilities/shipping/courier_routes.hpp"

namespace fulfil::daemon::api {

// Tracking for customer service: GET /api/v1/parcels/{id}/tracking (a parcel's shipments
// with their timelines), GET /api/v1/tracking?list=attention|stuck|returns|unmatched,
// GET /api/v1/tracking/{waybill_no}, POST /api/v1/tracking/returns (a return parcel's
// number, from after-sale), and POST /api/v1/tracking/kuaidi100/callback (Kuaidi100's
// push: the sign is checked against the salt; the answer is the one Kuaidi100 expects).
class TrackingRoutes {
 public:
  TrackingRoutes(StoreAccess& store, const Clock& clock, CourierSettingsSource settings)
      : m_store(store), m_clock(clock), m_settings(std::move(settings)) {}
  std::vector<Route> routes();

 private:
  http::Response of_parcel(std::int64_t parcel_id);
  http::Response list(const http::Request& req);
  http::Response by_number(const std::string& number);
  http::Response add_return(const http::Request& req);
  http::Response callback(const http::Request& req);
  StoreAccess& m_store;
  const Clock& m_clock;
  CourierSettingsSource m_settings;
};

}  // namespace fulfil::daemon::api
