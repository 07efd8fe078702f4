#include "common/money.hpp"

#include <gtest/gtest.h>

using namespace fulfil;

TEST(Money, ParsesExactFen) {
  EXPECT_EQ(parse_yuan("200.07").value(), 20007);
  EXPECT_EQ(parse_yuan("0.01").value(), 1);
  EXPECT_EQ(parse_yuan("15").value(), 1500);
  EXPECT_EQ(parse_yuan("0.5").value(), 50);
  EXPECT_EQ(parse_yuan("19.99").value(), 1999);  // 19.99 is not exact in binary floating point
  EXPECT_EQ(parse_yuan("100000000000.00").value(), 10'000'000'000'000LL);
}

TEST(Money, RejectsWhatIsNotAnAmount) {
  for (const char* bad : {"", "12.345", "abc", "1,000.00", "-5.00", "+5", ".5", "5.", "1e3",
                          "12.3.4", " 12.00", "100000000000.01", "9999999999999"}) {
    auto r = parse_yuan(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().kind, ErrorKind::invalid_input);
    }
  }
}

TEST(Money, ErrorNamesTheProblem) {
  EXPECT_NE(parse_yuan("12.345").error().message.find("more than two decimals"), std::string::npos);
  EXPECT_NE(parse_yuan("12a").error().message.find("not a number"), std::string::npos);
}

TEST(Money, Formats) {
  EXPECT_EQ(format_yuan(20007), "200.07");
  EXPECT_EQ(format_yuan(5), "0.05");
  EXPECT_EQ(format_yuan(-50), "-0.50");
  EXPECT_EQ(format_yuan(0), "0.00");
}
