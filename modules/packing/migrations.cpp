#include "packing/migrations.hpp"

namespace fulfil::packing {

namespace {
const std::vector<store::Migration> k_migrations = {
    {1,
     "pack station work and verified lines",
     {R"(CREATE TABLE pack_work (
          parcel_id BIGINT PRIMARY KEY,
          station TEXT NOT NULL,
          user_name TEXT NOT NULL,
          started_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL,
          weight_g BIGINT,
          packed_at BIGINT))",
      R"(CREATE TABLE pack_lines (
          parcel_id BIGINT NOT NULL,
          oid BIGINT NOT NULL,
          verified BIGINT NOT NULL,
          short_reason TEXT NOT NULL,
          PRIMARY KEY (parcel_id, oid)))",
      "CREATE INDEX pack_work_packed ON pack_work (packed_at)"}},
};
}  // namespace

store::MigrationSet migration_set() {
  return {"packing", &k_migrations};
}

}  // namespace fulfil::packing
