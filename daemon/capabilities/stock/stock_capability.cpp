// Stock (pushed to the platform): owns [stock_push], the stock module's tables, the push job
// (one daemon of a cluster at a time, every platform shop in turn), the stock-push routes
// (report, mappings, the peak switch) and the stock part of /healthz.
#include "capabilities/stock/stock_capability.hpp"

#include <mutex>

#include "capabilities/stock/stock_config.hpp"
#include "capabilities/stock/stock_push_job.hpp"
#include "capabilities/stock/stock_routes.hpp"
#include "stock/migrations.hpp"

namespace fulfil::daemon {

namespace {

class StockCapability final : public Capability {
 public:
  std::string_view name() const override { return "stock"; }
  std::vector<ConfigSection> config_sections() const override {
    return {{"stock_push", Reload::live, read_stock_push, describe_stock_push}};
  }
  std::vector<store::MigrationSet> migrations() const override { return {stock::migration_set()}; }
  std::vector<Job> jobs(const std::shared_ptr<const Config>& cfg) override {
    if (!cfg->stock_push.enabled) return {};
    auto& s = services();
    return {
        {"stock-push", std::chrono::seconds(2),
         [interval = std::chrono::seconds(cfg->stock_push.interval_seconds)] { return interval; },
         [this, &s, cfg] {
           auto alert = run_stock_push_once(*cfg, s.store, *s.http, s.clock, s.state.instance_id);
           std::lock_guard lock(m_alert_mutex);
           if (alert) m_alert = *alert;
         }}};
  }
  std::vector<api::Route> routes() override { return stock_routes(services()); }
  void health(boost::json::object& out, bool& degraded) override {
    stock_health(services(), out, degraded);
    std::lock_guard lock(m_alert_mutex);
    if (!m_alert.empty()) {
      out["stock_push_alert"] = m_alert;
      degraded = true;
    }
  }

 private:
  std::mutex m_alert_mutex;
  std::string m_alert;  // the last pass's: credentials refused
};

}  // namespace

std::unique_ptr<Capability> make_stock_capability() {
  return std::make_unique<StockCapability>();
}

}  // namespace fulfil::daemon
