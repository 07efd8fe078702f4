// Several daemons' reviewers on one PostgreSQL: 4 processes x 4 workers claim and approve
// 10,000 parcels with short leases while 2 of the 16 workers stall holding claims (and
// write late when they wake) and one process is killed -9 and restarted. Afterwards every
// parcel was approved exactly once, no claim outlived its lease by more than one sweep,
// and no late write was accepted.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <random>
#include <thread>

#include "process.hpp"
#include "review/review_service.hpp"
#include "review_fixture.hpp"
#include "store/row_reader.hpp"
#include "store_fixture.hpp"

using namespace fulfil;
using namespace fulfil::test;

TEST(ReviewCluster, FourProcessesClaimAndApproveEachParcelOnceWhileWorkersDie) {
  std::string why;
  auto ts = TestStore::create(Backend::postgresql, why);
  if (!ts) GTEST_SKIP() << why;
  SystemClock clock;
  const UnixSeconds t0 = clock.now();
  std::vector<orders::Trade> trades;
  for (int i = 0; i < 10000; ++i)
    trades.push_back(paid_trade(5000000 + i * 10, t0 - 20000 + i, "buyer" + std::to_string(i),
                                i % 3 ? "东莞市" : "上海"));
  store_trades(ts->conn(), clock, trades);
  auto settings = pool_settings();
  ASSERT_TRUE(review::ReviewService(ts->conn(), clock, settings).intake());
  ASSERT_EQ(ts->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'ready'"), 10000);

  TempDir logs;
  constexpr int k_lease = 2;
  auto start = [&](int i) {
    return std::make_unique<Process>(
        REVIEW_WORKER_BINARY,
        std::vector<std::string>{"--store", ts->url(), "--name", "p" + std::to_string(i),
                                 "--workers", "4", "--lease", std::to_string(k_lease), "--stall",
                                 i < 2 ? "1" : "0"},
        logs.path());
  };
  std::vector<std::unique_ptr<Process>> procs;
  for (int i = 0; i < 4; ++i) procs.push_back(start(i));
  // Kill the fourth process mid-run (its 4 workers die holding claims) and restart it.
  std::mt19937 rng(std::random_device{}());
  std::this_thread::sleep_for(std::chrono::milliseconds(300 + rng() % 700));
  procs[3]->signal(SIGKILL);
  procs[3]->wait(std::chrono::seconds(5));
  const long long approved_before_restart =
      ts->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'approved'");
  procs[3] = start(3);

  long late_refused = 0, late_accepted = 0;
  for (auto& p : procs) {
    auto status = p->wait(std::chrono::minutes(4));
    ASSERT_TRUE(status) << "a worker process did not finish";
    EXPECT_EQ(*status, 0) << p->stderr_text();
    long a = 0, r = 0, l = 0;
    std::sscanf(p->stdout_text().c_str(), "approved=%ld late_refused=%ld late_accepted=%ld", &a, &r,
                &l);
    late_refused += r;
    late_accepted += l;
  }
  EXPECT_LT(approved_before_restart, 10000) << "the kill should land mid-run";
  EXPECT_EQ(ts->scalar("SELECT COUNT(*) FROM parcels WHERE state = 'approved'"), 10000);
  EXPECT_EQ(ts->scalar("SELECT COUNT(*) FROM parcels WHERE state <> 'approved'"), 0);
  // Exactly one approval per parcel, ever.
  EXPECT_EQ(ts->scalar("SELECT COUNT(*) FROM parcel_events WHERE kind = 'approved'"), 10000);
  EXPECT_EQ(ts->scalar("SELECT COUNT(*) FROM (SELECT parcel_id FROM parcel_events WHERE kind = "
                       "'approved' GROUP BY parcel_id HAVING COUNT(*) > 1) d"),
            0);
  EXPECT_EQ(late_accepted, 0);
  EXPECT_GT(late_refused, 0) << "the stalled workers should have tried late writes";
  EXPECT_GT(ts->scalar("SELECT COUNT(*) FROM parcel_events WHERE kind = 'claim_expired'"), 0);
  // No claim outlived its lease by more than one sweep (0.5 s) plus the clock's 1 s grain.
  EXPECT_EQ(ts->scalar("SELECT COUNT(*) FROM parcel_events e JOIN parcel_events c ON "
                       "c.parcel_id = e.parcel_id AND c.kind = 'claimed' AND c.version = "
                       "e.version - 1 WHERE e.kind = 'claim_expired' AND e.at - c.at > " +
                       std::to_string(k_lease + 2)),
            0);
  std::printf(
      "cluster: %lld approved before the kill+restart, %ld late writes refused, %lld "
      "claims expired\n",
      approved_before_restart, late_refused,
      ts->scalar("SELECT COUNT(*) FROM parcel_events WHERE kind = 'claim_expired'"));
  // Every trade mirrors its parcel.
  EXPECT_EQ(ts->scalar("SELECT COUNT(*) FROM trades WHERE fstate = 'approved'"), 10000);
}
