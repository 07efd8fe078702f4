// Storage faults with libfiu: while orders arrive and go the whole path (sync, approval,
// waybill requests, printing) and returns are checked in as slips, the daemon's writes
// (pwrite: SQLite's database and WAL), syncs (fsync, fdatasync) and opens fail at random for
// a second at a time, and every other time it is killed in the middle of it. It must not
// crash, must say what failed, and in the end every order, waybill, label and slip that was
// acknowledged is there once.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <random>
#include <thread>

#include "test_support.hpp"
#include "whole_path.hpp"

namespace fulfil::test {
namespace {

using namespace std::chrono_literals;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool k_sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool k_sanitized = true;
#else
constexpr bool k_sanitized = false;
#endif
#else
constexpr bool k_sanitized = false;
#endif

// What moved while one fault was on: the stages it was tried against.
struct Progress {
  long long trades = 0, approved = 0, waybills = 0, printed = 0, slips = 0;
};

Progress progress(WholePath& path) {
  Progress p;
  p.trades = path.count("SELECT COUNT(*) FROM trades");
  p.approved = path.count("SELECT COUNT(*) FROM parcel_events WHERE kind = 'approved'");
  p.waybills = path.count("SELECT COUNT(*) FROM waybills WHERE state = 'issued'");
  p.printed = static_cast<long long>(path.printer.printed().size());
  p.slips = path.count("SELECT COUNT(*) FROM outbox WHERE state <> 'pending'");
  return p;
}

TEST(StorageFaults, FailingWritesSyncsAndOpensCrashNothingAndLoseNothingAcknowledged) {
  if (k_sanitized) GTEST_SKIP() << "libfiu's preloads cannot come before a sanitizer's runtime";
  if (!std::filesystem::exists("/usr/lib/fiu/fiu_posix_preload.so") ||
      !std::filesystem::exists("/usr/bin/fiu-ctrl"))
    GTEST_SKIP() << "libfiu missing (fiu-utils, libfiu-dev: scripts/install-deps.sh)";
  TempDir dir;
  // Orders keep arriving for about 40 s, so every stage is busy while faults strike.
  WholePath path(dir.path(), {.trades = 500,
                              .from_seconds = -20,
                              .to_seconds = 40,
                              .under_fiu = true,
                              .steady_arrivals = true});
  path.sf.set_faults({.latency_ms = 20});
  path.start_peer();
  path.start_daemon();

  constexpr int k_returns = 150;
  std::atomic<int> checked_in{0};
  std::thread desk([&] {
    for (int n = 0; n < k_returns; ++n) {
      while (path.check_in(n) != 201) std::this_thread::sleep_for(50ms);
      ++checked_in;
      std::this_thread::sleep_for(150ms);
    }
  });

  // The failure points: SQLite writes with pwrite64 and syncs with fdatasync; open64 is ours
  // (tests/fiu). Plain write() is left alone: libzmq's and Asio's wake-ups write to eventfds,
  // and a failed wake-up is not a storage fault (libzmq asserts on it).
  const std::vector<std::string> points = {"posix/io/rw/pwrite", "posix/io/sync/*",
                                           "posix/io/oc/open"};
  std::map<std::string, std::set<std::string>> tried;  // point -> stages that moved under it
  std::mt19937 rng(20261206);
  int faults = 0, kills = 0;
  std::vector<std::string> deaths;
  const auto stop_at = std::chrono::steady_clock::now() + 45s;
  for (int round = 0; std::chrono::steady_clock::now() < stop_at; ++round) {
    for (const auto& point : points) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300 + rng() % 500));
      if (!path.daemon_running()) {
        deaths.push_back(problems_in(path.daemon_said(), 20));
        path.start_daemon();
        std::this_thread::sleep_for(500ms);
      }
      const Progress before = progress(path);
      const std::size_t said_before = path.daemon_said().size();
      if (!path.fiu("enable_random name=" + point + ",probability=0.5")) continue;
      ++faults;
      std::this_thread::sleep_for(1s);
      if (round % 2 == 1 && point == points[round / 2 % points.size()]) {
        path.stop_daemon(SIGKILL);  // killed with the fault on
        ++kills;
        path.start_daemon();
      } else {
        path.fiu("disable name=" + point);
      }
      // A stage was tried if it moved under the fault or failed with it.
      const Progress after = progress(path);
      const std::string failed = problems_in(path.daemon_said().substr(said_before), 1000);
      auto& t = tried[point];
      auto said = [&](const char* what) { return failed.find(what) != std::string::npos; };
      if (after.trades > before.trades || said("who=tmall")) t.insert("sync");
      if (after.approved > before.approved || said("review pass failed")) t.insert("approval");
      if (after.waybills > before.waybills || said("shipping pass failed")) t.insert("waybills");
      if (after.printed > before.printed || said("print")) t.insert("printing");
      if (after.slips > before.slips || said("slip")) t.insert("slips");
    }
  }
  for (const auto& d : deaths) ADD_FAILURE() << "the daemon died under a storage fault:\n" << d;

  // No faults now: everything acknowledged must come through (labels whose job was out at a
  // kill wait for the person at the printer, who looks).
  desk.join();
  int looked_at = 0;
  const bool done = eventually(
      [&] {
        looked_at += path.check_uncertain_labels();
        return path.all_through() &&
               path.count("SELECT COUNT(*) FROM outbox WHERE state = 'pending'") == 0;
      },
      120s);
  path.stop_daemon(SIGTERM);
  path.stop_peer(SIGTERM);
  if (!done) {
    const auto losses = whole_path_losses(path);
    for (std::size_t i = 0; i < losses.size() && i < 10; ++i) ADD_FAILURE() << losses[i];
  }
  ASSERT_TRUE(done) << problems_in(path.daemon_said());
  for (const auto& w : whole_path_losses(path)) ADD_FAILURE() << w;
  for (const auto& w : path.slip_losses(k_returns)) ADD_FAILURE() << w;
  EXPECT_EQ(path.count("SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"),
            1);

  const std::string said = path.daemon_said();
  EXPECT_NE(said.find("I/O error"), std::string::npos) << "a failed write must be named";
  std::printf(
      "%d faults injected (%d with a kill -9), %zu paid trades shipped, %d returns "
      "checked in, %d unconfirmed labels looked at; stages that moved under each point:\n",
      faults, kills, path.paid_tids().size(), checked_in.load(), looked_at);
  for (const auto& [point, stages] : tried) {
    std::string s;
    for (const auto& st : stages) s += " " + st;
    std::printf("  %s:%s\n", point.c_str(), s.c_str());
  }
  for (const auto& stage : {"sync", "approval", "waybills", "printing", "slips"}) {
    bool any = false;
    for (const auto& [point, stages] : tried) any = any || stages.contains(stage);
    EXPECT_TRUE(any) << "no fault struck while " << stage << " was working";
  }
}

}  // namespace
}  // namespace fulfil::test
