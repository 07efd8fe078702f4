// Tracking on real SQLite and PostgreSQL against the Kuaidi100 simulator over HTTP:
// polling with state mapping and backoff, the lists customer service works from, push
// subscriptions, and the daemon's callback route checking signs.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <thread>

#include "capabilities/tracking/tracking_routes.hpp"
#include "courier/number_pool.hpp"
#include "courier/tracking_service.hpp"
#include "courier/waybill_service.hpp"
#include "kuaidi100_simulator.hpp"
#include "outbound/curl_multi_client.hpp"
#include "review/review_service.hpp"
#include "review_fixture.hpp"
#include "store_fixture.hpp"

using namespace fulfil;
using namespace fulfil::test;

namespace {

class TrackingIt : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!store) return;
    sim.start();
    couriers.couriers = {{"ZTO", "中通", courier::Source::pool, 100, 0, {}, {}, 450, 0}};
    auto& t = couriers.tracking;
    t.enabled = true;
    t.kuaidi100 = {sim.url(), "CUST", "k100-key", "", "", 4};
    t.poll_minutes = 60;
    t.stuck_hours = 24;
    std::vector<orders::Trade> trades;
    for (int i = 0; i < 12; ++i)
      trades.push_back(paid_trade(9000 + i * 10, clock.now() - 900 + i, "t" + std::to_string(i)));
    store_trades(store->conn(), clock, trades);
    review::ReviewService r(store->conn(), clock, review);
    ASSERT_TRUE(r.intake());
    ASSERT_TRUE(r.auto_approve());
    ASSERT_TRUE(
        courier::NumberPool(store->conn()).import_range("ZTO", "ZT0001-ZT0012", clock.now()));
    ASSERT_EQ(courier::WaybillService(store->conn(), clock, couriers).issue()->issued, 12);
  }
  courier::TrackingService tracking() { return {store->conn(), clock, couriers.tracking}; }
  std::string state_of(const std::string& number) {
    auto s = tracking().by_number(number);
    return s && *s ? (*s)->state : "?";
  }
  sim::Kuaidi100Simulator sim{"CUST", "k100-key"};
  outbound::OwnedHttpClient http{outbound::HttpSettings{
      .total_timeout = std::chrono::milliseconds(3000), .breaker = {.failures_to_open = 1000}}};
  ManualClock clock{SystemClock().now()};
  review::ReviewSettings review = pool_settings();
  courier::CourierSettings couriers;
};

}  // namespace

TEST_P(TrackingIt, PollingMapsStatesKeepsTimelinesAndListsWhatNeedsAPerson) {
  sim.add_event("zhongtong", "ZT0001", 1, "【杭州市】快件已揽收", 30);
  sim.add_event("zhongtong", "ZT0002", 1, "【杭州市】快件已揽收", 600);
  sim.add_event("zhongtong", "ZT0002", 0, "快件已到达【上海转运中心】", 300);
  sim.add_event("zhongtong", "ZT0003", 3, "已签收，签收人: 本人 🙂", 10);
  sim.add_event("zhongtong", "ZT0004", 2, "收件人电话无法接通，快件滞留", 20);
  sim.add_event("zhongtong", "ZT0005", 14, "收件人拒收", 20);
  sim.add_event("zhongtong", "ZT0006", 6, "快件退回中", 20);
  sim.add_event("zhongtong", "ZT0007", 501, "派件员正在派件", 5);  // resultv2 sub-state

  courier::Kuaidi100Client client(http, couriers.tracking.kuaidi100);
  auto r = tracking().run(client);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->enrolled, 12);
  EXPECT_EQ(r->polled, 12);
  EXPECT_EQ(r->updated, 7);
  EXPECT_EQ(r->failed, 0) << "no result yet is not a failure";
  EXPECT_EQ(state_of("ZT0001"), "collected");
  EXPECT_EQ(state_of("ZT0002"), "in_transit");
  EXPECT_EQ(state_of("ZT0003"), "delivered");
  EXPECT_EQ(state_of("ZT0004"), "problem");
  EXPECT_EQ(state_of("ZT0005"), "refused");
  EXPECT_EQ(state_of("ZT0006"), "returning");
  EXPECT_EQ(state_of("ZT0007"), "out_for_delivery");
  EXPECT_EQ(state_of("ZT0008"), "waiting");
  auto two = *tracking().by_number("ZT0002");
  ASSERT_EQ(two->events.size(), 2u);
  EXPECT_EQ(two->events[0].context, "快件已到达【上海转运中心】") << "newest first";
  auto three = *tracking().by_number("ZT0003");
  EXPECT_EQ(three->last_context, "已签收，签收人: 本人 🙂");
  ASSERT_TRUE(three->parcel_id);
  auto timeline = tracking().of_parcel(*three->parcel_id);
  ASSERT_TRUE(timeline && timeline->size() == 1u);

  auto attention = tracking().list(courier::ShipmentList::attention, 50);
  ASSERT_TRUE(attention);
  std::set<std::string> numbers;
  for (const auto& s : *attention) numbers.insert(s.waybill_no);
  EXPECT_EQ(numbers, (std::set<std::string>{"ZT0004", "ZT0005", "ZT0006"}));
  EXPECT_TRUE(tracking().list(courier::ShipmentList::stuck, 50)->empty());

  // Asked again only when due; answers repeated add no event twice.
  EXPECT_EQ(tracking().run(client)->polled, 0);
  clock.advance(2 * 3600);
  const auto before = sim.queries();
  auto again = tracking().run(client);
  EXPECT_EQ(again->polled, 10) << "delivered and refused are final";
  EXPECT_EQ(sim.queries() - before, 10);
  EXPECT_EQ((*tracking().by_number("ZT0002"))->events.size(), 2u);

  // A day without news: stuck.
  clock.advance(25 * 3600);
  auto stuck = tracking().list(courier::ShipmentList::stuck, 50);
  ASSERT_TRUE(stuck);
  EXPECT_EQ(stuck->size(), 10u);

  // Kuaidi100 busy: recorded, asked again later with backoff, nothing lost.
  sim.set_faults({.busy_every = 1});
  auto busy = tracking().run(client);
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->failed, 10);
  auto one = *tracking().by_number("ZT0001");
  EXPECT_NE(one->last_error.find("Kuaidi100 502"), std::string::npos) << one->last_error;
  EXPECT_EQ(one->state, "collected") << "an error does not change what we know";
  EXPECT_EQ(tracking().run(client)->polled, 0) << "backing off";
  sim.set_faults({});
  clock.advance(3600);
  EXPECT_EQ(tracking().run(client)->updated, 7 - 2);
}

TEST_P(TrackingIt, ABadAnswerOrAnUnknownCourierIsRecordedNotFatal) {
  sim.add_event("zhongtong", "ZT0001", 1, "揽收", 30);
  sim.set_faults({.truncate_every = 1});
  courier::Kuaidi100Client client(http, couriers.tracking.kuaidi100);
  auto r = tracking().run(client);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->failed, 12);
  EXPECT_NE((*tracking().by_number("ZT0001"))->last_error.find("Kuaidi100"), std::string::npos);
  // A cut answer says nothing about the numbers: they are asked again in half a minute, not
  // after the ten minutes a refused number waits.
  sim.set_faults({});
  clock.advance(29);
  EXPECT_EQ(tracking().run(client)->polled, 0);
  clock.advance(2);
  EXPECT_EQ(tracking().run(client)->polled, 12);

  auto bad = couriers.tracking;
  bad.kuaidi100.key = "wrong";
  courier::Kuaidi100Client wrong_key(http, bad.kuaidi100);
  sim.set_faults({});
  clock.advance(24 * 3600);
  auto refused = courier::TrackingService(store->conn(), clock, bad).run(wrong_key);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->failed, 12);
  EXPECT_NE((*tracking().by_number("ZT0001"))->last_error.find("503"), std::string::npos);

  auto ret = tracking().add_return("XYZ", "R0001", 9000, "");
  ASSERT_TRUE(ret);
  EXPECT_EQ(*tracking().add_return("XYZ", "R0001", 9000, ""), *ret) << "recorded once";
  EXPECT_FALSE(tracking().add_return("ZTO", "not a number!", std::nullopt, ""));
  EXPECT_EQ(tracking().add_return("ZTO", "ZT0001", std::nullopt, "").error().kind,
            ErrorKind::conflict);
  clock.advance(24 * 3600);
  (void)tracking().run(client);
  auto returned = *tracking().by_number("R0001");
  EXPECT_EQ(returned->kind, "return");
  EXPECT_NE(returned->last_error.find("no company code for courier XYZ"), std::string::npos);
  EXPECT_EQ(tracking().list(courier::ShipmentList::returns, 10)->size(), 1u);
}

TEST_P(TrackingIt, PushSubscribesAndTheCallbackRouteTakesOnlySignedNews) {
  // The daemon's tracking routes over real HTTP, as Kuaidi100 reaches them.
  daemon::StoreAccess access(*store::StoreUrl::parse(store->url()));
  auto settings = std::make_shared<courier::CourierSettings>(couriers);
  boost::asio::io_context io;
  daemon::api::TrackingRoutes routes(access, clock, [&] { return settings; });
  daemon::api::RouteTable table({});  // the callback is public: its sign is its identity
  table.add(routes.routes());
  http::HttpServer server(io, [&](const http::Request& r) { return table.handle(r); });
  const auto port = *server.listen("127.0.0.1", 0);
  std::thread loop([&] { io.run(); });
  const std::string callback =
      "http://127.0.0.1:" + std::to_string(port) + "/api/v1/tracking/kuaidi100/callback";
  couriers.tracking.kuaidi100.callback_url = callback;
  couriers.tracking.kuaidi100.salt = "pepper";
  settings = std::make_shared<courier::CourierSettings>(couriers);

  courier::Kuaidi100Client client(http, couriers.tracking.kuaidi100);
  auto r = tracking().run(client);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->subscribed, 12);
  EXPECT_EQ(r->polled, 0) << "push carries the news";
  auto subs = sim.subscriptions();
  ASSERT_EQ(subs.size(), 12u);
  EXPECT_EQ(subs["ZT0001"].salt, "pepper");
  EXPECT_EQ(subs["ZT0001"].callback_url, callback);
  EXPECT_EQ(tracking().run(client)->subscribed, 0) << "subscribed once";

  sim.add_event("zhongtong", "ZT0001", 5, "派件中", 1);
  auto [status, body] = sim.push("ZT0001");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body, std::string(courier::k_callback_ok));
  EXPECT_EQ(state_of("ZT0001"), "out_for_delivery");

  sim.add_event("zhongtong", "ZT0001", 3, "已签收", 0);
  auto forged = sim.push("ZT0001", "", "not-the-salt");
  EXPECT_EQ(forged.first, 400);
  EXPECT_NE(forged.second.find("\"result\":false"), std::string::npos);
  EXPECT_EQ(state_of("ZT0001"), "out_for_delivery") << "a forged push changes nothing";
  EXPECT_EQ(sim.push("ZT0001").first, 200);
  EXPECT_EQ(state_of("ZT0001"), "delivered");

  sim.add_event("zhongtong", "ZZ999", 0, "在途", 0);
  EXPECT_EQ(sim.push("ZZ999", callback, "pepper").first, 200) << "acknowledged, kept";
  auto unmatched = tracking().list(courier::ShipmentList::unmatched, 10);
  ASSERT_EQ(unmatched->size(), 1u);
  EXPECT_EQ(unmatched->front().waybill_no, "ZZ999");

  server.stop();
  io.stop();
  loop.join();
}

FULFIL_ON_BOTH_BACKENDS(TrackingIt);
