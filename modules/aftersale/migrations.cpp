#include "aftersale/migrations.hpp"

namespace fulfil::aftersale {

namespace {
const std::vector<store::Migration> k_migrations = {
    {1,
     "returns, exchanges, slips and their outbox",
     {// Return ids come from aftersale_counters in blocks, so a batch of check-ins is one
      // multi-row insert on PostgreSQL too.
      "CREATE TABLE aftersale_counters (name TEXT PRIMARY KEY, next_value BIGINT NOT NULL)",
      R"(CREATE TABLE returns (
          id BIGINT PRIMARY KEY,
          request_key TEXT UNIQUE,
          state TEXT NOT NULL,
          scanned TEXT NOT NULL,
          courier TEXT NOT NULL,
          waybill_no TEXT NOT NULL,
          parcel_id BIGINT,
          tid BIGINT,
          shop TEXT,
          buyer_nick TEXT,
          item_condition TEXT NOT NULL,
          note TEXT NOT NULL,
          received_by TEXT NOT NULL,
          received_at BIGINT NOT NULL,
          matched_by TEXT,
          matched_at BIGINT))",
      "CREATE INDEX returns_number ON returns (waybill_no, courier)",
      "CREATE INDEX returns_state ON returns (state, id)",
      "CREATE INDEX returns_tid ON returns (tid)",
      "CREATE INDEX returns_parcel ON returns (parcel_id)",
      R"(CREATE TABLE return_lines (
          return_id BIGINT NOT NULL,
          line_no BIGINT NOT NULL,
          oid BIGINT NOT NULL,
          tid BIGINT NOT NULL,
          sku TEXT NOT NULL,
          title TEXT NOT NULL,
          action TEXT NOT NULL,
          quantity BIGINT NOT NULL,
          paid BIGINT NOT NULL,
          new_sku TEXT,
          colour TEXT,
          size TEXT,
          new_unit_price BIGINT,
          reason_code BIGINT NOT NULL,
          reason TEXT NOT NULL,
          PRIMARY KEY (return_id, line_no)))",
      "CREATE INDEX return_lines_oid ON return_lines (oid)",
      R"(CREATE TABLE exchanges (
          tid BIGINT PRIMARY KEY,
          return_id BIGINT NOT NULL UNIQUE,
          original_tid BIGINT NOT NULL,
          price_difference BIGINT NOT NULL,
          prices_known BIGINT NOT NULL,
          created_at BIGINT NOT NULL))",
      "CREATE INDEX exchanges_original ON exchanges (original_tid)",
      R"(CREATE TABLE slips (
          id TEXT PRIMARY KEY,
          return_id BIGINT NOT NULL,
          kind TEXT NOT NULL,
          body TEXT NOT NULL,
          created_at BIGINT NOT NULL))",
      "CREATE INDEX slips_return ON slips (return_id)",
      R"(CREATE TABLE outbox (
          id {id},
          slip_id TEXT NOT NULL UNIQUE,
          state TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          delivered_at BIGINT))",
      "CREATE INDEX outbox_pending ON outbox (id) WHERE state = 'pending'"}},
    {2,
     "the status feed's cursors and sequence, kept across restarts",
     {// One row per feed: where its sources were read up to, and the last sequence number
      // published, so a restart resumes where the feed stopped and seq never restarts.
      R"(CREATE TABLE status_feed (
          name TEXT PRIMARY KEY,
          parcel_event BIGINT NOT NULL,
          confirm_done BIGINT NOT NULL,
          confirm_id BIGINT NOT NULL,
          shipment_change BIGINT NOT NULL,
          return_id BIGINT NOT NULL,
          seq BIGINT NOT NULL,
          saved_at BIGINT NOT NULL))"}},
};
}  // namespace

store::MigrationSet migration_set() {
  return {"aftersale", &k_migrations};
}

}  // namespace fulfil::aftersale
