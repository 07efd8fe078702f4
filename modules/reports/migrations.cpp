#include "reports/migrations.hpp"

namespace fulfil::reports {

namespace {
const std::vector<store::Migration> k_migrations = {
    {1,
     "indexes for finding a shipment by serial and by receiver name",
     {"CREATE INDEX parcels_serial ON parcels (serial_day, serial_seq)",
      "CREATE INDEX trades_receiver ON trades (receiver_name)"}},
    {2,
     "indexes for the dashboard's throughput per hour and courier quality",
     // Partial: only the moves the dashboard counts, so the hot event table pays little.
     {"CREATE INDEX parcel_events_throughput ON parcel_events (to_state, at) WHERE to_state IN "
      "('approved', 'printed', 'packed')",
      "CREATE INDEX shipment_changes_shipment ON shipment_changes (shipment_id, to_state)",
      "CREATE INDEX shipments_created ON shipments (created_at) WHERE kind = 'outbound'"}},
};
}  // namespace

store::MigrationSet migration_set() {
  return {"reports", &k_migrations};
}

}  // namespace fulfil::reports
