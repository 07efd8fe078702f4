#include "reports/migrations.hpp"

namespace fulfil::reports {

namespace {
const std::vector<store::Migration> k_migrations = {
    {1,
     "indexes for finding a shipment by serial and by receiver name",
     {"CREATE INDEX parcels_serial ON parcels (serial_day, serial_seq)",
      "CREATE INDEX trades_receiver ON trades (receiver_name)"}},
};
}  // namespace

store::MigrationSet migration_set() {
  return {"reports", &k_migrations};
}

}  // namespace fulfil::reports
