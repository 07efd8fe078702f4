#include "review/checks.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "common/utf8.hpp"

using namespace fulfil;
using namespace fulfil::review;

namespace {
orders::Trade normal() {
  orders::Trade t;
  t.tid = 1;
  t.shop = "demo";
  t.buyer_nick = "王芳";
  t.receiver_name = "王芳";
  t.receiver_mobile = "13800000000";
  t.address = {"上海市", "上海市", "浦东新区", "", "张江路 88 弄 3 号", "200120"};
  orders::TradeLine l;
  l.oid = 2;
  l.outer_sku_id = "MY-2601-12";
  l.num = 2;
  l.price = 5000;
  l.payment = 10000;
  t.lines = {l};
  t.post_fee = 1000;
  t.discount_fee = 500;
  t.payment = 10500;
  return t;
}
std::string all(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "|";
  return out;
}
}  // namespace

TEST(ReviewChecks, ANormalTradePasses) {
  EXPECT_TRUE(check_trade(normal(), {}).empty()) << all(check_trade(normal(), {}));
}

TEST(ReviewChecks, EachCheckParksWithAReadableReasonAndCanBeSwitchedOff) {
  CheckSettings on;
  on.park_flags = {1};
  on.blacklist_buyers = {"黑名单"};
  on.blacklist_addresses = {"张江路 88"};
  struct Case {
    std::function<void(orders::Trade&)> spoil;
    std::string reason;
    std::function<void(CheckSettings&)> off;
  };
  std::vector<Case> cases = {
      {[](auto& t) { t.buyer_message = "请发顺丰😊"; }, "buyer message: 请发顺丰😊",
       [](auto& c) { c.buyer_message = false; }},
      {[](auto& t) { t.seller_memo = "赠品"; }, "seller memo: 赠品",
       [](auto& c) { c.seller_memo = false; }},
      {[](auto& t) { t.seller_flag = 1; }, "seller flag red", [](auto& c) { c.park_flags = {}; }},
      {[](auto& t) { t.lines[0].refund_status = "WAIT_SELLER_AGREE"; },
       "refund WAIT_SELLER_AGREE on line 2", [](auto& c) { c.refund = false; }},
      {[](auto& t) { t.address.city = ""; }, "address incomplete",
       [](auto& c) { c.address = false; }},
      {[](auto& t) { t.address.province = "火星"; }, "address not recognised: province \"火星\"",
       [](auto& c) { c.address = false; }},
      {[](auto& t) { t.receiver_mobile = ""; }, "no phone number",
       [](auto& c) { c.address = false; }},
      {[](auto& t) { t.payment = 10400; },
       "payment 104.00 differs from lines + postage - discount = 105.00",
       [](auto& c) { c.payment = false; }},
      {[](auto& t) { t.buyer_nick = "黑名单"; }, "buyer 黑名单 is on the blacklist",
       [](auto& c) { c.blacklist_buyers = {}; }},
      {[](auto&) {}, "address matches blacklist entry \"张江路 88\"",
       [](auto& c) { c.blacklist_addresses = {}; }},
  };
  for (const auto& c : cases) {
    orders::Trade t = normal();
    c.spoil(t);
    CheckSettings s = on;
    if (c.reason.find("blacklist entry") == std::string::npos) s.blacklist_addresses = {};
    const auto reasons = all(check_trade(t, s));
    EXPECT_NE(reasons.find(c.reason), std::string::npos) << reasons;
    c.off(s);
    EXPECT_EQ(all(check_trade(t, s)).find(c.reason), std::string::npos) << c.reason;
  }
}

TEST(ReviewChecks, MemoKeywordsNarrowTheMemoCheck) {
  CheckSettings s;
  s.memo_keywords = {"换", "不发"};
  orders::Trade t = normal();
  t.seller_memo = "VIP客户";
  EXPECT_TRUE(check_trade(t, s).empty());
  t.seller_memo = "客户要求换颜色";
  EXPECT_EQ(check_trade(t, s).size(), 1u);
}

TEST(ReviewChecks, LongMessagesAreCutOnCharacterBoundaries) {
  orders::Trade t = normal();
  t.buyer_message = std::string(200, 'x') + "周末送货";
  t.buyer_message = "周末送货🎁" + std::string(40, 'y') + "送人的，不要放发货单🎁🎁🎁🎁";
  const auto reason = check_trade(t, {}).front();
  EXPECT_LE(reason.size(), 120u);
  EXPECT_FALSE(fulfil::find_invalid_utf8(reason).has_value());
}

TEST(ReviewChecks, KeysForMergeDuplicatesAndCities) {
  orders::Trade a = normal(), b = normal();
  b.tid = 9;
  EXPECT_EQ(items_key(a), items_key(b));
  EXPECT_EQ(merge_key(a, false), merge_key(b, false));
  b.shop = "other";
  EXPECT_NE(merge_key(a, false), merge_key(b, false));
  EXPECT_EQ(merge_key(a, true), merge_key(b, true));
  b.lines[0].num = 3;
  EXPECT_NE(items_key(a), items_key(b));
  EXPECT_TRUE(is_key_city("上海市", {"北京", "上海"}));
  EXPECT_TRUE(is_key_city("深圳市", {"深圳市"}));
  EXPECT_FALSE(is_key_city("东莞市", {"北京", "上海", "广州", "深圳", "杭州"}));
}
