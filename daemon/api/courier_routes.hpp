#pragma once
#include <boost/json/array.hpp>

#include <functional>
#include <memory>
#include <optional>

#include "common/clock.hpp"
#include "courier/settings.hpp"
#include "http/http_server.hpp"
#include "review/settings.hpp"
#include "store_access.hpp"

namespace fulfil::daemon::api {

// The courier settings in force (they change on reload).
using CourierSettingsSource = std::function<std::shared_ptr<const courier::CourierSettings>()>;

// /api/v1/couriers*, /api/v1/parcels/{id}/waybill, /api/v1/confirmations: couriers with
// today's shares and pool levels, pool imports (supervisors), a parcel's waybills, and the
// ship confirmations (the failed ones wait for a person).
class CourierRoutes {
 public:
  CourierRoutes(StoreAccess& store, const Clock& clock, CourierSettingsSource settings,
                std::function<std::shared_ptr<const review::ReviewSettings>()> review)
      : m_store(store),
        m_clock(clock),
        m_settings(std::move(settings)),
        m_review(std::move(review)) {}
  std::optional<http::Response> handle(const http::Request& req);
  // For /healthz: pool couriers whose free numbers are below their low_pool.
  boost::json::array pools_low();

 private:
  http::Response couriers();
  http::Response import_pool(const http::Request& req, const std::string& code);
  http::Response waybills(std::string_view id_text);
  http::Response confirmations(const http::Request& req);
  StoreAccess& m_store;
  const Clock& m_clock;
  CourierSettingsSource m_settings;
  std::function<std::shared_ptr<const review::ReviewSettings>()> m_review;
};

}  // namespace fulfil::daemon::api
