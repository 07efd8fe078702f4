// kill -9 the syncing process at 20 random moments, restart it each time, and check that in
// the end every trade is in the store exactly once, whole, with its amounts.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "process.hpp"
#include "store/database.hpp"
#include "store/row_reader.hpp"
#include "test_support.hpp"

using namespace fulfil;
using namespace fulfil::test;

TEST(Crash, KillNineDuringSyncLosesAndDoublesNothing) {
  TempDir dir;
  auto sim = start_top_sim({"--trades", "40000", "--hours", "20", "--seed", "5", "--latency-ms",
                            "6", "--dump", (dir / "expected.txt").string()},
                           dir.path());
  write_file(
      dir / "fulfild.toml",
      "[store]\nurl = \"sqlite:" + (dir / "store.db").string() +
          "\"\n[sync]\nsettle_seconds = 0\ninitial_lookback_hours = 24\nreconcile_at = \"\"\n"
          "[[shops]]\nname = \"tmall\"\nsource = \"top\"\nbase_url = \"http://127.0.0.1:" +
          std::to_string(sim.port) + "/router/rest\"\napp_key = \"12345678\"\n");
  const std::map<std::string, std::string> env = {{"FULFILD_TMALL_APP_SECRET", "sim-secret"},
                                                  {"FULFILD_TMALL_SESSION", "sim-session"}};
  const std::vector<std::string> args = {"--config", (dir / "fulfild.toml").string(), "sync",
                                         "--once"};
  std::mt19937 rng(20261111);
  std::uniform_int_distribution<int> delay_ms(30, 400);
  int killed_mid_sync = 0;
  for (int i = 0; i < 20; ++i) {
    Process p(FULFILD_BINARY, args, dir.path(), env);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    if (p.running()) {
      p.signal(SIGKILL);
      ++killed_mid_sync;
    }
    p.wait(std::chrono::seconds(30));
  }
  // The simulator's latency keeps every run longer than its kill delay; a run that still
  // finished first is allowed, not counted.
  EXPECT_GE(killed_mid_sync, 18);
  std::printf("killed mid-sync %d of 20 times\n", killed_mid_sync);
  auto last = run_program(FULFILD_BINARY, args, dir.path(), env);
  ASSERT_EQ(last.status, 0) << last.err;

  sim.process->signal(SIGTERM);
  ASSERT_TRUE(sim.process->wait(std::chrono::seconds(20)));
  std::map<long long, std::tuple<std::string, long long, long long>> expected;
  std::istringstream in(read_file(dir / "expected.txt"));
  long long tid, payment, lines;
  std::string status;
  while (in >> tid >> status >> payment >> lines) expected[tid] = {status, payment, lines};
  ASSERT_EQ(expected.size(), 40000u);

  auto conn = store::Connection::open(
      *store::StoreUrl::parse("sqlite:" + (dir / "store.db").string()), store::Durability::strict);
  ASSERT_TRUE(conn);
  auto& sql = (*conn)->sql();
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT t.tid, t.status, t.payment, (SELECT COUNT(*) FROM trade_lines l "
                      "WHERE l.tid = t.tid), "
                      "(SELECT COUNT(*) FROM order_events e WHERE e.tid = t.tid) FROM trades t");
  std::size_t stored = 0;
  for (const auto& r : rows) {
    ++stored;
    auto it = expected.find(store::get_int(r, 0));
    ASSERT_NE(it, expected.end()) << store::get_int(r, 0);
    EXPECT_EQ(store::get_text(r, 1), std::get<0>(it->second));
    EXPECT_EQ(store::get_int(r, 2), std::get<1>(it->second));
    EXPECT_EQ(store::get_int(r, 3), std::get<2>(it->second))
        << "half-written lines of " << it->first;
    EXPECT_GE(store::get_int(r, 4), 1) << "no history for " << it->first;
  }
  EXPECT_EQ(stored, expected.size());
  long long orphans = 0, dup_serials = 0;
  sql << "SELECT COUNT(*) FROM trade_lines l WHERE NOT EXISTS (SELECT 1 FROM trades t WHERE t.tid "
         "= l.tid)",
      soci::into(orphans);
  sql << "SELECT COUNT(*) - COUNT(DISTINCT serial) FROM trades WHERE serial IS NOT NULL",
      soci::into(dup_serials);
  EXPECT_EQ(orphans, 0);
  EXPECT_EQ(dup_serials, 0);
}
