// rds_bench: N trades in a MariaDB jdp_tb_trade (as the push service writes them) read into
// SQLite by fulfild's push-database sync, against the raw limit of the same run: a bare
// MySQL C API SELECT of the same rows, plus the bare sqlite3 insert of the rows fulfild
// wrote (raw_sqlite.hpp). Reading then writing one after the other, the limit is
// 1 / (1/read + 1/insert) trades/s; prints both, fulfild's rate, the ratio, peak RSS.
//   rds_bench [--rows N] [--mysql mysql://user@host:port/db]   (default FULFIL_TEST_MYSQL_URL)
#include <mysql.h>
#include <soci/soci.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "common/allocator.hpp"
#include "common/cancellation.hpp"
#include "common/log.hpp"
#include "common/timeutil.hpp"
#include "modules.hpp"
#include "platform/shop_sync_job.hpp"
#include "push_writer.hpp"
#include "raw_sqlite.hpp"
#include "store/migrations.hpp"
#include "test_support.hpp"

using namespace fulfil;
using Clock_ = std::chrono::steady_clock;

namespace {

const char* k_seller = "韩都衣舍旗舰店";

std::string sql_text(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    if (c == '\0') {
      out += "\\0";
      continue;
    }
    out.push_back(c);
  }
  return out + "'";
}

// The push service's rows, spread over the last 23 hours, 1,000 to an INSERT.
void fill(sim::PushWriter& writer, long long rows) {
  sim::TradeGenerator gen(7);
  const UnixSeconds t0 = SystemClock().now() - 23 * 3600;
  std::string sql;
  auto& s = writer.session();
  s.begin();
  for (long long i = 0; i < rows; ++i) {
    auto t = gen.make(i, t0 + i * 80000 / rows);
    if (sql.empty())
      sql =
          "INSERT INTO jdp_tb_trade (tid, status, type, seller_nick, buyer_nick, created, "
          "modified, jdp_hashcode, jdp_response, jdp_created, jdp_modified) VALUES ";
    else
      sql += ",";
    const std::string stamp = sql_text(format_gmt8(t.modified + 5));
    sql += "(" + std::to_string(t.tid) + "," + sql_text(t.status) + ",'fixed'," +
           sql_text(k_seller) + ",''," + sql_text(format_gmt8(t.created)) + "," +
           sql_text(format_gmt8(t.modified)) + ",''," + sql_text(sim::PushWriter::response_of(t)) +
           "," + stamp + "," + stamp + ")";
    if (i % 1000 == 999 || i + 1 == rows) {
      s << sql;
      sql.clear();
    }
    if (i % 50000 == 49999) {
      s.commit();
      s.begin();
    }
  }
  s.commit();
}

// The raw read: the same rows with the MySQL C API in one streamed SELECT, each value copied
// into a string as fulfild's reader does; in whatever order the server reads them fastest
// (an ORDER BY of all rows makes MariaDB sort them on disk: a limit no one would meet).
double raw_read(const std::string& url, long long expect) {
  auto parsed_host = url.substr(url.find('@') + 1);
  const std::string host = parsed_host.substr(0, parsed_host.find(':'));
  const unsigned port = static_cast<unsigned>(test::option_number(
      "port", parsed_host.substr(host.size() + 1, parsed_host.find('/') - host.size() - 1).c_str(),
      65535));
  const std::string user = url.substr(8, url.find('@') - 8);
  const std::string db = url.substr(url.rfind('/') + 1);
  MYSQL* my = mysql_init(nullptr);
  if (!mysql_real_connect(my, host.c_str(), user.c_str(), nullptr, db.c_str(), port, nullptr, 0)) {
    std::fprintf(stderr, "raw connect: %s\n", mysql_error(my));
    std::exit(1);
  }
  mysql_set_character_set(my, "utf8mb4");
  const auto start = Clock_::now();
  const std::string q = std::string(
                            "SELECT tid, status, modified, jdp_modified, jdp_response FROM "
                            "jdp_tb_trade WHERE seller_nick = ") +
                        sql_text(k_seller);
  if (mysql_query(my, q.c_str()) != 0) {
    std::fprintf(stderr, "raw select: %s\n", mysql_error(my));
    std::exit(1);
  }
  MYSQL_RES* res = mysql_use_result(my);
  long long n = 0;
  std::size_t bytes = 0;
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    unsigned long* len = mysql_fetch_lengths(res);
    for (int c = 0; c < 5; ++c) {
      std::string v(row[c] ? row[c] : "", row[c] ? len[c] : 0);
      bytes += v.size();
    }
    ++n;
  }
  mysql_free_result(res);
  const double secs = std::chrono::duration<double>(Clock_::now() - start).count();
  mysql_close(my);
  if (n != expect) {
    std::fprintf(stderr, "raw select read %lld of %lld rows\n", n, expect);
    std::exit(1);
  }
  std::printf("raw SELECT            %.1f s  %.0f rows/s  (%.0f MB)\n", secs, n / secs,
              bytes / 1e6);
  return secs;
}

}  // namespace

int main(int argc, char** argv) {
  long long rows = 1'000'000;
  std::string base = sim::test_mysql_url();
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--rows") rows = test::option_number("--rows", argv[i + 1], 100'000'000);
    if (k == "--mysql") base = argv[i + 1];
  }
  if (base.empty()) {
    std::fprintf(stderr, "rds_bench: no MariaDB (--mysql or FULFIL_TEST_MYSQL_URL)\n");
    return 1;
  }
  tune_allocator();
  log::configure("warn");
  test::TempDir dir;
  const std::string url = sim::fresh_mysql_database(base, "rds_bench_");
  sim::PushWriter writer(url);
  writer.create_table();
  std::printf("writing %lld rows into jdp_tb_trade...\n", rows);
  std::fflush(stdout);
  const auto fill_start = Clock_::now();
  fill(writer, rows);
  std::printf("written in %.1f s\n",
              std::chrono::duration<double>(Clock_::now() - fill_start).count());
  writer.session() << "ANALYZE TABLE jdp_tb_trade";
  raw_read(url, rows);  // warms the buffer pool as fulfild's read will find it, then timed:
  const double read_secs = raw_read(url, rows);

  const std::string db_path = (dir.path() / "rds.db").string();
  auto conn = store::Connection::open(*store::StoreUrl::parse("sqlite:" + db_path),
                                      store::Durability::relaxed);
  if (!conn || !daemon::migrate_all(**conn)) return 1;
  platform::RdsSettings s;
  s.url = url;
  s.seller_nick = k_seller;
  SystemClock clock;
  Cancellation cancel;
  const long rss_before = test::peak_rss_mb();
  const auto start = Clock_::now();
  auto r = platform::run_rds_sync("bench", s, 120, **conn, clock, "bench", cancel);
  const double sync_secs = std::chrono::duration<double>(Clock_::now() - start).count();
  const long rss = test::peak_rss_mb();
  if (!r || r->report.totals.stored.inserted != rows) {
    std::fprintf(stderr, "sync: %s\n",
                 r ? ("stored " + std::to_string(r->report.totals.stored.inserted)).c_str()
                   : r.error().message.c_str());
    return 1;
  }
  conn->reset();
  const double insert_secs = bench::raw_insert_as_synced(db_path, (dir.path() / "raw.db").string(),
                                                         static_cast<std::size_t>(rows))
                                 .seconds;
  const double limit = rows / (read_secs + insert_secs), rate = rows / sync_secs;
  std::printf("raw sqlite3 insert    %.1f s  %.0f trades/s (the rows fulfild wrote)\n", insert_secs,
              rows / insert_secs);
  std::printf("raw limit             %.0f trades/s (read, then insert)\n", limit);
  std::printf("fulfild rds sync      %.1f s  %.0f trades/s, %d batches\n", sync_secs, rate,
              r->report.windows);
  std::printf("ratio                 %.2f of the raw limit\n", rate / limit);
  std::printf("peak RSS of the sync  %ld MB (%ld MB before it)\n", rss, rss_before);
  return 0;
}
