// Couriers on real SQLite and PostgreSQL: the number pool hands out each number once,
// approved parcels get waybills by the rules, and ship confirmations reach the TOP
// simulator over HTTP, through its faults, exactly once per trade.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "capabilities/shipping/shipping_job.hpp"
#include "config.hpp"
#include "courier/number_pool.hpp"
#include "courier/platform_reconciliation.hpp"
#include "courier/waybill_service.hpp"
#include "outbound/curl_multi_client.hpp"
#include "platform/shop_sync_job.hpp"
#include "review/review_service.hpp"
#include "review_fixture.hpp"
#include "sf_simulator.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"
#include "store_fixture.hpp"
#include "top_simulator.hpp"

using namespace fulfil;
using namespace fulfil::test;

namespace {

courier::CourierSettings two_pools() {
  courier::CourierSettings s;
  s.couriers = {{"ZTO", "中通", courier::Source::pool, 60, 0, {}, {"中通"}, 450, 10},
                {"YTO", "圆通", courier::Source::pool, 40, 0, {"新疆"}, {"圆通"}, 420, 10}};
  s.batch = 50;
  return s;
}

// A platform shop "tmall" reaching the TOP simulator.
daemon::ShopConfig sim_shop(const sim::TopSimulator& sim) {
  daemon::ShopConfig shop;
  shop.name = "tmall";
  shop.source = daemon::ShopConfig::Source::top;
  shop.top = {sim.base_url(), "12345678", "sim-secret", "sim-session",
              platform::SignMethod::hmac_sha256};
  return shop;
}

class CourierIt : public StoreTest {
 protected:
  void approve(const std::vector<orders::Trade>& trades) {
    store_trades(store->conn(), clock, trades);
    review::ReviewService r(store->conn(), clock, review);
    ASSERT_TRUE(r.intake());
    ASSERT_TRUE(r.auto_approve());
  }
  courier::WaybillService waybills() { return {store->conn(), clock, couriers}; }
  // SF through the simulator, signing with `check_word`, and ZTO's pool behind it when
  // `zto_too`; the sender in Shenzhen.
  void sf_couriers(const sim::SfSimulator& sf, const std::string& check_word, bool zto_too) {
    couriers.couriers = {{"SF", "顺丰", courier::Source::sf, 100, 0, {}, {"顺丰"}, 1200, 0}};
    if (zto_too)
      couriers.couriers.push_back({"ZTO", "中通", courier::Source::pool, 0, 0, {}, {}, 450, 0});
    couriers.couriers[0].sf = {sf.url(), "FULFIL", check_word, "7551234567", 2};
    couriers.sender = {"仓库", "13800000000", "广东省", "深圳市", "南山区", "科技园 1 号"};
  }
  // `n` paid trades from tid `first` on (steps of 10), the `to_tibet`-th going where SF
  // answers 快递不到.
  std::vector<orders::Trade> trades_one_to_tibet(int n, orders::Tid first, const std::string& buyer,
                                                 int to_tibet) {
    std::vector<orders::Trade> trades;
    for (int i = 0; i < n; ++i)
      trades.push_back(
          paid_trade(first + i * 10, clock.now() - 500 + i, buyer + std::to_string(i)));
    trades[to_tibet].address.province = "西藏自治区";
    trades[to_tibet].address.city = "拉萨市";
    return trades;
  }
  void import(const std::string& courier, const std::string& range) {
    auto r = courier::NumberPool(store->conn()).import_range(courier, range, clock.now());
    ASSERT_TRUE(r) << r.error().message;
  }
  ManualClock clock{SystemClock().now()};
  review::ReviewSettings review = quiet_settings();
  courier::CourierSettings couriers = two_pools();
};

}  // namespace

TEST_P(CourierIt, ThePoolHandsOutEachNumberOnceAndRefusesBadInput) {
  courier::NumberPool pool(store->conn());
  auto bad = pool.import_range("ZTO", "ZT0010-ZT0001", clock.now());
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(bad.error().message.find("below the first"), std::string::npos);
  EXPECT_FALSE(pool.import_range("ZTO", "ZT0001-YT0009", clock.now()));
  EXPECT_FALSE(pool.import_range("ZTO", "nonsense", clock.now()));
  auto list = pool.import_list("ZTO", "ZT0001\nZT 0002\n", clock.now());
  ASSERT_FALSE(list);
  EXPECT_NE(list.error().message.find("line 2"), std::string::npos);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM courier_numbers"), 0) << "refused whole";

  auto first = pool.import_range("ZTO", "ZT0001-ZT0100", clock.now());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->added, 100);
  auto again = pool.import_range("ZTO", "ZT0050-ZT0150", clock.now());
  EXPECT_EQ(again->added, 50);
  EXPECT_EQ(again->duplicates, 51);
  std::set<std::string> seen;
  for (int round = 0; round < 3; ++round) {
    auto got = store::in_transaction(store->conn(), [&]() -> Result<std::vector<std::string>> {
      return pool.take("ZTO", std::vector<std::int64_t>(60, round + 1), clock.now());
    });
    ASSERT_TRUE(got);
    for (const auto& n : *got) EXPECT_TRUE(seen.insert(n).second) << n << " handed out twice";
  }
  EXPECT_EQ(seen.size(), 150u);
  EXPECT_EQ(*seen.begin(), "ZT0001");
  auto levels = pool.levels();
  ASSERT_EQ(levels->size(), 1u);
  EXPECT_EQ(levels->front().free, 0);
  EXPECT_EQ(levels->front().used, 150);
}

TEST_P(CourierIt, ApprovedParcelsGetWaybillsKeyCitiesFirstByTheRules) {
  std::vector<orders::Trade> trades;
  for (int i = 0; i < 120; ++i)
    trades.push_back(paid_trade(7000 + i * 10, clock.now() - 5000 + i, "b" + std::to_string(i),
                                i % 4 ? "东莞市" : "上海"));
  trades[5].buyer_message = "请发圆通";
  approve(trades);
  import("ZTO", "75100000000001-75100000000100");
  import("YTO", "YT1000000000001-YT1000000000100");
  auto r = waybills().issue();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->issued, 120);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'waybill'"), 120);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM trades WHERE fstate = 'waybill'"), 120);
  EXPECT_EQ(store->scalar("SELECT COUNT(DISTINCT waybill_no) FROM waybills"), 120);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM waybills WHERE courier = 'ZTO'"), 72);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM courier_numbers WHERE state = 'used'"), 120);
  // The key cities' parcels got the first numbers.
  EXPECT_EQ(store->scalar("SELECT MAX(p.key_rank) FROM waybills w JOIN parcels p ON p.id = "
                          "w.parcel_id WHERE w.waybill_no <= '75100000000018' AND w.courier = "
                          "'ZTO'"),
            0);
  const auto asked = *review::ReviewService(store->conn(), clock, review).parcel_of(7050);
  auto w = waybills().live_waybill(*asked);
  ASSERT_TRUE(w && *w);
  EXPECT_EQ((*w)->courier, "YTO");
  EXPECT_EQ((*w)->reason, "the buyer asked for 圆通");
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM ship_confirmations WHERE state = 'pending'"), 120);
  EXPECT_EQ(waybills().today()->total(), 120);
  EXPECT_EQ(waybills().issue()->issued, 0) << "nothing is issued twice";
}

TEST_P(CourierIt, ASplitTradeIsConfirmedPerParcelWithItsOwnLines) {
  auto t = paid_trade(100, clock.now() - 600, "a");
  for (orders::Oid oid : {777, 778}) {
    auto line = t.lines[0];
    line.oid = oid;
    line.outer_sku_id = "SKU-" + std::to_string(oid);
    t.lines.push_back(line);
    t.payment += line.payment;
  }
  store_trades(store->conn(), clock, {t});
  review::ReviewService r(store->conn(), clock, review);
  ASSERT_TRUE(r.intake());
  const auto home = **r.parcel_of(100);
  auto child = r.split(home, (*r.detail(home))->parcel.version, {777, 778}, "alice");
  ASSERT_TRUE(child) << child.error().message;
  ASSERT_TRUE(r.auto_approve());
  import("ZTO", "75100000000001-75100000000010");
  ASSERT_EQ(waybills().issue()->issued, 2);
  auto owed = waybills().confirmations("pending", 10);
  ASSERT_TRUE(owed);
  ASSERT_EQ(owed->size(), 2u);
  std::map<std::int64_t, std::string> sub_tids;
  for (const auto& c : *owed) {
    EXPECT_EQ(c.tid, 100);
    sub_tids[c.parcel_id] = c.sub_tids;
  }
  EXPECT_EQ(sub_tids[home], "101");
  EXPECT_EQ(sub_tids[child->id], "777,778");
}

TEST_P(CourierIt, AnEmptyPoolLeavesParcelsWaitingAndNoCourierParksThem) {
  std::vector<orders::Trade> trades;
  for (int i = 0; i < 10; ++i)
    trades.push_back(paid_trade(9000 + i * 10, clock.now() - 100 + i, "c" + std::to_string(i)));
  approve(trades);
  import("ZTO", "ZT0001-ZT0003");
  import("YTO", "YT0001-YT0002");
  auto r = waybills().issue();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->issued, 5);
  EXPECT_EQ(r->waiting, 5);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'approved'"), 5);
  import("ZTO", "ZT0004-ZT0010");
  EXPECT_EQ(waybills().issue()->issued, 5);

  // A region nobody serves: parked as a problem with every courier's reason.
  couriers.couriers[0].not_served = {"新疆"};
  auto far = paid_trade(9900, clock.now(), "远方");
  far.address = {"新疆维吾尔自治区", "乌鲁木齐市", "天山区", "", "解放北路 1 号 2 栋", "830000"};
  approve({far});
  EXPECT_EQ(waybills().issue()->parked, 1);
  const auto id = *review::ReviewService(store->conn(), clock, review).parcel_of(9900);
  auto d = review::ReviewService(store->conn(), clock, review).detail(*id);
  EXPECT_EQ((*d)->parcel.state, review::State::problem);
  EXPECT_NE((*d)->parcel.problem.find("ZTO does not serve 新疆; YTO does not serve 新疆"),
            std::string::npos)
      << (*d)->parcel.problem;
}

TEST_P(CourierIt, AnInterceptedParcelsWaybillIsVoidedAndNeverConfirmed) {
  auto t = paid_trade(8000, clock.now() - 100, "d");
  approve({t});
  import("ZTO", "ZT0001-ZT0010");
  ASSERT_EQ(waybills().issue()->issued, 1);
  t.status = "TRADE_CLOSED";
  t.modified += 60;
  store_trades(store->conn(), clock, {t});
  ASSERT_TRUE(review::ReviewService(store->conn(), clock, review).intake());
  EXPECT_EQ(*waybills().void_unused(), 1);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM courier_numbers WHERE state = 'void'"), 1);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM ship_confirmations WHERE state = 'void'"), 1);
  int calls = 0;
  auto r = waybills().confirm([&](const courier::Confirmation&) -> Result<courier::Told> {
    ++calls;
    return courier::Told::platform;
  });
  EXPECT_EQ(calls, 0);
}

// The whole path against the platform simulator: sync, review, waybills, confirmation.
TEST_P(CourierIt, ConfirmationsReachThePlatformOncePerTradeThroughFaults) {
  sim::TopSimSettings ss;
  ss.trades = 150;
  ss.span_end = SystemClock().now() - 120;
  ss.span_start = ss.span_end - 6 * 3600;
  sim::TopSimulator sim(ss);
  sim.start();
  daemon::Config config;
  const daemon::ShopConfig shop = sim_shop(sim);
  config.shops = {shop};
  config.http_client.total_timeout = std::chrono::seconds(5);
  platform::ShopSyncSettings sync{shop.name, shop.top, {}, config.http_client, 120};
  sync.sync.initial_lookback_seconds = 8 * 3600;
  sync.sync.settle_seconds = 0;
  outbound::OwnedHttpClient http(config.http_client);
  Cancellation cancel;
  ASSERT_TRUE(platform::run_shop_sync(sync, http, store->conn(), clock, "it", cancel));
  review::ReviewService r(store->conn(), clock, review);
  ASSERT_TRUE(r.intake());
  ASSERT_TRUE(r.auto_approve());
  import("ZTO", "75100000000001-75100000000500");
  import("YTO", "YT1000000000001-YT1000000000500");
  const auto issued = waybills().issue();
  ASSERT_TRUE(issued);
  ASSERT_GT(issued->issued, 20);
  const long long owed = store->scalar("SELECT COUNT(*) FROM ship_confirmations");

  sim.set_faults({.isp_error_every = 3, .truncate_every = 7});
  auto confirm = daemon::platform_confirmation(config, http, clock);
  int rounds = 0;
  while (store->scalar("SELECT COUNT(*) FROM ship_confirmations WHERE state = 'pending'") > 0 &&
         rounds++ < 12) {
    auto c = waybills().confirm(confirm);
    ASSERT_TRUE(c) << c.error().message;
    // Time passes beyond the backoff (the gateway checks our timestamps, so the clock stays).
    store->conn().sql() << "UPDATE ship_confirmations SET next_at = 0 WHERE state = 'pending'";
  }
  EXPECT_GT(rounds, 1) << "the faults should have made some confirmations retry";
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM ship_confirmations WHERE state = 'sent'"), owed);
  const auto told = sim.shipments();
  EXPECT_EQ(static_cast<long long>(told.size()), owed);
  soci::rowset<soci::row> rows =
      (store->conn().sql().prepare << "SELECT tid, waybill_no, courier FROM ship_confirmations");
  for (const auto& row : rows) {
    auto it = told.find(store::get_int(row, 0));
    ASSERT_NE(it, told.end());
    EXPECT_EQ(it->second.out_sid, store::get_text(row, 1));
    EXPECT_EQ(it->second.company_code, store::get_text(row, 2));
  }
  // The platform now says shipped; the next sync brings that back.
  EXPECT_EQ(sim.expected().at(told.begin()->first).status, "WAIT_BUYER_CONFIRM_GOODS");
}

// Shipped here, not there: the platform accepted a confirmation but still shows the trade
// unshipped. It is sent once more; if that does not help, a person is asked.
TEST_P(CourierIt, ShippedHereNotThereIsSentAgainThenListedForAPerson) {
  approve({paid_trade(8200, clock.now() - 100, "x"), paid_trade(8210, clock.now() - 90, "y"),
           paid_trade(8220, clock.now() - 80, "z")});
  import("ZTO", "ZT0001-ZT0010");
  ASSERT_EQ(waybills().issue()->issued, 3);
  int told = 0;
  auto platform = [&](const courier::Confirmation&) -> Result<courier::Told> {
    ++told;
    return courier::Told::platform;
  };
  ASSERT_EQ(waybills().confirm(platform)->sent, 3);
  // The sync saw one of them shipped on the platform; the other two still wait there.
  store->conn().sql() << "UPDATE trades SET status = 'WAIT_BUYER_CONFIRM_GOODS' WHERE tid = 8200";
  EXPECT_EQ(waybills().reconcile_shipped(6 * 3600)->first, 0) << "too early to tell";
  clock.advance(7 * 3600);
  auto first = waybills().reconcile_shipped(6 * 3600);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->first, 2);
  EXPECT_EQ(first->second, 0);
  auto pending = waybills().confirmations("pending", 10);
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_NE(pending->front().last_error.find("still shows the trade unshipped"), std::string::npos);
  EXPECT_EQ(waybills().confirm(platform)->sent, 2);
  EXPECT_EQ(told, 5);
  clock.advance(7 * 3600);
  auto second = waybills().reconcile_shipped(6 * 3600);
  EXPECT_EQ(second->first, 0);
  EXPECT_EQ(second->second, 2);
  auto failed = waybills().confirmations("failed", 10);
  ASSERT_EQ(failed->size(), 2u);
  EXPECT_NE(failed->front().last_error.find("check it on the platform"), std::string::npos);
  EXPECT_EQ(*waybills().reconcile_shipped(6 * 3600), (std::pair{0, 0}));
}

// Shipped there, not here: the platform shows a trade shipped that has no confirmation of
// ours (another warehouse, or by hand). Its parcel is stopped wherever it is, once, with
// the reason; a trade we shipped ourselves and one still to ship are left alone.
TEST_P(CourierIt, ShippedThereNotHereStopsTheParcelWhereverItIs) {
  approve({paid_trade(8300, clock.now() - 100, "ours"), paid_trade(8310, clock.now() - 90, "todo"),
           paid_trade(8320, clock.now() - 80, "elsewhere")});
  import("ZTO", "ZT0001-ZT0002");  // two numbers: the third parcel waits, approved
  ASSERT_EQ(waybills().issue()->issued, 2);
  const auto waiting = store->scalar("SELECT id FROM parcels WHERE state = 'approved'");
  const auto elsewhere =
      store->scalar("SELECT tid FROM parcel_trades WHERE parcel_id = " + std::to_string(waiting));
  const auto ours = store->scalar("SELECT MIN(tid) FROM ship_confirmations WHERE tid <> " +
                                  std::to_string(elsewhere));
  // The other waybill's confirmation is not queued yet (not printed): it must not count.
  store->conn().sql() << "DELETE FROM ship_confirmations WHERE tid NOT IN (" +
                             std::to_string(ours) + ")";
  // The sync brings the platform's statuses: ours shipped (we told it), one shipped by hand.
  store->conn().sql() << "UPDATE trades SET status = 'WAIT_BUYER_CONFIRM_GOODS' WHERE tid IN (" +
                             std::to_string(ours) + ", " + std::to_string(elsewhere) + ")";
  courier::PlatformReconciliation rec(store->conn(), clock);
  auto stopped = rec.stop_shipped_elsewhere();
  ASSERT_TRUE(stopped) << stopped.error().message;
  EXPECT_EQ(*stopped, 1);
  EXPECT_EQ(*rec.stop_shipped_elsewhere(), 0) << "stopped once";
  ASSERT_TRUE(rec.record({0, 0, *stopped}, "daily", true));
  // Review's intake stops the parcel, as for a trade closed on the platform.
  ASSERT_TRUE(review::ReviewService(store->conn(), clock, review).intake());
  EXPECT_EQ(store->text("SELECT state FROM parcels WHERE id = " + std::to_string(waiting)),
            "intercepted");
  EXPECT_NE(
      store->text("SELECT problem FROM parcels WHERE id = " + std::to_string(waiting))
          .find("shipped on the platform, not from this warehouse (WAIT_BUYER_CONFIRM_GOODS)"),
      std::string::npos);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'intercepted'"), 1)
      << "ours and the one still to ship go on";
  auto summary = rec.summary(7);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->counts.stopped, 1);
  EXPECT_EQ(summary->last_run_at, clock.now());
  ASSERT_EQ(summary->stopped.size(), 1u);
  EXPECT_EQ(summary->stopped[0].tid, elsewhere);
  EXPECT_EQ(summary->stopped[0].parcel_id, waiting);
  EXPECT_EQ(summary->stopped[0].status, "WAIT_BUYER_CONFIRM_GOODS");
  // A later change of the trade on the platform does not release it.
  store_trades(store->conn(), clock, {[&] {
                 auto t = paid_trade(elsewhere, clock.now() - 80, "elsewhere");
                 t.status = "TRADE_FINISHED";
                 t.modified = clock.now() + 60;
                 return t;
               }()});
  EXPECT_EQ(store->text("SELECT fstate FROM trades WHERE tid = " + std::to_string(elsewhere)),
            "intercepted");
  clock.advance(8 * 86400);
  EXPECT_EQ(rec.summary(7)->counts.stopped, 0) << "a week's figures";
}

TEST_P(CourierIt, APermanentRefusalWaitsForAPerson) {
  auto t = paid_trade(8100, clock.now() - 100, "e");
  approve({t});
  import("ZTO", "ZT0001-ZT0010");
  ASSERT_EQ(waybills().issue()->issued, 1);
  int calls = 0;
  auto c = waybills().confirm([&](const courier::Confirmation&) -> Result<courier::Told> {
    ++calls;
    return fail(ErrorKind::remote_reject, "物流公司不存在");
  });
  ASSERT_TRUE(c);
  EXPECT_EQ(c->failed, 1);
  auto listed = waybills().confirmations("failed", 10);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().last_error, "物流公司不存在");
  clock.advance(7200);
  EXPECT_EQ(waybills()
                .confirm([&](const courier::Confirmation&) -> Result<courier::Told> {
                  ++calls;
                  return courier::Told::platform;
                })
                ->sent,
            0);
  EXPECT_EQ(calls, 1) << "a failed confirmation is not retried by itself";
}

namespace {

// SF through the real client and HTTP, as the daemon wires it.
class SimSf final : public courier::RemoteCouriers {
 public:
  SimSf(const courier::CourierSettings& s) : m_s(s) {}
  std::vector<Result<courier::WaybillAnswer>> create_many(
      const std::string& code, std::span<const courier::WaybillRequest> r) override {
    calls += static_cast<int>(r.size());
    return courier::SfClient(m_http, m_clock, m_s.find(code)->sf).create_many(r, 8);
  }
  Result<void> cancel(const std::string& code, const std::string& order_id,
                      const std::string&) override {
    return courier::SfClient(m_http, m_clock, m_s.find(code)->sf).cancel(order_id);
  }
  int calls = 0;
  const outbound::CircuitBreakers& breakers() const { return m_http.breakers(); }

 private:
  const courier::CourierSettings& m_s;
  // The breaker stays out of the way: these tests count every call the faults cost.
  outbound::OwnedHttpClient m_http{
      outbound::HttpSettings{.connect_timeout = std::chrono::milliseconds(2000),
                             .total_timeout = std::chrono::milliseconds(5000),
                             .breaker = {.failures_to_open = 1000000}}};
  SystemClock m_clock;
};

}  // namespace

TEST_P(CourierIt, SfWaybillsAreRecordedBeforeTheCallAndNeverIssuedTwice) {
  sim::SfSimulator sf("FULFIL", "check-word");
  sf.start();
  sf_couriers(sf, "check-word", true);
  auto trades = trades_one_to_tibet(40, 6000, "s", 3);  // SF answers 快递不到 for the 4th
  approve(trades);
  import("ZTO", "ZT0001-ZT0100");
  SimSf remote(couriers);

  // The first answers are lost after SF carried the requests out: the waybills stay
  // `requested`, as after a crash between the call and its record.
  sf.set_faults({.drop_after_every = 1});
  auto first = waybills().issue(&remote);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->requested, 40);
  EXPECT_EQ(first->issued, 0);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM waybills WHERE state = 'requested'"), 40);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'approved'"), 40);
  EXPECT_EQ(waybills().issue()->requested, 0) << "a requested parcel is not asked for twice";

  sf.set_faults({});
  auto second = waybills().issue(&remote);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->issued, 39);
  EXPECT_EQ(second->refused, 1);
  for (const auto& [key, count] : sf.issued_per_order()) EXPECT_EQ(count, 1) << key;
  EXPECT_EQ(sf.issued_per_order().size(), 39u);
  // The 快递不到 parcel goes to the next courier that can take it on the next run.
  auto third = waybills().issue(&remote);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->issued, 1);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'waybill'"), 40);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM waybills WHERE courier = 'ZTO' AND state = "
                          "'issued'"),
            1);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM waybills WHERE state = 'failed'"), 1);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM ship_confirmations"), 40);
  EXPECT_EQ(store->scalar("SELECT COUNT(DISTINCT waybill_no) FROM waybills WHERE state = "
                          "'issued'"),
            40);

  // A trade closed after its SF waybill: the waybill is cancelled at SF, not just here.
  auto closed = trades[0];
  closed.status = "TRADE_CLOSED";
  closed.modified += 60;
  store_trades(store->conn(), clock, {closed});
  ASSERT_TRUE(review::ReviewService(store->conn(), clock, review).intake());
  sf.set_faults({.http_500_every = 1});
  EXPECT_EQ(*waybills().void_unused(&remote), 0) << "SF failing: retried on the next pass";
  sf.set_faults({});
  EXPECT_EQ(*waybills().void_unused(&remote), 1);
  EXPECT_EQ(sf.cancelled().size(), 1u);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM waybills WHERE state = 'cancelled'"), 1);
  EXPECT_EQ(*waybills().void_unused(&remote), 0);
}

// Issue 22, items 3, 4 and 5: a wrong check word is our fault, not the parcels': they wait
// (no parcel parked) and are waybilled once it is fixed. A parcel SF refuses (快递不到) and no
// other courier can take is parked with SF's own answer, and the day's count is of waybills
// SF issued, not of parcels asked.
TEST_P(CourierIt, Defect22_3_4_5_RefusalsGiveTheCouriersReasonAndCountOnlyWhatWasIssued) {
  sim::SfSimulator sf("FULFIL", "check-word");
  sf.start();
  sf_couriers(sf, "wrong-word", false);
  approve(trades_one_to_tibet(10, 7000, "k", 0));
  {
    SimSf remote(couriers);
    auto refused = waybills().issue(&remote);
    ASSERT_TRUE(refused) << refused.error().message;
    EXPECT_EQ(refused->issued, 0);
    EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'problem'"), 0)
        << "a wrong check word parks nothing";
    EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM waybills WHERE state = 'failed'"), 0);
    // SF's breaker is open with SF's own words, which /healthz shows (and makes it degraded).
    const auto views = remote.breakers().views();
    ASSERT_EQ(views.size(), 1u);
    EXPECT_EQ(views[0].state, outbound::CircuitBreakers::State::open);
    EXPECT_NE(views[0].reason.find("A1006"), std::string::npos) << views[0].reason;
    EXPECT_LT(sf.requests(), 10) << "calls stop once SF refused our credentials";
  }
  couriers.couriers[0].sf.check_word = "check-word";  // fixed (and the daemon restarted)
  SimSf remote(couriers);
  auto fixed = waybills().issue(&remote);
  ASSERT_TRUE(fixed) << fixed.error().message;
  EXPECT_EQ(fixed->issued, 9);
  EXPECT_EQ(fixed->refused, 1);
  auto again = waybills().issue(&remote);  // no other courier for the refused one: parked
  ASSERT_TRUE(again);
  const auto problem = store->text("SELECT problem FROM parcels WHERE state = 'problem'");
  EXPECT_NE(problem.find("SF refused it: SF cannot deliver to this address (快递不到)"),
            std::string::npos)
      << problem;
  EXPECT_EQ(problem.find("no waybill numbers left"), std::string::npos) << problem;
  EXPECT_EQ(store->scalar("SELECT parcels FROM courier_days WHERE courier = 'SF'"), 9)
      << "the day counts waybills issued";
  // Every order SF holds belongs to a waybill we hold: no live SF order without a parcel.
  for (const auto& [order, waybill] : sf.orders())
    EXPECT_EQ(
        store->scalar("SELECT COUNT(*) FROM waybills WHERE state = 'issued' AND idem_key = '" +
                      order + "' AND waybill_no = '" + waybill + "'"),
        1)
        << order;
  EXPECT_EQ(sf.orders().size(), 9u);
}

// Issue 22, item 8: answers are recorded as they arrive, while the courier still answers
// others: a crash then costs at most the answers of one small batch, not a round of 256.
TEST_P(CourierIt, Defect22_8_AnswersAreRecordedWhileTheRestAreStillOnTheWire) {
  couriers.couriers = {{"SF", "顺丰", courier::Source::sf, 100, 0, {}, {}, 1200, 0}};
  std::vector<orders::Trade> trades;
  for (int i = 0; i < 300; ++i)
    trades.push_back(paid_trade(9000 + i * 10, clock.now() - 500 + i, "q" + std::to_string(i)));
  approve(trades);
  // A courier that answers the first 100, then waits until the store shows them recorded
  // (or gives up after 10 s), then answers the rest.
  class Slow final : public courier::RemoteCouriers {
   public:
    explicit Slow(TestStore& s) : m_store(s) {}
    std::vector<Result<courier::WaybillAnswer>> create_many(
        const std::string&, std::span<const courier::WaybillRequest>) override {
      return {};
    }
    void create_each(const std::string&, std::span<const courier::WaybillRequest> r,
                     const courier::AnswerSink& sink) override {
      auto conn = m_store.open();
      auto answer = [&](std::size_t i) {
        sink(i, courier::WaybillAnswer{"SF" + std::to_string(100000 + i), false, "", ""});
      };
      for (std::size_t i = 0; i < 100; ++i) answer(i);
      for (int wait = 0; wait < 1000 && recorded_early < 64; ++wait) {
        long long n = 0;
        conn->sql() << "SELECT COUNT(*) FROM waybills WHERE state = 'issued'", soci::into(n);
        recorded_early = n;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      for (std::size_t i = 100; i < r.size(); ++i) answer(i);
    }
    Result<void> cancel(const std::string&, const std::string&, const std::string&) override {
      return {};
    }
    long long recorded_early = 0;

   private:
    TestStore& m_store;
  } slow(*store);
  auto r = waybills().issue(&slow);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_GE(slow.recorded_early, 64) << "recorded while the courier was still answering";
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM waybills WHERE state = 'issued'"), 300);
}

// Issue 22, item 6: an intercepted parcel's confirmation a person was to enter by hand (a
// CSV shop) is voided with the waybill: the list never asks to mark a cancelled trade shipped.
TEST_P(CourierIt, Defect22_6_AnInterceptedParcelLeavesTheByHandList) {
  approve({paid_trade(8100, clock.now() - 100, "m1")});
  import("ZTO", "ZT0001-ZT0100");
  ASSERT_EQ(waybills().issue()->issued, 1);
  store->conn().sql() << "UPDATE ship_confirmations SET state = 'manual'";
  auto closed = paid_trade(8100, clock.now() - 100, "m1");
  closed.status = "TRADE_CLOSED";
  closed.modified += 60;
  store_trades(store->conn(), clock, {closed});
  ASSERT_TRUE(review::ReviewService(store->conn(), clock, review).intake());
  EXPECT_EQ(*waybills().void_unused(), 1);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM ship_confirmations WHERE state = 'manual'"), 0);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM ship_confirmations WHERE state = 'void'"), 1);
}

// Cainiao e-waybills through the TOP simulator, wired as the daemon wires them: ten parcels
// a call, many calls in flight, lost answers asked again under the same object_id, one
// refused address costing only its own parcel, and unused waybills cancelled at Cainiao.
TEST_P(CourierIt, CainiaoWaybillsComeTenACallAndNeverTwicePerObject) {
  sim::TopSimSettings ss;
  ss.trades = 0;
  sim::TopSimulator sim(ss);
  sim.start();
  sim.cainiao().set_unreachable({"西藏自治区"});
  daemon::Config config;
  const daemon::ShopConfig shop = sim_shop(sim);
  config.shops = {shop};
  couriers.couriers = {{"ZTO", "中通", courier::Source::cainiao, 100, 0, {}, {}, 450, 0}};
  couriers.couriers[0].cainiao.shop = "tmall";
  couriers.sender = {"仓库", "13800000000", "浙江省", "杭州市", "余杭区", "仓前街道 8 号"};
  config.shipping = couriers;
  std::vector<orders::Trade> trades;
  for (int i = 0; i < 45; ++i)
    trades.push_back(paid_trade(8000 + i * 10, clock.now() - 500 + i, "c" + std::to_string(i)));
  trades[12].address.province = "西藏自治区";  // refused by the service: its call fails whole
  trades[12].address.city = "拉萨市";
  approve(trades);
  outbound::OwnedHttpClient http(outbound::HttpSettings{
      .total_timeout = std::chrono::milliseconds(5000), .breaker = {.failures_to_open = 1000}});
  auto remote = daemon::configured_couriers(config, http, clock);

  sim.set_faults({.drop_every = 3});  // answers lost after the gateway carried the call out
  const auto before = sim.requests();
  auto r = waybills().issue(remote.get());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->requested, 45);
  EXPECT_EQ(r->issued, 44);
  EXPECT_EQ(r->refused, 1);
  const auto issued = sim.cainiao().issued_per_object();
  EXPECT_EQ(issued.size(), 44u);
  for (const auto& [object, count] : issued) EXPECT_EQ(count, 1) << object;
  // 5 calls of up to ten, the refused one's parcels again one a call, plus resent ones.
  EXPECT_GE(sim.requests() - before, 5 + 5);
  EXPECT_LT(sim.requests() - before, 45) << "parcels go ten a call";
  EXPECT_EQ(store->scalar("SELECT COUNT(DISTINCT waybill_no) FROM waybills WHERE state = "
                          "'issued'"),
            44);
  auto refused = store->text("SELECT error FROM waybills WHERE state = 'failed'");
  EXPECT_NE(refused.find("该地址不在服务范围"), std::string::npos) << refused;
  // No other courier: the refused parcel waits for a person with the reason.
  sim.set_faults({});
  auto again = waybills().issue(remote.get());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->parked, 1);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'problem'"), 1);

  auto closed = trades[0];
  closed.status = "TRADE_CLOSED";
  closed.modified += 60;
  store_trades(store->conn(), clock, {closed});
  ASSERT_TRUE(review::ReviewService(store->conn(), clock, review).intake());
  EXPECT_EQ(*waybills().void_unused(remote.get()), 1);
  EXPECT_EQ(sim.cainiao().cancelled().size(), 1u);
}

FULFIL_ON_BOTH_BACKENDS(CourierIt);
