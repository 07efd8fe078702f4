// picking_bench: making waves (配货) out of a peak day's approved parcels on SQLite, beside
// its raw limit measured in the same run.
//   1. Waves of 30 until no approved parcel is left: waves/s and parcels/s, p50/p99 of one
//      wave's making (choose, slot, insert, and read back its pick list in walk order).
//   2. The raw limit: the same choice and row inserts per wave through the bare sqlite3 C
//      API on a copy of the same store, without reading the pick list back.
//   3. Opening a wave's pick list (a tablet's refresh): p50/p99.
//   picking_bench [--parcels N] [--wave W]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "modules.hpp"
#include "picking/wave_service.hpp"
#include "review/review_service.hpp"
#include "review/stock.hpp"
#include "review_fixture.hpp"
#include "test_support.hpp"

using namespace fulfil;
using Steady = std::chrono::steady_clock;

namespace {

double ms_since(Steady::time_point t) {
  return std::chrono::duration<double, std::milli>(Steady::now() - t).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// 500 SKUs over aisles A-H, bins 1-40; the 20 best sellers in the promo zone.
std::string stock_csv() {
  std::string csv = "sku,on_hand,location\n";
  for (int i = 0; i < 500; ++i) {
    const std::string where = i < 20 ? "P-" + std::to_string(i + 1)
                                     : std::string(1, static_cast<char>('A' + i % 8)) + "-" +
                                           std::to_string(i / 8 % 40 + 1) + "-" +
                                           std::to_string(i % 3 + 1);
    csv += "SKU-" + std::to_string(i) + ",90000000," + where + "\n";
  }
  return csv;
}

// The bare sqlite3 loop: per wave, the same choice and the same inserts in one transaction.
double raw_waves(const std::string& path, int wave, long& parcels) {
  sqlite3* db;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
  auto prep = [&](const std::string& sql) {
    sqlite3_stmt* s;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "raw: %s\n", sqlite3_errmsg(db));
      std::exit(1);
    }
    return s;
  };
  sqlite3_stmt* choose = prep(
      "SELECT id FROM parcels WHERE state IN ('approved', 'waybill', 'printed') AND NOT EXISTS "
      "(SELECT 1 FROM pick_wave_parcels w WHERE w.parcel_id = parcels.id) ORDER BY key_rank, "
      "pay_time, id LIMIT " +
      std::to_string(wave));
  sqlite3_stmt* head = prep(
      "INSERT INTO pick_waves (state, created_by, created_at) VALUES ('picking', 'raw', 0) "
      "RETURNING id");
  sqlite3_stmt* member =
      prep("INSERT INTO pick_wave_parcels (parcel_id, wave_id, slot) VALUES (?, ?, ?)");
  auto start = Steady::now();
  for (;;) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    std::vector<sqlite3_int64> ids;
    while (sqlite3_step(choose) == SQLITE_ROW) ids.push_back(sqlite3_column_int64(choose, 0));
    sqlite3_reset(choose);
    if (ids.empty()) {
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
      break;
    }
    sqlite3_step(head);
    const sqlite3_int64 id = sqlite3_column_int64(head, 0);
    sqlite3_reset(head);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      sqlite3_bind_int64(member, 1, ids[i]);
      sqlite3_bind_int64(member, 2, id);
      sqlite3_bind_int64(member, 3, static_cast<sqlite3_int64>(i + 1));
      sqlite3_step(member);
      sqlite3_reset(member);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    parcels += static_cast<long>(ids.size());
  }
  const double ms = ms_since(start);
  sqlite3_finalize(choose);
  sqlite3_finalize(head);
  sqlite3_finalize(member);
  sqlite3_close(db);
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  long n = 20000;
  int wave = 30;
  // A whole number in [1, max], or the run stops saying which option was wrong.
  const auto number = test::option_number;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--parcels") n = static_cast<long>(number("--parcels", argv[i + 1], 10'000'000));
    if (a == "--wave")
      wave = static_cast<int>(number("--wave", argv[i + 1], picking::k_max_wave_size));
  }
  test::TempDir dir;
  const std::string path = (dir / "store.db").string();
  ManualClock clock{1'800'000'000};
  {
    auto c = store::Connection::open(*store::StoreUrl::parse("sqlite:" + path),
                                     store::Durability::strict);
    if (!c || !daemon::migrate_all(**c)) return std::fprintf(stderr, "cannot open the store\n"), 1;
    auto& conn = **c;
    if (!review::StockRepository(conn).load_csv(stock_csv(), "stock.csv", "bench", clock.now()))
      return 1;
    std::vector<orders::Trade> trades;
    for (long i = 0; i < n; ++i)
      trades.push_back(test::paid_trade(4100000000000000000 + i * 10, clock.now() - n + i,
                                        "买家" + std::to_string(i), i % 3 ? "成都" : "上海",
                                        "SKU-" + std::to_string(i * 7 % 500), 1 + i % 3));
    test::store_trades(conn, clock, trades);
    const auto settings = test::quiet_settings();
    review::ReviewService review(conn, clock, settings);
    if (!review.intake() || !review.auto_approve())
      return std::fprintf(stderr, "review failed\n"), 1;
    conn.sql() << "PRAGMA wal_checkpoint(TRUNCATE)";
  }
  const std::string raw_path = (dir / "raw.db").string();
  std::filesystem::copy_file(path, raw_path);

  auto c =
      store::Connection::open(*store::StoreUrl::parse("sqlite:" + path), store::Durability::strict);
  picking::WaveService waves(**c, clock, {"P-", wave});
  std::vector<double> make_ms;
  std::vector<std::int64_t> ids;
  long parcels = 0;
  auto start = Steady::now();
  for (;;) {
    auto t = Steady::now();
    auto w = waves.create(wave, "bench");
    if (!w) break;
    make_ms.push_back(ms_since(t));
    ids.push_back(w->id);
    parcels += static_cast<long>(w->parcels.size());
  }
  const double total_ms = ms_since(start);
  long raw_parcels = 0;
  const double raw_ms = raw_waves(raw_path, wave, raw_parcels);

  std::vector<double> open_ms;
  for (std::size_t i = 0; i < std::min<std::size_t>(ids.size(), 500); ++i) {
    auto t = Steady::now();
    if (!waves.get(ids[i * 7919 % ids.size()])) return 1;
    open_ms.push_back(ms_since(t));
  }
  std::printf("picking_bench: %ld approved parcels, waves of %d\n", n, wave);
  std::printf(
      "  made %zu waves, %ld parcels in %.0f ms: %.0f waves/s, %.0f parcels/s; one wave "
      "p50 %.2f ms, p99 %.2f ms\n",
      ids.size(), parcels, total_ms, 1000.0 * ids.size() / total_ms, 1000.0 * parcels / total_ms,
      percentile(make_ms, 0.5), percentile(make_ms, 0.99));
  std::printf(
      "  raw sqlite3 (same choice and inserts, no pick list read back): %ld parcels in "
      "%.0f ms: %.0f parcels/s; ratio %.2f\n",
      raw_parcels, raw_ms, 1000.0 * raw_parcels / raw_ms,
      (1000.0 * parcels / total_ms) / (1000.0 * raw_parcels / raw_ms));
  std::printf("  opening a wave's pick list: p50 %.2f ms, p99 %.2f ms\n", percentile(open_ms, 0.5),
              percentile(open_ms, 0.99));
  return parcels == n && raw_parcels == n ? 0 : 1;
}
