// label_bench: the printing issue's figures.
//   1. Render N waybills (76×130, Chinese text as bitmaps, glyph cache warm) to ZPL on one
//      core: layout + rendering, each label with its own number, receiver and address.
//   2. Render M waybills to one PDF (Pango + Cairo, the font embedded).
//   3. Keep P simulated ZPL printers rated at R labels/s busy for S seconds through the
//      printer pool (SQLite store, TCP 9100, each label confirmed by status query) and
//      report their utilisation: time printing ÷ time available.
//   label_bench [--zpl N] [--pdf M] [--printers P] [--rate R] [--seconds S]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "capabilities/printing/printing_runtime.hpp"
#include "common/log.hpp"
#include "courier/number_pool.hpp"
#include "courier/waybill_service.hpp"
#include "label_sample.hpp"
#include "lang/language.hpp"
#include "layout/layout.hpp"
#include "printer_simulator.hpp"
#include "review/review_service.hpp"
#include "review_fixture.hpp"
#include "store_fixture.hpp"

using namespace fulfil;

namespace {

using Clock_ = std::chrono::steady_clock;

double seconds_since(Clock_::time_point t) {
  return std::chrono::duration<double>(Clock_::now() - t).count();
}

const char* k_names[] = {"欧阳晓明", "李娜", "王建国", "张伟", "陈静怡", "刘洋", "赵敏", "孙悦"};
const char* k_streets[] = {"华强北路赛格广场东座 28 楼 2806 室", "文三路 90 号东部软件园 3 号楼",
                           "南京东路 300 号恒基名人购物中心 5 楼", "中关村大街 27 号中关村大厦",
                           "天河路 208 号天河城 B 座 1205"};

printers::LabelData label_number(printers::LabelData d, int i) {
  d.fields["waybill_no"] = "SF" + std::to_string(1400000000000LL + i);
  d.fields["receiver_name"] = k_names[i % 8];
  d.fields["receiver_address"] = std::string("广东省深圳市福田区") + k_streets[i % 5];
  d.fields["serial"] = "D261111" + std::to_string(100000 + i);
  return d;
}

void render_benchmarks(int zpl_n, int pdf_n) {
  auto font = *printers::Font::open("WenQuanYi Zen Hei");
  const auto tmpl = test::source_template("waybill-76x130.toml");
  const auto base = test::sample_label(3);
  // Warm the glyph cache as a running daemon has it.
  for (int i = 0; i < 200; ++i) {
    auto doc = printers::lay_out(tmpl, label_number(base, i), *font);
    (void)printers::render_zpl(*doc, *font, {});
  }
  double layout_s = 0, render_s = 0;
  std::size_t bytes = 0;
  const auto start = Clock_::now();
  for (int i = 0; i < zpl_n; ++i) {
    const auto data = label_number(base, i);
    const auto t0 = Clock_::now();
    auto doc = printers::lay_out(tmpl, data, *font);
    const auto t1 = Clock_::now();
    auto zpl = printers::render_zpl(*doc, *font, {});
    render_s += seconds_since(t1);
    layout_s += std::chrono::duration<double>(t1 - t0).count();
    bytes += zpl->size();
  }
  const double zpl_s = seconds_since(start);
  std::printf(
      "zpl: %d waybills in %.2f s = %.0f labels/s on one core (layout %.1f%%, ZPL %.1f%%); "
      "%.1f KiB a label; %zu glyphs cached\n",
      zpl_n, zpl_s, zpl_n / zpl_s, 100 * layout_s / zpl_s, 100 * render_s / zpl_s,
      bytes / 1024.0 / zpl_n, font->cached_glyphs());

  std::vector<printers::Document> docs;
  for (int i = 0; i < pdf_n; ++i)
    docs.push_back(*printers::lay_out(tmpl, label_number(base, i), *font));
  std::vector<const printers::Document*> ptrs;
  for (const auto& d : docs) ptrs.push_back(&d);
  const auto pdf_start = Clock_::now();
  auto pdf = printers::render_pdf(ptrs, *font);
  const double pdf_s = seconds_since(pdf_start);
  std::printf("pdf: %d waybills in one PDF in %.2f s = %.0f labels/s (%.1f MiB)\n", pdf_n, pdf_s,
              pdf_n / pdf_s, pdf->size() / 1048576.0);
}

void printer_benchmark(int printers_n, double rate, double seconds) {
  std::string why;
  auto store = test::TestStore::create(test::Backend::sqlite, why);
  ManualClock clock{SystemClock().now()};
  daemon::Config config;
  config.shipping.couriers = {{"ZTO", "中通快递", courier::Source::pool, 100, 0, {}, {}, 0, 10}};
  config.printing.packing_lists = false;
  config.printing.batch = 20;
  std::vector<std::unique_ptr<sim::PrinterSimulator>> sims;
  for (int i = 0; i < printers_n; ++i) {
    sims.push_back(std::make_unique<sim::PrinterSimulator>(
        sim::PrinterSimulator::Options{sim::PrinterSimulator::Language::zpl, rate}));
    printing::PrinterSettings p;
    p.name = "zebra-" + std::to_string(i);
    p.transport = printing::TransportKind::tcp;
    p.target = sims.back()->address();
    p.label_timeout_seconds = static_cast<int>(10 / rate) + 5;
    config.printing.printers.push_back(p);
  }
  const int parcels = static_cast<int>(printers_n * rate * seconds * 1.2) + 100;
  std::vector<orders::Trade> trades;
  for (int i = 0; i < parcels; ++i)
    trades.push_back(test::paid_trade(1000 + i, clock.now() - 5000 + i, "b" + std::to_string(i)));
  test::store_trades(store->conn(), clock, trades);
  auto review = test::quiet_settings();
  review::ReviewService r(store->conn(), clock, review);
  (void)r.intake();
  (void)r.auto_approve();
  // As many numbers as parcels (ten million took half a minute to import, all unused).
  (void)courier::NumberPool(store->conn())
      .import_range("ZTO", "75100000000001-" + std::to_string(75100000000000LL + parcels),
                    clock.now());
  (void)courier::WaybillService(store->conn(), clock, config.shipping).issue();
  auto rt = daemon::PrintingRuntime::start(config.printing);
  daemon::StoreAccess access(*store::StoreUrl::parse(store->url()));
  // As the daemon runs it: each printer's worker prints job after job.
  const auto start = Clock_::now();
  (void)(*rt)->queue_and_wake(std::make_shared<const daemon::Config>(config), access, clock);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const double wall = seconds_since(start);
  double busy = 0;
  std::size_t printed = 0;
  for (const auto& s : sims) {
    busy += s->busy_seconds();
    printed += s->printed().size();
  }
  std::printf(
      "printers: %d ZPL printers at %.1f labels/s for %.0f s: %zu labels, utilisation "
      "%.1f%% of rated (%.1f%% by labels)\n",
      printers_n, rate, wall, printed, 100 * busy / (printers_n * wall),
      100.0 * printed / (printers_n * rate * wall));
  const auto stop = Clock_::now();
  rt->reset();  // workers stop after the label each is printing
  std::printf("printers stopped in %.2f s\n", seconds_since(stop));
}

}  // namespace

int main(int argc, char** argv) {
  int zpl_n = 100000, pdf_n = 10000, printers_n = 8;
  double rate = 1, seconds = 300;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--zpl")
      zpl_n = std::atoi(argv[i + 1]);
    else if (a == "--pdf")
      pdf_n = std::atoi(argv[i + 1]);
    else if (a == "--printers")
      printers_n = std::atoi(argv[i + 1]);
    else if (a == "--rate")
      rate = std::atof(argv[i + 1]);
    else if (a == "--seconds")
      seconds = std::atof(argv[i + 1]);
  }
  log::configure("warn", false);
  render_benchmarks(zpl_n, pdf_n);
  if (printers_n > 0 && seconds > 0) printer_benchmark(printers_n, rate, seconds);
  std::printf("peak RSS %ld MB\n", test::peak_rss_mb());
  return 0;
}
