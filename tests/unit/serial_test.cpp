#include "orders/serial.hpp"

#include <gtest/gtest.h>

using namespace fulfil::orders;

TEST(Serial, FormatsAsDYymmddSequence) {
  EXPECT_EQ((Serial{110728, 7}.text()), "D11072800007");
  EXPECT_EQ((Serial{261111, 99999}.text()), "D26111199999");
}

TEST(Serial, WidensPastFiveDigitsAndStillOrders) {
  Serial big{261111, 100000};
  EXPECT_EQ(big.text(), "D261111100000");
  EXPECT_LT((Serial{261111, 99999}), big);
  EXPECT_EQ(parse_serial(big.text()), big);
}

TEST(Serial, ParsesBack) {
  EXPECT_EQ(parse_serial("D11072800007"), (Serial{110728, 7}));
  EXPECT_FALSE(parse_serial("X11072800007"));
  EXPECT_FALSE(parse_serial("D1107280000A"));
  EXPECT_FALSE(parse_serial("D110728"));
}
