// Tracking: follows shipped parcels through Kuaidi100 (subscriptions and push, or queries)
// and serves their events. Its settings are [shipping.tracking], read with [shipping].
#include "capabilities/tracking/tracking_capability.hpp"

#include <optional>

#include "capabilities/tracking/tracking_job.hpp"
#include "capabilities/tracking/tracking_routes.hpp"

namespace fulfil::daemon {

namespace {

class TrackingCapability final : public Capability {
 public:
  std::string_view name() const override { return "tracking"; }
  std::vector<Job> jobs(const std::shared_ptr<const Config>& cfg) override {
    if (!cfg->shipping.tracking.enabled) return {};
    auto& s = services();
    return {{"tracking", std::chrono::seconds(2),
             [cfg] { return std::chrono::seconds(cfg->shipping.tracking.interval_seconds); },
             [&s, cfg] { (void)run_tracking_once(*cfg, s.store, *s.http, s.clock); }}};
  }
  std::vector<api::Route> routes() override {
    auto& s = services();
    m_routes.emplace(s.store, s.clock, s.live.section(&Config::shipping));
    return m_routes->routes();
  }

 private:
  std::optional<api::TrackingRoutes> m_routes;
};

}  // namespace

std::unique_ptr<Capability> make_tracking_capability() {
  return std::make_unique<TrackingCapability>();
}

}  // namespace fulfil::daemon
