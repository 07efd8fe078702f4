#include "modules.hpp"

#include "aftersale/migrations.hpp"
#include "courier/migrations.hpp"
#include "csvimport/migrations.hpp"
#include "printing/migrations.hpp"
#include "review/migrations.hpp"

namespace fulfil::daemon {

std::span<const store::MigrationSet> module_migrations() {
  static const store::MigrationSet k_sets[] = {csvimport::migration_set(), review::migration_set(),
                                               courier::migration_set(), printing::migration_set(),
                                               aftersale::migration_set()};
  return k_sets;
}

Result<int> migrate_all(store::Connection& conn) {
  return store::migrate(conn, module_migrations());
}

}  // namespace fulfil::daemon
