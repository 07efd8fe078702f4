// Golden tests of every renderer on the sample parcel (long Chinese address, an emoji in
// the remark, 12 item lines): exact ZPL, TSPL and ESC/POS bytes; PDF through pdftoppm
// compared with a reference PNG within a tolerance. FULFIL_UPDATE_GOLDEN=1 rewrites them.
#include <cairo.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <regex>

#include "label_sample.hpp"
#include "lang/language.hpp"
#include "lang/zpl.hpp"
#include "layout/layout.hpp"
#include "test_support.hpp"
#include "zpl_graphic.hpp"

namespace fulfil::printers {
namespace {

const std::filesystem::path k_golden = std::filesystem::path(FULFIL_SOURCE_DIR) / "tests/golden";

std::shared_ptr<Font> font() {
  static auto f = Font::open("WenQuanYi Zen Hei");
  if (!f) throw std::runtime_error(f.error().message);
  return *f;
}

Document sample(const std::string& template_file) {
  auto doc = lay_out(test::source_template(template_file), test::sample_label(12), *font());
  if (!doc) throw std::runtime_error(doc.error().message);
  return *doc;
}

bool updating() {
  return std::getenv("FULFIL_UPDATE_GOLDEN") != nullptr;
}

void expect_golden(const std::string& name, const std::string& actual) {
  const auto path = k_golden / name;
  if (updating()) test::write_file(path, actual);
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " missing (FULFIL_UPDATE_GOLDEN=1)";
  const std::string expected = test::read_file(path);
  if (expected != actual) {
    const auto out = std::filesystem::temp_directory_path() / ("actual-" + name);
    test::write_file(out, actual);
    FAIL() << name << " differs from the golden file (" << expected.size() << " vs "
           << actual.size() << " bytes); the new output is in " << out;
  }
}

class Golden : public ::testing::TestWithParam<std::pair<const char*, Language>> {};

TEST_P(Golden, ThermalBytesAreExactlyTheGoldenOnes) {
  const auto [file, language] = GetParam();
  const Document doc = sample(file);
  const Document* docs[] = {&doc};
  auto out = render(language, docs, *font(), RenderSettings{});
  ASSERT_TRUE(out) << out.error().message;
  expect_golden(std::string(file) + "." + std::string(extension(language)), *out);
}

INSTANTIATE_TEST_SUITE_P(Renderers, Golden,
                         ::testing::Values(std::pair{"waybill-76x130.toml", Language::zpl},
                                           std::pair{"waybill-76x130.toml", Language::tspl},
                                           std::pair{"waybill-76x130.toml", Language::escpos},
                                           std::pair{"waybill-100x180.toml", Language::zpl}),
                         [](const auto& param_info) {
                           std::string n = std::string(param_info.param.first) + "_" +
                                           std::string(to_string(param_info.param.second));
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

using Surface = std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)>;

// Share of pixels whose grey differs by more than a quarter of the range.
double png_difference(const std::filesystem::path& a, const std::filesystem::path& b) {
  Surface sa(cairo_image_surface_create_from_png(a.c_str()), cairo_surface_destroy);
  Surface sb(cairo_image_surface_create_from_png(b.c_str()), cairo_surface_destroy);
  if (cairo_surface_status(sa.get()) || cairo_surface_status(sb.get())) return 1.0;
  const int w = cairo_image_surface_get_width(sa.get()),
            h = cairo_image_surface_get_height(sa.get());
  if (w != cairo_image_surface_get_width(sb.get()) || h != cairo_image_surface_get_height(sb.get()))
    return 1.0;
  cairo_surface_flush(sa.get());
  cairo_surface_flush(sb.get());
  const int stride_a = cairo_image_surface_get_stride(sa.get());
  const int stride_b = cairo_image_surface_get_stride(sb.get());
  auto grey = [](const unsigned char* p) { return (p[0] + p[1] + p[2]) / 3; };
  long differ = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const auto* pa = cairo_image_surface_get_data(sa.get()) + y * stride_a + x * 4;
      const auto* pb = cairo_image_surface_get_data(sb.get()) + y * stride_b + x * 4;
      if (std::abs(grey(pa) - grey(pb)) > 64) ++differ;
    }
  return static_cast<double>(differ) / (static_cast<double>(w) * h);
}

TEST(GoldenPdf, PdfPagesLookLikeTheReferenceWithinATolerance) {
  if (std::system("command -v pdftoppm >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "pdftoppm (poppler-utils) is not installed";
  test::TempDir dir;
  for (const char* file : {"waybill-76x130.toml", "packing-list-a5.toml"}) {
    const Document doc = sample(file);
    const Document* docs[] = {&doc};
    auto pdf = render_pdf(docs, *font());
    ASSERT_TRUE(pdf) << pdf.error().message;
    EXPECT_TRUE(pdf->starts_with("%PDF-"));
    test::write_file(dir / "label.pdf", *pdf);
    const std::string cmd = "pdftoppm -r 100 -f 1 -l 2 -png " + (dir / "label.pdf").string() + " " +
                            (dir / "page").string();
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    for (int page = 1; page <= (doc.duplex ? 2 : 1); ++page) {
      const auto rendered = dir / ("page-" + std::to_string(page) + ".png");
      const auto golden = k_golden / (std::string(file) + "." + std::to_string(page) + ".png");
      if (updating())
        std::filesystem::copy_file(rendered, golden,
                                   std::filesystem::copy_options::overwrite_existing);
      const double diff = png_difference(rendered, golden);
      EXPECT_LT(diff, 0.005) << file << " page " << page << ": " << diff * 100
                             << "% of pixels differ; see " << rendered;
      if (diff >= 0.005)
        std::filesystem::copy_file(
            rendered,
            std::filesystem::temp_directory_path() / ("actual-" + golden.filename().string()),
            std::filesystem::copy_options::overwrite_existing);
    }
  }
}

TEST(GoldenPdf, AChangedLabelIsNoticed) {
  if (std::system("command -v pdftoppm >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "pdftoppm (poppler-utils) is not installed";
  test::TempDir dir;
  auto data = test::sample_label(12);
  data.fields["receiver_name"] = "司马相如";
  data.fields["waybill_no"] = "SF9999999999999";
  auto doc = lay_out(test::source_template("waybill-76x130.toml"), data, *font());
  ASSERT_TRUE(doc);
  const Document* docs[] = {&*doc};
  test::write_file(dir / "label.pdf", *render_pdf(docs, *font()));
  const std::string cmd =
      "pdftoppm -r 100 -png " + (dir / "label.pdf").string() + " " + (dir / "page").string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_GT(png_difference(dir / "page-1.png", k_golden / "waybill-76x130.toml.1.png"), 0.005);
}

TEST(Zpl, CompressedGraphicsDecodeToTheSameDots) {
  auto f = font();
  for (const char* text : {"广东省深圳市福田区 28 楼", "🎁", "iiiiiiiiiiiii", " "}) {
    const Bitmap b = text_bitmap(*f, text, 24);
    std::string field;
    append_zpl_graphic(field, b);
    ASSERT_TRUE(field.starts_with("^GFA,"));
    auto decoded = sim::decode_zpl_graphic(std::string_view(field).substr(5));
    ASSERT_TRUE(decoded) << text;
    EXPECT_EQ(decoded->bits, b.bits) << text;
  }
  // Long runs use the g..z counts, blank rows a comma, repeated rows a colon.
  Bitmap wide(800, 4);
  wide.fill(0, 0, 800, 1);
  wide.fill(0, 2, 8, 2);
  std::string field;
  append_zpl_graphic(field, wide);
  EXPECT_EQ(field, "^GFA,400,400,100,pF,HF,:");
  auto decoded = sim::decode_zpl_graphic(std::string_view(field).substr(5));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->bits, wide.bits);
  EXPECT_FALSE(sim::decode_zpl_graphic("300,300,100,ngFF"));  // too many dots for a row
}

// `b`'s black dots set on `canvas` with b's corner at (x0, y0), as a printer lays one field
// over another (black wins).
void overlay(Bitmap& canvas, const Bitmap& b, int x0, int y0) {
  for (int y = 0; y < b.height; ++y)
    for (int x = 0; x < b.width; ++x)
      if (b.get(x, y)) canvas.fill(x0 + x, y0 + y, 1, 1);
}

// Every "^FOx,y^GFA,…^FS" of a ZPL format drawn onto one canvas; the other fields (rules,
// barcodes) are left out.
Bitmap zpl_graphics(const std::string& zpl, int width, int height) {
  Bitmap canvas(width, height);
  const std::regex field(R"(\^FO(\d+),(\d+)\^GFA,([^\^]*)\^FS)");
  for (std::sregex_iterator it(zpl.begin(), zpl.end(), field), end; it != end; ++it) {
    auto g = sim::decode_zpl_graphic((*it)[3].str());
    if (!g) throw std::runtime_error("a graphic does not decode: " + it->str().substr(0, 60));
    Bitmap b(g->stride * 8, g->rows);
    b.bits = g->bits;
    overlay(canvas, b, std::stoi((*it)[1]), std::stoi((*it)[2]));
  }
  return canvas;
}

TEST(Zpl, TextGoesGlyphByGlyphWithExactlyTheDotsOfItsLines) {
  // The sample label's lines plus edge cases: an emoji, glyphs reaching left of the pen or
  // past their advance, blank text, mixed sizes.
  Document doc = sample("waybill-76x130.toml");
  Page& page = doc.pages.front();
  const std::pair<const char*, int> extra[] = {{"🎁 礼物", 24},  {"jjj fff", 20},
                                               {"Wolf/ÀÉ", 32}, {"", 24},
                                               {"   ", 24},     {"iiiiiiiiiiiii", 18}};
  int y = 10;
  for (const auto& [text, size] : extra) {
    page.texts.push_back({3, y, size, text});
    y += size + 2;
  }
  const std::string zpl = *render_zpl(doc, *font(), {});
  EXPECT_EQ(*render_zpl(doc, *font(), {}), zpl) << "the second time, from the kept glyphs";
  Bitmap lines(doc.width, doc.height);
  for (const Page& p : doc.pages)
    for (const TextItem& t : p.texts) {
      // The line bitmap is drawn in whole bytes: its last byte's dots print too.
      Bitmap b = text_bitmap(*font(), t.text, t.size);
      b.width = b.stride * 8;
      overlay(lines, b, t.x, t.y);
    }
  const Bitmap drawn = zpl_graphics(zpl, doc.width, doc.height);
  EXPECT_GT(lines.ink(), 10000);
  EXPECT_EQ(drawn.ink(), lines.ink());
  EXPECT_TRUE(drawn.bits == lines.bits);
  // A field a glyph, not a line.
  std::size_t fields = 0, texts = 0;
  for (auto at = zpl.find("^GFA,"); at != std::string::npos; at = zpl.find("^GFA,", at + 1))
    ++fields;
  for (const Page& p : doc.pages) texts += p.texts.size();
  EXPECT_GT(fields, 3 * texts);
}

TEST(Zpl, ResidentFontModeSendsTextAndEscapesZplCharacters) {
  auto data = test::sample_label(1);
  data.fields["receiver_name"] = "王^五~_";
  auto doc = lay_out(test::source_template("waybill-76x130.toml"), data, *font());
  ASSERT_TRUE(doc);
  RenderSettings rs;
  rs.text_mode = TextMode::resident;
  rs.resident_font = "E:SIMSUN.TTF";
  auto zpl = render_zpl(*doc, *font(), rs);
  ASSERT_TRUE(zpl);
  EXPECT_EQ(zpl->find("^GFA"), std::string::npos);
  EXPECT_NE(zpl->find("^A@N,32,32,E:SIMSUN.TTF^FH^FD收 王_5E五_7E_5F"), std::string::npos);
  auto tspl = render_tspl(*doc, *font(), RenderSettings{TextMode::resident, "TSS24.BF2", 2});
  ASSERT_TRUE(tspl);
  EXPECT_NE(tspl->find("TEXT 24,304,\"TSS24.BF2\",0,1,1,\"\xca\xd5 "), std::string::npos);
}

}  // namespace
}  // namespace fulfil::printers
