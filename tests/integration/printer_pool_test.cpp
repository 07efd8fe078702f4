// Label printers over raw TCP: the transport against the ZPL and TSPL printer simulators
// (status queries, paper out, jams, pauses, silence), and the printer pool under 100
// random faults across 3 printers printing 50-label jobs: every label printed exactly once,
// none lost; labels a fault left uncertain are checked by a "person" who looks at what the
// printer really printed.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <thread>

#include "capabilities/printing/printing_runtime.hpp"
#include "courier/number_pool.hpp"
#include "courier/waybill_service.hpp"
#include "label_sample.hpp"
#include "lang/language.hpp"
#include "layout/layout.hpp"
#include "printer_simulator.hpp"
#include "printing/print_service.hpp"
#include "review/review_service.hpp"
#include "review_fixture.hpp"
#include "store_fixture.hpp"
#include "transport/tcp9100.hpp"

using namespace fulfil;
using namespace fulfil::test;

namespace {

using Sim = sim::PrinterSimulator;

std::shared_ptr<printers::Font> font() {
  static auto f = printers::Font::open("WenQuanYi Zen Hei");
  if (!f) throw std::runtime_error(f.error().message);
  return *f;
}

// `n` waybill labels of the sample parcel with numbers SF0..SF{n-1}, in `language`.
std::vector<std::string> labels(int n, printers::Language language) {
  std::vector<std::string> out;
  auto data = sample_label(2);
  auto t = source_template("waybill-76x130.toml");
  for (int i = 0; i < n; ++i) {
    data.fields["waybill_no"] = "SF" + std::to_string(i);
    auto doc = printers::lay_out(t, data, *font());
    const printers::Document* d = &*doc;
    out.push_back(*printers::render(language, std::span(&d, 1), *font(), {}));
  }
  return out;
}

printers::Tcp9100Transport transport(const Sim& sim, printers::Language language) {
  printers::TcpSettings s;
  s.port = sim.port();
  s.language = language;
  s.answer_timeout = std::chrono::milliseconds(500);  // see PrinterPool's answer_timeout_ms
  s.label_timeout = std::chrono::seconds(3);
  s.poll = std::chrono::milliseconds(2);
  return printers::Tcp9100Transport(s);
}

class Tcp : public ::testing::TestWithParam<printers::Language> {
 protected:
  Sim::Language sim_language() const {
    return GetParam() == printers::Language::zpl ? Sim::Language::zpl : Sim::Language::tspl;
  }
};

TEST_P(Tcp, LabelsPrintAndAreConfirmedOneByOne) {
  Sim sim({sim_language(), 500});
  auto t = transport(sim, GetParam());
  auto parts = labels(5, GetParam());
  auto out = t.print("job", parts);
  EXPECT_EQ(out.printed, 5);
  EXPECT_FALSE(out.error);
  EXPECT_EQ(sim.printed(), (std::vector<std::string>{"SF0", "SF1", "SF2", "SF3", "SF4"}));
  EXPECT_EQ(sim.garbage(), 0) << "every bitmap decoded";
  auto st = t.status();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->describe(), "ready");
}

TEST_P(Tcp, PaperOutStopsTheJobAtTheExactLabel) {
  Sim sim({sim_language(), 500});
  sim.paper_out_after(2);
  auto t = transport(sim, GetParam());
  auto out = t.print("job", labels(5, GetParam()));
  EXPECT_EQ(out.printed, 2);
  ASSERT_TRUE(out.error);
  EXPECT_NE(out.error->message.find("paper out"), std::string::npos) << out.error->message;
  // ZPL cancels the waiting label (~JA): certainly unprinted. TSPL cannot: a person looks.
  EXPECT_EQ(out.uncertain, GetParam() == printers::Language::tspl ? 1 : 0);
  if (GetParam() == printers::Language::zpl) {
    // ~JA is on its way: the printer's buffer empties without printing anything more.
    for (int i = 0; i < 100 && sim.waiting() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(sim.waiting(), 0);
    EXPECT_EQ(sim.printed().size(), 2u);
  }
  // A printer already out refuses the next job before anything is sent.
  auto next = t.print("job2", labels(1, GetParam()));
  EXPECT_EQ(next.printed, 0);
  EXPECT_EQ(next.uncertain, 0);
}

TEST_P(Tcp, AJamRuinsTheLabelUnderTheHeadAndLeavesItUncertain) {
  Sim sim({sim_language(), 500});
  sim.jam_after(1);
  auto out = transport(sim, GetParam()).print("job", labels(4, GetParam()));
  EXPECT_EQ(out.printed, 1);
  EXPECT_EQ(out.uncertain, 1);
  // TSPL reports the jam; a Zebra shows it as head open and paused.
  EXPECT_NE(out.error->message.find(GetParam() == printers::Language::zpl ? "head open" : "jam"),
            std::string::npos)
      << out.error->message;
  EXPECT_EQ(sim.ruined(), std::vector<std::string>{"SF1"});
}

TEST_P(Tcp, SilenceIsAFaultAndNoConnectionIsAnError) {
  Sim sim({sim_language(), 500});
  sim.go_silent();
  auto out = transport(sim, GetParam()).print("job", labels(2, GetParam()));
  EXPECT_EQ(out.printed, 0);
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->kind, ErrorKind::timeout);
  EXPECT_NE(out.error->message.find("printer silent"), std::string::npos);
  EXPECT_TRUE(sim.printed().empty());

  printers::TcpSettings nowhere;
  nowhere.port = 1;  // nothing listens there
  nowhere.language = GetParam();
  auto refused = printers::Tcp9100Transport(nowhere).print("job", labels(1, GetParam()));
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(refused.error->kind, ErrorKind::network);
}

INSTANTIATE_TEST_SUITE_P(Languages, Tcp,
                         ::testing::Values(printers::Language::zpl, printers::Language::tspl),
                         [](const auto& param_info) {
                           return std::string(printers::to_string(param_info.param));
                         });

TEST(PrinterStatusReplies, GarbageIsRefusedNamingIt) {
  EXPECT_FALSE(printers::parse_zpl_status("hello"));
  EXPECT_FALSE(
      printers::parse_zpl_status("\x02"
                                 "030,0\x03\r\n\x02"
                                 "1\x03\r\n\x02"
                                 "x\x03"));
  auto bad = printers::parse_zpl_status(
      "\x02"
      "030,0,0,1245,0x1,0\x03\r\n\x02"
      "000,0,0,0\x03\r\n\x02"
      "1234,0\x03\r\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("formats waiting \"0x1\""), std::string::npos);
  auto ok = printers::parse_zpl_status(
      "\x02"
      "030,1,1,1245,003,0\x03\r\n\x02"
      "000,0,1,1\x03\r\n\x02"
      "1234,0\x03\r\n");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->describe(), "paper out, head open, ribbon out, paused");
  EXPECT_EQ(ok->waiting, 3);
  EXPECT_EQ(printers::parse_tspl_status(0x22).describe(), "jammed");
  EXPECT_EQ(printers::parse_tspl_status(0x20).describe(), "printing");
}

// The pool: 3 printers (two ZPL, one TSPL) on one queue, 100 random faults.
class PrinterPool : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!store) return;
    config.shipping.couriers = {{"ZTO", "中通快递", courier::Source::pool, 100, 0, {}, {}, 0, 10}};
    config.printing.packing_lists = false;
    config.printing.batch = 50;
    config.printing.fault_retry_seconds = 5;
    config.printing.jobs_per_pass = 1;  // faults land between and inside jobs
    for (int i = 0; i < 3; ++i) {
      const bool tspl = i == 2;
      sims.push_back(std::make_unique<Sim>(
          Sim::Options{tspl ? Sim::Language::tspl : Sim::Language::zpl, 1000}));
      printing::PrinterSettings p;
      p.name = "p" + std::to_string(i);
      p.language = tspl ? printers::Language::tspl : printers::Language::zpl;
      p.transport = printing::TransportKind::tcp;
      p.target = sims.back()->address();
      // Long enough for a busy machine (the suite runs two tests a core, under sanitizers
      // too): at 150 ms a healthy printer's status reply was once late, and its labels went
      // to be checked. Silence still costs each silent fault only this long.
      p.answer_timeout_ms = 500;
      p.label_timeout_seconds = 3;
      p.poll_ms = 2;
      config.printing.printers.push_back(p);
    }
  }
  void parcels_with_waybills(int n) {
    std::vector<orders::Trade> trades;
    for (int i = 0; i < n; ++i)
      trades.push_back(paid_trade(1000 + i, clock.now() - 5000 + i, "b" + std::to_string(i)));
    store_trades(store->conn(), clock, trades);
    review::ReviewService r(store->conn(), clock, review);
    ASSERT_TRUE(r.intake());
    ASSERT_TRUE(r.auto_approve());
    ASSERT_TRUE(courier::NumberPool(store->conn())
                    .import_range("ZTO", "75100000000001-75100000009999", clock.now()));
    ASSERT_EQ(courier::WaybillService(store->conn(), clock, config.shipping).issue()->issued, n);
  }
  ManualClock clock{SystemClock().now()};
  review::ReviewSettings review = quiet_settings();
  daemon::Config config;
  std::vector<std::unique_ptr<Sim>> sims;
  TempDir dir;
};

TEST_P(PrinterPool, OneHundredRandomFaultsLoseAndDoubleNoLabel) {
  const int parcels = 1000;
  parcels_with_waybills(parcels);
  auto rt = daemon::PrintingRuntime::start(config.printing);
  ASSERT_TRUE(rt) << rt.error().message;
  daemon::StoreAccess access(*store::StoreUrl::parse(store->url()));
  std::mt19937 rng(20261124);
  int faults = 0, checks = 0;
  auto printed_by_sims = [&] {
    std::map<std::string, int> n;
    for (const auto& s : sims)
      for (const auto& id : s->printed()) ++n[id];
    return n;
  };
  for (int round = 0; round < 400; ++round) {
    // Arm or strike faults on printers that are healthy.
    for (auto& s : sims) {
      if (faults >= 100) continue;
      switch (rng() % 4) {
        case 0:
          s->jam_after(static_cast<int>(rng() % 20));
          break;
        case 1:
          s->paper_out_after(static_cast<int>(rng() % 20));
          break;
        case 2:
          s->pause();
          break;
        default:
          s->go_silent();
          break;
      }
      ++faults;
    }
    ASSERT_TRUE((*rt)->run_once(config, access, clock));
    // The operator fixes stopped printers; their buffers finish printing.
    for (auto& s : sims)
      if (rng() % 2) s->clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    // A person checks each uncertain label against what the printers really printed.
    auto svc = (*rt)->service(store->conn(), clock, config);
    auto uncertain = svc.list({.state = "check", .limit = 1000});
    ASSERT_TRUE(uncertain);
    const auto seen = printed_by_sims();
    for (const auto& l : *uncertain) {
      const Sim* owner = sims[std::stoi(l.printer.substr(1))].get();
      if (owner->waiting() > 0) continue;  // still in its buffer: look again later
      ASSERT_TRUE(svc.checked(l.id, "checker", seen.contains(l.waybill_no)));
      ++checks;
    }
    clock.advance(6);  // seconds: faulted printers are asked again
    if (faults >= 100 && store->scalar("SELECT COUNT(*) FROM labels WHERE state <> 'printed'") == 0)
      break;
  }
  for (auto& s : sims) s->clear();
  EXPECT_EQ(faults, 100);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM labels WHERE state = 'printed'"), parcels)
      << "queued " << store->scalar("SELECT COUNT(*) FROM labels WHERE state = 'queued'")
      << ", check " << store->scalar("SELECT COUNT(*) FROM labels WHERE state = 'check'");
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'printed'"), parcels);
  const auto seen = printed_by_sims();
  EXPECT_EQ(static_cast<int>(seen.size()), parcels) << "every label on paper";
  int doubled = 0;
  for (const auto& [id, times] : seen) doubled += times > 1;
  EXPECT_EQ(doubled, 0) << "no label printed twice";
  EXPECT_GT(checks, 0) << "some faults left labels for a person to check";
  EXPECT_GE(store->scalar("SELECT COUNT(*) FROM print_jobs WHERE state = 'failed'"), 50)
      << "most faults stopped a job";
  int garbage = 0;
  for (const auto& s : sims) garbage += s->garbage();
  EXPECT_EQ(garbage, 0);
}

TEST_P(PrinterPool, ADutyCycleRestsThePrinterAndResumesIt) {
  config.printing.printers.resize(1);
  auto& p = config.printing.printers[0];
  p.transport = printing::TransportKind::spool;
  p.target = (dir.path() / "spool").string();
  p.print_minutes = 1;
  p.rest_minutes = 2;
  config.printing.batch = 5;
  parcels_with_waybills(20);
  auto rt = daemon::PrintingRuntime::start(config.printing);
  ASSERT_TRUE(rt);
  daemon::StoreAccess access(*store::StoreUrl::parse(store->url()));
  auto printed = [&] {
    return store->scalar("SELECT COUNT(*) FROM labels WHERE state = 'printed'");
  };
  ASSERT_TRUE((*rt)->run_once(config, access, clock));
  EXPECT_EQ(printed(), 5);
  clock.advance(61);  // a minute of printing: time to rest
  ASSERT_TRUE((*rt)->run_once(config, access, clock));
  EXPECT_EQ(printed(), 5);
  EXPECT_EQ((*rt)->health().at("p0").state, "resting");
  clock.advance(100);
  ASSERT_TRUE((*rt)->run_once(config, access, clock));
  EXPECT_EQ(printed(), 5) << "still resting";
  clock.advance(21);
  ASSERT_TRUE((*rt)->run_once(config, access, clock));
  EXPECT_EQ(printed(), 10) << "back at work after two minutes";
  EXPECT_EQ((*rt)->health().at("p0").state, "ready");
}

// Issue 21, item 1: a ~HS reply whose "formats waiting" is a 20-digit number made std::stoi
// throw in a print worker and abort the daemon. It is a fault of that printer, quoted; the
// other printers take its labels and nothing is left to check.
TEST_P(PrinterPool, Defect1_AGarbageStatusReplyFaultsOnlyThatPrinter) {
  sims[0]->answer_status_with(
      "\x02"
      "030,0,0,1245,99999999999999999999,0,0,0,000,0,0,0\x03\r\n\x02"
      "000,0,0,0,0,2,6,0,00000000,1,000\x03\r\n\x02"
      "1234,0\x03\r\n");
  parcels_with_waybills(20);
  auto rt = daemon::PrintingRuntime::start(config.printing);
  ASSERT_TRUE(rt);
  daemon::StoreAccess access(*store::StoreUrl::parse(store->url()));
  auto p0_alone = config;  // p0 asks first, so the others cannot take every label before it
  p0_alone.printing.printers.resize(1);
  ASSERT_TRUE((*rt)->run_once(p0_alone, access, clock));
  for (int pass = 0; pass < 40; ++pass) {
    ASSERT_TRUE((*rt)->run_once(config, access, clock));
    if (store->scalar("SELECT COUNT(*) FROM labels WHERE state <> 'printed'") == 0) break;
  }
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM labels WHERE state = 'printed'"), 20);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM labels WHERE state = 'check'"), 0)
      << "nothing was sent to the printers that answered garbage";
  EXPECT_EQ(sims[1]->printed().size() + sims[2]->printed().size(), 20u);
  EXPECT_TRUE(sims[0]->printed().empty());
  const auto health = (*rt)->health();
  EXPECT_EQ(health.at("p0").state, "fault");
  EXPECT_NE(health.at("p0").fault.find("formats waiting \"99999999999999999999\""),
            std::string::npos)
      << health.at("p0").fault;
  // Bytes that never make a reply are garbage quoted, not "printer silent".
  sims[1]->answer_status_with("\x7f\x01 not a printer");
  auto t = printers::Tcp9100Transport(*daemon::tcp_settings(config.printing.printers[1])).status();
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("status reply is garbage or cut short"), std::string::npos)
      << t.error().message;
  EXPECT_NE(t.error().message.find("ms): \"\\x7f\\x01 not a printer\""), std::string::npos)
      << t.error().message;
  auto direct = printers::parse_zpl_status(
      "\x02"
      "030,0,0,1245,99999999999,0\x03\r\n\x02"
      "000,0,0,0\x03\r\n\x02"
      "1234,0\x03\r\n");
  ASSERT_FALSE(direct);
  EXPECT_EQ(direct.error().kind, ErrorKind::invalid_input);
}

// Issue 21, item 9: what the printer view says after a fault. Labels queued again belong to
// no printer and count as queued for their kind; labels to check count as unconfirmed; a
// printer whose fault nobody has seen cleared stays in fault while there is nothing to print.
TEST_P(PrinterPool, Defect9_ThePrinterViewSaysWhatWaitsAndWhoIsInFault) {
  config.printing.printers.resize(1);
  config.printing.batch = 10;
  sims[0]->jam_after(2);
  parcels_with_waybills(10);
  auto rt = daemon::PrintingRuntime::start(config.printing);
  ASSERT_TRUE(rt);
  daemon::StoreAccess access(*store::StoreUrl::parse(store->url()));
  ASSERT_TRUE((*rt)->run_once(config, access, clock));
  auto counts = printing::count_labels(store->conn());
  ASSERT_TRUE(counts);
  EXPECT_EQ((*counts)["p0"]["check"], 1) << "the jammed label";
  EXPECT_EQ((*counts)["waybill"]["queued"], 7) << "queued again, for any printer";
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM labels WHERE state = 'queued' AND printer IS NOT "
                          "NULL"),
            0);
  EXPECT_EQ((*rt)->health().at("p0").state, "fault");
  // Nothing left to print (a person cleared the queue): the fault is still the latest news.
  store->conn().sql() << "UPDATE labels SET state = 'void' WHERE state = 'queued'";
  clock.advance(config.printing.fault_retry_seconds + 1);
  ASSERT_TRUE((*rt)->run_once(config, access, clock));
  EXPECT_EQ((*rt)->health().at("p0").state, "fault");
  EXPECT_FALSE((*rt)->health().at("p0").fault.empty());
}

FULFIL_ON_BOTH_BACKENDS(PrinterPool);

}  // namespace
