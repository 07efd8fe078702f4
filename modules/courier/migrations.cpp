#include "courier/migrations.hpp"

namespace fulfil::courier {

namespace {
const std::vector<store::Migration> k_migrations = {
    {1,
     "number pool, waybills, daily counts, ship confirmations",
     {R"(CREATE TABLE courier_numbers (
          courier TEXT NOT NULL,
          number TEXT NOT NULL,
          seq {id},
          state TEXT NOT NULL,
          imported_at BIGINT NOT NULL,
          used_at BIGINT))",
      "CREATE UNIQUE INDEX courier_numbers_number ON courier_numbers (courier, number)",
      "CREATE INDEX courier_numbers_free ON courier_numbers (courier, seq) WHERE state = 'free'",
      R"(CREATE TABLE waybills (
          id {id},
          parcel_id BIGINT NOT NULL,
          courier TEXT NOT NULL,
          idem_key TEXT NOT NULL UNIQUE,
          state TEXT NOT NULL,
          waybill_no TEXT,
          reason TEXT NOT NULL,
          error TEXT,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL))",
      // Exactly one live waybill per parcel, whatever happens.
      "CREATE UNIQUE INDEX waybills_live ON waybills (parcel_id) WHERE state IN ('requested', "
      "'issued')",
      "CREATE INDEX waybills_number ON waybills (waybill_no)",
      "CREATE INDEX waybills_parcel ON waybills (parcel_id, state)",
      R"(CREATE TABLE courier_days (
          day BIGINT NOT NULL,
          courier TEXT NOT NULL,
          parcels BIGINT NOT NULL,
          PRIMARY KEY (day, courier)))",
      R"(CREATE TABLE ship_confirmations (
          id {id},
          parcel_id BIGINT NOT NULL,
          tid BIGINT NOT NULL,
          shop TEXT NOT NULL,
          courier TEXT NOT NULL,
          waybill_no TEXT NOT NULL,
          sub_tids TEXT,
          state TEXT NOT NULL,
          attempts BIGINT NOT NULL DEFAULT 0,
          next_at BIGINT NOT NULL,
          last_error TEXT,
          done_at BIGINT))",
      "CREATE UNIQUE INDEX ship_confirmations_key ON ship_confirmations (tid, waybill_no)",
      "CREATE INDEX ship_confirmations_due ON ship_confirmations (next_at) WHERE state = "
      "'pending'"}},
    {2,
     "tracking: shipments followed and their events",
     {R"(CREATE TABLE shipments (
          id {id},
          courier TEXT NOT NULL,
          waybill_no TEXT NOT NULL,
          kind TEXT NOT NULL,
          parcel_id BIGINT,
          tid BIGINT,
          state TEXT NOT NULL,
          state_code BIGINT,
          last_event_at BIGINT,
          last_context TEXT,
          last_error TEXT,
          subscribed BIGINT NOT NULL DEFAULT 0,
          next_poll_at BIGINT NOT NULL,
          attempts BIGINT NOT NULL DEFAULT 0,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL))",
      "CREATE UNIQUE INDEX shipments_number ON shipments (waybill_no, courier)",
      "CREATE INDEX shipments_parcel ON shipments (parcel_id)",
      "CREATE INDEX shipments_due ON shipments (next_poll_at) WHERE state NOT IN ('delivered', "
      "'refused')",
      R"(CREATE TABLE shipment_events (
          shipment_id BIGINT NOT NULL,
          at BIGINT NOT NULL,
          context TEXT NOT NULL,
          area TEXT,
          status TEXT,
          PRIMARY KEY (shipment_id, at, context)))"}},
    {3,
     "ship confirmations: resent by reconciliation",
     {"ALTER TABLE ship_confirmations ADD COLUMN resent BIGINT NOT NULL DEFAULT 0",
      "CREATE INDEX ship_confirmations_done ON ship_confirmations (state, done_at)"}},
    {4,
     "tracking: each change of a shipment's state, for the status feed",
     {R"(CREATE TABLE shipment_changes (
          id {id},
          shipment_id BIGINT NOT NULL,
          at BIGINT NOT NULL,
          from_state TEXT NOT NULL,
          to_state TEXT NOT NULL))"}},
    {5,
     "reconciliations with the platform: each run and what it found",
     {R"(CREATE TABLE platform_reconciliations (
          id {id},
          at BIGINT NOT NULL,
          actor TEXT NOT NULL,
          sent_again BIGINT NOT NULL,
          for_a_person BIGINT NOT NULL,
          stopped BIGINT NOT NULL))",
      "CREATE INDEX platform_reconciliations_at ON platform_reconciliations (at)",
      "CREATE INDEX order_events_kind_at ON order_events (kind, at) WHERE kind = "
      "'shipped_elsewhere'"}},
};
}  // namespace

store::MigrationSet migration_set() {
  return {"courier", &k_migrations};
}

}  // namespace fulfil::courier
