#include "capabilities/identity/identity_capability.hpp"

#include "capabilities/identity/identity_commands.hpp"
#include "capabilities/identity/identity_config.hpp"
#include "capabilities/identity/session_routes.hpp"
#include "capabilities/identity/staff_routes.hpp"
#include "identity/migrations.hpp"

namespace fulfil::daemon {

namespace {

class IdentityCapability final : public Capability {
 public:
  std::string_view name() const override { return "identity"; }
  std::vector<ConfigSection> config_sections() const override {
    return {{"identity", Reload::live,
             [](TableReader& top, const std::string& file, std::vector<std::string>& errors,
                Config& c) { parse_identity(top.table("identity"), file, errors, c.logins); },
             [](const Config& c) { return describe_identity(c.logins); }}};
  }
  std::vector<store::MigrationSet> migrations() const override {
    return {identity::migration_set()};
  }
  std::vector<Command> commands() const override { return identity_commands(); }
  std::vector<api::Route> routes() override {
    auto out = session_routes(services());
    for (auto& r : staff_routes(services())) out.push_back(std::move(r));
    return out;
  }
};

}  // namespace

std::unique_ptr<Capability> make_identity_capability() {
  return std::make_unique<IdentityCapability>();
}

}  // namespace fulfil::daemon
