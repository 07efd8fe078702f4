// Choosing whom to remind: a buyer's unpaid trades in one shop are one reminder with the
// summed amount; sensitive buyers are left out; big orders come first, then the oldest.
#include <gtest/gtest.h>

#include "reminders/selection.hpp"

namespace fulfil::reminders {
namespace {

TEST(ReminderSelection, OneReminderPerBuyerAndShopBigOnesFirst) {
  const std::vector<UnpaidTrade> trades = {
      {101, "旗舰店", "张三", "13800000001", 5000, 1000},
      {102, "旗舰店", "李四 🌸", "13800000002", 30000, 900},
      {103, "旗舰店", "张三", "", 47000, 1100},  // with 101: ¥520, a big order
      {104, "二店", "张三", "13800000001", 1000, 800},
      {105, "旗舰店", "王五", "13800000005", 900000, 700},
  };
  auto c = select_candidates(trades, 50000, {"王五"});
  ASSERT_EQ(c.size(), 3u) << "王五 is sensitive";
  EXPECT_EQ(c[0].buyer_nick, "张三");
  EXPECT_EQ(c[0].shop, "旗舰店");
  EXPECT_TRUE(c[0].big);
  EXPECT_EQ(c[0].amount, 52000);
  EXPECT_EQ(c[0].tids, (std::vector<orders::Tid>{101, 103}));
  EXPECT_EQ(c[0].first_placed, 1000);
  EXPECT_EQ(c[0].mobile, "13800000001");
  EXPECT_EQ(c[1].shop, "二店") << "the same buyer in another shop is another reminder; oldest next";
  EXPECT_EQ(c[2].buyer_nick, "李四 🌸");
  EXPECT_FALSE(c[2].big);
  EXPECT_FALSE(select_candidates(trades, 0, {})[0].big) << "no threshold, no big orders";
}

}  // namespace
}  // namespace fulfil::reminders
