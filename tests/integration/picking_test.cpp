// Picking (配货) on both backends: waves made from approved parcels in no wave yet, slots in
// serial order, the walk in bin-location order with the promo zone first, lines ticked and
// the wave finished only when every line is picked or short, a parcel intercepted after the
// wave was made stopped on the list, and the pack station told a parcel's slot. The parcels
// are made by the real intake and approval.
#include <gtest/gtest.h>

#include "packing/packing.hpp"
#include "picking/picking.hpp"
#include "review/review_service.hpp"
#include "review/stock.hpp"
#include "review_fixture.hpp"
#include "store_fixture.hpp"

namespace fulfil::picking {
namespace {

using test::StoreTest;

class PickingIt : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!store) return;
    auto& c = store->conn();
    review::StockRepository stock(c);
    auto loaded = stock.load_csv(
        "sku,on_hand,库位\nSKU-A,50,B-2-10\nSKU-B,50,B-2-9\nSKU-C,50,"
        "P-01\nSKU-D,50,\n",
        "stock.csv", "test", clock.now());
    ASSERT_TRUE(loaded) << loaded.error().message;
    const auto t = clock.now();
    test::store_trades(c, clock,
                       {test::paid_trade(2001, t - 900, "买家甲", "上海", "SKU-A", 2),
                        test::paid_trade(2002, t - 800, "买家乙", "成都", "SKU-B", 1),
                        test::paid_trade(2003, t - 700, "买家丙", "北京", "SKU-C", 3),
                        test::paid_trade(2004, t - 600, "买家丁", "武汉", "SKU-D", 1),
                        test::paid_trade(2005, t - 500, "买家戊 🎁", "西安", "SKU-A", 1)});
    const auto settings = test::quiet_settings();  // the service keeps a reference
    review::ReviewService review(c, clock, settings);
    auto taken = review.intake();
    ASSERT_TRUE(taken) << taken.error().message;
    ASSERT_TRUE(review.auto_approve());
  }
  WaveService waves() { return WaveService(store->conn(), clock, {"P-", 30}); }
  std::int64_t parcel_of(int tid) {
    return store->scalar("SELECT parcel_id FROM parcel_trades WHERE tid = " + std::to_string(tid));
  }
  static std::vector<std::string> skus(const Wave& w) {
    std::vector<std::string> out;
    for (const auto& l : w.lines) out.push_back(l.sku);
    return out;
  }
  ManualClock clock{1'800'000'000};
};

TEST_P(PickingIt, AWaveWalksThePromoZoneFirstAndSortsIntoSlotsBySerial) {
  if (!store) GTEST_SKIP() << "backend unavailable";
  auto w = waves().create(10, "picker-li");
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->state, "picking");
  ASSERT_EQ(w->parcels.size(), 5u);
  for (std::size_t i = 0; i < w->parcels.size(); ++i) {
    EXPECT_EQ(w->parcels[i].slot, static_cast<int>(i + 1));
    if (i > 0) EXPECT_LT(w->parcels[i - 1].serial, w->parcels[i].serial) << "slots follow serials";
  }
  EXPECT_EQ(skus(*w), (std::vector<std::string>{"SKU-C", "SKU-B", "SKU-A", "SKU-D"}));
  EXPECT_TRUE(w->lines[0].promo);
  EXPECT_EQ(w->lines[2].quantity, 3);
  EXPECT_EQ(w->lines[2].slots.size(), 2u) << "SKU-A goes to two parcels' slots";
  EXPECT_EQ(w->items(), 8);
  EXPECT_EQ(store->text("SELECT created_by FROM pick_waves"), "picker-li");

  auto again = waves().get(w->id);
  ASSERT_TRUE(again);
  EXPECT_EQ(skus(*again), skus(*w));
  EXPECT_EQ(waves().get(w->id + 100).error().kind, ErrorKind::not_found);
}

TEST_P(PickingIt, AParcelIsPickedInOneWaveOnlyAndOnlyOnceApproved) {
  if (!store) GTEST_SKIP() << "backend unavailable";
  store->conn().sql() << "UPDATE parcels SET state = 'ready' WHERE id = " +
                             std::to_string(parcel_of(2005));
  EXPECT_EQ(waves().create(0, "li").error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(waves().create(201, "li").error().kind, ErrorKind::invalid_input);
  auto first = waves().create(2, "li");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->parcels.size(), 2u);
  auto second = waves().create(10, "wang");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->parcels.size(), 2u) << "four approved, two taken; the ready one waits";
  auto none = waves().create(10, "wang");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::not_found);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM pick_wave_parcels"), 4);
  EXPECT_EQ(store->scalar("SELECT COUNT(DISTINCT parcel_id) FROM pick_wave_parcels"), 4);
  auto listed = waves().list(10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->at(0).id, second->id) << "the newest open wave first";
}

TEST_P(PickingIt, TheWaveIsDoneOnlyWhenEveryLineIsPickedOrShort) {
  if (!store) GTEST_SKIP() << "backend unavailable";
  auto w = waves().create(10, "li");
  ASSERT_TRUE(w);
  auto s = waves();
  EXPECT_EQ(s.pick(w->id, "SKU-Z", 1, "", "li").error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(s.pick(w->id, "SKU-A", 4, "", "li").error().kind, ErrorKind::invalid_input)
      << "three are needed";
  EXPECT_EQ(s.pick(w->id, "SKU-A", 3, "缺", "li").error().kind, ErrorKind::invalid_input)
      << "a complete line is not short";
  auto open = s.finish(w->id, "li");
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().kind, ErrorKind::conflict);
  EXPECT_NE(open.error().message.find("SKU-C, SKU-B, SKU-A, SKU-D"), std::string::npos)
      << open.error().message;

  ASSERT_TRUE(s.pick(w->id, "SKU-C", 3, "", "li"));
  ASSERT_TRUE(s.pick(w->id, "SKU-C", 3, "", "li")) << "a tablet may send a tick again";
  ASSERT_TRUE(s.pick(w->id, "SKU-B", 1, "", "li"));
  ASSERT_TRUE(s.pick(w->id, "SKU-A", 3, "", "li"));
  auto shorted = s.pick(w->id, "SKU-D", 0, "库位空了 📦", "li");
  ASSERT_TRUE(shorted);
  EXPECT_EQ(shorted->picked_items(), 7);
  EXPECT_EQ(shorted->lines[3].short_reason, "库位空了 📦");
  auto done = s.finish(w->id, "li");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->state, "picked");
  EXPECT_EQ(done->picked_by, "li");
  EXPECT_TRUE(s.finish(w->id, "li")) << "finished twice: the same answer";
  EXPECT_EQ(s.pick(w->id, "SKU-A", 2, "", "li").error().kind, ErrorKind::conflict);
}

TEST_P(PickingIt, AnInterceptedParcelIsStoppedOnTheListAndThePackStationKnowsTheSlot) {
  if (!store) GTEST_SKIP() << "backend unavailable";
  auto w = waves().create(10, "li");
  ASSERT_TRUE(w);
  ASSERT_TRUE(waves().pick(w->id, "SKU-C", 3, "", "li"));
  store->conn().sql()
      << "UPDATE parcels SET state = 'intercepted', problem = 'refund' WHERE id = " +
             std::to_string(parcel_of(2003));
  auto now = waves().get(w->id);
  ASSERT_TRUE(now);
  const auto& promo = now->lines.at(0);
  EXPECT_EQ(promo.sku, "SKU-C");
  EXPECT_EQ(promo.quantity, 0);
  EXPECT_EQ(promo.put_back(), 3) << "picked for a parcel that will not ship";
  int stopped = 0;
  for (const auto& p : now->parcels)
    if (!p.stop.empty()) {
      ++stopped;
      EXPECT_EQ(p.stop, "intercepted: refund");
    }
  EXPECT_EQ(stopped, 1);

  store->conn().sql() << "UPDATE parcels SET state = 'printed' WHERE id = " +
                             std::to_string(parcel_of(2001));
  packing::PackService pack(store->conn(), clock, courier::ConfirmAt::packed);
  auto view = pack.find("2001");
  ASSERT_TRUE(view && *view);
  ASSERT_TRUE((*view)->wave);
  EXPECT_EQ((*view)->wave->wave_id, w->id);
  int expected_slot = 0;
  for (const auto& p : w->parcels)
    if (p.parcel_id == parcel_of(2001)) expected_slot = p.slot;
  EXPECT_EQ((*view)->wave->slot, expected_slot);
}

TEST_P(PickingIt, TheBestSellersAreWhatWaitingParcelsNeedMost) {
  if (!store) GTEST_SKIP() << "backend unavailable";
  auto best = waves().best_sellers(2);
  ASSERT_TRUE(best) << best.error().message;
  ASSERT_EQ(best->size(), 2u);
  EXPECT_EQ(best->at(0).sku, "SKU-A");
  EXPECT_EQ(best->at(0).quantity, 3);
  EXPECT_EQ(best->at(0).parcels, 2);
  EXPECT_FALSE(best->at(0).in_promo_zone);
  EXPECT_EQ(best->at(1).sku, "SKU-C");
  EXPECT_TRUE(best->at(1).in_promo_zone);
}

FULFIL_ON_BOTH_BACKENDS(PickingIt);

}  // namespace
}  // namespace fulfil::picking
