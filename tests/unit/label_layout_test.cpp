// Templates and the layout engine with the real font: parse errors, wrapping, shrinking,
// cutting, must_fit, missing glyphs, table continuation, barcodes that do not fit.
#include <gtest/gtest.h>

#include "common/utf8.hpp"
#include "label_sample.hpp"
#include "layout/layout.hpp"
#include "layout/text_fit.hpp"
#include "raster/barcode.hpp"

namespace fulfil::printers {
namespace {

std::shared_ptr<Font> font() {
  static auto f = Font::open("WenQuanYi Zen Hei");
  if (!f) throw std::runtime_error(f.error().message);
  return *f;
}

const char* k_small = R"(name = "t"
kind = "waybill"
width_mm = 60
height_mm = 40
[[front]]
type = "text"
x = 2
y = 2
w = 30
h = 10
size = 4
text = "{receiver_address}"
)";

LabelTemplate parse(const std::string& text) {
  auto t = parse_template(text, "t.toml");
  if (!t) throw std::runtime_error(t.error().message);
  return *t;
}

std::string all_text(const Page& p) {
  std::string s;
  for (const auto& t : p.texts) s += t.text;
  return s;
}

TEST(LabelTemplate, EveryProblemIsNamedWithItsLine) {
  auto t = parse_template(R"(name = "x"
kind = "sticker"
[[front]]
type = "text"
x = 2
w = 200
text = "{recever_name}"
colour = "red"
[[front]]
type = "barcode"
)",
                          "bad.toml");
  ASSERT_FALSE(t);
  const auto& m = t.error().message;
  EXPECT_NE(m.find("bad.toml:2: kind: expected waybill, packing_list or pick_list"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("front[1].w: 200"), std::string::npos) << m;
  EXPECT_NE(m.find("bad.toml:7: front[1].text: unknown field {recever_name}"), std::string::npos)
      << m;
  EXPECT_NE(m.find("bad.toml:8: front[1].colour: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find("front[2].type: expected text, code128"), std::string::npos) << m;
}

TEST(LabelTemplate, AFileThatIsNotTomlSaysWhere) {
  auto t = parse_template("name = \"x\"\n[[front]\n", "broken.toml");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("broken.toml:2:"), std::string::npos) << t.error().message;
}

TEST(LabelTemplate, TheShippedTemplatesParse) {
  for (auto name :
       {"waybill-76x130.toml", "waybill-100x180.toml", "packing-list-a5.toml", "pick-list-a4.toml"})
    EXPECT_NO_THROW(test::source_template(name)) << name;
}

TEST(Layout, WrapsBreaksBetweenChineseCharactersAndAtSpaces) {
  auto f = font();
  auto lines = wrap_text(code_points("hello world 你好世界"),
                         text_width(code_points("hello wo"), 24, *f), 24, *f);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0], U"hello");
  // Closing punctuation never starts a line.
  for (const auto& l : wrap_text(code_points("一二三四五六七八九十，一二三"), 24 * 10, 24, *f))
    EXPECT_NE(l.front(), U'，');
}

TEST(Layout, ALongAddressShrinksThenIsCutWithAWarning) {
  auto f = font();
  auto data = test::sample_label();
  auto t = parse(k_small);
  auto doc = lay_out(t, data, *f);
  ASSERT_TRUE(doc) << doc.error().message;
  ASSERT_EQ(doc->pages.size(), 1u);
  const auto& texts = doc->pages[0].texts;
  ASSERT_FALSE(texts.empty());
  EXPECT_EQ(texts.back().text.substr(texts.back().text.size() - 3), "…");
  ASSERT_EQ(doc->warnings.size(), 1u);
  EXPECT_NE(doc->warnings[0].find("front[1]: text cut to fit"), std::string::npos);
  // Every line stays inside the box.
  for (const auto& ti : texts)
    EXPECT_LE(ti.x + text_width(code_points(ti.text), ti.size, *f), t.dots(32));

  // With room to shrink it fits whole at a smaller size.
  auto shrink = std::string(k_small) + "min_size = 2\n";
  auto doc2 = lay_out(parse(shrink), data, *f);
  ASSERT_TRUE(doc2);
  EXPECT_TRUE(doc2->warnings.empty());
  EXPECT_LT(doc2->pages[0].texts[0].size, t.dots(4));
  auto without_spaces = [](std::string s) {
    std::erase(s, ' ');
    return s;
  };
  EXPECT_EQ(without_spaces(all_text(doc2->pages[0])),
            without_spaces(data.fields["receiver_address"]));
}

TEST(Layout, MustFitRefusesTheLabelNamingTheElement) {
  auto t = parse(std::string(k_small) + "must_fit = true\n");
  auto doc = lay_out(t, test::sample_label(), *font());
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(doc.error().message.find("t.toml:5: front[1]: \"广东省深圳市"), std::string::npos)
      << doc.error().message;
}

TEST(Layout, CharactersTheFontLacksPrintAsABoxWithAWarning) {
  auto data = test::sample_label();
  data.fields["receiver_address"] = "北京🎁路";
  auto doc = lay_out(parse(k_small), data, *font());
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->pages[0].texts[0].text, "北京□路");
  ASSERT_EQ(doc->warnings.size(), 1u);
  EXPECT_NE(doc->warnings[0].find("(U+1F381) is not in the font"), std::string::npos);
}

TEST(Layout, ItemLinesContinueOnANextPageWithTheHeader) {
  auto t = test::source_template("packing-list-a5.toml");
  auto one = lay_out(t, test::sample_label(3), *font());
  ASSERT_TRUE(one);
  EXPECT_EQ(one->pages.size(), 2u);  // front and back
  EXPECT_TRUE(one->duplex);
  auto many = lay_out(t, test::sample_label(40), *font());
  ASSERT_TRUE(many);
  // Fronts continue over the first sheets; the return form on the backs lists the same
  // lines, so it may need more sheets (their fronts stay blank).
  int sheets = 0;
  while (2 * sheets < static_cast<int>(many->pages.size()) &&
         !many->pages[2 * sheets].texts.empty())
    ++sheets;
  EXPECT_GE(sheets, 3);
  int rows = 0, headers = 0;
  for (int s = 0; s < sheets; ++s) {
    const auto& front = many->pages[2 * s];
    for (const auto& ti : front.texts) {
      if (ti.text.starts_with("XB-")) ++rows;
      if (ti.text == "商家编码") ++headers;
      EXPECT_LE(ti.y + ti.size, many->height) << ti.text;
    }
    EXPECT_NE(all_text(front).find("第 " + std::to_string(s + 1) + "/"), std::string::npos);
  }
  EXPECT_EQ(rows, 40);
  EXPECT_EQ(headers, sheets);
  // The totals print once, on the last front page.
  EXPECT_NE(all_text(many->pages[2 * (sheets - 1)]).find("实付"), std::string::npos);
  EXPECT_EQ(all_text(many->pages[0]).find("实付"), std::string::npos);
}

// A wave's pick list: the stops continue over A4 pages with the header, in the order given,
// and a pick_list template binds a wave's fields, not a parcel's.
TEST(Layout, APickListWalksItsStopsOverPagesWithTheHeader) {
  auto t = test::source_template("pick-list-a4.toml");
  printers::LabelData data;
  data.fields = {{"wave", "12"},
                 {"wave_code", "W12"},
                 {"created_by", "pi"},
                 {"created_time", "2026-11-11 09:30"},
                 {"parcel_count", "30"},
                 {"item_count", "95"},
                 {"slots", "#1 D26111100001"},
                 {"warehouse", "一号仓"},
                 {"print_time", "2026-11-11 09:31"}};
  for (int i = 1; i <= 90; ++i)
    data.lines.push_back({{"no", std::to_string(i)},
                          {"location", "A-" + std::to_string(i) + "-1"},
                          {"sku", "PK-" + std::to_string(i)},
                          {"item", "纯棉T恤 红 L"},
                          {"qty", "1"},
                          {"slots", "#" + std::to_string(i)}});
  auto doc = lay_out(t, data, *font());
  ASSERT_TRUE(doc) << doc.error().message;
  ASSERT_GE(doc->pages.size(), 2u);
  EXPECT_FALSE(doc->duplex);
  std::vector<std::string> skus;
  int headers = 0;
  for (const auto& page : doc->pages)
    for (const auto& ti : page.texts) {
      if (ti.text.starts_with("PK-")) skus.push_back(ti.text);
      if (ti.text == "库位") ++headers;
    }
  ASSERT_EQ(skus.size(), 90u);
  EXPECT_EQ(skus.front(), "PK-1");
  EXPECT_EQ(skus.back(), "PK-90");
  EXPECT_EQ(headers, static_cast<int>(doc->pages.size()));
  EXPECT_TRUE(doc->warnings.empty()) << doc->warnings.front();

  auto wrong = printers::parse_template(
      "name = \"x\"\nkind = \"pick_list\"\n[[front]]\ntype = \"text\"\nx = 1\ny = 1\nw = 20\n"
      "size = 3\ntext = \"{receiver_name}\"\n",
      "x.toml");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("unknown field {receiver_name}"), std::string::npos)
      << wrong.error().message;
}

TEST(Layout, ABarcodeTooLongForItsWidthIsAnError) {
  auto data = test::sample_label();
  data.fields["waybill_no"] = std::string(60, 'A');
  auto doc = lay_out(test::source_template("waybill-76x130.toml"), data, *font());
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find("too long for the layout"), std::string::npos)
      << doc.error().message;
  data.fields["waybill_no"] = "";
  doc = lay_out(test::source_template("waybill-76x130.toml"), data, *font());
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find("no data for the barcode ({waybill_no})"), std::string::npos);
}

}  // namespace
}  // namespace fulfil::printers

namespace fulfil::printers {
namespace {

TEST(Barcodes, QrSizeFromTheTablesMatchesLibzint) {
  const std::vector<std::string> samples = {
      "75100000000001",       "SF1234567890123",     "YT1000000000001",   "R1042",
      "https://t.cn/abc?x=1", std::string(100, '7'), std::string(60, 'Z')};
  for (const auto& data : samples) {
    auto table = qr_modules(data);
    auto zint = encode_barcode(Symbology::qr, data);
    ASSERT_TRUE(table && zint) << data;
    EXPECT_GE(*table, zint->columns) << data << ": never smaller than the real symbol";
    EXPECT_LE(*table, zint->columns + 4) << data << ": at most one version larger";
  }
  EXPECT_EQ(*qr_modules("SF1234567890123"), 21);
  EXPECT_EQ(*qr_modules(std::string(400, 'a')),
            encode_barcode(Symbology::qr, std::string(400, 'a'))->columns);
  EXPECT_FALSE(encode_barcode(Symbology::code128, ""));
}

}  // namespace
}  // namespace fulfil::printers
