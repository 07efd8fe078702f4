#include "capabilities/packing/packing_capability.hpp"

#include "capabilities/packing/pack_routes.hpp"
#include "packing/migrations.hpp"

namespace fulfil::daemon {

namespace {

class PackingCapability final : public Capability {
 public:
  std::string_view name() const override { return "packing"; }
  std::vector<store::MigrationSet> migrations() const override {
    return {packing::migration_set()};
  }
  std::vector<api::Route> routes() override { return pack_routes(services()); }
};

}  // namespace

std::unique_ptr<Capability> make_packing_capability() {
  return std::make_unique<PackingCapability>();
}

}  // namespace fulfil::daemon
