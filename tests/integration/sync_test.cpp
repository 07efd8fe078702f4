// Platform sync against the TOP simulator over real HTTP on loopback, into real SQLite and
// PostgreSQL.
#include <gtest/gtest.h>

#include "common/timeutil.hpp"
#include "orders/fulfilment.hpp"
#include "outbound/curl_multi_client.hpp"
#include "platform/reconciler.hpp"
#include "platform/shop_sync_job.hpp"
#include "store/lease_repository.hpp"
#include "store/order_queries.hpp"
#include "store/quarantine_repository.hpp"
#include "store/row_reader.hpp"
#include "store/sync_state_repository.hpp"
#include "store_fixture.hpp"
#include "top_simulator.hpp"

using namespace fulfil;
using namespace fulfil::test;

namespace {

class SyncIt : public StoreTest {
 protected:
  std::unique_ptr<sim::TopSimulator> start_sim(sim::TopSimSettings s) {
    auto sim = std::make_unique<sim::TopSimulator>(std::move(s));
    sim->start();
    return sim;
  }
  platform::ShopSyncSettings shop_settings(const sim::TopSimulator& sim,
                                           const std::string& shop = "demo",
                                           const std::string& session = "sim-session") {
    platform::ShopSyncSettings s;
    s.shop = shop;
    s.top = {sim.base_url(), "12345678", "sim-secret", session, platform::SignMethod::hmac_sha256};
    s.sync.initial_lookback_seconds = 8 * 3600;
    s.sync.settle_seconds = 0;
    s.sync.overlap_seconds = 120;
    // Fast retries: the faults are many and deterministic.
    s.sync.retry = {8, std::chrono::milliseconds(1), std::chrono::milliseconds(20),
                    std::chrono::milliseconds(5)};
    s.http.total_timeout = std::chrono::seconds(10);
    return s;
  }
  Result<platform::ShopRunResult> sync(const platform::ShopSyncSettings& s) {
    outbound::OwnedHttpClient http(s.http);
    return platform::run_shop_sync(s, http, store->conn(), clock, "it", cancel);
  }
  // Every trade the platform has must be in the store exactly once, with its amounts and
  // status, and in the warehouse state its status implies.
  void expect_store_matches(const sim::TopSimulator& sim) {
    auto expected = sim.expected();
    std::size_t good = 0;
    soci::rowset<soci::row> rows =
        (store->conn().sql().prepare
         << "SELECT t.tid, t.status, t.payment, t.fstate, "
            "(SELECT COUNT(*) FROM trade_lines l WHERE l.tid = t.tid) FROM trades t");
    std::map<std::int64_t, std::tuple<std::string, std::int64_t, std::string, std::int64_t>> stored;
    for (const auto& r : rows)
      stored[store::get_int(r, 0)] = {store::get_text(r, 1), store::get_int(r, 2),
                                      store::get_text(r, 3), store::get_int(r, 4)};
    for (const auto& [tid, e] : expected) {
      if (e.raw) continue;
      ++good;
      auto it = stored.find(tid);
      ASSERT_NE(it, stored.end()) << "trade " << tid << " (" << e.status << ") missing";
      auto [status, payment, fstate, lines] = it->second;
      EXPECT_EQ(status, e.status) << tid;
      EXPECT_EQ(payment, e.payment_fen) << tid;
      EXPECT_EQ(lines, e.lines) << tid;
      auto cls = orders::classify_status(e.status);
      if (cls == orders::StatusClass::to_ship && !e.refund) {
        EXPECT_EQ(fstate, "ready") << tid;
      }
      if (cls == orders::StatusClass::unpaid) {
        EXPECT_EQ(fstate, "awaiting_payment") << tid;
      }
      if (e.refund && cls == orders::StatusClass::to_ship) {
        EXPECT_EQ(fstate, "intercepted") << tid;
      }
    }
    EXPECT_EQ(stored.size(), good);
  }
  SystemClock clock;
  Cancellation cancel;
};

}  // namespace

TEST_P(SyncIt, TwentyThousandTradesWithShiftingPagesAndFaults) {
  sim::TopSimSettings ss;
  ss.trades = 20000;
  ss.seed = 11;
  auto sim = start_sim(ss);
  sim::TopSimFaults faults;
  faults.rate_limit_every = 37;
  faults.isp_error_every = 23;
  faults.truncate_every = 41;
  faults.drop_every = 53;
  faults.http_503_every = 61;
  faults.mutate_per_request = 3;  // trades move out of their window while we page
  sim->set_faults(faults);
  auto settings = shop_settings(*sim);
  auto first = sync(settings);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_GT(first->report.totals.stored.inserted, 19000);
  EXPECT_GT(sim->errors_served(), 20);
  // The platform calms down; trades changed during the first run are in newer windows.
  sim->set_faults({});
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto second = sync(settings);
  ASSERT_TRUE(second) << second.error().message;
  expect_store_matches(*sim);
  // Trades closed or refunded after they entered the warehouse were pulled out.
  EXPECT_GT(store->scalar("SELECT COUNT(*) FROM trades WHERE fstate = 'intercepted'"), 0);
  EXPECT_GT(store->scalar("SELECT COUNT(*) FROM order_events WHERE kind = 'intercepted'"), 0);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM trades WHERE serial IS NOT NULL"),
            store->scalar("SELECT COUNT(DISTINCT serial) FROM trades WHERE serial IS NOT NULL"));
  auto state = store::SyncStateRepository(store->conn()).get("demo");
  ASSERT_TRUE(state && *state);
  EXPECT_TRUE((*state)->last_error.empty());
  EXPECT_GE(*(*state)->window_end, clock.now() - 5);
}

TEST_P(SyncIt, BadTradesAreQuarantinedAndTheRestOfThePageIsStored) {
  sim::TopSimSettings ss;
  ss.trades = 300;
  auto sim = start_sim(ss);
  const UnixSeconds when = clock.now() - 3600;
  const std::string t = "\"" + format_gmt8(when) + "\"";
  const std::string line = R"("orders":{"order":[{"oid":9,"title":"x","price":"1.00","num":1}]})";
  auto raw = [&](std::string tid, std::string extra) {
    return "{\"tid\":" + tid + ",\"status\":\"WAIT_SELLER_SEND_GOODS\",\"created\":" + t +
           ",\"modified\":" + t +
           ",\"buyer_nick\":\"b\",\"receiver_name\":\"r\",\"receiver_state\":\"北京\",\"receiver_"
           "address\":\"a\"," +
           extra + "," + line + "}";
  };
  sim->add_raw_trade(4100000000000000001, when,
                     raw("4100000000000000001", "\"payment\":\"12.345\""));
  sim->add_raw_trade(4100000000000000002, when, raw("4100000000000000002", "\"payment\":\"abc\""));
  sim->add_raw_trade(
      4100000000000000003, when,
      raw("4100000000000000003", "\"payment\":\"1.00\",\"buyer_message\":\"\xFF\xFE\""));
  sim->add_raw_trade(4100000000000000004, when, raw("4100000000000000004", "\"payment\":1.5"));
  sim->add_raw_trade(4100000000000000005, when,
                     raw("4100000000000000005", "\"payment\":\"1.00\",\"seller_memo\":\"" +
                                                    std::string(20000, 'z') + "\""));
  sim->add_raw_trade(
      4100000000000000006, when,
      raw("4100000000000000006", "\"payment\":\"1.00\",\"end_time\":\"9999-99-99 00:00:00\""));
  sim->add_raw_trade(4100000000000000007, when, "{\"status\":\"WAIT_SELLER_SEND_GOODS\"}");
  sim->add_raw_trade(4100000000000000008, when, "[1,2,3]");
  auto r = sync(shop_settings(*sim));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->report.totals.quarantined, 8);
  expect_store_matches(*sim);  // every good trade is there
  auto q = store::QuarantineRepository(store->conn()).recent(100);
  ASSERT_TRUE(q);
  ASSERT_EQ(q->size(), 8u);
  std::map<std::string, std::string> field_by_tid;
  for (const auto& e : *q) {
    EXPECT_EQ(e.rejection.shop, "demo");
    EXPECT_EQ(e.source, "sync:demo");
    field_by_tid[e.rejection.tid ? std::to_string(*e.rejection.tid) : "none:" + e.rejection.field] =
        e.rejection.field;
  }
  EXPECT_EQ(field_by_tid["4100000000000000001"], "payment");
  EXPECT_EQ(field_by_tid["4100000000000000003"], "buyer_message");
  EXPECT_EQ(field_by_tid["4100000000000000005"], "seller_memo");
  EXPECT_EQ(field_by_tid["4100000000000000006"], "end_time");
  EXPECT_TRUE(field_by_tid.contains("none:tid"));
  EXPECT_TRUE(field_by_tid.contains("none:trade"));
  // Read again: nothing doubles.
  auto again = sync(shop_settings(*sim));
  ASSERT_TRUE(again);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM quarantine"), 8);
}

TEST_P(SyncIt, ExpiredSessionAlertsAndStopsOnlyThatShop) {
  sim::TopSimSettings ss;
  ss.trades = 150;
  auto sim = start_sim(ss);
  auto bad = sync(shop_settings(*sim, "expired", "old-session"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::auth);
  auto good = sync(shop_settings(*sim, "healthy"));
  ASSERT_TRUE(good) << good.error().message;
  store::SyncStateRepository states(store->conn());
  auto expired = *states.get("expired");
  ASSERT_TRUE(expired);
  EXPECT_NE(expired->alert.find("re-authorise"), std::string::npos);
  EXPECT_EQ(expired->last_error_kind, "auth");
  EXPECT_FALSE(expired->window_end);
  EXPECT_TRUE((*states.get("healthy"))->alert.empty());
}

TEST_P(SyncIt, CheckpointStaysBeforeAWindowThatKeepsFailing) {
  sim::TopSimSettings ss;
  ss.trades = 500;
  auto sim = start_sim(ss);
  sim::TopSimFaults f;
  f.isp_error_every = 1;
  sim->set_faults(f);
  auto settings = shop_settings(*sim);
  settings.sync.retry.max_attempts = 3;
  auto failed = sync(settings);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, ErrorKind::remote_retry);
  auto state = *store::SyncStateRepository(store->conn()).get("demo");
  ASSERT_TRUE(state);
  EXPECT_FALSE(state->window_end);
  EXPECT_EQ(state->last_error_kind, "remote_retry");
  sim->set_faults({});
  ASSERT_TRUE(sync(settings));
  expect_store_matches(*sim);
  EXPECT_TRUE((*store::SyncStateRepository(store->conn()).get("demo"))->last_error.empty());
}

TEST_P(SyncIt, ReconciliationRepairsTradesTheIncrementMissed) {
  const UnixSeconds local_now = clock.now() + k_shanghai_offset;
  const UnixSeconds yesterday = local_now - local_now % 86400 - k_shanghai_offset - 86400;
  sim::TopSimSettings ss;
  ss.trades = 400;
  ss.span_start = yesterday + 3600;
  ss.span_end = yesterday + 5 * 3600;
  auto sim = start_sim(ss);
  auto settings = shop_settings(*sim);
  settings.sync.initial_lookback_seconds = 3 * 86400;
  ASSERT_TRUE(sync(settings));
  // Lose some paid trades, as if the increment had missed them.
  store->conn().sql()
      << "DELETE FROM order_events WHERE tid IN (SELECT tid FROM trades WHERE fstate = 'ready' "
         "ORDER BY tid LIMIT 25)";
  store->conn().sql()
      << "DELETE FROM trade_lines WHERE tid IN (SELECT tid FROM trades WHERE fstate = 'ready' "
         "ORDER BY tid LIMIT 25)";
  store->conn().sql()
      << "DELETE FROM trades WHERE tid IN (SELECT tid FROM (SELECT tid FROM trades WHERE "
         "fstate = 'ready' ORDER BY tid LIMIT 25) AS lost)";
  outbound::OwnedHttpClient http(settings.http);
  platform::TopClient client(http, clock, settings.top, "demo");
  auto r = platform::reconcile_day(client, store->conn(), clock, yesterday, 1800, 100,
                                   settings.sync.retry, cancel);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->repaired(), 25);
  expect_store_matches(*sim);
}

TEST_P(SyncIt, AShopLeasedByAnotherInstanceIsSkipped) {
  sim::TopSimSettings ss;
  ss.trades = 50;
  auto sim = start_sim(ss);
  store::LeaseRepository leases(store->conn());
  ASSERT_TRUE(*leases.acquire("sync:demo", "other-host", clock.now(), 60));
  auto r = sync(shop_settings(*sim));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->skipped);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM trades"), 0);
  ASSERT_TRUE(leases.release("sync:demo", "other-host"));
  auto after = sync(shop_settings(*sim));
  ASSERT_TRUE(after);
  EXPECT_FALSE(after->skipped);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM trades"), 50);
}

FULFIL_ON_BOTH_BACKENDS(SyncIt);
