// Review (审单): owns [review], review's tables, the review pass (intake, auto-approval,
// expired claims), the review, parcel and stock routes, the roles a person has (reviewer,
// problem handler, supervisor), and the review and stock commands.
#include "capabilities/review/review_capability.hpp"

#include <optional>

#include "capabilities/review/review_commands.hpp"
#include "capabilities/review/review_config.hpp"
#include "capabilities/review/review_job.hpp"
#include "capabilities/review/review_routes.hpp"
#include "review/migrations.hpp"

namespace fulfil::daemon {

namespace {

std::vector<std::string> shop_names(const Config& c) {
  std::vector<std::string> names;
  for (const auto& s : c.shops) names.push_back(s.name);
  return names;
}

class ReviewCapability final : public Capability {
 public:
  std::string_view name() const override { return "review"; }
  std::vector<ConfigSection> config_sections() const override {
    return {{"review", Reload::live,
             [](TableReader& top, const std::string& file, std::vector<std::string>& errors,
                Config& c) {
               parse_review(top.table("review"), file, shop_names(c), errors, c.review,
                            c.review_interval_seconds);
             },
             [](const Config& c) { return describe_review(c.review, c.review_interval_seconds); },
             [](const Config& c, std::vector<std::string>& out) {
               review_warnings(c.review, c.origin, out);
             }}};
  }
  std::vector<store::MigrationSet> migrations() const override { return {review::migration_set()}; }
  std::vector<Command> commands() const override { return review_commands(); }

  std::vector<Job> jobs(const std::shared_ptr<const Config>& cfg) override {
    auto& s = services();
    // The first pass after a start or reload applies the config's slicing to the queue.
    auto first = std::make_shared<bool>(true);
    return {{"review", std::chrono::milliseconds(0),
             [interval = std::chrono::seconds(cfg->review_interval_seconds)] { return interval; },
             [&s, cfg, first] {
               if (run_review_once(*cfg, s.store, s.clock, *first)) *first = false;
             }}};
  }
  std::vector<api::Route> routes() override {
    auto& s = services();
    m_routes.emplace(s.store, s.clock, s.live.section(&Config::review));
    return m_routes->routes();
  }

 private:
  std::optional<api::ReviewRoutes> m_routes;
};

}  // namespace

std::unique_ptr<Capability> make_review_capability() {
  return std::make_unique<ReviewCapability>();
}

}  // namespace fulfil::daemon
