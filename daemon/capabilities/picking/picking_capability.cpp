#include "capabilities/picking/picking_capability.hpp"

#include <sstream>

#include "capabilities/picking/wave_routes.hpp"
#include "picking/migrations.hpp"

namespace fulfil::daemon {

namespace {

void parse_picking(const toml::table* table, const std::string& file,
                   std::vector<std::string>& errors, picking::PickingSettings& out) {
  if (!table) return;
  TableReader r(*table, "picking", file, errors);
  out.promo_zone = r.text("promo_zone", "");
  if (out.promo_zone.size() > 32)
    r.error_at(r.node("promo_zone"), "promo_zone", "a location prefix of at most 32 bytes");
  out.wave_size = static_cast<int>(r.integer("wave_size", 30, 1, picking::k_max_wave_size));
  r.finish();
}

std::string describe_picking(const picking::PickingSettings& s) {
  std::ostringstream o;
  o << "\n[picking]\npromo_zone = \"" << s.promo_zone << "\"\nwave_size = " << s.wave_size << "\n";
  return o.str();
}

class PickingCapability final : public Capability {
 public:
  std::string_view name() const override { return "picking"; }
  std::vector<ConfigSection> config_sections() const override {
    return {{"picking", Reload::live,
             [](TableReader& top, const std::string& file, std::vector<std::string>& errors,
                Config& c) { parse_picking(top.table("picking"), file, errors, c.picking); },
             [](const Config& c) { return describe_picking(c.picking); }}};
  }
  std::vector<store::MigrationSet> migrations() const override {
    return {picking::migration_set()};
  }
  std::vector<api::Route> routes() override { return wave_routes(services()); }
};

}  // namespace

std::unique_ptr<Capability> make_picking_capability() {
  return std::make_unique<PickingCapability>();
}

}  // namespace fulfil::daemon
