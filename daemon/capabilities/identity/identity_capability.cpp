#include "capabilities/identity/identity_capability.hpp"

#include "capabilities/identity/identity_commands.hpp"
#include "identity/migrations.hpp"

namespace fulfil::daemon {

namespace {

class IdentityCapability final : public Capability {
 public:
  std::string_view name() const override { return "identity"; }
  std::vector<store::MigrationSet> migrations() const override {
    return {identity::migration_set()};
  }
  std::vector<Command> commands() const override { return identity_commands(); }
};

}  // namespace

std::unique_ptr<Capability> make_identity_capability() {
  return std::make_unique<IdentityCapability>();
}

}  // namespace fulfil::daemon
