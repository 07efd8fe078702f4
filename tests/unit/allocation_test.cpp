#include "courier/allocation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace fulfil;
using namespace fulfil::courier;

namespace {
CourierSettings three() {
  CourierSettings s;
  s.couriers = {{"ZTO", "中通", Source::pool, 50, 0, {}, {"中通"}, 450},
                {"YTO", "圆通", Source::pool, 30, 0, {"新疆", "西藏"}, {"圆通"}, 420},
                {"SF", "顺丰", Source::pool, 20, 0, {}, {"顺丰", "SF"}, 1200}};
  return s;
}
ParcelFacts hangzhou() {
  return {"浙江省", "杭州市", "", 10000};
}
}  // namespace

TEST(Allocation, BalanceStaysWithinTwoPointsOfTheTargetsOver10000Parcels) {
  auto s = three();
  DayCounts today;
  std::mt19937 rng(7);
  const char* provinces[] = {"浙江省", "新疆维吾尔自治区", "广东省", "西藏自治区", "上海市"};
  for (int i = 0; i < 10000; ++i) {
    ParcelFacts p{provinces[rng() % 5], "某市", "", 100};
    auto a = allocate(p, s, today);
    ASSERT_TRUE(a) << a.error().message;
    ++today.per_courier[a->courier];
    if (i == 9999 || i == 999) {
      // YTO cannot serve 2 of 5 provinces; ZTO and SF make up for it in their proportion.
      const double total = today.total();
      const double zto = today.per_courier["ZTO"] / total, yto = today.per_courier["YTO"] / total,
                   sf = today.per_courier["SF"] / total;
      EXPECT_NEAR(zto + yto + sf, 1.0, 1e-9);
      EXPECT_NEAR(yto, 0.30, 0.02) << "YTO takes its share where it can deliver";
      EXPECT_NEAR(zto / (zto + sf), 50.0 / 70, 0.02);
    }
  }
}

TEST(Allocation, WithoutExclusionsSharesAreExactWithinOneParcel) {
  auto s = three();
  DayCounts today;
  for (int i = 0; i < 10000; ++i) ++today.per_courier[allocate(hangzhou(), s, today)->courier];
  EXPECT_NEAR(today.per_courier["ZTO"], 5000, 1);
  EXPECT_NEAR(today.per_courier["YTO"], 3000, 1);
  EXPECT_NEAR(today.per_courier["SF"], 2000, 1);
}

TEST(Allocation, CapacityIsNeverExceededAndThenNobodyCanTakeIt) {
  auto s = three();
  s.couriers[0].daily_capacity = 100;
  s.couriers[1].daily_capacity = 50;
  s.couriers[2].daily_capacity = 10;
  DayCounts today;
  int refused = 0;
  for (int i = 0; i < 300; ++i) {
    auto a = allocate(hangzhou(), s, today);
    if (!a) {
      ++refused;
      EXPECT_EQ(a.error().kind, ErrorKind::invalid_input);
      EXPECT_NE(a.error().message.find("ZTO is at its daily capacity of 100"), std::string::npos);
      continue;
    }
    ++today.per_courier[a->courier];
  }
  EXPECT_EQ(today.per_courier["ZTO"], 100);
  EXPECT_EQ(today.per_courier["YTO"], 50);
  EXPECT_EQ(today.per_courier["SF"], 10);
  EXPECT_EQ(refused, 140);
}

TEST(Allocation, TheBuyersRequestWinsWhenThatCourierCanTakeIt) {
  auto s = three();
  auto p = hangzhou();
  p.buyer_message = "请发顺丰，谢谢😊";
  auto a = allocate(p, s, {});
  EXPECT_EQ(a->courier, "SF");
  EXPECT_EQ(a->reason, "the buyer asked for 顺丰");
  p.province = "新疆维吾尔自治区";
  p.buyer_message = "发圆通";
  a = allocate(p, s, {});
  EXPECT_NE(a->courier, "YTO");
  EXPECT_NE(
      a->reason.find("the buyer asked for 圆通, which cannot take it: YTO does not serve 新疆"),
      std::string::npos)
      << a->reason;
  s.honour_buyer_request = false;
  p.province = "浙江省";
  EXPECT_EQ(allocate(p, s, {})->courier, "ZTO");
}

TEST(Allocation, RegionRulesComeBeforeBalance) {
  auto s = three();
  s.region_rules = {{"广东", "SF"}};
  auto a = allocate({"广东省", "深圳市", "", 1}, s, {});
  EXPECT_EQ(a->courier, "SF");
  EXPECT_EQ(a->reason, "region rule 广东 -> SF");
  EXPECT_EQ(allocate({"浙江省", "杭州市", "", 1}, s, {})->courier, "ZTO");
}

TEST(Allocation, ACourierWithoutNumbersIsSkippedAndNamedWhenNoneRemain) {
  auto s = three();
  EXPECT_EQ(allocate(hangzhou(), s, {}, {"ZTO"})->courier, "YTO");
  auto none = allocate(hangzhou(), s, {}, {"ZTO", "YTO", "SF"});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("SF has no waybill numbers left"), std::string::npos);
}

TEST(Allocation, ConfigurationMistakesAreNamed) {
  auto s = three();
  s.couriers[0].share = 90;
  s.region_rules = {{"新疆", "EMS"}};
  s.couriers.push_back(s.couriers[1]);
  auto e = validate(s);
  std::string all;
  for (const auto& x : e) all += x + "\n";
  EXPECT_NE(all.find("courier YTO is configured twice"), std::string::npos) << all;
  EXPECT_NE(all.find("shares add up to 170%"), std::string::npos) << all;
  EXPECT_NE(all.find("region rule 新疆: no courier EMS"), std::string::npos) << all;
}

#include "courier/sf_protocol.hpp"

TEST(SfProtocol, TheSpecsDigestVector) {
  EXPECT_EQ(sf::msg_digest(R"({"language":"zh-CN","orderId":"QIAO-20200618-004"})",
                           "12312334453453", "fjcg5PGKaNpPSHFAZ4QsCOkV71R3zVci"),
            "IIKJtuLVzoFTu4kHI8M8vA==");
}

TEST(SfProtocol, JavaUrlEncoding) {
  EXPECT_EQ(sf::java_url_encode("a b.c-d*e_f~!"), "a+b.c-d*e_f%7E%21");
  EXPECT_EQ(sf::java_url_encode("顺"), "%E9%A1%BA");
}

TEST(SfProtocol, AnswersMapToErrorKinds) {
  auto ok = sf::read_answer(
      R"({"apiResultCode":"A1000","apiErrorMsg":"","apiResultData":"{\"success\":true,\"errorCode\":\"S0000\",\"msgData\":{\"orderId\":\"x\"}}"})");
  ASSERT_TRUE(ok);
  EXPECT_NE(ok->msg_data.find("\"orderId\":\"x\""), std::string::npos);
  auto dup = sf::read_answer(
      R"({"apiResultCode":"A1000","apiResultData":"{\"success\":false,\"errorCode\":\"8016\",\"errorMsg\":\"重复下单\"}"})");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().kind, ErrorKind::remote_reject);
  EXPECT_EQ(sf::business_code(dup.error()), "8016");
  EXPECT_EQ(sf::read_answer(R"({"apiResultCode":"A1005","apiErrorMsg":"limit"})").error().kind,
            ErrorKind::rate_limited);
  EXPECT_EQ(sf::read_answer(R"({"apiResultCode":"A1006","apiErrorMsg":"digest"})").error().kind,
            ErrorKind::auth);
  EXPECT_EQ(sf::read_answer(R"({"apiResultCode":"A10)").error().kind, ErrorKind::network);
}
