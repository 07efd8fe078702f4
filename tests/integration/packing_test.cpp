// The pack station's steps on both backends: verifying by scanning (a wrong item, one too
// many, an unknown barcode), a short line, two stations on one parcel (and the takeover of an
// idle one), an interception between two scans, and the move to packed with its event.
// The parcels are made by the real intake and approval; their labels' printing is set in
// the store (the printing module's own tests cover it).
#include <gtest/gtest.h>

#include "packing/packing.hpp"
#include "review/review_service.hpp"
#include "review/stock.hpp"
#include "review_fixture.hpp"
#include "store_fixture.hpp"

namespace fulfil::packing {
namespace {

using test::StoreTest;

class PackingIt : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!store) return;
    auto& c = store->conn();
    review::StockRepository stock(c);
    ASSERT_TRUE(
        stock.load_csv("sku,on_hand,barcode\nSKU-1,50,6900000000011\nSKU-2,50,"
                       "6900000000028\nSKU-9,50,6900000000097\n",
                       "stock.csv", "test", clock.now()));
    test::store_trades(c, clock,
                       {test::paid_trade(1001, clock.now() - 600, "买家甲", "上海", "SKU-1", 2),
                        test::paid_trade(1002, clock.now() - 500, "买家乙", "北京", "SKU-2", 1)});
    const auto settings = test::quiet_settings();
    review::ReviewService review(c, clock, settings);
    ASSERT_TRUE(review.intake());
    ASSERT_TRUE(review.auto_approve());
    c.sql() << "UPDATE parcels SET state = 'printed'";
    first = store->scalar("SELECT parcel_id FROM parcel_trades WHERE tid = 1001");
    second = store->scalar("SELECT parcel_id FROM parcel_trades WHERE tid = 1002");
  }
  PackService service() { return PackService(store->conn(), clock, courier::ConfirmAt::packed); }
  std::string refusal(const Result<PackOutcome>& r) {
    EXPECT_TRUE(r) << r.error().message;
    return r && r->refused ? r->refused->code : "";
  }
  ManualClock clock{1'800'000'000};
  std::int64_t first = 0, second = 0;
};

TEST_P(PackingIt, ItemsAreVerifiedByScanningAndTheParcelIsPackedOnlyWhenAllAre) {
  if (!store) GTEST_SKIP() << "backend unavailable";
  auto s = service();
  auto found = s.find("1001");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->parcel.id, first);
  EXPECT_EQ((*found)->lines.at(0).barcode, "6900000000011");
  EXPECT_FALSE(*s.find("买家甲")) << "a scanner reads codes, not buyer names";

  EXPECT_EQ(refusal(s.start(first, "台1", "li")), "");
  EXPECT_EQ(refusal(s.scan(first, "台1", "li", "6900000000028")), "wrong_item");
  EXPECT_EQ(refusal(s.scan(first, "台1", "li", "NOPE")), "unknown_barcode");
  EXPECT_EQ(refusal(s.finish(first, "台1", "li", 500)), "not_verified");
  EXPECT_EQ(refusal(s.scan(first, "台1", "li", "6900000000011")), "");
  EXPECT_EQ(refusal(s.scan(first, "台1", "li", "SKU-1")), "") << "the SKU on the item works too";
  auto over = s.scan(first, "台1", "li", "6900000000011");
  EXPECT_EQ(refusal(over), "over_scan");
  EXPECT_EQ(over->view.lines.at(0).verified, 2) << "an over-scan counts nothing";
  EXPECT_FALSE(s.finish(first, "台1", "li", 0)) << "a weight is required";

  auto packed = s.finish(first, "台1", "li", 730);
  EXPECT_EQ(refusal(packed), "");
  EXPECT_EQ(packed->view.parcel.state, review::State::packed);
  EXPECT_EQ(packed->view.weight_g, 730);
  EXPECT_EQ(store->text("SELECT detail FROM parcel_events WHERE to_state = 'packed'"),
            "packed at station 台1, 730 g");
  EXPECT_EQ(refusal(s.start(first, "台2", "wang")), "packed");
}

TEST_P(PackingIt, AShortLineShipsWithoutItAndItsReasonIsKept) {
  if (!store) GTEST_SKIP() << "backend unavailable";
  auto s = service();
  ASSERT_TRUE(s.scan(first, "台1", "li", "6900000000011"));
  const auto oid = store->scalar("SELECT MIN(oid) FROM trade_lines WHERE tid = 1001");
  EXPECT_FALSE(s.mark_short(first, "台1", "li", oid, "")) << "a short line says why";
  EXPECT_FALSE(s.mark_short(first, "台1", "li", 42, "缺货")) << "not a line of this parcel";
  auto marked = s.mark_short(first, "台1", "li", oid, "缺货 📦");
  EXPECT_EQ(refusal(marked), "");
  EXPECT_EQ(marked->view.lines.at(0).short_reason, "缺货 📦");
  EXPECT_EQ(refusal(s.finish(first, "台1", "li", 300)), "");
}

TEST_P(PackingIt, TheSecondStationIsToldWhoHasItUntilTheFirstHasBeenIdle) {
  if (!store) GTEST_SKIP() << "backend unavailable";
  auto s = service();
  ASSERT_EQ(refusal(s.scan(first, "台1", "li", "6900000000011")), "");
  auto other = s.start(first, "台2", "wang");
  EXPECT_EQ(refusal(other), "held_elsewhere");
  EXPECT_EQ(other->refused->message, "station 台1 (li) is packing this parcel");
  EXPECT_EQ(refusal(s.scan(first, "台2", "wang", "6900000000011")), "held_elsewhere");
  clock.advance(k_hold_idle_seconds + 1);
  auto taken = s.start(first, "台2", "wang");
  EXPECT_EQ(refusal(taken), "");
  EXPECT_EQ(taken->view.station, "台2");
  EXPECT_EQ(taken->view.lines.at(0).verified, 0) << "the items are at the other station";
}

TEST_P(PackingIt, AnInterceptionBetweenTwoScansStopsTheNextStep) {
  if (!store) GTEST_SKIP() << "backend unavailable";
  auto s = service();
  ASSERT_EQ(refusal(s.scan(first, "台1", "li", "6900000000011")), "");
  store->conn().sql() << "UPDATE parcels SET state = 'intercepted', problem = 'refund "
                         "WAIT_SELLER_AGREE' WHERE id = "
                      << first;
  auto stopped = s.scan(first, "台1", "li", "6900000000011");
  EXPECT_EQ(refusal(stopped), "stop");
  EXPECT_NE(stopped->refused->message.find("refund WAIT_SELLER_AGREE"), std::string::npos);
  EXPECT_EQ(refusal(s.finish(first, "台1", "li", 500)), "stop");
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'packed'"), 0);
  // A parcel still in review is not the station's.
  store->conn().sql() << "UPDATE parcels SET state = 'ready' WHERE id = " << second;
  EXPECT_EQ(refusal(s.start(second, "台1", "li")), "not_packable");
}

FULFIL_ON_BOTH_BACKENDS(PackingIt);

}  // namespace
}  // namespace fulfil::packing
