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

// kill -9 the daemon at 50 moments while it asks SF for waybills (sync, review and
// shipping all running), restart it each time, and check that in the end every parcel has
// exactly one waybill and SF issued no second waybill for any key.
TEST(Crash, KillNineAroundWaybillRequestsIssuesNoSecondWaybill) {
  TempDir dir;
  auto top = start_top_sim({"--trades", "800", "--hours", "6", "--seed", "11"}, dir.path());
  auto sf =
      start_sim(SF_SIM_BINARY, {"--latency-ms", "120", "--dump", (dir / "sf-orders.txt").string()},
                dir.path());
  const std::string store_path = (dir / "store.db").string();
  write_file(
      dir / "fulfild.toml",
      "[http]\nlisten = \"127.0.0.1:0\"\n[store]\nurl = \"sqlite:" + store_path +
          "\"\n[sync]\nsettle_seconds = 0\ninitial_lookback_hours = 24\nreconcile_at = "
          "\"\"\n[[shops]]\nname = \"tmall\"\nsource = \"top\"\nbase_url = "
          "\"http://127.0.0.1:" +
          std::to_string(top.port) +
          "/router/rest\"\napp_key = \"12345678\"\n"
          "[review]\ninterval_seconds = 1\nauto_approve = true\n[review.checks]\n"
          "buyer_message = false\nseller_memo = false\nduplicate_minutes = 0\n"
          "[review.stock]\ncheck_at_approval = false\n"
          "[shipping]\ninterval_seconds = 1\n[[shipping.couriers]]\ncode = \"SF\"\n"
          "source = \"sf\"\nshare = 100\nbase_url = \"http://127.0.0.1:" +
          std::to_string(sf.port) +
          "/std/service\"\npartner_id = \"FULFIL\"\nin_flight = 8\n"
          "[shipping.sender]\nname = \"仓库\"\nmobile = \"13800000000\"\nprovince = "
          "\"浙江省\"\ncity = \"杭州市\"\ndistrict = \"余杭区\"\naddress = \"仓前街道 8 号\"\n");
  const std::map<std::string, std::string> env = {{"FULFILD_TMALL_APP_SECRET", "sim-secret"},
                                                  {"FULFILD_TMALL_SESSION", "sim-session"},
                                                  {"FULFILD_COURIER_SF_CHECK_WORD", "check-word"}};
  const auto port_file = dir / "port";
  const std::vector<std::string> args = {"--config", (dir / "fulfild.toml").string(), "--port-file",
                                         port_file.string(), "run"};
  auto count = [&](const std::string& sql) { return sqlite_count(store_path, sql); };

  std::mt19937 rng(20261123);
  std::uniform_int_distribution<int> life_ms(400, 1600);
  // Kills go on until 20 of them landed with waybill requests open (the window the test is
  // about), at most 60 kills: a fixed count only makes the test longer.
  constexpr int k_kills_in_window = 20, k_most_kills = 60;
  int killed_with_requests_open = 0, kills = 0;
  for (; kills < k_most_kills && killed_with_requests_open < k_kills_in_window; ++kills) {
    std::filesystem::remove(port_file);
    Process p(FULFILD_BINARY, args, dir.path(), env);
    // A life counts from when the daemon listens, not from exec: under AddressSanitizer
    // loading the binary alone takes half a second, which would eat the window.
    const auto start_by = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!std::filesystem::exists(port_file) && std::chrono::steady_clock::now() < start_by)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(life_ms(rng)));
    p.signal(SIGKILL);
    p.wait(std::chrono::seconds(30));
    // Recorded before the call, not yet answered: the window the issue asks about.
    if (count("SELECT COUNT(*) FROM waybills WHERE state = 'requested'") > 0)
      ++killed_with_requests_open;
  }
  std::printf("killed with waybill requests open %d of %d times\n", killed_with_requests_open,
              kills);
  EXPECT_GE(killed_with_requests_open, k_kills_in_window);

  Process last(FULFILD_BINARY, args, dir.path(), env);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  while (std::chrono::steady_clock::now() < deadline &&
         !(count("SELECT COUNT(*) FROM parcels WHERE state = 'approved'") == 0 &&
           count("SELECT COUNT(*) FROM waybills WHERE state = 'requested'") == 0 &&
           count("SELECT COUNT(*) FROM parcels WHERE state = 'waybill'") > 0))
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  last.signal(SIGTERM);
  ASSERT_TRUE(last.wait(std::chrono::seconds(30)));
  sf.process->signal(SIGTERM);
  ASSERT_TRUE(sf.process->wait(std::chrono::seconds(20)));
  top.process->signal(SIGTERM);
  top.process->wait(std::chrono::seconds(20));

  std::map<std::string, std::pair<std::string, int>> sf_orders;  // key -> waybill, issued
  std::istringstream in(read_file(dir / "sf-orders.txt"));
  std::string key, waybill;
  int issued = 0;
  while (in >> key >> waybill >> issued) sf_orders[key] = {waybill, issued};
  // Issue 22: no request, and no resend after a lost answer or a kill, reused a requestID.
  ASSERT_TRUE(sf_orders.contains("repeated-request-ids"));
  EXPECT_EQ(sf_orders["repeated-request-ids"].first, "0") << "SF would answer those A1007";
  sf_orders.erase("repeated-request-ids");
  ASSERT_FALSE(sf_orders.empty());
  for (const auto& [k, v] : sf_orders) EXPECT_EQ(v.second, 1) << "SF issued twice for " << k;

  auto conn = store::Connection::open(*store::StoreUrl::parse("sqlite:" + store_path),
                                      store::Durability::strict);
  ASSERT_TRUE(conn);
  auto& sql = (*conn)->sql();
  long long parcels = 0, without = 0, doubled = 0;
  sql << "SELECT COUNT(*) FROM parcels WHERE state = 'waybill'", soci::into(parcels);
  sql << "SELECT COUNT(*) FROM parcels p WHERE p.state = 'waybill' AND (SELECT COUNT(*) FROM "
         "waybills w WHERE w.parcel_id = p.id AND w.state = 'issued') <> 1",
      soci::into(without);
  sql << "SELECT COUNT(*) FROM (SELECT parcel_id FROM waybills WHERE state IN ('requested', "
         "'issued') GROUP BY parcel_id HAVING COUNT(*) > 1) d",
      soci::into(doubled);
  EXPECT_GT(parcels, 500);
  EXPECT_EQ(without, 0) << "every parcel with a waybill has exactly one";
  EXPECT_EQ(doubled, 0);
  // Every waybill we hold is the one SF issued for its key.
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT idem_key, waybill_no FROM waybills WHERE state = 'issued'");
  std::size_t held = 0;
  for (const auto& r : rows) {
    ++held;
    auto it = sf_orders.find(store::get_text(r, 0));
    ASSERT_NE(it, sf_orders.end()) << store::get_text(r, 0);
    EXPECT_EQ(it->second.first, store::get_text(r, 1));
  }
  EXPECT_EQ(held, sf_orders.size()) << "SF issued none we do not hold";
  std::printf("%lld parcels with one waybill each; SF issued %zu, each once\n", parcels,
              sf_orders.size());
}
