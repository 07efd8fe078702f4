#pragma once
#include <functional>
#include <memory>
#include <optional>

#include "common/clock.hpp"
#include "http/http_server.hpp"
#include "review/settings.hpp"
#include "store_access.hpp"

namespace fulfil::daemon::api {

// The review settings in force (they change on reload).
using ReviewSettingsSource = std::function<std::shared_ptr<const review::ReviewSettings>()>;

// /api/v1/review/*, /api/v1/parcels*, /api/v1/stock*: every review action a person takes.
// The acting person is the X-Fulfil-User header; their roles come from the config.
class ReviewRoutes {
 public:
  ReviewRoutes(StoreAccess& store, const Clock& clock, ReviewSettingsSource settings)
      : m_store(store), m_clock(clock), m_settings(std::move(settings)) {}
  // The answer, or nullopt when the path is not one of these routes.
  std::optional<http::Response> handle(const http::Request& req);

 private:
  http::Response parcels(const http::Request& req, std::string_view rest);
  http::Response stock(const http::Request& req, std::string_view rest);
  http::Response review(const http::Request& req, std::string_view rest);
  StoreAccess& m_store;
  const Clock& m_clock;
  ReviewSettingsSource m_settings;
};

}  // namespace fulfil::daemon::api
