// Slices: the seed's examples, refused configurations, and a property test that every
// key falls in exactly one slice of any valid slicing.
#include "review/slices.hpp"

#include <gtest/gtest.h>

#include <random>

#include "common/timeutil.hpp"

using namespace fulfil;
using namespace fulfil::review;

namespace {
orders::Serial serial(const char* text) {
  return *orders::parse_serial(text);
}
bool mentions(const std::vector<std::string>& errors, std::string_view text) {
  for (const auto& e : errors)
    if (e.find(text) != std::string::npos) return true;
  return false;
}
}  // namespace

TEST(Slices, TheSeedsSerialSplit) {
  // A takes serials <= D11072800007, B the rest.
  Slicing s{SplitBy::serial,
            {{"A", {"a"}, std::nullopt, serial("D11072800007"), {}, {}, {}},
             {"B", {"b"}, serial("D11072800007"), std::nullopt, {}, {}, {}}}};
  EXPECT_TRUE(validate(s, {}).empty());
  EXPECT_EQ(slice_of(s, {serial("D11072800007")}), "A");
  EXPECT_EQ(slice_of(s, {serial("D11072800008")}), "B");
  EXPECT_EQ(slice_of(s, {serial("D11072700999")}), "A");
  // Sequences widen past 99,999 a day: compared as numbers, not text.
  EXPECT_EQ(slice_of(s, {serial("D110728100000")}), "B");
  EXPECT_EQ(slice_of(s, {serial("D11072800010")}), "B");
}

TEST(Slices, TheSeedsTimeSplit) {
  const UnixSeconds d28 = *parse_iso("2011-07-28 00:00"), noon = *parse_iso("2011-07-28 12:00");
  Slicing s{SplitBy::order_time,
            {{"A", {"a"}, {}, {}, std::nullopt, d28, {}},
             {"B", {"b"}, {}, {}, d28, noon, {}},
             {"C", {"c"}, {}, {}, noon, std::nullopt, {}}}};
  EXPECT_TRUE(validate(s, {}).empty());
  EXPECT_EQ(slice_of(s, {{}, d28 - 1}), "A");
  EXPECT_EQ(slice_of(s, {{}, d28}), "B");
  EXPECT_EQ(slice_of(s, {{}, noon - 1}), "B");
  EXPECT_EQ(slice_of(s, {{}, noon}), "C");
}

TEST(Slices, GapsOverlapsAndDoubleReviewersAreRefusedByName) {
  Slicing gap{SplitBy::serial,
              {{"A", {"a"}, std::nullopt, serial("D11072800007"), {}, {}, {}},
               {"B", {"b"}, serial("D11072800009"), std::nullopt, {}, {}, {}}}};
  auto e = validate(gap, {});
  EXPECT_TRUE(mentions(e, "gap: between slice A")) << e.front();
  EXPECT_TRUE(mentions(e, "D11072800009"));

  Slicing overlap{SplitBy::serial,
                  {{"A", {"a"}, std::nullopt, serial("D11072800009"), {}, {}, {}},
                   {"B", {"a"}, serial("D11072800007"), std::nullopt, {}, {}, {}}}};
  e = validate(overlap, {});
  EXPECT_TRUE(mentions(e, "overlap: slice A"));
  EXPECT_TRUE(mentions(e, "reviewer a is in slices A and B"));

  Slicing open_top{SplitBy::serial,
                   {{"A", {"a"}, std::nullopt, serial("D11072800007"), {}, {}, {}}}};
  EXPECT_TRUE(mentions(validate(open_top, {}), "nothing covers above D11072800007"));

  Slicing shops{SplitBy::shop, {{"A", {"a"}, {}, {}, {}, {}, {"tmall"}}}};
  e = validate(shops, {"tmall", "jd"});
  EXPECT_TRUE(mentions(e, "gap: shop jd is in no slice"));

  Slicing wrong_kind{SplitBy::pool, {{"A", {"a"}, {}, serial("D11072800007"), {}, {}, {}}}};
  EXPECT_TRUE(mentions(validate(wrong_kind, {}), "do not match split_by"));
}

TEST(Slices, ConditionsNameTheSameParcelsAsSliceOf) {
  Slicing s{SplitBy::serial,
            {{"A", {"a"}, std::nullopt, serial("D11072800007"), {}, {}, {}},
             {"B", {"b"}, serial("D11072800007"), std::nullopt, {}, {}, {}}}};
  EXPECT_EQ(slice_condition(s, s.slices[0]),
            "1 = 1 AND (serial_day < 110728 OR (serial_day = 110728 AND serial_seq <= 7))");
  EXPECT_EQ(slice_condition(s, s.slices[1]),
            "1 = 1 AND NOT (serial_day < 110728 OR (serial_day = 110728 AND serial_seq <= 7))");
}

// Property: any valid range slicing puts every key in exactly one slice.
TEST(Slices, PropertyEveryKeyInExactlyOneSliceOfAValidSlicing) {
  std::mt19937_64 rng(20261111);
  for (int round = 0; round < 300; ++round) {
    const bool by_serial = round % 2 == 0;
    std::vector<std::int64_t> cuts;
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i + 1 < n; ++i) cuts.push_back(static_cast<std::int64_t>(rng() % 100000));
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    Slicing s;
    s.by = by_serial ? SplitBy::serial : SplitBy::order_time;
    for (std::size_t i = 0; i <= cuts.size(); ++i) {
      Slice slice;
      slice.name = "s" + std::to_string(i);
      slice.reviewers = {"r" + std::to_string(i)};
      auto lo = i ? std::optional(cuts[i - 1]) : std::nullopt;
      auto hi = i < cuts.size() ? std::optional(cuts[i]) : std::nullopt;
      if (by_serial) {
        if (lo) slice.serial_after = orders::Serial{261111, *lo};
        if (hi) slice.serial_through = orders::Serial{261111, *hi};
      } else {
        slice.time_from = lo;
        slice.time_before = hi;
      }
      s.slices.push_back(slice);
    }
    std::shuffle(s.slices.begin(), s.slices.end(), rng);  // order in the config is free
    ASSERT_TRUE(validate(s, {}).empty()) << validate(s, {}).front();
    for (int k = 0; k < 200; ++k) {
      const std::int64_t v = static_cast<std::int64_t>(rng() % 100002) - 1;
      SliceKey key{orders::Serial{261111, v}, v, "demo"};
      int hits = 0;
      for (const auto& slice : s.slices) {
        Slicing one = s;
        one.slices = {slice};
        hits += slice_of(one, key) == slice.name &&
                (by_serial ? ((!slice.serial_after || *slice.serial_after < key.serial) &&
                              (!slice.serial_through || key.serial <= *slice.serial_through))
                           : ((!slice.time_from || *slice.time_from <= v) &&
                              (!slice.time_before || v < *slice.time_before)));
      }
      EXPECT_EQ(hits, 1) << "value " << v << " round " << round;
      EXPECT_FALSE(slice_of(s, key).empty());
    }
  }
}
