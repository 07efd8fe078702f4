#include "csvimport/migrations.hpp"

namespace fulfil::csvimport {

namespace {
const std::vector<store::Migration> k_migrations = {
    {1,
     "halves of the platform's order/item report pair",
     {R"(CREATE TABLE csv_halves (
          id {id},
          shop TEXT NOT NULL,
          tid BIGINT NOT NULL,
          kind TEXT NOT NULL,
          file_name TEXT NOT NULL,
          line BIGINT NOT NULL,
          payload TEXT NOT NULL,
          at BIGINT NOT NULL))",
      "CREATE INDEX csv_halves_tid ON csv_halves (shop, tid)",
      "CREATE INDEX csv_halves_at ON csv_halves (at)"}},
};
}  // namespace

store::MigrationSet migration_set() {
  return {"csvimport", &k_migrations};
}

}  // namespace fulfil::csvimport
