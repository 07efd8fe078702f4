#include "orders/address.hpp"

#include <gtest/gtest.h>

using namespace fulfil::orders;

TEST(Address, MunicipalityForms) {
  for (auto [state, city] :
       {std::pair{"上海", "上海市"}, {"上海市", "上海市"}, {"上海", "市辖区"}, {"上海", ""}}) {
    auto a = normalise_address({state, city, "浦东新区", "", "张江路 1 号", ""});
    EXPECT_EQ(a.province, "上海市") << state << "/" << city;
    EXPECT_EQ(a.city, "上海市") << state << "/" << city;
    EXPECT_EQ(a.district, "浦东新区");
  }
}

TEST(Address, MunicipalityWithDistrictInCityField) {
  auto a = normalise_address({"北京", "朝阳区", "", "", "建国路 1 号", ""});
  EXPECT_EQ(a.city, "北京市");
  EXPECT_EQ(a.district, "朝阳区");
}

TEST(Address, EmptyCityTakesTheCityFromTheDistrict) {
  auto a = normalise_address({"广东省", "", "东莞市", "南城街道", "鸿福路 200 号", ""});
  EXPECT_EQ(a.province, "广东省");
  EXPECT_EQ(a.city, "东莞市");
  EXPECT_EQ(a.district, "南城街道");
  auto b = normalise_address({"湖北", "", "仙桃市", "", "仙桃大道 66 号", ""});
  EXPECT_EQ(b.province, "湖北省");
  EXPECT_EQ(b.city, "仙桃市");
  EXPECT_EQ(b.district, "");
}

TEST(Address, ShortProvinceAndAutonomousRegions) {
  EXPECT_EQ(normalise_address({"广西", "南宁市", "青秀区", "", "x", ""}).province,
            "广西壮族自治区");
  EXPECT_EQ(normalise_address({"内蒙古", "呼和浩特市", "新城区", "", "x", ""}).province,
            "内蒙古自治区");
  EXPECT_EQ(normalise_address({"新疆", "乌鲁木齐市", "天山区", "", "x", ""}).province,
            "新疆维吾尔自治区");
  EXPECT_EQ(normalise_address({"浙江", "杭州", "西湖区", "", "x", ""}).city, "杭州市");
  EXPECT_EQ(normalise_address({"宁夏回族自治区", "银川市", "兴庆区", "", "x", ""}).province,
            "宁夏回族自治区");
}

TEST(Address, TrimsFullWidthSpaces) {
  auto a = normalise_address({"\xE3\x80\x80浙江省 ", " 杭州市", "西湖区", "", " 文三路 ", ""});
  EXPECT_EQ(a.province, "浙江省");
  EXPECT_EQ(a.city, "杭州市");
  EXPECT_EQ(a.detail, "文三路");
}

TEST(Address, OneLineExportAddress) {
  auto a = parse_address_line("浙江省 杭州市 西湖区 文三路 478 号 A 座");
  EXPECT_EQ(a.province, "浙江省");
  EXPECT_EQ(a.city, "杭州市");
  EXPECT_EQ(a.district, "西湖区");
  EXPECT_EQ(a.detail, "文三路 478 号 A 座");
  auto m = parse_address_line("上海 上海市 徐汇区 漕溪北路 1 号");
  EXPECT_EQ(m.city, "上海市");
  EXPECT_EQ(m.district, "徐汇区");
}

TEST(Address, TheOrderReportsZipInParenthesesIsTakenOff) {
  auto a = parse_address_line("浙江省 杭州市 西湖区 文三路 478 号华星时代广场(310012)");
  EXPECT_EQ(a.province, "浙江省");
  EXPECT_EQ(a.detail, "文三路 478 号华星时代广场");
  EXPECT_EQ(a.zip, "310012");
  auto wide = parse_address_line("上海 上海市 浦东新区 张江路 88 弄（200120）");
  EXPECT_EQ(wide.zip, "200120");
  EXPECT_EQ(wide.detail, "张江路 88 弄");
  auto kept = parse_address_line("北京 北京市 朝阳区 建国路 1 号(东门)");
  EXPECT_EQ(kept.zip, "");
  EXPECT_EQ(kept.detail, "建国路 1 号(东门)");
}
