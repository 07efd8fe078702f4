// The pack station's rules without a store: which line an item verifies, a wrong item, one
// too many, an unknown barcode, who may work on a parcel, and when it may be packed.
#include <gtest/gtest.h>

#include "packing/pack_rules.hpp"

namespace fulfil::packing {
namespace {

PackView two_lines() {
  PackView v;
  v.parcel.id = 7;
  v.parcel.state = review::State::printed;
  v.lines = {{1, "T恤", "黑色;L", "TX-1", "690001", "A-01", 2, 0, ""},
             {2, "围巾", "藏青", "WJ-3", "690002", "A-02", 1, 0, ""}};
  return v;
}

std::string code_of(const std::variant<std::size_t, Refusal>& r) {
  return std::holds_alternative<Refusal>(r) ? std::get<Refusal>(r).code : "";
}

TEST(PackRules, AnItemVerifiesTheFirstLineOfItsSkuWithRoomLeft) {
  auto v = two_lines();
  EXPECT_EQ(std::get<std::size_t>(line_for_item(v, "WJ-3", "690002", true)), 1u);
  v.lines[0].verified = 2;
  EXPECT_EQ(code_of(line_for_item(v, "TX-1", "690001", true)), "over_scan");
  EXPECT_EQ(std::get<Refusal>(line_for_item(v, "TX-1", "690001", true)).message,
            "one too many: all 2 of TX-1 are scanned already");
  v.lines[1].short_reason = "缺货";
  EXPECT_EQ(code_of(line_for_item(v, "WJ-3", "690002", true)), "over_scan")
      << "a short line takes no more items";
  EXPECT_EQ(code_of(line_for_item(v, "MY-9", "690009", true)), "wrong_item");
  EXPECT_EQ(code_of(line_for_item(v, "??", "??", false)), "unknown_barcode");
}

TEST(PackRules, AStopComesBeforeEverythingAndAnotherStationWaitsUntilTheHoldIsIdle) {
  auto v = two_lines();
  EXPECT_FALSE(may_work(v, "台1", 1000));
  v.station = "台1";
  v.user = "li";
  v.held_until_idle = 1000;
  EXPECT_FALSE(may_work(v, "台1", 1001));
  EXPECT_EQ(may_work(v, "台2", 1000 + k_hold_idle_seconds - 1)->code, "held_elsewhere");
  EXPECT_FALSE(may_work(v, "台2", 1000 + k_hold_idle_seconds)) << "idle: taken over";
  v.stop = "intercepted: refund";
  EXPECT_EQ(may_work(v, "台1", 1001)->code, "stop");
  v.stop.clear();
  v.packed_at = 1002;
  EXPECT_EQ(may_work(v, "台1", 1003)->code, "packed");
  v.packed_at.reset();
  v.parcel.state = review::State::approved;
  EXPECT_EQ(may_work(v, "台1", 1003)->code, "not_packable");
}

TEST(PackRules, AParcelIsPackedOnlyVerifiedAndPrinted) {
  auto v = two_lines();
  auto early = may_finish(v);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->message, "not every item is scanned: TX-1 0/2, WJ-3 0/1");
  v.lines[0].verified = 2;
  v.lines[1].short_reason = "缺货";
  EXPECT_TRUE(v.verified());
  EXPECT_FALSE(may_finish(v));
  v.parcel.state = review::State::waybill;
  EXPECT_EQ(may_finish(v)->code, "not_printed");
  EXPECT_FALSE(PackView{}.verified()) << "a parcel without lines is never verified";
}

}  // namespace
}  // namespace fulfil::packing
