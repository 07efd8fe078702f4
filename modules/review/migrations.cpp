#include "review/migrations.hpp"

namespace fulfil::review {

namespace {

// Append only: a released migration is never edited.
const std::vector<store::Migration> k_migrations = {
    {1,
     "parcels, parcel trades, line moves, events, stock, reservations",
     {R"(CREATE TABLE parcels (
          id BIGINT PRIMARY KEY,
          shop TEXT NOT NULL,
          state TEXT NOT NULL,
          version BIGINT NOT NULL,
          slice TEXT NOT NULL,
          key_rank BIGINT NOT NULL,
          pay_time BIGINT NOT NULL,
          created BIGINT NOT NULL,
          serial_day BIGINT NOT NULL,
          serial_seq BIGINT NOT NULL,
          buyer_nick TEXT NOT NULL,
          merge_key TEXT NOT NULL,
          city TEXT NOT NULL,
          problem TEXT,
          waived BIGINT NOT NULL DEFAULT 0,
          claim_holder TEXT,
          claim_expires BIGINT,
          merged_into BIGINT,
          split_from BIGINT,
          reviewer TEXT,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL))",
      // The review queue: key cities first, then oldest payment, as an index scan.
      "CREATE INDEX parcels_queue ON parcels (slice, key_rank, pay_time, id) WHERE state = "
      "'ready'",
      "CREATE INDEX parcels_ready ON parcels (key_rank, pay_time, id) WHERE state = 'ready'",
      "CREATE INDEX parcels_state ON parcels (state, key_rank, pay_time, id)",
      "CREATE INDEX parcels_claims ON parcels (claim_expires) WHERE state = 'in_review'",
      "CREATE INDEX parcels_buyer ON parcels (buyer_nick)",
      R"(CREATE TABLE parcel_trades (
          tid BIGINT PRIMARY KEY,
          parcel_id BIGINT NOT NULL,
          origin_parcel BIGINT NOT NULL,
          items_key TEXT NOT NULL,
          created BIGINT NOT NULL))",
      "CREATE INDEX parcel_trades_parcel ON parcel_trades (parcel_id)",
      "CREATE INDEX parcel_trades_origin ON parcel_trades (origin_parcel)",
      R"(CREATE TABLE parcel_line_moves (
          oid BIGINT PRIMARY KEY,
          tid BIGINT NOT NULL,
          from_parcel BIGINT NOT NULL,
          to_parcel BIGINT NOT NULL))",
      "CREATE INDEX parcel_line_moves_to ON parcel_line_moves (to_parcel)",
      "CREATE INDEX parcel_line_moves_from ON parcel_line_moves (from_parcel)",
      R"(CREATE TABLE parcel_events (
          id {id},
          parcel_id BIGINT NOT NULL,
          at BIGINT NOT NULL,
          actor TEXT NOT NULL,
          kind TEXT NOT NULL,
          from_state TEXT,
          to_state TEXT NOT NULL,
          version BIGINT NOT NULL,
          detail TEXT NOT NULL))",
      "CREATE INDEX parcel_events_parcel ON parcel_events (parcel_id)",
      "CREATE TABLE review_counters (name TEXT PRIMARY KEY, next_value BIGINT NOT NULL)",
      "CREATE TABLE review_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
      R"(CREATE TABLE stock (
          sku TEXT PRIMARY KEY,
          on_hand BIGINT NOT NULL,
          reserved BIGINT NOT NULL DEFAULT 0,
          updated_at BIGINT NOT NULL))",
      R"(CREATE TABLE stock_moves (
          id {id},
          sku TEXT NOT NULL,
          on_hand_delta BIGINT NOT NULL,
          on_hand_after BIGINT NOT NULL,
          reason TEXT NOT NULL,
          actor TEXT NOT NULL,
          at BIGINT NOT NULL))",
      "CREATE INDEX stock_moves_sku ON stock_moves (sku, id)",
      R"(CREATE TABLE stock_reservations (
          parcel_id BIGINT NOT NULL,
          sku TEXT NOT NULL,
          qty BIGINT NOT NULL,
          pay_time BIGINT NOT NULL,
          PRIMARY KEY (parcel_id, sku)))",
      "CREATE INDEX stock_reservations_sku ON stock_reservations (sku, pay_time)"}},
    // Where each SKU is picked ("A-03-2"): print jobs can follow the pick walk.
    {2, "stock pick locations", {"ALTER TABLE stock ADD COLUMN location TEXT NOT NULL DEFAULT ''"}},
    // Intake finds the open parcel a trade joins by its merge key (buyer and address). An
    // index of the open parcels alone costs two entries a parcel (in at intake, out at
    // approval); one on (key, state) would move an entry at every state change. By buyer alone
    // it read every parcel the buyer ever had, so a batch's cost grew with the store.
    // parcels_ready served auto-approval alone, which parcels_state serves in the same
    // order: one index fewer to write at every intake and approval.
    {3,
     "open parcels by merge key",
     {"CREATE INDEX parcels_open_merge ON parcels (merge_key) WHERE state = 'ready'",
      "DROP INDEX parcels_ready"}},
    // The barcode on the item, which the pack station scans to verify it (验货).
    {4,
     "item barcodes with the stock",
     {"ALTER TABLE stock ADD COLUMN barcode TEXT NOT NULL DEFAULT ''",
      "CREATE INDEX stock_barcode ON stock (barcode)"}},
};

}  // namespace

store::MigrationSet migration_set() {
  return {"review", &k_migrations};
}

}  // namespace fulfil::review
