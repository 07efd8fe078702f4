#include <gtest/gtest.h>

#include <map>

#include "cluster.hpp"

using fulfil::daemon::shop_owner;

namespace {

std::vector<std::string> shops(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("shop-" + std::to_string(100 + i));
  return out;
}

std::map<std::string, int> shares(const std::vector<std::string>& all,
                                  const std::vector<std::string>& members) {
  std::map<std::string, int> out;
  for (const auto& s : all) ++out[shop_owner(s, all, members)];
  return out;
}

}  // namespace

TEST(ShopOwner, ThirtyShopsOverThreeDaemonsAreTenEach) {
  const auto all = shops(30);
  const auto share = shares(all, {"a", "b", "c"});
  EXPECT_EQ(share, (std::map<std::string, int>{{"a", 10}, {"b", 10}, {"c", 10}}));
}

TEST(ShopOwner, SharesDifferByAtMostOneAndEveryShopHasOneOwner) {
  const auto all = shops(31);
  for (const std::vector<std::string>& members :
       {std::vector<std::string>{"a"}, {"a", "b"}, {"a", "b", "c", "d"}, {"x", "y", "z"}}) {
    const auto share = shares(all, members);
    int low = 1000, high = 0, total = 0;
    for (const auto& [who, n] : share) {
      EXPECT_NE(who, "") << "a shop without an owner";
      low = std::min(low, n);
      high = std::max(high, n);
      total += n;
    }
    EXPECT_EQ(total, 31);
    EXPECT_LE(high - low, 1);
    EXPECT_EQ(share.size(), members.size()) << "every daemon takes a share";
  }
}

TEST(ShopOwner, EveryDaemonComputesTheSameAnswerWhateverOrderItsConfigListsShopsIn) {
  auto all = shops(12);
  auto reversed = std::vector<std::string>(all.rbegin(), all.rend());
  for (const auto& s : all)
    EXPECT_EQ(shop_owner(s, all, {"a", "b", "c"}), shop_owner(s, reversed, {"a", "b", "c"}));
}

TEST(ShopOwner, ADaemonThatLeavesHasItsShopsTakenAndNoneAreLeftOver) {
  const auto all = shops(9);
  const auto share = shares(all, {"a", "c"});  // b died
  EXPECT_EQ(share.at("a") + share.at("c"), 9);
  EXPECT_FALSE(share.contains("b"));
}

TEST(ShopOwner, NoMembersOrAnUnknownShopHaveNoOwner) {
  EXPECT_EQ(shop_owner("shop-100", shops(3), {}), "");
  EXPECT_EQ(shop_owner("elsewhere", shops(3), {"a"}), "");
}
