// Sync: the order sources. Owns [sync] and [[shops]], the CSV inbox's tables, one job per
// shop (platform sync or inbox import, each shop synced by one daemon of the cluster) and
// the nightly reconcile, the shops and quarantine routes, the shops' part of /healthz, and
// the sync, import-csv and reconcile commands.
#include "capabilities/sync/sync_capability.hpp"

#include <mutex>
#include <optional>
#include <set>

#include "capabilities/sync/shop_routes.hpp"
#include "capabilities/sync/sync_commands.hpp"
#include "capabilities/sync/sync_config.hpp"
#include "capabilities/sync/sync_jobs.hpp"
#include "common/timeutil.hpp"
#include "csvimport/migrations.hpp"

namespace fulfil::daemon {

namespace {

// Keeps one shop from running twice at once inside this process (a reload may schedule a
// shop again while its previous run is still going).
class ShopGuards {
 public:
  bool try_enter(const std::string& shop) {
    std::lock_guard lock(m_mutex);
    return m_running.insert(shop).second;
  }
  void leave(const std::string& shop) {
    std::lock_guard lock(m_mutex);
    m_running.erase(shop);
  }

 private:
  std::mutex m_mutex;
  std::set<std::string> m_running;
};

class SyncCapability final : public Capability {
 public:
  std::string_view name() const override { return "sync"; }
  std::vector<ConfigSection> config_sections() const override {
    return {{"sync, shops", Reload::live, read_sync, describe_sync}};
  }
  std::vector<store::MigrationSet> migrations() const override {
    return {csvimport::migration_set()};
  }
  std::vector<Command> commands() const override { return sync_commands(); }

  std::vector<Job> jobs(const std::shared_ptr<const Config>& cfg) override {
    auto& s = services();
    std::vector<std::string> shop_names;
    for (const auto& shop : cfg->shops) shop_names.push_back(shop.name);
    {
      std::lock_guard lock(s.state.mutex);
      s.state.shops = shop_names;
    }
    std::vector<Job> out;
    for (const auto& shop : cfg->shops) {
      auto interval = std::chrono::seconds(shop.interval_seconds);
      // Several daemons on one store share the shops: each syncs its share (shop_owner).
      out.push_back({"shop:" + shop.name, std::chrono::milliseconds(0),
                     [interval] { return interval; },
                     [this, &s, cfg, shop, shop_names] {
                       if (s.state.cluster && !s.state.cluster->owns(shop.name, shop_names)) return;
                       if (!m_guards.try_enter(shop.name)) return;
                       (void)run_shop_once(*cfg, shop, s.store, *s.http, s.clock,
                                           s.state.instance_id, *s.cancel);
                       m_guards.leave(shop.name);
                     }});
    }
    if (cfg->reconcile_at) {
      auto [h, m] = *cfg->reconcile_at;
      auto next = [&clock = s.clock, h, m] { return until_shanghai_time(clock.now(), h, m); };
      out.push_back({"reconcile", next(), next, [&s, cfg] {
                       // Yesterday, Shanghai time.
                       const UnixSeconds local = s.clock.now() + k_shanghai_offset;
                       const UnixSeconds today = local - local % 86400 - k_shanghai_offset;
                       for (const auto& shop : cfg->shops)
                         (void)reconcile_shop(*cfg, shop, s.store, *s.http, s.clock,
                                              s.state.instance_id, today - 86400, *s.cancel);
                     }});
    }
    return out;
  }

  std::vector<api::Route> routes() override { return shop_routes().routes(); }
  void health(boost::json::object& out, bool& degraded) override {
    shop_routes().health(out, degraded);
  }

 private:
  api::ShopRoutes& shop_routes() {
    if (!m_routes) m_routes.emplace(services().store, services().clock, services().state);
    return *m_routes;
  }
  ShopGuards m_guards;
  std::optional<api::ShopRoutes> m_routes;
};

}  // namespace

std::unique_ptr<Capability> make_sync_capability() {
  return std::make_unique<SyncCapability>();
}

}  // namespace fulfil::daemon
