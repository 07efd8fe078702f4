#include "capabilities/reminders/reminders_capability.hpp"

#include "capabilities/reminders/reminder_routes.hpp"
#include "capabilities/reminders/reminders_config.hpp"
#include "capabilities/reminders/reminders_job.hpp"
#include "reminders/migrations.hpp"

namespace fulfil::daemon {

namespace {

class RemindersCapability final : public Capability {
 public:
  std::string_view name() const override { return "reminders"; }
  std::vector<ConfigSection> config_sections() const override {
    return {{"reminders", Reload::live,
             [](TableReader& top, const std::string& file, std::vector<std::string>& errors,
                Config& c) { parse_reminders(top.table("reminders"), file, errors, c.reminders); },
             [](const Config& c) { return describe_reminders(c.reminders); }}};
  }
  std::vector<store::MigrationSet> migrations() const override {
    return {reminders::migration_set()};
  }
  std::vector<Job> jobs(const std::shared_ptr<const Config>& cfg) override {
    if (!cfg->reminders.enabled) return {};
    auto& s = services();
    const auto every = std::chrono::seconds(cfg->reminders.interval_seconds);
    return {{"reminders", std::chrono::seconds(3), [every] { return every; },
             [this, &s, cfg] {
               (void)run_reminders_once(*cfg, s.store, *s.http, s.clock, s.state.instance_id,
                                        m_health);
             }}};
  }
  std::vector<api::Route> routes() override {
    auto out = reminder_routes(services());
    for (auto& r : reminder_report_routes(services())) out.push_back(std::move(r));
    return out;
  }
  void health(boost::json::object& out, bool& degraded) override {
    out["reminders"] = m_health.json(degraded);
  }

 private:
  ReminderHealth m_health;
};

}  // namespace

std::unique_ptr<Capability> make_reminders_capability() {
  return std::make_unique<RemindersCapability>();
}

}  // namespace fulfil::daemon
