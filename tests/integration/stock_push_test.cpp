// Stock pushed to the platform, on both backends, against the TOP simulator over HTTP: a
// sequence of stock moves and reservations ends with the platform's quantities equal to
// available - safety; an unchanged level is not pushed again; the peak switch (off,
// lower only) holds back what it must and says what would have been pushed; the platform's
// refusals (an item deleted, a SKU it does not have) are kept with their reason; SKUs no
// shop maps are listed.
#include <gtest/gtest.h>

#include "capabilities/stock/stock_push_job.hpp"
#include "outbound/curl_multi_client.hpp"
#include "platform/top_client.hpp"
#include "review/review_service.hpp"
#include "review/stock.hpp"
#include "review_fixture.hpp"
#include "stock/mappings.hpp"
#include "stock/stock_pusher.hpp"
#include "store_fixture.hpp"
#include "top_simulator.hpp"

using namespace fulfil;
using namespace fulfil::test;

namespace {

class StockPushIt : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    sim::TopSimSettings ss;
    ss.trades = 0;
    top = std::make_unique<sim::TopSimulator>(ss);
    top->start();
    top->list_item(600001, {7001, 7002}, 999);  // a sweater in two sizes
    top->list_item(600002, {}, 999);            // a scarf without SKUs
    top->list_item(600003, {7301}, 999);        // socks, delisted later
    settings.safety = 1;
    settings.safety_by_sku["WJ-3320"] = 0;
    settings.per_second = 200;
    load_stock("sku,on_hand\nMY-S,10\nMY-M,4\nWJ-3320,7\nWZ-0035,5\nNO-MAP,3\n");
    auto m = stock::load_mappings(store->conn(), "tmall",
                                  "商家编码,商品ID,SKU ID\nMY-S,600001,7001\nMY-M,600001,7002\n"
                                  "WJ-3320,600002,\nWZ-0035,600003,7301\n",
                                  "map.csv", clock.now());
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->added, 4);
  }
  void load_stock(const std::string& csv) {
    auto r = review::StockRepository(store->conn()).load_csv(csv, "stock.csv", "test", clock.now());
    ASSERT_TRUE(r) << r.error().message;
  }
  stock::PushReport pass() {
    platform::TopClient client(http, clock,
                               {top->base_url(), "12345678", "sim-secret", "sim-session",
                                platform::SignMethod::hmac_sha256},
                               "tmall");
    stock::StockPusher pusher(store->conn(), clock, settings);
    auto r = pusher.run("tmall", daemon::quantity_update(client));
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : stock::PushReport{};
  }
  std::optional<std::int64_t> on_platform(std::int64_t item, std::int64_t sku) {
    return top->quantity_of(item, sku);
  }
  stock::PushRow row(const std::string& sku) {
    auto rows = stock::StockPusher(store->conn(), clock, settings).rows("tmall", "", 0);
    for (const auto& r : *rows)
      if (r.sku == sku) return r;
    ADD_FAILURE() << "no row for " << sku;
    return {};
  }
  ManualClock clock{SystemClock().now()};
  stock::StockPushSettings settings;
  std::unique_ptr<sim::TopSimulator> top;
  outbound::OwnedHttpClient http{outbound::HttpSettings{}};
};

}  // namespace

TEST_P(StockPushIt, MovesAndReservationsEndWithThePlatformShowingAvailableLessSafety) {
  auto first = pass();
  EXPECT_EQ(first.pushed, 4);
  EXPECT_EQ(on_platform(600001, 7001), 9);  // 10 - safety 1
  EXPECT_EQ(on_platform(600001, 7002), 3);
  EXPECT_EQ(on_platform(600002, 0), 7);  // its own safety: 0
  EXPECT_EQ(on_platform(600003, 7301), 4);
  const auto calls = top->quantity_updates();
  EXPECT_EQ(pass().pushed, 0);
  EXPECT_EQ(top->quantity_updates(), calls) << "an unchanged level is not pushed";

  // Two sweaters in S are bought and approved (reserved); one M is received; WJ recounted.
  review::ReviewSettings review = quiet_settings();
  store_trades(store->conn(), clock,
               {paid_trade(9100, clock.now() - 60, "甲", "上海", "MY-S", 2),
                paid_trade(9110, clock.now() - 50, "乙", "上海", "MY-S", 1)});
  review::ReviewService rs(store->conn(), clock, review);
  ASSERT_TRUE(rs.intake());
  ASSERT_TRUE(rs.auto_approve());
  review::StockRepository stock(store->conn());
  ASSERT_TRUE(stock.adjust("MY-M", 1, "received", "test", clock.now()));
  load_stock("sku,on_hand\nWJ-3320,2\n");
  auto second = pass();
  EXPECT_EQ(second.pushed, 3);
  EXPECT_EQ(on_platform(600001, 7001), 6);  // 10 - 3 reserved - 1
  EXPECT_EQ(on_platform(600001, 7002), 4);
  EXPECT_EQ(on_platform(600002, 0), 2);
  EXPECT_EQ(on_platform(600003, 7301), 4) << "unchanged";

  // Oversold: never below zero on the platform.
  ASSERT_TRUE(stock.adjust("WZ-0035", -5, "damaged", "test", clock.now()));
  pass();
  EXPECT_EQ(on_platform(600003, 7301), 0);
  auto rows = stock::StockPusher(store->conn(), clock, settings).unmapped(10);
  ASSERT_TRUE(rows);
  EXPECT_EQ(*rows, std::vector<std::string>{"NO-MAP"});
}

TEST_P(StockPushIt, ThePeakSwitchHoldsBackAndSaysWhatWouldHaveBeenPushed) {
  pass();
  stock::StockPusher pusher(store->conn(), clock, settings);
  // Double 11: the shop only lowers; everything is switched off for a while.
  ASSERT_TRUE(pusher.set_mode("tmall", stock::PushMode::lower_only, "boss"));
  EXPECT_EQ(*pusher.mode_of("tmall"), stock::PushMode::lower_only);
  review::StockRepository stock(store->conn());
  ASSERT_TRUE(stock.adjust("MY-S", 5, "received", "test", clock.now()));  // would raise 9 -> 14
  ASSERT_TRUE(stock.adjust("MY-M", -2, "damaged", "test", clock.now()));  // lowers 3 -> 1
  auto lower = pass();
  EXPECT_EQ(lower.pushed, 1);
  EXPECT_EQ(lower.held, 1);
  EXPECT_EQ(on_platform(600001, 7001), 9) << "never raised in lower-only mode";
  EXPECT_EQ(on_platform(600001, 7002), 1);
  auto held = row("MY-S");
  EXPECT_EQ(held.state, "held");
  EXPECT_EQ(held.held, "lower only: would raise 9 -> 14");
  EXPECT_EQ(held.wanted, 14);

  ASSERT_TRUE(pusher.set_mode("*", stock::PushMode::off, "boss"));
  EXPECT_EQ(*pusher.mode_of("tmall"), stock::PushMode::off) << "the stricter of the two";
  ASSERT_TRUE(stock.adjust("MY-M", -1, "damaged", "test", clock.now()));
  const auto calls = top->quantity_updates();
  auto off = pass();
  EXPECT_EQ(off.pushed, 0);
  EXPECT_EQ(top->quantity_updates(), calls);
  EXPECT_EQ(row("MY-M").held, "switched off: would push 0");
  EXPECT_EQ(on_platform(600001, 7002), 1);

  // After the peak: back to the config's mode, and everything held goes out.
  ASSERT_TRUE(pusher.set_mode("*", std::nullopt, "boss"));
  ASSERT_TRUE(pusher.set_mode("tmall", std::nullopt, "boss"));
  EXPECT_EQ(pass().pushed, 2);
  EXPECT_EQ(on_platform(600001, 7001), 14);
  EXPECT_EQ(on_platform(600001, 7002), 0);
  EXPECT_EQ(row("MY-S").state, "pushed");
}

TEST_P(StockPushIt, RefusalsAreKeptWithTheirReasonAndNotRepeatedUntilTheLevelChanges) {
  top->delist_item(600003);
  auto bad_map = stock::load_mappings(
      store->conn(), "tmall", "sku,num_iid,sku_id\nMY-M,600001,7999\n", "map2.csv", clock.now());
  ASSERT_TRUE(bad_map);
  EXPECT_EQ(bad_map->changed, 1);
  auto r = pass();
  EXPECT_EQ(r.pushed, 2);
  EXPECT_EQ(r.refused, 2);
  EXPECT_NE(row("WZ-0035").last_error.find("isv.item-not-exist"), std::string::npos)
      << row("WZ-0035").last_error;
  EXPECT_NE(row("MY-M").last_error.find("isv.sku-not-exist"), std::string::npos);
  const auto calls = top->quantity_updates();
  const auto before = top->requests();
  r = pass();
  EXPECT_EQ(r.refused, 0) << "not asked again for the same quantity";
  EXPECT_EQ(top->requests(), before);
  ASSERT_TRUE(
      review::StockRepository(store->conn()).adjust("WZ-0035", 1, "found", "t", clock.now()));
  top->list_item(600003, {7301}, 0);  // listed again
  r = pass();
  EXPECT_EQ(r.pushed, 1);
  EXPECT_EQ(on_platform(600003, 7301), 5);
  EXPECT_EQ(top->quantity_updates(), calls + 1);

  // A bad mapping file changes nothing and names each bad row.
  auto refused = stock::load_mappings(store->conn(), "tmall",
                                      "sku,num_iid\nMY-S,abc\n,600001\nMY-S,600001\nMY-S,600002\n",
                                      "bad.csv", clock.now());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("bad.csv:2: num_iid: \"abc\""), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("bad.csv:3: sku: empty"), std::string::npos);
  EXPECT_NE(refused.error().message.find("bad.csv:5: sku MY-S appears twice"), std::string::npos);
}

FULFIL_ON_BOTH_BACKENDS(StockPushIt);
