#include "modules.hpp"

#include "capabilities.hpp"

namespace fulfil::daemon {

std::span<const store::MigrationSet> module_migrations() {
  static const std::vector<store::MigrationSet> k_sets = [] {
    std::vector<store::MigrationSet> sets;
    for (const auto& capability : make_capabilities())
      for (auto& set : capability->migrations()) sets.push_back(std::move(set));
    return sets;
  }();
  return k_sets;
}

Result<int> migrate_all(store::Connection& conn) {
  return store::migrate(conn, module_migrations());
}

}  // namespace fulfil::daemon
