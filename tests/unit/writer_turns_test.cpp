#include <time.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "store/writer_turns.hpp"

using fulfil::store::WriterTurns;
using namespace std::chrono_literals;

namespace {

// Gives a thread just started the time to draw its ticket before the next one starts.
void let_arrive() {
  std::this_thread::sleep_for(30ms);
}

// This thread's CPU time.
std::chrono::nanoseconds cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

}  // namespace

TEST(WriterTurns, OneFileSharesOneLineAndOtherFilesDoNot) {
  auto a = WriterTurns::of("/tmp/fulfil-turns-a.db");
  EXPECT_EQ(a, WriterTurns::of("/tmp/../tmp/fulfil-turns-a.db")) << "same file, other spelling";
  EXPECT_NE(a, WriterTurns::of("/tmp/fulfil-turns-b.db"));
}

TEST(WriterTurns, WritersGetTheirTurnsInArrivalOrder) {
  WriterTurns turns;
  ASSERT_TRUE(turns.acquire(1s));
  std::mutex m;
  std::vector<int> order;
  std::vector<std::thread> writers;
  for (int i = 0; i < 5; ++i) {
    writers.emplace_back([&, i] {
      ASSERT_TRUE(turns.acquire(5s));
      {
        std::lock_guard lock(m);
        order.push_back(i);
      }
      turns.release();
    });
    let_arrive();
  }
  turns.release();
  for (auto& t : writers) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(WriterTurns, AThreadHoldingTheTurnIsNotMadeToWaitForItself) {
  WriterTurns turns;
  ASSERT_TRUE(turns.acquire(1s));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(turns.acquire(5s)) << "a second connection on the holding thread";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  turns.release();
  EXPECT_TRUE(turns.acquire(1s)) << "released: the next turn is free";
  turns.release();
}

TEST(WriterTurns, AWriterThatGaveUpDoesNotHoldUpThoseBehindIt) {
  WriterTurns turns;
  ASSERT_TRUE(turns.acquire(1s));
  std::atomic<bool> impatient_got{true}, patient_got{false};
  std::thread impatient([&] { impatient_got = turns.acquire(50ms); });
  let_arrive();
  std::thread patient([&] {
    patient_got = turns.acquire(5s);
    if (patient_got) turns.release();
  });
  impatient.join();
  EXPECT_FALSE(impatient_got) << "its patience ran out while the turn was held";
  turns.release();
  patient.join();
  EXPECT_TRUE(patient_got) << "the ticket given up was skipped";
}

TEST(WriterTurns, CountsTheTurnsAndTheTimeTheyWereHeld) {
  WriterTurns turns;
  EXPECT_EQ(turns.usage().turns, 0u);
  ASSERT_TRUE(turns.acquire(1s));
  std::this_thread::sleep_for(40ms);
  turns.release();
  std::thread other([&] {
    ASSERT_TRUE(turns.acquire(1s));
    std::this_thread::sleep_for(20ms);
    turns.release();
  });
  other.join();
  const auto used = turns.usage();
  EXPECT_EQ(used.turns, 2u);
  EXPECT_GE(used.held, 60ms);
}

TEST(WriterTurns, TellsEachHolderHowLongItHeldTheTurnAndHowMuchOfThatOnACpu) {
  WriterTurns turns;
  std::thread sleeper([&] {
    WriterTurns::name_holder("sleeper");
    ASSERT_TRUE(turns.acquire(1s));
    std::this_thread::sleep_for(40ms);  // like an fsync: held, off the CPU
    turns.release();
  });
  sleeper.join();
  std::thread worker([&] {
    WriterTurns::name_holder("worker");
    ASSERT_TRUE(turns.acquire(1s));
    for (const auto start = cpu_now(); cpu_now() - start < 30ms;) {
    }
    turns.release();
    ASSERT_TRUE(turns.acquire(1s));
    turns.release();
  });
  worker.join();
  std::thread unnamed([&] {
    ASSERT_TRUE(turns.acquire(1s));
    turns.release();
  });
  unnamed.join();

  const auto by = turns.usage_by_holder();
  ASSERT_EQ(by.size(), 3u);
  EXPECT_EQ(by.at("sleeper").turns, 1u);
  EXPECT_GE(by.at("sleeper").held, 40ms);
  EXPECT_LT(by.at("sleeper").on_cpu, 20ms);
  EXPECT_EQ(by.at("worker").turns, 2u);
  EXPECT_GE(by.at("worker").on_cpu, 30ms);
  EXPECT_GE(by.at("worker").held, by.at("worker").on_cpu);
  EXPECT_EQ(by.at("other").turns, 1u);
  const auto all = turns.usage();
  EXPECT_EQ(all.turns, 4u);
  EXPECT_EQ(all.on_cpu, by.at("sleeper").on_cpu + by.at("worker").on_cpu + by.at("other").on_cpu);
}
