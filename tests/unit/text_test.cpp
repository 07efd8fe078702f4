#include <gtest/gtest.h>

#include "common/digits.hpp"
#include "common/log.hpp"
#include "common/utf8.hpp"
#include "outbound/form_encoding.hpp"

using namespace fulfil;

TEST(Utf8, FindsTheFirstBadByte) {
  EXPECT_FALSE(find_invalid_utf8("王芳😊abc"));
  EXPECT_EQ(find_invalid_utf8("ab\xFF"), 2u);
  EXPECT_EQ(find_invalid_utf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(find_invalid_utf8("x\xED\xA0\x80"), 1u);     // a UTF-16 surrogate
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(find_invalid_utf8("\xE7\x8E"), 0u);          // cut short
}

TEST(Utf8, PrefixDoesNotSplitACharacter) {
  EXPECT_EQ(utf8_prefix("王芳", 4), "王");
  EXPECT_EQ(utf8_prefix("abc", 10), "abc");
}

TEST(FormEncoding, RoundTripsChineseAndReservedCharacters) {
  outbound::Params p{{"q", "王 芳&=+%"}, {"empty", ""}};
  EXPECT_EQ(outbound::decode_form(outbound::encode_form(p)), p);
  EXPECT_EQ(outbound::url_decode("a+b%2"), "a b%2");  // a broken escape stays as it is
}

TEST(Log, TagsAreQuotedWhenNeeded) {
  EXPECT_EQ(log::render_tags({{"shop", "demo"}, {"n", 3}}), "shop=demo n=3");
  EXPECT_EQ(log::render_tags({{"error", "bad \"x\"\nline"}}), "error=\"bad \\\"x\\\"\\nline\"");
}

TEST(Digits, ExactToTheLastId) {
  EXPECT_EQ(parse_digits("4000000000000000017").value(), 4000000000000000017);
  EXPECT_EQ(parse_digits("9223372036854775807").value(), INT64_MAX);
  EXPECT_EQ(parse_digits("0").value(), 0);
  EXPECT_EQ(parse_digits("9223372036854775808").error(), DigitsError::too_large);
  EXPECT_EQ(parse_digits("9999999999999999999").error(), DigitsError::too_large);
  EXPECT_EQ(parse_digits("123456789012345678901234").error(), DigitsError::too_large);
  EXPECT_EQ(parse_digits("").error(), DigitsError::empty);
  EXPECT_EQ(parse_digits("12a").error(), DigitsError::not_digits);
  EXPECT_EQ(parse_digits("-5").error(), DigitsError::not_digits);
  EXPECT_EQ(parse_digits("99999999999999999999x").error(), DigitsError::not_digits);
}

// Issue 21, item 11: control characters from outside never reach a log raw, and text for a
// message keeps what is readable and names what is not.
TEST(Log, Defect11_ControlCharactersAreEscapedInTags) {
  EXPECT_EQ(log::render_tags({{"title", std::string("ab\0\x1b[2Jcd", 9)}}),
            "title=\"ab\\u0000\\u001b[2Jcd\"");
  EXPECT_EQ(log::render_tags({{"csv", "a\r\tb"}}), "csv=\"a\\r\\tb\"");
}

TEST(Utf8, Defect11_PrintableKeepsChineseAndEscapesTheRest) {
  EXPECT_EQ(printable("王芳😊"), "王芳😊");
  EXPECT_EQ(printable(std::string("a\0b\xff", 4)), "a\\x00b\\xff");
  EXPECT_EQ(printable("王芳王芳", 7), "王芳…") << "cut on a character boundary";
  EXPECT_TRUE(has_control(std::string("ab\0cd", 5)));
  EXPECT_FALSE(has_control("line\nbreak\ttab"));
  EXPECT_TRUE(has_control("line\nbreak", false));
}
