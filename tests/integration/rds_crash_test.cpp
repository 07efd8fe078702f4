// The push-database source under kill -9: while the push writer puts 20,000 trades into
// jdp_tb_trade (updates of earlier trades, late commits, other sellers' rows, rows of one
// second), `fulfild sync --once` is killed ten times mid-read; afterwards every trade of
// the shop is in the store exactly once, with its latest state.
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <random>
#include <thread>

#include "process.hpp"
#include "push_writer.hpp"
#include "store/database.hpp"
#include "store/row_reader.hpp"
#include "test_support.hpp"

using namespace fulfil;
using namespace fulfil::test;

TEST(RdsCrash, KillNineTenTimesWhileThePushServiceWritesStoresEveryTradeOnceInItsLatestState) {
  const std::string base = sim::test_mysql_url();
  if (base.empty()) GTEST_SKIP() << "FULFIL_TEST_MYSQL_URL is not set (scripts/test.sh sets it)";
  TempDir dir;
  const std::string url = sim::fresh_mysql_database(base, "rds_crash_");
  sim::PushWriter setup(url);
  setup.create_table();
  write_file(dir / "fulfild.toml",
             "[store]\nurl = \"sqlite:" + (dir / "store.db").string() +
                 "\"\n[sync]\nreconcile_at = \"\"\n[[shops]]\nname = \"hstyle\"\nsource = "
                 "\"rds\"\nrds_url = \"" +
                 url +
                 "\"\nseller_nick = \"韩都衣舍旗舰店\"\nrds_batch = 500\napp_key = \"12345678\"\n");
  const std::map<std::string, std::string> env = {{"FULFILD_HSTYLE_APP_SECRET", "s"},
                                                  {"FULFILD_HSTYLE_SESSION", "s"}};
  const std::vector<std::string> args = {"--config", (dir / "fulfild.toml").string(), "sync",
                                         "--once"};

  // The push service: 20,000 trades of the shop in transactions of 25, every 8th write an
  // update of an earlier trade (paid, closed, changed memo), every 200th held open across
  // the next 40 writes and committed late, every 20th a row of another seller.
  std::map<std::int64_t, std::string> latest;  // tid -> the status its last write carried
  std::thread push([&] {
    sim::PushWriter writer(url);
    sim::TradeGenerator gen(1111);
    std::mt19937 rng(11);
    std::vector<sim::SimTrade> written;
    int late_at = -1;
    const UnixSeconds t0 = 1794326400;
    writer.session().begin();
    for (int i = 0; i < 20000; ++i) {
      auto t = gen.make(i, t0 + i / 10);
      if (i % 200 == 100 && late_at < 0) {
        writer.begin_late(t, "韩都衣舍旗舰店");
        late_at = i;
      } else {
        writer.write(t, "韩都衣舍旗舰店");
      }
      latest[t.tid] = t.status;
      written.push_back(t);
      if (late_at >= 0 && i - late_at == 40) {
        writer.commit_late();
        late_at = -1;
      }
      if (i % 8 == 7) {
        auto& old = written[rng() % written.size()];
        if (old.status == "WAIT_BUYER_PAY") {
          old.status = "WAIT_SELLER_SEND_GOODS";
          old.pay_time = old.created + 300;
        } else if (old.status == "WAIT_SELLER_SEND_GOODS") {
          old.status = "TRADE_CLOSED";
        } else {
          old.seller_memo = "改了备注 " + std::to_string(i);
        }
        old.modified += 3600;
        if (late_at < 0 || old.tid != written[static_cast<std::size_t>(late_at)].tid) {
          writer.write(old, "韩都衣舍旗舰店");
          latest[old.tid] = old.status;
        }
      }
      if (i % 20 == 0) {
        auto other = gen.make(100000 + i, t0);
        writer.write(other, "别家的店");
      }
      if (i % 25 == 24) {
        writer.session().commit();
        writer.session().begin();
      }
    }
    writer.session().commit();
    if (late_at >= 0) writer.commit_late();
  });

  std::mt19937 rng(20261111);
  std::uniform_int_distribution<int> delay_ms(20, 350);
  // Ten kills inside a run: a run that finished before its kill does not count.
  int killed_mid_sync = 0, runs = 0;
  for (; killed_mid_sync < 10 && runs < 60; ++runs) {
    Process p(FULFILD_BINARY, args, dir.path(), env);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    if (p.running()) {
      p.signal(SIGKILL);
      ++killed_mid_sync;
    }
    p.wait(std::chrono::seconds(30));
  }
  push.join();
  std::printf("killed mid-sync %d times in %d runs\n", killed_mid_sync, runs);
  EXPECT_EQ(killed_mid_sync, 10);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the last second has passed
  auto last = run_program(FULFILD_BINARY, args, dir.path(), env);
  ASSERT_EQ(last.status, 0) << last.err;

  auto conn = store::Connection::open(
      *store::StoreUrl::parse("sqlite:" + (dir / "store.db").string()), store::Durability::strict);
  ASSERT_TRUE(conn);
  auto& sql = (*conn)->sql();
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT t.tid, t.status, (SELECT COUNT(*) FROM order_events e WHERE e.tid "
                      "= t.tid AND e.kind = 'arrived') FROM trades t");
  std::size_t stored = 0, wrong_state = 0, arrived_twice = 0;
  for (const auto& r : rows) {
    ++stored;
    auto it = latest.find(store::get_int(r, 0));
    ASSERT_NE(it, latest.end()) << "a trade of another seller: " << store::get_int(r, 0);
    if (store::get_text(r, 1) != it->second) ++wrong_state;
    if (store::get_int(r, 2) != 1) ++arrived_twice;
  }
  EXPECT_EQ(stored, latest.size());
  EXPECT_EQ(wrong_state, 0u);
  EXPECT_EQ(arrived_twice, 0u);
  long long quarantined = 0;
  sql << "SELECT COUNT(*) FROM quarantine", soci::into(quarantined);
  EXPECT_EQ(quarantined, 0);
}
