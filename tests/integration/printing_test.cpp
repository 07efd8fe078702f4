// Printing on real SQLite and PostgreSQL: parcels with waybills get their labels queued,
// printed job by job into a real spool folder in key-city order, exactly once; failed
// sends are requeued, labels of stopped parcels voided, layouts that cannot be made are
// failed with the reason, jobs a crash left unconfirmed are settled from the spool, and
// reprints are recorded with who and why.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "courier/number_pool.hpp"
#include "courier/waybill_service.hpp"
#include "printing/print_service.hpp"
#include "review/review_service.hpp"
#include "review/stock.hpp"
#include "review_fixture.hpp"
#include "store_fixture.hpp"
#include "test_support.hpp"
#include "transport/spool.hpp"
#include "waybill_fixture.hpp"

using namespace fulfil;
using namespace fulfil::test;

namespace {

// The spool, failing the sends whose number (from 1) is in `fail_on`: a printer that is
// offline for those jobs. Counts the jobs it was given.
class FlakySpool : public printers::Transport {
 public:
  FlakySpool(std::filesystem::path folder, std::set<int> fail_on)
      : m_spool(std::move(folder), "zpl"), m_fail_on(std::move(fail_on)) {}
  printers::PrintOutcome print(const std::string& name,
                               std::span<const std::string> parts) override {
    if (m_fail_on.contains(++calls)) return {0, Error{ErrorKind::network, "printer offline"}, 0};
    return m_spool.print(name, parts);
  }
  std::optional<bool> arrived(const std::string& name) override { return m_spool.arrived(name); }
  std::string describe() const override { return "flaky " + m_spool.describe(); }
  int calls = 0;

 private:
  printers::SpoolTransport m_spool;
  std::set<int> m_fail_on;
};

class PrintIt : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!store) return;
    printer.name = "zebra";
    printer.language = printers::Language::zpl;
    printer.kinds = {printing::LabelKind::waybill};
    settings.printers = {printer};
    settings.packing_lists = false;
    settings.batch = 7;
    auto f = printers::Font::open(settings.font);
    ASSERT_TRUE(f) << f.error().message;
    font = *f;
    auto t = printing::TemplateLibrary::load("");
    ASSERT_TRUE(t) << t.error().message;
    templates = std::move(*t);
  }
  // `n` trades through review and the number pool: parcels in state `waybill`.
  void parcels_with_waybills(int n, int first_tid = 1000) {
    std::vector<orders::Trade> trades;
    for (int i = 0; i < n; ++i)
      trades.push_back(paid_trade(first_tid + i, clock.now() - 5000 + i, "b" + std::to_string(i),
                                  i % 3 ? "东莞市" : "北京"));
    auto issued = with_waybills(store->conn(), clock, review, couriers, trades);
    ASSERT_TRUE(issued) << issued.error().message;
    ASSERT_EQ(*issued, n);
  }
  printing::PrintService service() {
    return {store->conn(), clock, settings, couriers, templates, *font};
  }
  // Waybill numbers in the spool's ZPL jobs, with how often each was printed.
  std::map<std::string, int> printed_numbers() {
    std::map<std::string, int> out;
    if (!std::filesystem::exists(dir.path())) return out;
    const std::regex number(R"(\^BCN,[0-9]+,N,N,N,A\^FD([0-9A-Z]+)\^FS)");
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
      const std::string zpl = read_file(e.path());
      for (std::sregex_iterator it(zpl.begin(), zpl.end(), number), end; it != end; ++it)
        ++out[(*it)[1]];
    }
    return out;
  }
  ManualClock clock{SystemClock().now()};
  review::ReviewSettings review = quiet_settings();
  courier::CourierSettings couriers = pool_couriers();
  printing::PrintSettings settings;
  printing::PrinterSettings printer;
  std::shared_ptr<printers::Font> font;
  printing::TemplateLibrary templates;
  TempDir dir;
};

TEST_P(PrintIt, LabelsPrintOnceInKeyCityOrderAndTheirParcelsMoveToPrinted) {
  parcels_with_waybills(30);
  auto svc = service();
  EXPECT_EQ(*svc.queue(), 30);
  EXPECT_EQ(*svc.queue(), 0) << "queued once";
  printers::SpoolTransport spool(dir.path(), "zpl");
  auto r = svc.print(printer, spool);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->jobs, 5);  // 30 labels in jobs of 7
  EXPECT_EQ(r->printed, 30);
  EXPECT_EQ(r->printed_parcels.size(), 30u);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'printed'"), 30);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM trades WHERE fstate = 'printed'"), 30);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM print_jobs WHERE state = 'printed'"), 5);
  auto numbers = printed_numbers();
  EXPECT_EQ(numbers.size(), 30u);
  for (const auto& [n, times] : numbers) EXPECT_EQ(times, 1) << n;
  // The first job holds the key cities' (北京) parcels: 10 of them, so all 7 of job 1.
  EXPECT_EQ(store->scalar("SELECT MAX(p.key_rank) FROM labels l JOIN parcels p ON p.id = "
                          "l.parcel_id WHERE l.job = (SELECT MIN(id) FROM print_jobs)"),
            0);
  auto again = svc.print(printer, spool);
  EXPECT_EQ(again->jobs, 0) << "nothing prints twice";
}

TEST_P(PrintIt, AFailedSendRequeuesAndEveryLabelStillPrintsExactlyOnce) {
  parcels_with_waybills(20);
  auto svc = service();
  ASSERT_TRUE(svc.queue());
  FlakySpool flaky(dir.path(), {1, 3});
  auto first = svc.print(printer, flaky);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->printed, 0);
  EXPECT_EQ(first->requeued, 7) << "the printer's jobs stop at the fault";
  auto queued = svc.list({.state = "queued"});
  ASSERT_EQ(queued->size(), 20u);
  EXPECT_NE(queued->front().error.find("printer offline"), std::string::npos);
  for (int pass = 0; pass < 4; ++pass) ASSERT_TRUE(svc.print(printer, flaky));
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM labels WHERE state = 'printed'"), 20);
  auto numbers = printed_numbers();
  EXPECT_EQ(numbers.size(), 20u);
  for (const auto& [n, times] : numbers) EXPECT_EQ(times, 1) << n;
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM print_jobs WHERE state = 'failed'"), 2);
}

TEST_P(PrintIt, LabelsOfAnInterceptedParcelAreVoidedNotPrinted) {
  parcels_with_waybills(5);
  auto svc = service();
  ASSERT_TRUE(svc.queue());
  store->conn().sql() << "UPDATE parcels SET state = 'intercepted' WHERE id = (SELECT MIN(id) "
                         "FROM parcels)";
  printers::SpoolTransport spool(dir.path(), "zpl");
  auto r = svc.print(printer, spool);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->printed, 4);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM labels WHERE state = 'queued'"), 1);
  ASSERT_TRUE(svc.queue());  // the next pass voids it
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM labels WHERE state = 'void'"), 1);
  EXPECT_EQ(printed_numbers().size(), 4u);
}

TEST_P(PrintIt, ALabelThatCannotBeLaidOutFailsWithItsReasonAndTheOthersPrint) {
  parcels_with_waybills(6);
  std::string endless;
  for (int i = 0; i < 40; ++i) endless += "幸福小区" + std::to_string(i) + "栋";
  store->conn().sql() << "UPDATE trades SET address_detail = :a WHERE tid = 1001",
      soci::use(endless);
  auto svc = service();
  ASSERT_TRUE(svc.queue());
  printers::SpoolTransport spool(dir.path(), "zpl");
  auto r = svc.print(printer, spool);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->printed, 5);
  EXPECT_EQ(r->failed, 1);
  auto failed = svc.list({.state = "failed"});
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_NE(failed->front().error.find("front[7]"), std::string::npos) << failed->front().error;
  EXPECT_NE(failed->front().error.find("does not fit"), std::string::npos);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'waybill'"), 1)
      << "its parcel waits for a person";
}

TEST_P(PrintIt, JobsACrashLeftUnconfirmedAreSettledFromTheSpool) {
  parcels_with_waybills(4);
  auto svc = service();
  ASSERT_TRUE(svc.queue());
  // A crash after the labels were recorded as sent: one job reached the spool, one did not.
  store->conn().sql() << "UPDATE labels SET state = 'sent', printer = 'zebra', job = CASE WHEN "
                         "id % 2 = 0 THEN 'zebra-even' ELSE 'zebra-odd' END";
  printers::SpoolTransport spool(dir.path(), "zpl");
  ASSERT_TRUE(spool.write("zebra-even", "^XA^XZ"));
  auto settled = svc.recover(printer, spool);
  ASSERT_TRUE(settled) << settled.error().message;
  EXPECT_EQ(*settled, 4);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM labels WHERE state = 'printed' AND id % 2 = 0"), 2);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM labels WHERE state = 'queued' AND id % 2 = 1"), 2);
}

TEST_P(PrintIt, AReprintIsRecordedWithWhoAndWhyAndPrintsOnce) {
  parcels_with_waybills(2);
  auto svc = service();
  ASSERT_TRUE(svc.queue());
  EXPECT_EQ(svc.reprint(1, "li", "jammed").error().kind, ErrorKind::conflict) << "not printed yet";
  printers::SpoolTransport spool(dir.path(), "zpl");
  ASSERT_TRUE(svc.print(printer, spool));
  EXPECT_EQ(svc.reprint(1, "li", "").error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(svc.reprint(99, "li", "x").error().kind, ErrorKind::not_found);
  auto again = svc.reprint(1, "li", "label torn at the pack station");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->reprint_of, 1);
  EXPECT_EQ(again->requested_by, "li");
  EXPECT_EQ(again->state, "queued");
  auto r = svc.print(printer, spool);
  EXPECT_EQ(r->printed, 1);
  auto numbers = printed_numbers();
  const std::string first = svc.list({.state = "printed"})->front().waybill_no;
  EXPECT_EQ(numbers[first], 2) << "the original and its recorded reprint";
  EXPECT_EQ(*svc.queue(), 0) << "a reprint is not a missing label";
}

TEST_P(PrintIt, AStationsReprintComesOutOfThePrinterStandingThere) {
  auto station_1 = printer, station_2 = printer;
  station_1.name = "zebra-1", station_1.station = "打包台1";
  station_2.name = "zebra-2", station_2.station = "打包台2";
  settings.printers = {printer, station_1, station_2};
  parcels_with_waybills(2);
  auto svc = service();
  ASSERT_TRUE(svc.queue());
  printers::SpoolTransport spool(dir.path(), "zpl");
  ASSERT_TRUE(svc.print(printer, spool));
  auto nowhere = svc.reprint(1, "li", "torn", "打包台9");
  ASSERT_FALSE(nowhere);
  EXPECT_EQ(nowhere.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(nowhere.error().message.find("no printer of waybill labels stands at 打包台9"),
            std::string::npos);
  auto again = svc.reprint(1, "li", "torn", "打包台2");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->printer, "zebra-2");
  // Another station's printer and the pool's printer pass it over; its own prints it.
  for (const auto& other : {station_1, printer}) {
    auto r = svc.print(other, spool);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->printed, 0) << other.name;
  }
  auto r = svc.print(station_2, spool);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->printed, 1);
  EXPECT_EQ(store->text("SELECT printer FROM labels WHERE reprint_of = 1"), "zebra-2");
  // Without a station, any printer of its kind takes a reprint, as before.
  ASSERT_TRUE(svc.reprint(2, "li", "smudged"));
  EXPECT_EQ(svc.print(station_1, spool)->printed, 1);
}

TEST_P(PrintIt, WithConfirmAtPrintedTheShipConfirmationWaitsForTheLabel) {
  couriers.confirm_at = courier::ConfirmAt::printed;
  parcels_with_waybills(3);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM ship_confirmations"), 0);
  auto svc = service();
  ASSERT_TRUE(svc.queue());
  printers::SpoolTransport spool(dir.path(), "zpl");
  ASSERT_TRUE(svc.print(printer, spool));
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM ship_confirmations WHERE state = 'pending'"), 3);
}

}  // namespace

namespace {

TEST_P(PrintIt, ByCourierEachCouriersLabelsComeTogetherAndReprintsGoFirst) {
  couriers.couriers = {{"ZTO", "中通快递", courier::Source::pool, 50, 0, {}, {}, 450, 10},
                       {"YTO", "圆通速递", courier::Source::pool, 50, 0, {}, {}, 420, 10}};
  ASSERT_TRUE(courier::NumberPool(store->conn())
                  .import_range("YTO", "YT1000000000001-YT1000000000900", clock.now()));
  settings.order = printing::PrintOrder::courier;
  settings.batch = 100;
  parcels_with_waybills(20);
  auto svc = service();
  ASSERT_TRUE(svc.queue());
  printers::SpoolTransport spool(dir.path(), "zpl");
  ASSERT_TRUE(svc.print(printer, spool));
  // One job, each courier's labels together (YTO, then ZTO), whatever the key cities say.
  ASSERT_EQ(store->scalar("SELECT COUNT(*) FROM print_jobs"), 1);
  const std::string zpl =
      read_file(dir.path() / (store->text("SELECT id FROM print_jobs") + ".zpl"));
  const auto last_yto = zpl.rfind("^FDYT"), first_zto = zpl.find("^FD751");
  ASSERT_NE(last_yto, std::string::npos);
  ASSERT_NE(first_zto, std::string::npos);
  EXPECT_LT(last_yto, first_zto);
  // A reprint jumps the queue.
  ASSERT_TRUE(svc.reprint(5, "li", "torn"));
  store->conn().sql() << "UPDATE labels SET state = 'queued' WHERE id IN (1, 2)";
  settings.batch = 1;
  ASSERT_TRUE(svc.print(printer, spool, 1));
  EXPECT_EQ(store->text("SELECT state FROM labels WHERE reprint_of = 5"), "printed");
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM labels WHERE id IN (1, 2) AND state = 'queued'"),
            2);
}

TEST_P(PrintIt, AlongThePickWalkEachJobPrintsByStockLocationWithUnplacedSkusLast) {
  ASSERT_TRUE(review::StockRepository(store->conn())
                  .load_csv("sku,on_hand,location\nSKU-A,9,C-01\nSKU-B,9,A-05\nSKU-C,9,B-11\n"
                            "SKU-D,9,\n",
                            "stock.csv", "test", clock.now()));
  settings.order = printing::PrintOrder::pick_location;
  settings.batch = 100;
  // Paid in the order D, A, B, C (key-city order would print them so).
  const std::vector<std::string> skus = {"SKU-D", "SKU-A", "SKU-B", "SKU-C"};
  std::vector<orders::Trade> trades;
  for (int i = 0; i < 4; ++i)
    trades.push_back(
        paid_trade(2000 + i, clock.now() - 5000 + i, "w" + std::to_string(i), "北京", skus[i]));
  auto issued = with_waybills(store->conn(), clock, review, couriers, trades);
  ASSERT_TRUE(issued) << issued.error().message;
  auto svc = service();
  ASSERT_TRUE(svc.queue());
  printers::SpoolTransport spool(dir.path(), "zpl");
  auto r = svc.print(printer, spool);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->printed, 4);
  // The job's labels in location order: B (A-05), C (B-11), A (C-01), then D (none).
  const std::string zpl =
      read_file(dir.path() / (store->text("SELECT id FROM print_jobs") + ".zpl"));
  auto at = [&](orders::Tid tid) {
    const std::string number = store->text(
        "SELECT w.waybill_no FROM waybills w JOIN parcel_trades t ON t.parcel_id = w.parcel_id "
        "WHERE t.tid = " +
        std::to_string(tid));
    const auto pos = zpl.find("^FD" + number + "^FS");
    EXPECT_NE(pos, std::string::npos) << number;
    return pos;
  };
  EXPECT_LT(at(2002), at(2003));
  EXPECT_LT(at(2003), at(2001));
  EXPECT_LT(at(2001), at(2000));
}

}  // namespace

FULFIL_ON_BOTH_BACKENDS(PrintIt);

namespace {

// Issue 21, item 4: parcels made by split, unsplit, merge and unmerge go through waybill,
// print and ship confirmation like any other (a split-off parcel used to find no trade: no
// label, no preview, stuck in `waybill`).
TEST_P(PrintIt, Defect4_SplitMergedAndUnmergedParcelsGetWaybillsPrintAndConfirm) {
  auto split_trade = paid_trade(100, clock.now() - 900, "s");
  auto second = split_trade.lines[0];
  second.oid = 777;
  second.outer_sku_id = "SKU-2";
  split_trade.lines.push_back(second);
  split_trade.payment += second.payment;
  auto unsplit_trade = split_trade;
  unsplit_trade.tid = 500;
  unsplit_trade.buyer_nick = "u";
  unsplit_trade.lines[0].oid = 501;
  unsplit_trade.lines[1].oid = 502;
  // Same buyer and address: intake merges 300 and 301, and 400 and 401 (unmerged below).
  store_trades(store->conn(), clock,
               {split_trade, unsplit_trade, paid_trade(300, clock.now() - 800, "m"),
                paid_trade(301, clock.now() - 700, "m"), paid_trade(400, clock.now() - 600, "n"),
                paid_trade(401, clock.now() - 500, "n")});
  review::ReviewService r(store->conn(), clock, review);
  ASSERT_TRUE(r.intake());
  auto parcel_of = [&](orders::Tid tid) { return r.parcel_of(tid)->value_or(0); };
  auto version_of = [&](std::int64_t id) { return (*r.detail(id))->parcel.version; };
  ASSERT_EQ(parcel_of(300), parcel_of(301)) << "merged at intake";
  ASSERT_EQ(parcel_of(400), parcel_of(401));
  auto child = r.split(parcel_of(100), version_of(parcel_of(100)), {777}, "alice");
  ASSERT_TRUE(child) << child.error().message;
  auto undone = r.split(parcel_of(500), version_of(parcel_of(500)), {502}, "alice");
  ASSERT_TRUE(undone) << undone.error().message;
  ASSERT_TRUE(r.unsplit(undone->id, undone->version, "alice"));
  ASSERT_TRUE(r.unmerge(parcel_of(400), version_of(parcel_of(400)), "alice"));
  ASSERT_NE(parcel_of(400), parcel_of(401));
  EXPECT_EQ((*r.detail(child->id))->tids, std::vector<orders::Tid>{100})
      << "a split-off parcel ships lines of trade 100";

  ASSERT_TRUE(r.auto_approve());
  ASSERT_TRUE(courier::NumberPool(store->conn())
                  .import_range("ZTO", "75100000000001-75100000000900", clock.now()));
  auto issued = courier::WaybillService(store->conn(), clock, couriers).issue();
  ASSERT_TRUE(issued) << issued.error().message;
  // 100, its child, 500, 300+301, 400, 401.
  EXPECT_EQ(issued->issued, 6);
  auto svc = service();
  EXPECT_EQ(*svc.queue(), 6);
  printers::SpoolTransport spool(dir.path(), "zpl");
  auto printed = svc.print(printer, spool);
  ASSERT_TRUE(printed) << printed.error().message;
  EXPECT_EQ(printed->printed, 6);
  EXPECT_EQ(printed->failed, 0);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM labels WHERE state <> 'printed'"), 0);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'waybill'"), 0);
  EXPECT_EQ(printed_numbers().size(), 6u);
  EXPECT_TRUE(svc.document(child->id, printing::LabelKind::waybill)) << "the preview lays it out";
  // Each parcel of the split trade confirms its own line; the merged parcel both trades.
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM ship_confirmations WHERE tid = 100"), 2);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM ship_confirmations WHERE parcel_id = " +
                          std::to_string(child->id) + " AND sub_tids = '777'"),
            1);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM ship_confirmations WHERE tid IN (300, 301, 400, "
                          "401, 500)"),
            5);
}

}  // namespace
