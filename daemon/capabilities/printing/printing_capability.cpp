// Printing: owns [printing] (printers, templates, the font, the return form), the label
// tables, the printer pool (its font, templates and one worker per printer, started before
// the port is bound and made afresh on a reload), the printing job, the printer and label
// routes, and the label and printer commands.
#include "capabilities/printing/printing_capability.hpp"

#include <mutex>
#include <optional>

#include "capabilities/printing/printing_commands.hpp"
#include "capabilities/printing/printing_config.hpp"
#include "capabilities/printing/printing_routes.hpp"
#include "capabilities/printing/printing_runtime.hpp"
#include "printing/migrations.hpp"

namespace fulfil::daemon {

namespace {

// The printer pool for `cfg`: null when printing is off or has no printers; a missing font or
// a template that does not parse is the error.
Result<std::shared_ptr<PrintingRuntime>> start_pool(const Config& cfg) {
  if (!cfg.printing.enabled || cfg.printing.printers.empty())
    return std::shared_ptr<PrintingRuntime>();
  auto rt = PrintingRuntime::start(cfg.printing);
  if (!rt) return std::unexpected(rt.error());
  return std::shared_ptr<PrintingRuntime>(std::move(*rt));
}

class PrintingCapability final : public Capability {
 public:
  std::string_view name() const override { return "printing"; }
  std::vector<ConfigSection> config_sections() const override {
    return {{"printing", Reload::live,
             [](TableReader& top, const std::string& file, std::vector<std::string>& errors,
                Config& c) {
               parse_printing(top.table("printing"), file, errors, c.printing,
                              c.printing_interval_seconds);
             },
             [](const Config& c) {
               return describe_printing(c.printing, c.printing_interval_seconds);
             }}};
  }
  std::vector<store::MigrationSet> migrations() const override {
    return {printing::migration_set()};
  }
  std::vector<Command> commands() const override { return printing_commands(); }
  void check_startable(const Config& c, std::vector<std::string>& errors) const override {
    if (auto pool = start_pool(c); !pool) errors.push_back(pool.error().message);
  }

  Result<void> start(const Config& c) override {
    auto pool = start_pool(c);
    if (!pool) return std::unexpected(pool.error());
    set_pool(*pool);
    return {};
  }
  Result<void> prepare_reload(const Config& fresh) override {
    auto pool = start_pool(fresh);
    if (!pool) return std::unexpected(pool.error());
    m_next = *pool;
    return {};
  }
  void commit_reload() override { set_pool(std::move(m_next)); }
  std::vector<Job> jobs(const std::shared_ptr<const Config>& cfg) override {
    auto rt = pool();
    if (!rt) return {};
    auto& s = services();
    return {{"printing", std::chrono::seconds(1),
             [interval = std::chrono::seconds(cfg->printing_interval_seconds)] { return interval; },
             [&s, cfg, rt] { (void)rt->queue_and_wake(cfg, s.store, s.clock); }}};
  }
  std::vector<api::Route> routes() override {
    auto& s = services();
    m_routes.emplace(s.store, s.clock, [this, &s] {
      return api::PrintingContext{s.live.get(), pool()};
    });
    return m_routes->routes();
  }
  void stop() override { set_pool(nullptr); }

 private:
  std::shared_ptr<PrintingRuntime> pool() const {
    std::lock_guard lock(m_mutex);
    return m_pool;
  }
  void set_pool(std::shared_ptr<PrintingRuntime> pool) {
    std::lock_guard lock(m_mutex);
    m_pool = std::move(pool);
  }
  mutable std::mutex m_mutex;
  std::shared_ptr<PrintingRuntime> m_pool;  // guarded by m_mutex; shared with running jobs
  std::shared_ptr<PrintingRuntime> m_next;  // made by prepare_reload
  std::optional<api::PrintingRoutes> m_routes;
};

}  // namespace

std::unique_ptr<Capability> make_printing_capability() {
  return std::make_unique<PrintingCapability>();
}

}  // namespace fulfil::daemon
