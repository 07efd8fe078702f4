// Shipping (couriers): owns [shipping] (couriers, region rules, the sender; tracking's keys
// are read here too and used by the tracking capability), the courier tables, the shipping
// pass (waybills, voids, ship confirmations), the courier routes, the low waybill pools of
// /healthz, and the waybill command.
#include "capabilities/shipping/shipping_capability.hpp"

#include <optional>

#include "capabilities/shipping/courier_config.hpp"
#include "capabilities/shipping/courier_routes.hpp"
#include "capabilities/shipping/platform_reconcile.hpp"
#include "capabilities/shipping/shipping_job.hpp"
#include "capabilities/shipping/waybill_command.hpp"
#include "common/timeutil.hpp"
#include "courier/migrations.hpp"
#include "store/lease_repository.hpp"

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
    std::vector<Job> out{
        {"shipping", std::chrono::seconds(1),
         [interval = std::chrono::seconds(cfg->shipping_interval_seconds)] { return interval; },
         [&s, cfg] { (void)run_shipping_once(*cfg, s.store, *s.http, s.clock); }}};
    if (cfg->reconcile_at) {
      // An hour after the sync's nightly reconcile has brought the statuses up to date.
      auto [h, m] = *cfg->reconcile_at;
      auto next = [&clock = s.clock, h = (h + 1) % 24, m] {
        return until_shanghai_time(clock.now(), h, m);
      };
      out.push_back({"platform-reconcile", next(), next, [&s, cfg] {
                       auto conn = s.store.local(store::Durability::strict);
                       if (!conn) return;
                       store::LeaseRepository leases(**conn);
                       auto lease = store::ScopedLease::take(
                           leases, "platform-reconcile", s.state.instance_id, s.clock.now(), 3600);
                       if (!lease || !*lease) return;  // another daemon of the cluster runs it
                       (void)reconcile_with_platform(cfg->shipping, s.store, s.clock, "daily");
                     }});
    }
    return out;
  }
  std::vector<api::Route> routes() override { return courier_routes().routes(); }
  void health(boost::json::object& out, bool&) override {
    out["waybill_pools_low"] = courier_routes().pools_low();
    if (auto r = reconciliation_json(services().store, services().clock, 7, false))
      out["platform_reconciliation"] = std::move(*r);
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
