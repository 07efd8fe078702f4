#include "stock/migrations.hpp"

namespace fulfil::stock {

namespace {
const std::vector<store::Migration> k_migrations = {
    {1,
     "stock pushed to the platform: SKU mappings, last pushes, the peak switch",
     {R"(CREATE TABLE stock_mappings (
          shop TEXT NOT NULL,
          sku TEXT NOT NULL,
          num_iid BIGINT NOT NULL,
          sku_id BIGINT NOT NULL,
          loaded_at BIGINT NOT NULL,
          PRIMARY KEY (shop, sku)))",
      "CREATE INDEX stock_mappings_sku ON stock_mappings (sku)",
      // One row per mapped SKU: what the platform should have and what it was last told.
      R"(CREATE TABLE stock_pushes (
          shop TEXT NOT NULL,
          sku TEXT NOT NULL,
          wanted BIGINT NOT NULL,
          pushed BIGINT,
          pushed_at BIGINT,
          state TEXT NOT NULL,
          held TEXT,
          attempts BIGINT NOT NULL DEFAULT 0,
          next_at BIGINT NOT NULL DEFAULT 0,
          last_error TEXT,
          updated_at BIGINT NOT NULL,
          PRIMARY KEY (shop, sku)))",
      // The switch as people set it at run time ('*' for every shop); the config's otherwise.
      R"(CREATE TABLE stock_push_switch (
          scope TEXT PRIMARY KEY,
          mode TEXT NOT NULL,
          set_by TEXT NOT NULL,
          set_at BIGINT NOT NULL))"}},
};
}  // namespace

store::MigrationSet migration_set() {
  return {"stock", &k_migrations};
}

}  // namespace fulfil::stock
