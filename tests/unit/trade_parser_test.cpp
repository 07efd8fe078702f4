#include "platform/trade_parser.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

using namespace fulfil;
using namespace fulfil::platform;
namespace json = boost::json;

namespace {

std::string good_trade(std::string override_field = "", std::string override_value = "") {
  std::map<std::string, std::string> f = {
      {"tid", "4000000000000000017"},
      {"status", "\"WAIT_SELLER_SEND_GOODS\""},
      {"created", "\"2026-11-11 00:00:01\""},
      {"pay_time", "\"2026-11-11 00:00:30\""},
      {"modified", "\"2026-11-11 00:00:31\""},
      {"payment", "\"200.07\""},
      {"total_fee", "\"190.07\""},
      {"post_fee", "\"10.00\""},
      {"buyer_nick", "\"王芳\""},
      {"buyer_message", "\"请发中通😊\""},
      {"receiver_name", "\"王芳\""},
      {"receiver_state", "\"上海\""},
      {"receiver_city", "\"上海市\""},
      {"receiver_district", "\"浦东新区\""},
      {"receiver_address", "\"张江路 1 号\""},
      {"orders",
       R"({"order":[{"oid":4000000000000000018,"title":"毛衣","price":"190.07","num":1,"payment":"190.07","sku_properties_name":"颜色分类:深紫色;尺码:S"}]})"},
  };
  if (!override_field.empty()) {
    if (override_value.empty())
      f.erase(override_field);
    else
      f[override_field] = override_value;
  }
  std::string out = "{";
  for (const auto& [k, v] : f) out += (out.size() > 1 ? "," : "") + ("\"" + k + "\":" + v);
  return out + "}";
}

std::variant<orders::Trade, orders::Rejection> parse(const std::string& text) {
  json::parse_options o;
  o.allow_invalid_utf8 = true;
  return parse_trade(json::parse(text, {}, o), "demo");
}

}  // namespace

TEST(TradeParser, ReadsAGoodTradeExactly) {
  auto r = parse(good_trade());
  ASSERT_TRUE(std::holds_alternative<orders::Trade>(r)) << std::get<orders::Rejection>(r).reason;
  const auto& t = std::get<orders::Trade>(r);
  EXPECT_EQ(t.tid, 4000000000000000017);  // beyond 2^53: a double would make it ...016
  EXPECT_EQ(t.payment, 20007);
  EXPECT_EQ(t.post_fee, 1000);
  EXPECT_EQ(t.buyer_message, "请发中通😊");
  EXPECT_EQ(t.address.province, "上海市");
  ASSERT_EQ(t.lines.size(), 1u);
  EXPECT_EQ(t.lines[0].oid, 4000000000000000018);
  EXPECT_EQ(t.lines[0].sku_properties, "颜色分类:深紫色;尺码:S");
}

TEST(TradeParser, TidAsStringIsFine) {
  auto r = parse(good_trade("tid", "\"4000000000000000017\""));
  ASSERT_TRUE(std::holds_alternative<orders::Trade>(r));
  EXPECT_EQ(std::get<orders::Trade>(r).tid, 4000000000000000017);
}

TEST(TradeParser, EachKindOfBadFieldIsNamed) {
  struct Case {
    std::string field, value, expect_field, expect_reason;
  };
  std::vector<Case> cases = {
      {"tid", "", "tid", "missing"},
      {"tid", "4.000000000000000017e18", "tid", "expected an integer id"},
      {"tid", "\"9999999999999999999\"", "tid", "not a 64-bit id"},
      {"payment", "\"200.075\"", "payment", "more than two decimals"},
      {"payment", "\"two hundred\"", "payment", "not a number"},
      {"payment", "200.07", "payment", "expected an amount string"},
      {"buyer_nick", "\"bad\xFF\xFEutf8\"", "buyer_nick", "invalid UTF-8"},
      {"buyer_message", "\"" + std::string(100000, 'x') + "\"", "buyer_message", "too long"},
      {"created", "\"1899-01-01 00:00:00\"", "created", "year out of range"},
      {"modified", "\"2026-11-11\"", "modified", "expected yyyy-MM-dd HH:mm:ss"},
      {"status", "42", "status", "expected a string"},
      {"orders", "{\"order\":[]}", "orders.order", "without lines"},
      {"orders", "{\"order\":[{\"oid\":1,\"title\":\"t\",\"price\":\"1.00\",\"num\":0}]}",
       "orders.order[0].num", "outside"},
      {"orders", "[]", "orders.order", "missing or not an array"},
  };
  for (const auto& c : cases) {
    auto r = parse(good_trade(c.field, c.value));
    ASSERT_TRUE(std::holds_alternative<orders::Rejection>(r))
        << c.field << "=" << c.value.substr(0, 40);
    const auto& rej = std::get<orders::Rejection>(r);
    EXPECT_EQ(rej.shop, "demo");
    EXPECT_EQ(rej.field, c.expect_field) << rej.reason;
    EXPECT_NE(rej.reason.find(c.expect_reason), std::string::npos) << rej.reason;
    if (c.field != "tid") {
      EXPECT_EQ(rej.tid, 4000000000000000017);  // the tid still names it
    }
    EXPECT_FALSE(rej.payload.empty());
  }
}

TEST(TradeParser, OneBadTradeCostsOnlyItself) {
  json::parse_options o;
  o.allow_invalid_utf8 = true;
  auto node = json::parse("{\"trade\":[" + good_trade() + "," + good_trade("payment", "\"1.001\"") +
                              "," + good_trade("tid", "4000000000000000099") + "]}",
                          {}, o);
  ParsedTrades out;
  parse_trade_list(&node, "demo", out);
  EXPECT_EQ(out.trades.size(), 2u);
  ASSERT_EQ(out.rejected.size(), 1u);
  EXPECT_EQ(out.rejected[0].field, "payment");
}

TEST(TradeParser, AnEmptyPageHasNoTrades) {
  ParsedTrades out;
  parse_trade_list(nullptr, "demo", out);
  EXPECT_TRUE(out.trades.empty());
  EXPECT_TRUE(out.rejected.empty());
}
