#include "store/migrations.hpp"

#include <string>
#include <vector>

#include "common/clock.hpp"

namespace fulfil::store {
namespace {

// Append only: a released migration is never edited, a change is a new version.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> k_all = {
      {1,
       "orders, lines, events, quarantine, sync state, serials, leases",
       {R"(CREATE TABLE trades (
            tid BIGINT PRIMARY KEY,
            shop TEXT NOT NULL,
            source TEXT NOT NULL,
            status TEXT NOT NULL,
            fstate TEXT NOT NULL,
            intercept_reason TEXT,
            serial TEXT UNIQUE,
            serial_day BIGINT,
            serial_seq BIGINT,
            type TEXT,
            created BIGINT NOT NULL,
            pay_time BIGINT,
            modified BIGINT NOT NULL,
            consign_time BIGINT,
            end_time BIGINT,
            payment BIGINT NOT NULL,
            total_fee BIGINT NOT NULL,
            post_fee BIGINT NOT NULL,
            discount_fee BIGINT NOT NULL,
            buyer_nick TEXT NOT NULL,
            buyer_message TEXT,
            buyer_memo TEXT,
            seller_memo TEXT,
            seller_flag BIGINT NOT NULL,
            receiver_name TEXT NOT NULL,
            receiver_mobile TEXT,
            receiver_phone TEXT,
            province TEXT NOT NULL,
            city TEXT NOT NULL,
            district TEXT NOT NULL,
            town TEXT,
            address_detail TEXT NOT NULL,
            zip TEXT,
            shipping_type TEXT,
            content_digest BIGINT NOT NULL,
            arrived_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL))",
        "CREATE INDEX trades_fstate_modified ON trades (fstate, modified, tid)",
        R"(CREATE TABLE trade_lines (
            oid BIGINT PRIMARY KEY,
            tid BIGINT NOT NULL REFERENCES trades (tid),
            num_iid BIGINT NOT NULL,
            sku_id BIGINT NOT NULL,
            outer_iid TEXT,
            outer_sku_id TEXT,
            title TEXT NOT NULL,
            sku_properties TEXT,
            price BIGINT NOT NULL,
            num BIGINT NOT NULL,
            payment BIGINT NOT NULL,
            status TEXT,
            refund_status TEXT))",
        "CREATE INDEX trade_lines_tid ON trade_lines (tid)",
        R"(CREATE TABLE order_events (
            id {id},
            tid BIGINT NOT NULL,
            at BIGINT NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL))",
        "CREATE INDEX order_events_tid ON order_events (tid)",
        R"(CREATE TABLE quarantine (
            id {id},
            shop TEXT NOT NULL,
            source TEXT NOT NULL,
            tid BIGINT,
            field TEXT NOT NULL,
            reason TEXT NOT NULL,
            payload TEXT NOT NULL,
            fingerprint TEXT NOT NULL UNIQUE,
            at BIGINT NOT NULL))",
        R"(CREATE TABLE sync_state (
            shop TEXT PRIMARY KEY,
            window_end BIGINT,
            last_run_at BIGINT,
            last_ok_at BIGINT,
            last_error TEXT,
            last_error_kind TEXT,
            alert TEXT,
            trades_stored BIGINT NOT NULL DEFAULT 0))",
        "CREATE TABLE serial_counters (day BIGINT PRIMARY KEY, next_seq BIGINT NOT NULL)",
        R"(CREATE TABLE csv_imports (
            sha256 TEXT PRIMARY KEY,
            shop TEXT NOT NULL,
            file_name TEXT NOT NULL,
            rows_total BIGINT NOT NULL,
            rows_bad BIGINT NOT NULL,
            imported_at BIGINT NOT NULL))",
        R"(CREATE TABLE leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at BIGINT NOT NULL))"}},
      {2,
       "trade signals: entered and intercepted trades handed to review",
       {R"(CREATE TABLE trade_signals (
            id {id},
            tid BIGINT NOT NULL,
            kind TEXT NOT NULL,
            at BIGINT NOT NULL))",
        "CREATE TABLE module_migrations (module TEXT NOT NULL, version BIGINT NOT NULL, "
        "description TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (module, version))"}},
      {3,
       "cluster members: the daemons sharing this store and when each last beat",
       {R"(CREATE TABLE cluster_members (
            instance TEXT PRIMARY KEY,
            token TEXT NOT NULL,
            host TEXT NOT NULL,
            pid BIGINT NOT NULL,
            started_at BIGINT NOT NULL,
            seen_at BIGINT NOT NULL))"}},
  };
  return k_all;
}

std::string expand(std::string sql, Dialect d) {
  const std::string id = d == Dialect::sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY";
  for (auto pos = sql.find("{id}"); pos != std::string::npos; pos = sql.find("{id}"))
    sql.replace(pos, 4, id);
  return sql;
}

}  // namespace

int latest_schema_version() {
  return migrations().back().version;
}

Result<int> current_schema_version(Connection& c) {
  return guarded([&]() -> Result<int> {
    c.sql() << "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
               "description TEXT NOT NULL, applied_at BIGINT NOT NULL)";
    long long v = 0;
    soci::indicator ind;
    c.sql() << "SELECT MAX(version) FROM schema_migrations", soci::into(v, ind);
    return ind == soci::i_ok ? static_cast<int>(v) : 0;
  });
}

namespace {

// Applies `list` where `recorded` (a query for the highest applied version) is behind.
Result<void> apply(Connection& c, std::string_view module, const std::vector<Migration>& list) {
  const bool own = module.empty();
  const std::string name(own ? "store" : module);
  const std::string max_sql =
      own ? "SELECT MAX(version) FROM schema_migrations"
          : "SELECT MAX(version) FROM module_migrations WHERE module = '" + name + "'";
  for (const auto& m : list) {
    auto applied = in_transaction(c, [&]() -> Result<bool> {
      if (c.dialect() == Dialect::postgresql)
        c.sql() << "SELECT pg_advisory_xact_lock(7240001)";  // one migrator at a time
      long long v = 0;
      soci::indicator ind;
      c.sql() << max_sql, soci::into(v, ind);
      const int have = ind == soci::i_ok ? static_cast<int>(v) : 0;
      if (have > list.back().version)
        return fail(ErrorKind::storage, "store schema of " + name + " is at version " +
                                            std::to_string(have) + ", newer than this build (" +
                                            std::to_string(list.back().version) +
                                            "): run the newer fulfild");
      if (have >= m.version) return false;  // another daemon did it
      for (const char* s : m.statements) c.sql() << expand(s, c.dialect());
      long long version = m.version;
      std::string description = m.description;
      long long now = SystemClock().now();
      if (own)
        c.sql() << "INSERT INTO schema_migrations (version, description, applied_at) "
                   "VALUES (:v, :d, :a)",
            soci::use(version), soci::use(description), soci::use(now);
      else
        c.sql() << "INSERT INTO module_migrations (module, version, description, applied_at) "
                   "VALUES (:m, :v, :d, :a)",
            soci::use(name), soci::use(version), soci::use(description), soci::use(now);
      return true;
    });
    if (!applied)
      return std::unexpected(
          with_context(applied.error(), name + " migration " + std::to_string(m.version)));
  }
  return {};
}

}  // namespace

Result<int> migrate(Connection& c, std::span<const MigrationSet> modules) {
  auto have = current_schema_version(c);
  if (!have) return have;
  if (*have > latest_schema_version())
    return fail(ErrorKind::storage, "store schema version " + std::to_string(*have) +
                                        " is newer than this build knows (" +
                                        std::to_string(latest_schema_version()) + ")");
  if (auto r = apply(c, "", migrations()); !r) return std::unexpected(r.error());
  for (const auto& set : modules)
    if (auto r = apply(c, set.module, *set.migrations); !r) return std::unexpected(r.error());
  return latest_schema_version();
}

}  // namespace fulfil::store
