// Shipping (couriers): owns [shipping] (couriers, region rules, the sender; tracking's keys
// are read here too and used by the tracking capability), the courier tables, the shipping
// pass (waybills, voids, ship confirmations), the courier routes, the low waybill pools of
// /healthz, and the waybill command.
#include "capabilities/shipping/shipping_capability.hpp"

#include <optional>

#include "capabilities/shipping/courier_config.hpp"
#include "capabilities/shipping/courier_routes.hpp"
#include "capabilities/shipping/shipping_job.hpp"
#include "capabilities/shipping/waybill_command.hpp"
#include "courier/migrations.hpp"

namespace fulfil::daemon {

namespace {

class ShippingCapability final : public Capability {
 public:
  std::string_view name() const override { return "shipping"; }
  std::vector<ConfigSection> config_sections() const override {
    return {
        {"shipping", Reload::live,
         [](TableReader& top, const std::string& file, std::vector<std::string>& errors,
            Config& c) {
           parse_shipping(top.table("shipping"), file, errors, c.shipping,
                          c.shipping_interval_seconds);
           check_cainiao_shops(c.shipping, c.shops, file, errors);
         },
         [](const Config& c) { return describe_shipping(c.shipping, c.shipping_interval_seconds); },
         [](const Config& c, std::vector<std::string>& out) {
           shipping_warnings(c.shipping, c.origin, out);
         }}};
  }
  std::vector<store::MigrationSet> migrations() const override {
    return {courier::migration_set()};
  }
  std::vector<Command> commands() const override { return shipping_commands(); }

  std::vector<Job> jobs(const std::shared_ptr<const Config>& cfg) override {
    auto& s = services();
    return {{"shipping", std::chrono::seconds(1),
             [interval = std::chrono::seconds(cfg->shipping_interval_seconds)] { return interval; },
             [&s, cfg] { (void)run_shipping_once(*cfg, s.store, *s.http, s.clock); }}};
  }
  std::vector<api::Route> routes() override { return courier_routes().routes(); }
  void health(boost::json::object& out, bool&) override {
    out["waybill_pools_low"] = courier_routes().pools_low();
  }

 private:
  api::CourierRoutes& courier_routes() {
    auto& s = services();
    if (!m_routes) m_routes.emplace(s.store, s.clock, s.live.section(&Config::shipping));
    return *m_routes;
  }
  std::optional<api::CourierRoutes> m_routes;
};

}  // namespace

std::unique_ptr<Capability> make_shipping_capability() {
  return std::make_unique<ShippingCapability>();
}

}  // namespace fulfil::daemon
