// review_bench: the review issue's figures, each beside its raw limit measured in the
// same run.
//   1. Auto-approve N ready trades on SQLite (intake: checks, merge, slice, events; then
//      approval: stock reservation, trade mirror, events) against the sqlite3 C API making
//      the same row writes in 10,000-row transactions.
//   2. Claim latency: the next 100 of a slice with N parcels queued, p50/p99 over 1,000.
//   3. Claims on PostgreSQL (FULFIL_TEST_PG_URL or --pg URL), 2 workers x batches of 100,
//      against a raw UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT 100)
//      loop on the same table.
//   review_bench [--parcels N] [--pg-parcels M] [--pg URL]
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "common/log.hpp"
#include "courier/number_pool.hpp"
#include "courier/waybill_service.hpp"
#include "modules.hpp"
#include "review/review_service.hpp"
#include "review/stock.hpp"
#include "review_fixture.hpp"
#include "store/row_reader.hpp"
#include "test_support.hpp"

using namespace fulfil;
using Steady = std::chrono::steady_clock;

namespace {

double seconds_since(Steady::time_point t) {
  return std::chrono::duration<double>(Steady::now() - t).count();
}

std::unique_ptr<store::Connection> open(const std::string& url) {
  auto c = store::Connection::open(*store::StoreUrl::parse(url), store::Durability::strict);
  if (!c || !daemon::migrate_all(**c)) {
    std::fprintf(stderr, "cannot open %s\n", url.c_str());
    std::exit(1);
  }
  return std::move(*c);
}

// N trades as a peak day brings them: 30% to key cities, every 40th a second order of the
// previous buyer (merged), 500 SKUs with stock enough for all.
std::vector<orders::Trade> peak_trades(long n, UnixSeconds t0) {
  static const char* k_cities[] = {"上海",   "北京",   "深圳市", "东莞市", "佛山市",
                                   "珠海市", "汕头市", "惠州市", "中山市", "江门市"};
  std::vector<orders::Trade> out;
  out.reserve(n);
  for (long i = 0; i < n; ++i) {
    const long buyer = i % 40 == 39 ? i - 1 : i;
    out.push_back(test::paid_trade(4000000000000000000 + i * 10, t0 + i / 20,
                                   "买家" + std::to_string(buyer), k_cities[buyer % 10],
                                   "SKU-" + std::to_string(i % 500), 1 + static_cast<int>(i % 3)));
  }
  return out;
}

std::string stock_csv() {
  std::string csv = "sku,on_hand\n";
  for (int i = 0; i < 500; ++i) csv += "SKU-" + std::to_string(i) + ",90000000\n";
  return csv;
}

// The same row writes as intake + approval, through the bare sqlite3 C API.
double raw_sqlite(const std::string& path, long n, UnixSeconds now) {
  sqlite3* db;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
  auto prep = [&](const char* sql) {
    sqlite3_stmt* s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "raw: %s\n", sqlite3_errmsg(db));
      std::exit(1);
    }
    return s;
  };
  sqlite3_stmt* read = prep(
      "SELECT t.tid, t.pay_time, t.created, t.buyer_nick, t.city, t.serial_day, t.serial_seq, "
      "l.outer_sku_id, l.num FROM trade_signals s JOIN trades t ON t.tid = s.tid JOIN "
      "trade_lines l ON l.tid = t.tid ORDER BY s.id");
  sqlite3_stmt* ins_parcel = prep(
      "INSERT INTO parcels (id, shop, state, version, slice, key_rank, pay_time, created, "
      "serial_day, serial_seq, buyer_nick, merge_key, city, waived, created_at, updated_at) "
      "VALUES (?, 'demo', 'ready', 1, 'all', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)");
  sqlite3_stmt* ins_pt = prep(
      "INSERT INTO parcel_trades (tid, parcel_id, origin_parcel, items_key, created) VALUES "
      "(?, ?, ?, ?, ?)");
  sqlite3_stmt* ins_event = prep(
      "INSERT INTO parcel_events (parcel_id, at, actor, kind, from_state, to_state, version, "
      "detail) VALUES (?, ?, 'auto', ?, ?, ?, ?, '')");
  sqlite3_stmt* upd_parcel = prep(
      "UPDATE parcels SET state = 'approved', version = 2, reviewer = 'auto', updated_at = ? "
      "WHERE id = ?");
  sqlite3_stmt* upd_trade = prep("UPDATE trades SET fstate = 'approved' WHERE tid = ?");
  sqlite3_stmt* ins_res =
      prep("INSERT INTO stock_reservations (parcel_id, sku, qty, pay_time) VALUES (?, ?, ?, ?)");
  sqlite3_stmt* upd_stock = prep("UPDATE stock SET reserved = reserved + ? WHERE sku = ?");
  auto step = [&](sqlite3_stmt* s) {
    if (sqlite3_step(s) != SQLITE_DONE) {
      std::fprintf(stderr, "raw: %s\n", sqlite3_errmsg(db));
      std::exit(1);
    }
    sqlite3_reset(s);
  };
  auto start = Steady::now();
  sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  long done = 0;
  while (sqlite3_step(read) == SQLITE_ROW) {
    const sqlite3_int64 tid = sqlite3_column_int64(read, 0), id = done + 1;
    const auto text = [&](int c) {
      return reinterpret_cast<const char*>(sqlite3_column_text(read, c));
    };
    sqlite3_bind_int64(ins_parcel, 1, id);
    sqlite3_bind_int(ins_parcel, 2, 1);
    sqlite3_bind_int64(ins_parcel, 3, sqlite3_column_int64(read, 1));
    sqlite3_bind_int64(ins_parcel, 4, sqlite3_column_int64(read, 2));
    sqlite3_bind_int64(ins_parcel, 5, sqlite3_column_int64(read, 5));
    sqlite3_bind_int64(ins_parcel, 6, sqlite3_column_int64(read, 6));
    sqlite3_bind_text(ins_parcel, 7, text(3), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins_parcel, 8, text(3), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins_parcel, 9, text(4), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins_parcel, 10, now);
    sqlite3_bind_int64(ins_parcel, 11, now);
    step(ins_parcel);
    sqlite3_bind_int64(ins_pt, 1, tid);
    sqlite3_bind_int64(ins_pt, 2, id);
    sqlite3_bind_int64(ins_pt, 3, id);
    sqlite3_bind_text(ins_pt, 4, text(7), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins_pt, 5, sqlite3_column_int64(read, 2));
    step(ins_pt);
    for (auto [kind, from, to, version] :
         {std::tuple{"created", "", "ready", 1}, std::tuple{"approved", "ready", "approved", 2}}) {
      sqlite3_bind_int64(ins_event, 1, id);
      sqlite3_bind_int64(ins_event, 2, now);
      sqlite3_bind_text(ins_event, 3, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text(ins_event, 4, from, -1, SQLITE_STATIC);
      sqlite3_bind_text(ins_event, 5, to, -1, SQLITE_STATIC);
      sqlite3_bind_int(ins_event, 6, version);
      step(ins_event);
    }
    sqlite3_bind_int64(upd_parcel, 1, now);
    sqlite3_bind_int64(upd_parcel, 2, id);
    step(upd_parcel);
    sqlite3_bind_int64(upd_trade, 1, tid);
    step(upd_trade);
    sqlite3_bind_int64(ins_res, 1, id);
    sqlite3_bind_text(ins_res, 2, text(7), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins_res, 3, sqlite3_column_int64(read, 8));
    sqlite3_bind_int64(ins_res, 4, sqlite3_column_int64(read, 1));
    step(ins_res);
    sqlite3_bind_int64(upd_stock, 1, sqlite3_column_int64(read, 8));
    sqlite3_bind_text(upd_stock, 2, text(7), -1, SQLITE_TRANSIENT);
    step(upd_stock);
    if (++done % 10000 == 0) {
      sqlite3_exec(db, "COMMIT; BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    }
  }
  sqlite3_reset(read);
  sqlite3_exec(db, "DELETE FROM trade_signals; COMMIT", nullptr, nullptr, nullptr);
  const double secs = seconds_since(start);
  for (auto* s : {read, ins_parcel, ins_pt, ins_event, upd_parcel, upd_trade, ins_res, upd_stock})
    sqlite3_finalize(s);
  sqlite3_close(db);
  if (done != n) std::fprintf(stderr, "raw: wrote %ld of %ld\n", done, n);
  return secs;
}

void sqlite_figures(long n) {
  test::TempDir dir;
  const UnixSeconds t0 = 1794326400;
  ManualClock clock(t0 + 86400);
  auto settings = test::pool_settings({"alice"});
  settings.auto_approve = true;
  const std::string ours = "sqlite:" + (dir.path() / "review.db").string();
  const std::string raw = (dir.path() / "raw.db").string();
  {
    auto trades = peak_trades(n, t0);
    auto start = Steady::now();
    for (const auto& url : {ours, "sqlite:" + raw}) {
      auto conn = open(url);
      test::store_trades(*conn, clock, trades);
      (void)review::StockRepository(*conn).load_csv(stock_csv(), "stock.csv", "bench", t0);
    }
    std::printf("setup: %ld trades stored twice in %.1f s\n", n, seconds_since(start));
  }
  auto conn = open(ours);
  review::ReviewService service(*conn, clock, settings);
  auto start = Steady::now();
  auto in = service.intake();
  const double intake_secs = seconds_since(start);
  if (!in) {
    std::fprintf(stderr, "intake: %s\n", in.error().message.c_str());
    std::exit(1);
  }

  // Claim latency with the whole queue waiting, on a relaxed connection as the API claims.
  auto claim_conn =
      store::Connection::open(*store::StoreUrl::parse(ours), store::Durability::relaxed);
  (*claim_conn)->defer_checkpoints();  // as the daemon's connections: a job checkpoints
  review::ReviewService claimer(**claim_conn, clock, settings);
  std::atomic<bool> claiming{true};
  std::thread checkpointer([&] {
    auto c = open(ours);
    while (claiming) {
      c->checkpoint();
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
  std::vector<double> ms;
  const int claims = static_cast<int>(std::min<long>(1000, in->parcels / 100));
  for (int i = 0; i < claims; ++i) {
    auto t = Steady::now();
    auto got = claimer.claim("alice", 100);
    ms.push_back(seconds_since(t) * 1000);
    if (!got || got->size() != 100) std::fprintf(stderr, "claim %d came short\n", i);
  }
  claiming = false;
  checkpointer.join();
  std::sort(ms.begin(), ms.end());
  clock.advance(settings.lease_seconds + 1);
  (void)service.expire_claims();  // back to the queue for the approval run

  start = Steady::now();
  auto approved = service.auto_approve();
  const double approve_secs = seconds_since(start);
  if (!approved) {
    std::fprintf(stderr, "auto-approve: %s\n", approved.error().message.c_str());
    std::exit(1);
  }
  // Couriers: every approved parcel gets a pool waybill (allocation by share, numbers
  // handed out once, parcel -> waybill, the day's counts, confirmations queued).
  courier::CourierSettings couriers;
  couriers.couriers = {{"ZTO", "中通", courier::Source::pool, 60, 0, {}, {}, 450, 0},
                       {"YTO", "圆通", courier::Source::pool, 40, 0, {"新疆"}, {}, 420, 0}};
  couriers.batch = 2000;
  {
    // Enough numbers for every parcel on either courier: "P00000001-P0nnnnnnn".
    auto range = [&](const std::string& prefix) {
      auto number = [&](long v) {
        std::string d = std::to_string(v);
        return prefix + std::string(12 - d.size(), '0') + d;
      };
      return number(1) + "-" + number(n);
    };
    courier::NumberPool pool(*conn);
    (void)pool.import_range("ZTO", range("7510"), t0);
    (void)pool.import_range("YTO", range("YT"), t0);
  }
  start = Steady::now();
  auto issued = courier::WaybillService(*conn, clock, couriers).issue();
  const double waybill_secs = seconds_since(start);
  if (!issued) {
    std::fprintf(stderr, "waybills: %s\n", issued.error().message.c_str());
    std::exit(1);
  }
  std::printf(
      "waybills from the number pool: %d parcels in %.1f s = %.0f parcels/s (%d parked, "
      "%d waiting)\n",
      issued->issued, waybill_secs, issued->issued / waybill_secs, issued->parked, issued->waiting);
  const double ours_secs = intake_secs + approve_secs;
  const double raw_secs = raw_sqlite(raw, n, clock.now());
  const long parcels = in->parcels;
  std::printf("review on SQLite, %ld trades -> %ld parcels (%d merged), %d approved, %d parked\n",
              n, parcels, in->merged, approved->approved, approved->parked);
  std::printf("  intake                %.1f s  %.0f trades/s\n", intake_secs, n / intake_secs);
  std::printf("  auto-approve          %.1f s  %.0f parcels/s\n", approve_secs,
              approved->approved / approve_secs);
  std::printf("  fulfild, both         %.1f s  %.0f trades/s\n", ours_secs, n / ours_secs);
  std::printf("  raw sqlite3 C API     %.1f s  %.0f trades/s (same row writes)\n", raw_secs,
              n / raw_secs);
  std::printf("  ratio                 %.2f of the raw limit\n", raw_secs / ours_secs);
  if (!ms.empty())
    std::printf("claim next 100 of %ld queued: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d claims)\n",
                parcels, ms[ms.size() / 2], ms[ms.size() * 99 / 100], ms.back(), claims);
}

// Ready parcels made straight in SQL: the claim benchmark needs only the queue.
void fill_pg_queue(PGconn* pg, long m) {
  PQclear(PQexec(pg, "TRUNCATE parcels, parcel_events"));
  const std::string sql =
      "INSERT INTO parcels (id, shop, state, version, slice, "
      "key_rank, pay_time, created, serial_day, serial_seq, buyer_nick, merge_key, city, waived, "
      "created_at, updated_at) SELECT g, 'demo', 'ready', 1, 'all', g % 3, 1794326400 + g, "
      "1794326400 + g, 261111, g, 'b' || g, 'k' || g, '上海市', 0, 0, 0 FROM generate_series(1, " +
      std::to_string(m) + ") g";
  PGresult* r = PQexec(pg, sql.c_str());
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    std::fprintf(stderr, "fill: %s\n", PQresultErrorMessage(r));
    std::exit(1);
  }
  PQclear(r);
  PQclear(PQexec(pg, "VACUUM ANALYZE parcels"));
}

double run_two(const std::function<long()>& worker, long& total) {
  std::atomic<long> sum{0};
  auto start = Steady::now();
  std::thread a([&] { sum += worker(); }), b([&] { sum += worker(); });
  a.join();
  b.join();
  total = sum;
  return seconds_since(start);
}

void pg_figures(const std::string& base, long m) {
  const std::string db = "fulfil_bench_" + std::to_string(::getpid());
  PGconn* admin = PQconnectdb((base + "/postgres").c_str());
  PQclear(PQexec(admin, ("CREATE DATABASE " + db).c_str()));
  const std::string url = base + "/" + db;
  (void)open(url);
  PGconn* pg = PQconnectdb(url.c_str());
  SystemClock clock;
  auto settings = test::pool_settings({"w0", "w1"});

  fill_pg_queue(pg, m);
  long raw_rows = 0;
  const double raw_secs = run_two(
      [&] {
        PGconn* c = PQconnectdb(url.c_str());
        long rows = 0;
        for (;;) {
          PGresult* r = PQexec(c,
                               "UPDATE parcels SET state = 'in_review', claim_holder = 'raw' "
                               "WHERE id IN (SELECT id FROM parcels WHERE state = 'ready' AND "
                               "slice = 'all' ORDER BY key_rank, pay_time, id LIMIT 100 FOR "
                               "UPDATE SKIP LOCKED)");
          const long n = std::atol(PQcmdTuples(r));
          PQclear(r);
          rows += n;
          if (n == 0) break;
        }
        PQfinish(c);
        return rows;
      },
      raw_rows);

  fill_pg_queue(pg, m);
  std::atomic<int> next_worker{0};
  long ours_rows = 0;
  const double ours_secs = run_two(
      [&] {
        auto conn = open(url);
        review::ReviewService s(*conn, clock, settings);
        const std::string me = "w" + std::to_string(next_worker++);
        long rows = 0;
        for (;;) {
          auto got = s.claim(me, 100);
          if (!got || got->empty()) break;
          rows += static_cast<long>(got->size());
        }
        return rows;
      },
      ours_rows);
  PQfinish(pg);
  PQclear(PQexec(admin, ("DROP DATABASE " + db + " WITH (FORCE)").c_str()));
  PQfinish(admin);
  std::printf("claims on PostgreSQL, 2 workers x 100, %ld parcels\n", m);
  std::printf("  raw UPDATE..SKIP LOCKED loop  %.2f s  %.0f parcels/s (%ld)\n", raw_secs,
              raw_rows / raw_secs, raw_rows);
  std::printf("  fulfild claim (with events)   %.2f s  %.0f parcels/s (%ld)\n", ours_secs,
              ours_rows / ours_secs, ours_rows);
  std::printf("  ratio                         %.2f of the raw loop\n",
              (ours_rows / ours_secs) / (raw_rows / raw_secs));
}

}  // namespace

int main(int argc, char** argv) {
  long n = 1000000, m = 200000;
  std::string pg = std::getenv("FULFIL_TEST_PG_URL") ? std::getenv("FULFIL_TEST_PG_URL") : "";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--parcels") n = std::atol(argv[i + 1]);
    if (k == "--pg-parcels") m = std::atol(argv[i + 1]);
    if (k == "--pg") pg = argv[i + 1];
  }
  log::configure("warn");
  sqlite_figures(n);
  if (!pg.empty())
    pg_figures(pg, m);
  else
    std::printf("claims on PostgreSQL: skipped (no FULFIL_TEST_PG_URL)\n");
  return 0;
}
