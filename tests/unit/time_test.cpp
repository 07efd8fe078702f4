#include "common/timeutil.hpp"

#include <gtest/gtest.h>

using namespace fulfil;

TEST(Time, PlatformTimeIsGmt8) {
  // 2026-11-11 00:00:00 in Shanghai is 2026-11-10 16:00:00 UTC.
  EXPECT_EQ(parse_gmt8("2026-11-11 00:00:00").value(), 1794326400 + 0);
  EXPECT_EQ(format_gmt8(1794326400), "2026-11-11 00:00:00");
  EXPECT_EQ(format_iso_shanghai(1794326400), "2026-11-11T00:00:00+08:00");
}

TEST(Time, RoundTripsEverySecondOfADayBoundary) {
  for (UnixSeconds t = 1794326400 - 5; t < 1794326400 + 5; ++t)
    EXPECT_EQ(parse_gmt8(format_gmt8(t)).value(), t);
}

TEST(Time, LeapDays) {
  EXPECT_TRUE(parse_gmt8("2028-02-29 12:00:00"));
  EXPECT_FALSE(parse_gmt8("2026-02-29 12:00:00"));
  EXPECT_FALSE(parse_gmt8("2100-02-29 12:00:00"));
}

TEST(Time, RejectsBadShapesAndRanges) {
  for (const char* bad :
       {"", "2026-11-11", "2026/11/11 00:00:00", "2026-13-01 00:00:00", "2026-11-31 00:00:00",
        "2026-11-11 24:00:00", "2026-11-11 23:60:00", "1970-01-01 00:00:00", "2150-01-01 00:00:00",
        "2026-11-11 00:00:00Z", "２０２６-11-11 00:00:00"})
    EXPECT_FALSE(parse_gmt8(bad)) << bad;
}

TEST(Time, IsoWithOffsets) {
  auto base = parse_gmt8("2026-11-11 08:00:00").value();
  EXPECT_EQ(parse_iso("2026-11-11T08:00:00+08:00").value(), base);
  EXPECT_EQ(parse_iso("2026-11-11T00:00:00Z").value(), base);
  EXPECT_EQ(parse_iso("2026-11-10T19:00:00-05:00").value(), base);
  EXPECT_EQ(parse_iso("2026-11-11 08:00:00").value(), base);  // no zone: Shanghai
  EXPECT_EQ(parse_iso("2026-11-11").value(), parse_gmt8("2026-11-11 00:00:00").value());
  EXPECT_FALSE(parse_iso("2026-11-11T08:00:00+8"));
}

TEST(Time, ShanghaiDay) {
  EXPECT_EQ(shanghai_yymmdd(parse_gmt8("2026-11-11 00:00:00").value()), 261111);
  EXPECT_EQ(shanghai_yymmdd(parse_gmt8("2026-11-10 23:59:59").value()), 261110);
}

// Issue 21, item 12: ISO times as JavaScript writes them (milliseconds, Z) are read.
TEST(Time, Defect12_IsoTimesWithFractionsOfASecondAndZ) {
  EXPECT_EQ(parse_iso("2026-11-10T16:00:00.123Z").value(), 1794326400);
  EXPECT_EQ(parse_iso("2026-11-11T00:00:00.5+08:00").value(), 1794326400);
  auto bad = parse_iso("2026-11-11T00:00:00.Z");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("fraction of a second"), std::string::npos);
}
