// The pick walk's order, pure: locations compared with digit runs as numbers, the promo zone
// first, SKUs without a location last, quantities summed per SKU with their slots, and
// parcels stopped since the wave was made left out.
#include <gtest/gtest.h>

#include "picking/walk_order.hpp"

namespace fulfil::picking {
namespace {

TEST(WalkOrder, LocationsCompareTheirNumbersAsNumbers) {
  EXPECT_TRUE(location_before("A-2-9", "A-2-10"));
  EXPECT_FALSE(location_before("A-2-10", "A-2-9"));
  EXPECT_TRUE(location_before("A-10-1", "B-1-1"));
  EXPECT_TRUE(location_before("A-02", "A-3")) << "leading zeros do not count";
  EXPECT_FALSE(location_before("A-02", "A-2"));
  EXPECT_FALSE(location_before("A-2", "A-02"));
  EXPECT_TRUE(location_before("A-2", "A-2-1")) << "a shelf before its bins";
  EXPECT_FALSE(location_before("A-2", "A-2"));
  EXPECT_TRUE(location_before("货架1-2", "货架1-10"));
}

TEST(WalkOrder, ThePromoZoneComesFirstThenLocationsThenSkusWithoutOne) {
  std::vector<PickNeed> needs = {
      {"SKU-A", "T恤", "红 L", "B-2-10", 1, 2, false},
      {"SKU-D", "袜子", "", "", 2, 1, false},
      {"SKU-B", "裤子", "", "B-2-9", 3, 1, false},
      {"SKU-C", "爆款帽子", "", "P-01", 4, 3, false},
      {"SKU-A", "T恤", "红 L", "B-2-10", 5, 1, false},
  };
  auto lines = walk(needs, "P-");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].sku, "SKU-C");
  EXPECT_TRUE(lines[0].promo);
  EXPECT_EQ(lines[1].sku, "SKU-B");
  EXPECT_EQ(lines[2].sku, "SKU-A");
  EXPECT_EQ(lines[3].sku, "SKU-D");
  EXPECT_EQ(lines[3].no, 4);
  EXPECT_EQ(lines[2].quantity, 3);
  EXPECT_EQ(slots_text(lines[2].slots), "#1×2 #5");
  EXPECT_FALSE(walk(needs, "")[0].promo) << "no promo zone configured";
  EXPECT_EQ(walk(needs, "")[0].sku, "SKU-B");
}

TEST(WalkOrder, AStoppedParcelsItemsAreNotPickedAndWhatWasIsPutBack) {
  std::vector<PickNeed> needs = {{"SKU-A", "T恤", "", "A-1", 1, 2, false},
                                 {"SKU-A", "T恤", "", "A-1", 2, 4, true}};
  auto lines = walk(needs, "");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].quantity, 2);
  EXPECT_EQ(slots_text(lines[0].slots), "#1×2");
  lines[0].picked = 6;
  EXPECT_EQ(lines[0].put_back(), 4);
  EXPECT_TRUE(lines[0].done());
  lines[0].picked = 1;
  EXPECT_FALSE(lines[0].done());
  lines[0].short_reason = "库位空了";
  EXPECT_TRUE(lines[0].done());
}

}  // namespace
}  // namespace fulfil::picking
