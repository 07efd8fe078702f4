#include "reminders/migrations.hpp"

namespace fulfil::reminders {

namespace {
const std::vector<store::Migration> k_migrations = {
    {1,
     "reminders, their trades, attempts, notes, buyers, templates and write-backs",
     {R"(CREATE TABLE reminders (
          id {id},
          shop TEXT NOT NULL,
          buyer_nick TEXT NOT NULL,
          mobile TEXT NOT NULL,
          amount BIGINT NOT NULL,
          orders BIGINT NOT NULL,
          first_placed BIGINT NOT NULL,
          big BIGINT NOT NULL,
          state TEXT NOT NULL,
          reason TEXT NOT NULL DEFAULT '',
          staff TEXT NOT NULL DEFAULT '',
          created_at BIGINT NOT NULL,
          reminded_at BIGINT,
          channel TEXT NOT NULL DEFAULT '',
          responded BIGINT NOT NULL DEFAULT 0,
          settled_at BIGINT,
          paid_amount BIGINT NOT NULL DEFAULT 0,
          paid_orders BIGINT NOT NULL DEFAULT 0,
          paid_at BIGINT,
          recovered BIGINT NOT NULL DEFAULT 0,
          wake_at BIGINT NOT NULL DEFAULT 0))",
      "CREATE INDEX reminders_wake ON reminders (state, wake_at)",
      "CREATE INDEX reminders_buyer ON reminders (shop, buyer_nick, state)",
      "CREATE INDEX reminders_reminded ON reminders (reminded_at)",
      // A trade is chased by one reminder only: the key refuses a second.
      R"(CREATE TABLE reminder_trades (
          tid BIGINT PRIMARY KEY,
          reminder_id BIGINT NOT NULL,
          payment BIGINT NOT NULL,
          placed BIGINT NOT NULL))",
      "CREATE INDEX reminder_trades_reminder ON reminder_trades (reminder_id)",
      // An attempt is a text to send or a task for a person. Its key goes to the gateway as
      // OutId, so a text whose answer was lost is found again rather than sent twice.
      R"(CREATE TABLE reminder_attempts (
          id {id},
          reminder_id BIGINT NOT NULL,
          channel TEXT NOT NULL,
          state TEXT NOT NULL,
          idem_key TEXT NOT NULL UNIQUE,
          due_from BIGINT NOT NULL,
          due_until BIGINT NOT NULL,
          script TEXT NOT NULL DEFAULT '',
          staff TEXT NOT NULL DEFAULT '',
          outcome TEXT NOT NULL DEFAULT '',
          note TEXT NOT NULL DEFAULT '',
          tries BIGINT NOT NULL DEFAULT 0,
          next_try BIGINT NOT NULL DEFAULT 0,
          biz_id TEXT NOT NULL DEFAULT '',
          cost BIGINT NOT NULL DEFAULT 0,
          error TEXT NOT NULL DEFAULT '',
          created_at BIGINT NOT NULL,
          done_at BIGINT))",
      "CREATE INDEX reminder_attempts_due ON reminder_attempts (state, channel, due_from)",
      "CREATE INDEX reminder_attempts_reminder ON reminder_attempts (reminder_id)",
      // The buyers' recent reminders (eligibility) and the channels' costs (the summary).
      "CREATE INDEX reminder_attempts_done ON reminder_attempts (done_at)",
      R"(CREATE TABLE reminder_notes (
          id {id},
          reminder_id BIGINT NOT NULL,
          at BIGINT NOT NULL,
          text TEXT NOT NULL))",
      "CREATE INDEX reminder_notes_reminder ON reminder_notes (reminder_id)",
      R"(CREATE TABLE reminder_buyers (
          shop TEXT NOT NULL,
          buyer_nick TEXT NOT NULL,
          sensitive BIGINT NOT NULL,
          never_again BIGINT NOT NULL,
          note TEXT NOT NULL,
          updated_by TEXT NOT NULL,
          updated_at BIGINT NOT NULL,
          PRIMARY KEY (shop, buyer_nick)))",
      R"(CREATE TABLE reminder_templates (
          name TEXT PRIMARY KEY,
          channel TEXT NOT NULL,
          body TEXT NOT NULL,
          updated_by TEXT NOT NULL,
          updated_at BIGINT NOT NULL))",
      // Memo updates and closes owed to the platform, made by the reminders job and retried
      // until the platform takes or refuses them.
      R"(CREATE TABLE reminder_writebacks (
          id {id},
          reminder_id BIGINT NOT NULL,
          shop TEXT NOT NULL,
          tid BIGINT NOT NULL,
          kind TEXT NOT NULL,
          memo TEXT NOT NULL,
          flag BIGINT NOT NULL,
          state TEXT NOT NULL,
          tries BIGINT NOT NULL DEFAULT 0,
          next_try BIGINT NOT NULL DEFAULT 0,
          error TEXT NOT NULL DEFAULT '',
          created_at BIGINT NOT NULL,
          done_at BIGINT))",
      "CREATE INDEX reminder_writebacks_state ON reminder_writebacks (state, next_try)"}},
};
}  // namespace

store::MigrationSet migration_set() {
  return {"reminders", &k_migrations};
}

}  // namespace fulfil::reminders
