// The supervisor's figures on both backends: throughput per hour (parcels approved, printed,
// packed, shipped), every hour present and older moves left out; courier quality per courier
// and province (median pickup-to-delivery hours, problem and stuck counts). The rows are
// written as the review, printing, packing, shipping and tracking modules write them.
#include <gtest/gtest.h>

#include "reports/reports.hpp"
#include "review_fixture.hpp"
#include "store_fixture.hpp"

namespace fulfil::reports {
namespace {

using test::StoreTest;

constexpr UnixSeconds k_now = 1'800'003'600 + 1800;  // half past an hour

class ReportsIt : public StoreTest {
 protected:
  void event(std::int64_t parcel, UnixSeconds at, const std::string& to) {
    store->conn().sql() << "INSERT INTO parcel_events (parcel_id, at, actor, kind, from_state, "
                           "to_state, version, detail) VALUES ("
                        << parcel << ", " << at << ", 'x', 'move', 'y', '" << to << "', 1, '')";
  }
  void shipped(std::int64_t parcel, std::int64_t tid, UnixSeconds at) {
    store->conn().sql() << "INSERT INTO ship_confirmations (parcel_id, tid, shop, courier, "
                           "waybill_no, state, next_at, done_at) VALUES ("
                        << parcel << ", " << tid << ", 'demo', 'ZTO', 'W" << tid << "', 'sent', 0, "
                        << at << ")";
  }
  // An outbound shipment taken at `created`, with its state changes (state, at).
  void shipment(int id, const std::string& courier, std::int64_t tid, UnixSeconds created,
                const std::vector<std::pair<std::string, UnixSeconds>>& changes) {
    std::string state = "waiting";
    UnixSeconds last = created;
    for (const auto& [to, at] : changes) {
      store->conn().sql() << "INSERT INTO shipment_changes (shipment_id, at, from_state, "
                             "to_state) VALUES ("
                          << id << ", " << at << ", '" << state << "', '" << to << "')";
      store->conn().sql() << "INSERT INTO shipment_events (shipment_id, at, context) VALUES (" << id
                          << ", " << at << ", '" << to << "')";
      state = to, last = at;
    }
    store->conn().sql() << "INSERT INTO shipments (id, courier, waybill_no, kind, tid, state, "
                           "last_event_at, next_poll_at, created_at, updated_at) VALUES ("
                        << id << ", '" << courier << "', 'N" << id << "', 'outbound', " << tid
                        << ", '" << state << "', "
                        << (changes.empty() ? "NULL" : std::to_string(last)) << ", 0, " << created
                        << ", " << created << ")";
  }
};

TEST_P(ReportsIt, ThroughputCountsEachHoursMovesWithEveryHourPresent) {
  if (!store) GTEST_SKIP() << "backend unavailable";
  const UnixSeconds this_hour = k_now / 3600 * 3600;
  event(1, this_hour + 10, "approved");
  event(2, this_hour + 20, "approved");
  event(1, this_hour - 3600 + 5, "printed");
  event(1, this_hour + 30, "packed");
  event(3, this_hour - 3 * 3600, "approved");  // outside a 3-hour window
  event(4, this_hour + 40, "ready");           // not a move the dashboard counts
  shipped(1, 11, this_hour + 50);
  shipped(1, 12, this_hour + 51);  // a merged parcel's second trade: one parcel shipped

  auto h = throughput(store->conn(), k_now, 3);
  ASSERT_TRUE(h) << h.error().message;
  ASSERT_EQ(h->size(), 3u);
  EXPECT_EQ(h->at(0).hour, this_hour - 2 * 3600);
  EXPECT_EQ(h->at(2).hour, this_hour);
  EXPECT_EQ(h->at(0).reviewed + h->at(0).printed + h->at(0).packed + h->at(0).shipped, 0);
  EXPECT_EQ(h->at(1).printed, 1);
  EXPECT_EQ(h->at(2).reviewed, 2);
  EXPECT_EQ(h->at(2).packed, 1);
  EXPECT_EQ(h->at(2).shipped, 1);
  EXPECT_EQ(throughput(store->conn(), k_now, 0).error().kind, ErrorKind::invalid_input);
}

TEST_P(ReportsIt, CourierQualityGivesMediansAndRatesPerCourierAndProvince) {
  if (!store) GTEST_SKIP() << "backend unavailable";
  ManualClock clock{k_now - 86400};
  test::store_trades(store->conn(), clock,
                     {test::paid_trade(101, k_now - 86400, "甲", "上海"),
                      test::paid_trade(102, k_now - 86400, "乙", "上海"),
                      test::paid_trade(103, k_now - 86400, "丙", "北京"),
                      test::paid_trade(104, k_now - 86400, "丁", "深圳市")});
  const UnixSeconds t0 = k_now - 5 * 86400;
  // ZTO to 上海: delivered 10 h and 30 h after pickup; to 北京: a problem, then 20 h.
  shipment(1, "ZTO", 101, t0, {{"collected", t0 + 3600}, {"delivered", t0 + 11 * 3600}});
  shipment(2, "ZTO", 102, t0,
           {{"collected", t0 + 3600}, {"in_transit", t0 + 7200}, {"delivered", t0 + 31 * 3600}});
  shipment(3, "ZTO", 103, t0,
           {{"collected", t0}, {"problem", t0 + 3600}, {"delivered", t0 + 20 * 3600}});
  // SF: picked up, then silent for days (stuck); and one never picked up at all.
  shipment(4, "SF", 104, t0, {{"collected", t0 + 600}});
  shipment(5, "SF", 104, t0, {});
  shipment(6, "SF", 104, t0 - 20 * 86400, {});  // before the window

  auto q = courier_quality(store->conn(), k_now, 7, 48);
  ASSERT_TRUE(q) << q.error().message;
  auto find = [&](const std::string& courier, const std::string& province) {
    for (const auto& c : *q)
      // The address is normalised (上海 becomes 上海市): a province is found by its start.
      if (c.courier == courier &&
          (province.empty() ? c.province.empty() : c.province.starts_with(province)))
        return c;
    ADD_FAILURE() << courier << " " << province;
    return CourierQuality{};
  };
  ASSERT_FALSE(q->empty());
  EXPECT_EQ(q->at(0).courier, "SF");
  EXPECT_EQ(q->at(0).province, "") << "each courier's total first";
  const auto zto = find("ZTO", "");
  EXPECT_EQ(zto.shipments, 3);
  EXPECT_EQ(zto.delivered, 3);
  EXPECT_DOUBLE_EQ(*zto.median_hours, 20.0);
  EXPECT_EQ(zto.problems, 1);
  EXPECT_NEAR(zto.problem_rate(), 1.0 / 3, 1e-9);
  const auto shanghai = find("ZTO", "上海");
  EXPECT_EQ(shanghai.shipments, 2);
  EXPECT_DOUBLE_EQ(*shanghai.median_hours, 20.0) << "the middle of 10 and 30";
  const auto sf = find("SF", "");
  EXPECT_EQ(sf.shipments, 2);
  EXPECT_FALSE(sf.median_hours) << "nothing delivered yet";
  EXPECT_EQ(sf.stuck, 2);
  EXPECT_DOUBLE_EQ(sf.stuck_rate(), 1.0);
  EXPECT_EQ(courier_quality(store->conn(), k_now, 0, 48).error().kind, ErrorKind::invalid_input);
}

FULFIL_ON_BOTH_BACKENDS(ReportsIt);

TEST(Median, MiddleValueOrTheMeanOfTheTwoMiddleOnes) {
  std::vector<double> none, odd{5, 1, 3}, even{4, 1, 3, 2};
  EXPECT_FALSE(median(none));
  EXPECT_DOUBLE_EQ(*median(odd), 3);
  EXPECT_DOUBLE_EQ(*median(even), 2.5);
}

}  // namespace
}  // namespace fulfil::reports
