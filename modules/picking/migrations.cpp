#include "picking/migrations.hpp"

namespace fulfil::picking {

namespace {
const std::vector<store::Migration> k_migrations = {
    {1,
     "pick waves, their parcels' slots and what was picked",
     {R"(CREATE TABLE pick_waves (
          id {id},
          state TEXT NOT NULL,
          created_by TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          picked_by TEXT NOT NULL DEFAULT '',
          picked_at BIGINT))",
      // A parcel is picked in one wave only: the key refuses a second.
      R"(CREATE TABLE pick_wave_parcels (
          parcel_id BIGINT PRIMARY KEY,
          wave_id BIGINT NOT NULL,
          slot BIGINT NOT NULL))",
      "CREATE INDEX pick_wave_parcels_wave ON pick_wave_parcels (wave_id, slot)",
      R"(CREATE TABLE pick_progress (
          wave_id BIGINT NOT NULL,
          sku TEXT NOT NULL,
          picked BIGINT NOT NULL,
          short_reason TEXT NOT NULL,
          user_name TEXT NOT NULL,
          at BIGINT NOT NULL,
          PRIMARY KEY (wave_id, sku)))",
      "CREATE INDEX pick_waves_state ON pick_waves (state, id)"}},
};
}  // namespace

store::MigrationSet migration_set() {
  return {"picking", &k_migrations};
}

}  // namespace fulfil::picking
