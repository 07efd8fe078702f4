// sync_bench: syncs N trades (1.5 lines each on average) from top-sim, a separate process,
// over loopback HTTP into SQLite with fulfild's own sync, then inserts the very same rows
// with the bare sqlite3 C API in 10,000-row transactions: the raw limit. Prints trades/s
// for both, their ratio and the sync's peak RSS.
//   sync_bench [--trades N] [--keep DIR] [--pg postgresql://user@host:port]
// With --pg the same trades are synced into PostgreSQL too (a fresh database), and the raw
// limit there is libpq COPY of the very same rows into the same schema (another fresh
// database), in one transaction per table.
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "common/allocator.hpp"
#include "common/cancellation.hpp"
#include "common/log.hpp"
#include "modules.hpp"
#include "outbound/curl_multi_client.hpp"
#include "platform/shop_sync_job.hpp"
#include "process.hpp"
#include "raw_sqlite.hpp"
#include "store/migrations.hpp"
#include "test_support.hpp"

using namespace fulfil;
using Clock_ = std::chrono::steady_clock;

namespace {

// Times the HTTP round trips, to tell waiting on the platform from our own work.
class TimedHttp : public outbound::HttpClient {
 public:
  explicit TimedHttp(outbound::HttpClient& inner) : m_inner(inner) {}
  void start(outbound::HttpRequest request, outbound::HttpCallback done) override {
    auto t0 = Clock_::now();
    auto r = m_inner.post(std::move(request));
    seconds += std::chrono::duration<double>(Clock_::now() - t0).count();
    if (r) bytes += r->body.size();
    done(std::move(r));
  }
  double seconds = 0;
  std::size_t bytes = 0;

 private:
  outbound::HttpClient& m_inner;
};

// A fresh, migrated PostgreSQL database `name` on the server at `base`.
std::unique_ptr<store::Connection> fresh_pg(const std::string& base, const std::string& name) {
  auto admin = store::Connection::open(*store::StoreUrl::parse(base + "/postgres"),
                                       store::Durability::relaxed);
  if (!admin) return nullptr;
  (*admin)->sql() << "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)";
  (*admin)->sql() << "CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0";
  auto conn = store::Connection::open(*store::StoreUrl::parse(base + "/" + name),
                                      store::Durability::relaxed);
  if (!conn || !daemon::migrate_all(**conn)) return nullptr;
  return std::move(*conn);
}

void pg_exec(PGconn* pg, const std::string& sql) {
  PGresult* r = PQexec(pg, sql.c_str());
  if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
    std::fprintf(stderr, "%s: %s\n", sql.c_str(), PQresultErrorMessage(r));
    std::exit(1);
  }
  PQclear(r);
}

// A table's rows in COPY text format, read back out of the synced database.
std::string copy_out(PGconn* pg, const std::string& table) {
  PQclear(PQexec(pg, ("COPY " + table + " TO STDOUT").c_str()));  // PGRES_COPY_OUT
  std::string out;
  char* buf = nullptr;
  int n;
  while ((n = PQgetCopyData(pg, &buf, 0)) > 0) {
    out.append(buf, n);
    PQfreemem(buf);
  }
  PQclear(PQgetResult(pg));
  return out;
}

// The raw limit: COPY of those bytes into the same tables, one transaction per table.
double copy_in(PGconn* pg, const std::vector<std::pair<std::string, std::string>>& tables) {
  const auto start = Clock_::now();
  for (const auto& [table, data] : tables) {
    pg_exec(pg, "BEGIN");
    PGresult* r = PQexec(pg, ("COPY " + table + " FROM STDIN").c_str());
    PQclear(r);
    for (std::size_t at = 0; at < data.size(); at += 1 << 18) {
      const std::size_t len = std::min<std::size_t>(1 << 18, data.size() - at);
      PQputCopyData(pg, data.data() + at, static_cast<int>(len));
    }
    PQputCopyEnd(pg, nullptr);
    while ((r = PQgetResult(pg)) != nullptr) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        std::fprintf(stderr, "copy %s: %s\n", table.c_str(), PQresultErrorMessage(r));
        std::exit(1);
      }
      PQclear(r);
    }
    pg_exec(pg, "COMMIT");
  }
  return std::chrono::duration<double>(Clock_::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  long long trades = 1'000'000;
  std::string keep, pg_base;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--trades")
      trades = std::stoll(argv[i + 1]);
    else if (k == "--keep")
      keep = argv[i + 1];
    else if (k == "--pg")
      pg_base = argv[i + 1];
  }
  tune_allocator();  // as fulfild's main does
  log::configure("warn");
  test::TempDir dir;
  const std::filesystem::path work = keep.empty() ? dir.path() : std::filesystem::path(keep);
  std::filesystem::create_directories(work);
  std::printf("generating %lld trades in top-sim...\n", trades);
  std::fflush(stdout);
  auto sim = test::start_top_sim(
      {"--trades", std::to_string(trades), "--hours", "24", "--seed", "3"}, work);

  const std::string db_path = (work / "sync.db").string();
  std::filesystem::remove(db_path);
  auto conn = store::Connection::open(*store::StoreUrl::parse("sqlite:" + db_path),
                                      store::Durability::relaxed);
  if (!conn || !daemon::migrate_all(**conn)) {
    std::fprintf(stderr, "cannot open the store\n");
    return 1;
  }
  platform::ShopSyncSettings s;
  s.shop = "bench";
  s.top = {"http://127.0.0.1:" + std::to_string(sim.port) + "/router/rest", "12345678",
           "sim-secret", "sim-session", platform::SignMethod::hmac_sha256};
  s.sync.settle_seconds = 0;
  s.sync.initial_lookback_seconds = 25 * 3600;
  outbound::OwnedHttpClient curl(s.http);
  TimedHttp http(curl);
  SystemClock clock;
  Cancellation cancel;
  const long rss_before = test::peak_rss_mb();
  auto start = Clock_::now();
  auto r = platform::run_shop_sync(s, http, **conn, clock, "bench", cancel);
  const double sync_secs = std::chrono::duration<double>(Clock_::now() - start).count();
  const long rss = test::peak_rss_mb();
  if (!r) {
    std::fprintf(stderr, "sync failed: %s\n", r.error().message.c_str());
    return 1;
  }
  const auto stored = r->report.totals.stored.inserted;
  if (stored != trades) {
    std::fprintf(stderr, "stored %d of %lld trades\n", stored, trades);
    return 1;
  }
  conn->reset();

  const auto raw = bench::raw_insert_as_synced(db_path, (work / "raw.db").string(),
                                               static_cast<std::size_t>(trades));
  const double raw_secs = raw.seconds;

  const double sync_rate = trades / sync_secs, raw_rate = trades / raw_secs;
  std::printf("trades                %lld (%.2f lines each), %d pages, %d windows\n", trades,
              raw.lines_per_trade, r->report.totals.pages, r->report.windows);
  std::printf("fulfild sync          %.1f s  %.0f trades/s\n", sync_secs, sync_rate);
  std::printf("  of which HTTP       %.1f s waiting for %.0f MB of answers\n", http.seconds,
              http.bytes / 1e6);
  std::printf(
      "raw sqlite3 C API     %.1f s  %.0f trades/s (same rows, 10,000-trade transactions)\n",
      raw_secs, raw_rate);
  std::printf("ratio                 %.2f of the raw limit\n", sync_rate / raw_rate);
  std::printf("peak RSS of the sync  %ld MB (%ld MB before it)\n", rss, rss_before);
  if (!pg_base.empty()) {
    auto pg = fresh_pg(pg_base, "fulfil_bench_sync");
    auto raw_pg = fresh_pg(pg_base, "fulfil_bench_raw");
    if (!pg || !raw_pg) {
      std::fprintf(stderr, "cannot make the PostgreSQL databases at %s\n", pg_base.c_str());
      return 1;
    }
    s.shop = "bench-pg";  // a shop of its own: its sync starts from the beginning
    const auto pg_start = Clock_::now();
    auto pr = platform::run_shop_sync(s, http, *pg, clock, "bench", cancel);
    const double pg_secs = std::chrono::duration<double>(Clock_::now() - pg_start).count();
    if (!pr || pr->report.totals.stored.inserted != trades) {
      std::fprintf(stderr, "PostgreSQL sync failed: %s\n",
                   pr ? "not every trade stored" : pr.error().message.c_str());
      return 1;
    }
    auto* native = static_cast<PGconn*>(pg->native_handle());
    std::vector<std::pair<std::string, std::string>> rows;
    for (const char* t : {"trades", "trade_lines", "order_events"})
      rows.emplace_back(t, copy_out(native, t));
    const double copy_secs = copy_in(static_cast<PGconn*>(raw_pg->native_handle()), rows);
    const double pg_rate = trades / pg_secs, copy_rate = trades / copy_secs;
    std::printf("fulfild sync into PostgreSQL  %.1f s  %.0f trades/s\n", pg_secs, pg_rate);
    std::printf("raw libpq COPY               %.1f s  %.0f trades/s (same rows, same schema)\n",
                copy_secs, copy_rate);
    std::printf("ratio                        %.2f of COPY (SQLite above: %.0f trades/s)\n",
                pg_rate / copy_rate, sync_rate);
  }
  sim.process->signal(SIGTERM);
  sim.process->wait(std::chrono::seconds(30));
  return 0;
}
