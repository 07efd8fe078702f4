#pragma once
#include <functional>
#include <memory>
#include <optional>

#include "api/route_table.hpp"
#include "common/clock.hpp"
#include "http/http_server.hpp"
#include "review/settings.hpp"
#include "store_access.hpp"

namespace fulfil::daemon::api {

// The review settings in force (they change on reload).
using ReviewSettingsSource = std::function<std::shared_ptr<const review::ReviewSettings>()>;

// /api/v1/review/*, /api/v1/parcels*, /api/v1/stock*: every review action a person takes.
// The acting person is the request's logged-in caller: their login's problem-handler and
// supervisor roles count in review as if [review] listed them; which slice a reviewer
// reviews stays the config's.
class ReviewRoutes {
 public:
  ReviewRoutes(StoreAccess& store, const Clock& clock, ReviewSettingsSource settings)
      : m_store(store), m_clock(clock), m_settings(std::move(settings)) {}
  std::vector<Route> routes();

 private:
  http::Response queues();
  http::Response claim(const http::Request& req);
  http::Response shortage();
  http::Response list_parcels(const http::Request& req);
  http::Response merge(const http::Request& req);
  http::Response parcel(std::int64_t id);
  http::Response act(const http::Request& req, std::int64_t id, std::string_view action);
  http::Response split(const http::Request& req, std::int64_t id);
  http::Response list_stock(const http::Request& req);
  http::Response load_stock(const http::Request& req);
  http::Response stock_of(const std::string& sku);
  http::Response adjust_stock(const http::Request& req, const std::string& sku);
  // The settings in force as `req`'s caller acts under them (see above).
  std::shared_ptr<const review::ReviewSettings> settings_for(const http::Request& req) const;
  StoreAccess& m_store;
  const Clock& m_clock;
  ReviewSettingsSource m_settings;
};

}  // namespace fulfil::daemon::api
