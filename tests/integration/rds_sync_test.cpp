// The push-database source (source = "rds") against a real MariaDB written by the push
// writer of tests/sim, into both store backends: a seller's trades read once with their
// latest state, late commits inside the overlap, same-second rows across batches, bad rows
// quarantined, a server that goes away mid-read, a misspelt seller named.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <thread>

#include "platform/rds_sync.hpp"
#include "platform/shop_sync_job.hpp"
#include "push_writer.hpp"
#include "store/sync_state_repository.hpp"
#include "store_fixture.hpp"

using namespace fulfil;
using namespace fulfil::test;

namespace {

const std::string k_seller = "韩都衣舍旗舰店";
const std::string k_other = "别家的店";

class RdsSyncIt : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    const std::string base = sim::test_mysql_url();
    if (base.empty())
      GTEST_SKIP()
          << "FULFIL_TEST_MYSQL_URL is not set (scripts/test.sh starts MariaDB and sets it)";
    settings.url = sim::fresh_mysql_database(base, "rds_t_");
    settings.seller_nick = k_seller;
    settings.batch = 7;  // many batches from few rows
    writer = std::make_unique<sim::PushWriter>(settings.url);
    writer->create_table();
  }
  sim::SimTrade trade(int i, const std::string& status = "WAIT_SELLER_SEND_GOODS") {
    auto t = gen.make(i, 1794326400 + i);
    t.status = status;
    if (status == "WAIT_BUYER_PAY") t.pay_time = 0;
    for (auto& l : t.lines) l.refund_status.clear();
    return t;
  }
  // A pass reads up to the server's current second, not into it (rows of that second are
  // still being written): the rows just written are read once their second has passed.
  void next_second() {
    const std::string now = writer->server_now();
    while (writer->server_now() == now) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Result<platform::SyncReport> sync(const platform::TradeSync::Heartbeat& beat = {},
                                    int checkpoint_every = 20000) {
    next_second();
    auto reader = platform::RdsReader::connect(settings);
    if (!reader) return std::unexpected(reader.error());
    return platform::RdsSync(*reader, store->conn(), clock, "hstyle", settings, cancel, beat,
                             checkpoint_every)
        .run();
  }
  long long count(const std::string& where = "1 = 1") {
    return store->scalar("SELECT COUNT(*) FROM trades WHERE " + where);
  }
  std::string status_of(std::int64_t tid) {
    return store->text("SELECT status FROM trades WHERE tid = " + std::to_string(tid));
  }
  platform::RdsSettings settings;
  std::unique_ptr<sim::PushWriter> writer;
  sim::TradeGenerator gen{2611};
  ManualClock clock{1794326400};
  Cancellation cancel;
};

}  // namespace

TEST_P(RdsSyncIt, ReadsItsSellersTradesOnceWithTheirLatestState) {
  std::vector<sim::SimTrade> ours;
  for (int i = 0; i < 40; ++i) {
    ours.push_back(trade(i, i % 5 == 0 ? "WAIT_BUYER_PAY" : "WAIT_SELLER_SEND_GOODS"));
    writer->write(ours.back(), k_seller);
  }
  for (int i = 100; i < 110; ++i) writer->write(trade(i), k_other);
  // Two buyers pay, one trade is closed: the push service overwrites their rows.
  for (int i : {0, 5}) {
    ours[i].status = "WAIT_SELLER_SEND_GOODS";
    ours[i].pay_time = ours[i].created + 60;
    ours[i].modified += 120;
    writer->write(ours[i], k_seller);
  }
  ours[1].status = "TRADE_CLOSED";
  ours[1].modified += 300;
  writer->write(ours[1], k_seller);

  auto first = sync();
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->totals.stored.inserted, 40);
  EXPECT_EQ(first->totals.quarantined, 0);
  EXPECT_EQ(count(), 40) << "the other seller's rows are not read";
  EXPECT_EQ(status_of(ours[0].tid), "WAIT_SELLER_SEND_GOODS");
  EXPECT_EQ(status_of(ours[1].tid), "TRADE_CLOSED");
  EXPECT_EQ(status_of(ours[10].tid), "WAIT_BUYER_PAY");

  // Read again (the overlap covers them all): nothing stored twice, nothing counted twice.
  auto again = sync();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->totals.stored.inserted + again->totals.stored.updated, 0);
  EXPECT_EQ(again->totals.stored.unchanged, 40);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM order_events WHERE kind = 'arrived'"), 40);
  auto state = store::SyncStateRepository(store->conn()).get("hstyle");
  ASSERT_TRUE(state && *state);
  EXPECT_EQ((*state)->trades_stored, 40);
  EXPECT_TRUE((*state)->window_end);

  // Paid later: the row changes again and the next pass takes the new state.
  ours[10].status = "WAIT_SELLER_SEND_GOODS";
  ours[10].pay_time = ours[10].created + 600;
  ours[10].modified += 900;
  writer->write(ours[10], k_seller);
  auto paid = sync();
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->totals.stored.updated, 1);
  EXPECT_EQ(status_of(ours[10].tid), "WAIT_SELLER_SEND_GOODS");
}

TEST_P(RdsSyncIt, ALateCommitStampedBeforeRowsAlreadyReadIsStillRead) {
  auto late = trade(1);
  writer->begin_late(late, k_seller);  // stamped now, committed after the others are read
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  for (int i = 2; i < 12; ++i) writer->write(trade(i), k_seller);
  auto first = sync();
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->totals.stored.inserted, 10);
  writer->commit_late();
  auto second = sync();
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->totals.stored.inserted, 1);
  EXPECT_EQ(status_of(late.tid), "WAIT_SELLER_SEND_GOODS");

  // Without the overlap the same late row would be lost: the window starts past it.
  settings.overlap_seconds = 0;
  auto late2 = trade(20);
  writer->begin_late(late2, k_seller);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE(sync());
  writer->commit_late();
  ASSERT_TRUE(sync());
  EXPECT_EQ(count("tid = " + std::to_string(late2.tid)), 0)
      << "the overlap is what catches a late commit";
}

TEST_P(RdsSyncIt, RowsOfOneSecondAcrossManyBatchesAreAllRead) {
  // A table indexed otherwise than the push service's is read too (without the index hint).
  writer->session() << "ALTER TABLE jdp_tb_trade DROP INDEX "
                       "ind_jdp_tb_trade_seller_nick_jdp_modified";
  const std::string second = writer->server_now();
  for (int i = 0; i < 30; ++i) writer->write(trade(i), k_seller, second);
  auto r = sync({}, 10);  // checkpoints inside the second too
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->totals.stored.inserted, 30);
  EXPECT_GE(r->windows, 5);
}

TEST_P(RdsSyncIt, BadRowsAreQuarantinedNamingWhatIsWrongAndTheOthersStored) {
  for (int i = 0; i < 5; ++i) writer->write(trade(i), k_seller);
  writer->write_raw(4100000000000000001, k_seller, "WAIT_SELLER_SEND_GOODS", "{not json");
  writer->write_raw(4100000000000000002, k_seller, "WAIT_SELLER_SEND_GOODS",
                    R"({"trades_sold_get_response":{}})");
  writer->write_raw(4100000000000000003, k_seller, "WAIT_SELLER_SEND_GOODS",
                    R"({"trade_fullinfo_get_response":{"trade":{"tid":4100000000000000003}}})");
  auto other = trade(9);
  writer->write_raw(4100000000000000004, k_seller, other.status,
                    sim::PushWriter::response_of(other));
  auto r = sync();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->totals.stored.inserted, 5);
  EXPECT_EQ(r->totals.quarantined, 4);
  auto reason = [&](const char* tid) {
    return store->text(std::string("SELECT field || ': ' || reason FROM quarantine WHERE tid = ") +
                       tid);
  };
  EXPECT_NE(reason("4100000000000000001").find("jdp_response: not JSON"), std::string::npos)
      << reason("4100000000000000001");
  EXPECT_NE(reason("4100000000000000002").find("no trade_fullinfo_get_response.trade"),
            std::string::npos);
  EXPECT_FALSE(reason("4100000000000000003").empty()) << "a trade lacking its fields";
  EXPECT_NE(
      reason("4100000000000000004").find("its jdp_response trade " + std::to_string(other.tid)),
      std::string::npos)
      << reason("4100000000000000004");
}

TEST_P(RdsSyncIt, AServerThatGoesAwayMidReadLosesNothing) {
  for (int i = 0; i < 60; ++i) writer->write(trade(i), k_seller);
  // At the first checkpoint the reader's connection is killed, as a failover would.
  int beats = 0;
  auto killed = sync(
      [&]() -> Result<void> {
        if (beats++ == 0) {
          std::vector<long long> ids(10);
          writer->session() << "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> "
                               "CONNECTION_ID() AND DB = DATABASE()",
              soci::into(ids);
          for (auto id : ids) writer->session() << "KILL CONNECTION " + std::to_string(id);
        }
        return {};
      },
      14);
  ASSERT_FALSE(killed);
  EXPECT_EQ(killed.error().kind, ErrorKind::network) << killed.error().message;
  EXPECT_NE(killed.error().message.find("push database"), std::string::npos)
      << killed.error().message;
  EXPECT_GE(count(), 14) << "what was read before it went stays";
  auto state = store::SyncStateRepository(store->conn()).get("hstyle");
  ASSERT_TRUE(state && *state && (*state)->window_end) << "the checkpoint of the stored rows";
  auto resumed = sync();
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(count(), 60);
}

TEST_P(RdsSyncIt, AMisspeltSellerAndAMissingTableAreNamed) {
  writer->write(trade(1), k_other);
  settings.seller_nick = "韩都衣舍旗舰";
  auto r = sync();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NE(r->problem.find("no trade of seller_nick \"韩都衣舍旗舰\""), std::string::npos)
      << r->problem;
  EXPECT_NE(r->problem.find(k_other), std::string::npos) << r->problem;

  writer->session() << "DROP TABLE jdp_tb_trade";
  auto missing = sync();
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::config) << missing.error().message;
  EXPECT_NE(missing.error().message.find("jdp_tb_trade"), std::string::npos);

  // Through the shop's job: a refused login is an alert on the shop.
  settings.password = "wrong";
  auto refused = platform::run_rds_sync("hstyle", settings, 60, store->conn(), clock, "a", cancel);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::auth) << refused.error().message;
  auto state = store::SyncStateRepository(store->conn()).get("hstyle");
  ASSERT_TRUE(state && *state);
  EXPECT_NE((*state)->alert.find("re-authorise the shop or correct its secrets"), std::string::npos)
      << (*state)->alert;
}

FULFIL_ON_BOTH_BACKENDS(RdsSyncIt);
