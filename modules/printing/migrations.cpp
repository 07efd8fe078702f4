#include "printing/migrations.hpp"

namespace fulfil::printing {

namespace {
const std::vector<store::Migration> k_migrations = {
    {1,
     "labels and print jobs",
     {R"(CREATE TABLE labels (
          id {id},
          parcel_id BIGINT NOT NULL,
          kind TEXT NOT NULL,
          waybill_no TEXT NOT NULL,
          courier TEXT NOT NULL,
          state TEXT NOT NULL,
          key_rank BIGINT NOT NULL,
          pay_time BIGINT NOT NULL,
          printer TEXT,
          job TEXT,
          attempts BIGINT NOT NULL DEFAULT 0,
          error TEXT,
          warnings TEXT,
          reprint_of BIGINT,
          requested_by TEXT,
          reason TEXT,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL,
          printed_at BIGINT))",
      // One original label per parcel, kind and waybill, whatever happens; reprints are
      // extra rows that point at it.
      "CREATE UNIQUE INDEX labels_once ON labels (parcel_id, kind, waybill_no) WHERE reprint_of "
      "IS NULL",
      "CREATE INDEX labels_open ON labels (kind, state, key_rank, pay_time, id) WHERE state IN "
      "('queued', 'sent')",
      "CREATE INDEX labels_parcel ON labels (parcel_id)",
      R"(CREATE TABLE print_jobs (
          id TEXT PRIMARY KEY,
          printer TEXT NOT NULL,
          kind TEXT NOT NULL,
          state TEXT NOT NULL,
          labels BIGINT NOT NULL,
          error TEXT,
          created_at BIGINT NOT NULL,
          done_at BIGINT))"}},
    // SQLite uses a partial index only when the query repeats its condition word for word:
    // "state IN ('queued', 'sent')" served no query, so each print job scanned every label
    // ever printed. One index per question a print job asks, each on exactly its rows.
    {2,
     "label queue indexes a print job can use",
     {"DROP INDEX labels_open",
      "CREATE INDEX labels_queued ON labels (kind, key_rank, pay_time, id) WHERE state = "
      "'queued'",
      "CREATE INDEX labels_queued_courier ON labels (kind, courier, key_rank, pay_time, id) WHERE "
      "state = 'queued'",
      "CREATE INDEX labels_queued_reprints ON labels (kind, id) WHERE state = 'queued' AND "
      "reprint_of IS NOT NULL",
      "CREATE INDEX labels_sent ON labels (printer) WHERE state = 'sent'"}},
};
}  // namespace

store::MigrationSet migration_set() {
  return {"printing", &k_migrations};
}

}  // namespace fulfil::printing
