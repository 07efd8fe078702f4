// Reminder texts checked when saved: unknown placeholders, the product named, the buyer's
// name early, 70 characters with the signature and the shop's longest real values.
#include <gtest/gtest.h>

#include "reminders/message_template.hpp"

namespace fulfil::reminders {
namespace {

const Values k_longest = {{"顾客姓名", "欧阳诸葛明月"},  // the shop's longest buyer name
                          {"商品名称", "纯棉短袖T恤"},
                          {"店铺名称", "某某旗舰店"},
                          {"下单时间", "11-11 10:05"},
                          {"剩余天数", "2"}};

TEST(ReminderTemplate, AGoodTextPassesAndFillsEveryPlaceholder) {
  const std::string text =
      "{$顾客姓名$}您好，您拍下的{$商品名称$}还未付款，还剩{$剩余天数$}天，库存有限哦";
  EXPECT_TRUE(check_sms_template(text, "某某旗舰店", k_longest));
  EXPECT_EQ(fill(text, k_longest),
            "欧阳诸葛明月您好，您拍下的纯棉短袖T恤还未付款，还剩2天，库存有限哦");
  EXPECT_EQ(placeholders_of(text), (std::vector<std::string>{"顾客姓名", "商品名称", "剩余天数"}));
  EXPECT_EQ(fill("{$Name$} {$商品名称$", k_longest), "{$Name$} {$商品名称$")
      << "unknown and unclosed placeholders stay as written";
}

TEST(ReminderTemplate, EveryProblemIsNamed) {
  // Seed 003's third sample: {$Name$} is no placeholder here, no product, and too long.
  auto r = check_sms_template(
      "您好{$Name$}，您在{$店铺名称$}购买的宝贝还未付款，麻烦您尽快在方便的时候支付好，我们好安排"
      "发货，谢谢亲的支持，祝您永远漂亮美丽！",
      "某某旗舰店", k_longest);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("unknown placeholder {$Name$}"), std::string::npos);
  EXPECT_NE(r.error().message.find("the product is not named"), std::string::npos);
  EXPECT_NE(r.error().message.find("is billed as 2 messages"), std::string::npos)
      << r.error().message;

  auto late =
      check_sms_template("尊敬的顾客，您好：{$顾客姓名$}，{$商品名称$}未付款", "店", k_longest);
  ASSERT_FALSE(late);
  EXPECT_NE(late.error().message.find("the buyer's name starts at character 10"),
            std::string::npos);
}

TEST(ReminderTemplate, LengthCountsTheSignatureAndCharactersNotBytes) {
  EXPECT_EQ(sms_characters("某某旗舰店", "亲，付款哦"), 12u);
  EXPECT_EQ(sms_parts(70), 1u);
  EXPECT_EQ(sms_parts(71), 2u);
  EXPECT_EQ(sms_parts(134), 2u);
  EXPECT_EQ(sms_parts(135), 3u);
  const std::string sixty(58, 'x');  // 58 + 【某某旗舰店】(7) = 65 with the product name below
  EXPECT_TRUE(check_sms_template("{$商品名称$}" + sixty.substr(0, 57), "某某旗舰店", k_longest));
  EXPECT_FALSE(check_sms_template("{$商品名称$}" + sixty, "某某旗舰店", k_longest));
}

}  // namespace
}  // namespace fulfil::reminders
