#include <gtest/gtest.h>

#include "common/utf8.hpp"
#include "csvimport/csv_columns.hpp"
#include "csvimport/csv_reader.hpp"
#include "csvimport/csv_row_parser.hpp"

using namespace fulfil;
using namespace fulfil::csvimport;

TEST(CsvReader, QuotedFieldsWithCommasNewlinesAndQuotes) {
  auto r = read_csv("a,b,c\r\n1,\"x, y\",\"line1\nline2\"\n2,\"say \"\"hi\"\"\",\n");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].fields[1], "x, y");
  EXPECT_EQ((*r)[1].fields[2], "line1\nline2");
  EXPECT_EQ((*r)[2].fields[1], "say \"hi\"");
  EXPECT_EQ((*r)[2].fields[2], "");
  EXPECT_EQ((*r)[2].line, 4);  // the quoted newline moved the line count on
}

TEST(CsvReader, SkipsBomAndBlankLinesAndReadsALastLineWithoutNewline) {
  auto r = read_csv("\xEF\xBB\xBFh1,h2\n\n1,2");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].fields[0], "h1");
  EXPECT_EQ((*r)[1].fields[1], "2");
}

TEST(CsvReader, UnterminatedQuoteNamesItsLine) {
  auto r = read_csv("a,b\n1,2\n3,\"never closed\n4,5\n");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("line 3"), std::string::npos);
}

TEST(CsvReader, Gb18030IsConvertedToUtf8) {
  // "王芳" in GB18030.
  auto r = to_utf8("\xCD\xF5\xB7\xBC");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "王芳");
  EXPECT_EQ(*to_utf8("王芳"), "王芳");  // UTF-8 stays as it is
}

namespace {
const char* k_header =
    "tid,status,created,pay_time,buyer_nick,receiver_name,receiver_state,receiver_city,receiver_"
    "district,"
    "receiver_address,payment,oid,title,price,num";

ParsedRows parse(const std::string& body) {
  auto recs = read_csv(std::string(k_header) + "\n" + body);
  EXPECT_TRUE(recs);
  auto map = map_header(recs->front().fields);
  EXPECT_TRUE(map);
  recs->erase(recs->begin());
  return parse_rows(*recs, *map, "demo");
}
}  // namespace

TEST(CsvRows, GoodRowsMakeTradesWithExactAmounts) {
  auto p = parse(
      "4000000000000000017,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,2026-11-11 "
      "00:00:30,王芳,王芳,上海,上海市,"
      "浦东新区,张江路 1 号,19.99,1,毛衣,19.99,1\n");
  ASSERT_EQ(p.trades.size(), 1u);
  EXPECT_TRUE(p.bad_rows.empty());
  EXPECT_EQ(p.trades[0].tid, 4000000000000000017);
  EXPECT_EQ(p.trades[0].payment, 1999);
  EXPECT_EQ(p.trades[0].address.city, "上海市");
}

TEST(CsvRows, EachBadRowKindIsReportedWithItsLineAndReason) {
  struct Case {
    std::string row;
    std::string reason;
  };
  const std::string ok_tail = ",上海,上海市,浦东新区,张江路 1 号,";
  std::vector<Case> cases = {
      {"abc,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,a,b" + ok_tail + "1.00,1,t,1.00,1", "tid"},
      {"4.00000000000000E+18,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,a,b" + ok_tail +
           "1.00,1,t,1.00,1",
       "scientific notation"},
      {"9999999999999999999,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,a,b" + ok_tail +
           "1.00,1,t,1.00,1",
       "too large for a 64-bit id"},
      {"11,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,a,b" + ok_tail + "1.005,1,t,1.00,1",
       "more than two decimals"},
      {"12,WAIT_SELLER_SEND_GOODS,2026-13-11 00:00:01,,a,b" + ok_tail + "1.00,1,t,1.00,1",
       "created"},
      {"13,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,,b" + ok_tail + "1.00,1,t,1.00,1",
       "buyer_nick: empty"},
      {"14,SHIPPED_MAYBE,2026-11-11 00:00:01,,a,b" + ok_tail + "1.00,1,t,1.00,1", "unknown status"},
      {"15,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,a,b" + ok_tail + "1.00,1,t,1.00,0", "num"},
      {"16,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,a,b" + ok_tail + "1.00,1,t,abc,1", "price"},
      {"17,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,a\xFF,b" + ok_tail + "1.00,1,t,1.00,1",
       "invalid UTF-8"},
  };
  std::string body;
  for (const auto& c : cases) body += c.row + "\n";
  body += "18,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,good,b" + ok_tail + "1.00,1,t,1.00,1\n";
  auto p = parse(body);
  ASSERT_EQ(p.bad_rows.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(p.bad_rows[i].line, static_cast<int>(i) + 2);
    EXPECT_NE(p.bad_rows[i].reason.find(cases[i].reason), std::string::npos)
        << "line " << i + 2 << ": " << p.bad_rows[i].reason;
  }
  ASSERT_EQ(p.trades.size(), 1u);  // the good row still made it
  EXPECT_EQ(p.trades[0].tid, 18);
  EXPECT_EQ(p.rejections.size(), cases.size());
}

TEST(CsvRows, OneBadLineRefusesTheWholeTrade) {
  const std::string tail = ",上海,上海市,浦东新区,张江路 1 号,";
  auto p = parse("20,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,a,b" + tail + "3.00,1,t,1.00,1\n" +
                 "20,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:01,,a,b" + tail + "3.00,2,t,x,2\n");
  EXPECT_TRUE(p.trades.empty());
  ASSERT_EQ(p.bad_rows.size(), 2u);
  EXPECT_NE(p.bad_rows[0].reason.find("has a bad row (line 3)"), std::string::npos);
  EXPECT_NE(p.bad_rows[1].reason.find("price"), std::string::npos);
}

TEST(CsvColumns, MissingRequiredColumnsAreListed) {
  auto m = map_header({"tid", "buyer_nick"});
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("created"), std::string::npos);
  EXPECT_NE(m.error().message.find("title"), std::string::npos);
}

TEST(CsvColumns, PlatformExportHeadersMap) {
  auto recs = read_csv(
      "订单编号,订单状态,订单创建时间,订单付款时间,买家会员名,收货人姓名,收货地址,买家实际支付金额,"
      "宝贝标题,价格,购买数量\n"
      "4000000000000000099,\"买家已付款，等待卖家发货\",2026/11/11 0:05,2026/11/11 0:06,李强,李强,"
      "浙江省 杭州市 西湖区 文三路 478 号,118.00,T恤,59.00,2\n");
  ASSERT_TRUE(recs);
  auto map = map_header(recs->front().fields);
  ASSERT_TRUE(map) << map.error().message;
  recs->erase(recs->begin());
  auto p = parse_rows(*recs, *map, "demo");
  ASSERT_EQ(p.trades.size(), 1u) << (p.bad_rows.empty() ? "" : p.bad_rows[0].reason);
  const auto& t = p.trades[0];
  EXPECT_EQ(t.status, "WAIT_SELLER_SEND_GOODS");
  EXPECT_EQ(t.address.city, "杭州市");
  EXPECT_EQ(t.address.detail, "文三路 478 号");
  EXPECT_EQ(t.payment, 11800);
  EXPECT_EQ(t.created, parse_csv_time("2026-11-11 00:05:00").value());
  EXPECT_NE(t.lines[0].oid, 0);  // a stable line id is made up when the export has none
}

// Issue 21, item 6: Excel's "CSV (Macintosh)" ends lines with CR alone.
TEST(CsvReader, Defect6_CrOnlyLineEndsAreLineEnds) {
  auto r = read_csv("a,b\r1,\"x\ry\"\r2,3\r");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].fields[1], "x\ry");
  EXPECT_EQ((*r)[2].line, 4) << "a CR inside quotes counts as a line";
  EXPECT_EQ((*r)[2].fields[0], "2");
}

// Issue 21, item 5: two exports pasted together repeat rows; the same row imports once, and
// one order line on two different rows is refused naming both lines.
TEST(CsvRows, Defect5_ARepeatedRowIsTheSameRowAndATwiceUsedOidIsRefusedWithBothLines) {
  const std::string row =
      "100,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:00,2026-11-11 00:01:00,nick,张三,浙江省,杭州市,"
      "西湖区,文三路 1 号,10.00,1001,毛衣,10.00,1\n";
  auto twice = parse(row + row);
  EXPECT_TRUE(twice.bad_rows.empty()) << twice.bad_rows[0].reason;
  ASSERT_EQ(twice.trades.size(), 1u);
  EXPECT_EQ(twice.trades[0].lines.size(), 1u);

  auto other = row;
  other.replace(other.find(",1\n"), 3, ",2\n");  // the same oid, another quantity
  auto clash = parse(row + other);
  EXPECT_TRUE(clash.trades.empty());
  ASSERT_EQ(clash.bad_rows.size(), 2u);
  EXPECT_EQ(clash.bad_rows[1].line, 3);
  EXPECT_NE(clash.bad_rows[1].reason.find("order line 1001 is also on line 2"), std::string::npos)
      << clash.bad_rows[1].reason;

  auto moved = row;
  moved.replace(0, 3, "200");  // the same oid under another trade
  auto across = parse(row + moved);
  ASSERT_EQ(across.trades.size(), 1u);
  ASSERT_EQ(across.bad_rows.size(), 1u);
  EXPECT_NE(across.bad_rows[0].reason.find("under trade 100"), std::string::npos)
      << across.bad_rows[0].reason;
}

// Issue 21, item 12: what could not be read is named by where it is and what was tried.
TEST(CsvReader, Defect12_UndecodableBytesAreNamedByLineAndFieldAndUtf16IsRecognised) {
  auto bad = to_utf8("a,b\n1,ok\n2,\xff\xfe\xfd\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("line 3, field 2"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("GB18030"), std::string::npos);
  auto utf16 =
      to_utf8(std::string("\xff\xfe"
                          "a\0,\0",
                          6));
  ASSERT_FALSE(utf16);
  EXPECT_NE(utf16.error().message.find("UTF-16"), std::string::npos) << utf16.error().message;
}

// Issue 21, item 11 and 12: a NUL in a title would cut it short in the store: the row is
// refused naming it; a negative quantity is called negative, not "not a number".
TEST(CsvRows, Defect11_12_ControlCharactersAndNegativeNumbersAreNamed) {
  const std::string row =
      "100,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:00,,nick,张三,浙江省,杭州市,"
      "西湖区,文三路 1 号,10.00,1001,ab";
  auto refused = parse(row + std::string("\0\0", 2) + "cd,10.00,1\n");
  ASSERT_EQ(refused.bad_rows.size(), 1u);
  EXPECT_NE(refused.bad_rows[0].reason.find("title: holds a control character: \"ab\\x00\\x00cd\""),
            std::string::npos)
      << refused.bad_rows[0].reason;
  auto negative = parse(row + "cd,10.00,-2\n");
  ASSERT_EQ(negative.bad_rows.size(), 1u);
  EXPECT_NE(negative.bad_rows[0].reason.find("num: \"-2\" is negative"), std::string::npos)
      << negative.bad_rows[0].reason;
}

TEST(CsvLenient, AGb18030FileKeepsItsEncodingAndLosesOnlyTheLineThatDoesNotRead) {
  // Excel's GB18030 with CR line ends (CSV (Macintosh)); line 3 holds 0xFF, which no GB18030
  // text has; line 4 is plain ASCII.
  const std::string gb =
      *utf8_to_gb18030("tid,name\r1,王芳\r2,") + "\xFF" + *utf8_to_gb18030("李\r3,x\r");
  auto ok = to_utf8_lenient(*utf8_to_gb18030("tid,name\n1,王芳\n"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->text, "tid,name\n1,王芳\n");
  EXPECT_TRUE(ok->bad_lines.empty());

  auto t = to_utf8_lenient(gb);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->bad_lines.size(), 1u);
  EXPECT_EQ(t->bad_lines[0].line, 3);
  EXPECT_NE(t->bad_lines[0].reason.find("is not GB18030"), std::string::npos)
      << t->bad_lines[0].reason;
  EXPECT_EQ(t->text, "tid,name\r1,王芳\r2,\r3,x\r");  // the bad line keeps its ASCII
  auto records = read_csv(t->text);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[2].line, 3);  // read_csv counts lines as the bad-line list does

  EXPECT_FALSE(to_utf8_lenient("\xFF\xFEt\0i\0d\0"));  // UTF-16 is still refused whole
}

TEST(CsvLenient, AUtf8LineInAGb18030FileIsNamedNotReadGarbled) {
  // Two GB18030 rows, one pasted in UTF-8 (as GB18030 it would decode, wrongly) and one with
  // a byte no encoding has, so the file as a whole does not read.
  const std::string mixed = *utf8_to_gb18030("tid,name\n1,王芳\n2,李强\n") + "3,赵敏\n4,\xFF\n";
  ASSERT_FALSE(to_utf8(mixed));
  auto t = to_utf8_lenient(mixed);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->bad_lines.size(), 2u);
  EXPECT_EQ(t->bad_lines[0].line, 4);
  EXPECT_NE(t->bad_lines[0].reason.find("at line 4, field 2 starts UTF-8 text in a file whose "
                                        "other lines are GB18030"),
            std::string::npos)
      << t->bad_lines[0].reason;
  EXPECT_EQ(t->bad_lines[1].line, 5);
  EXPECT_EQ(t->text, "tid,name\n1,王芳\n2,李强\n3,\n4,\n");
}
