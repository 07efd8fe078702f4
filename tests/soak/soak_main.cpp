// fulfil-soak: the daemon under steady load with faults, for N minutes (tests/soak/README.md).
// Orders arrive at a steady rate from the platform simulator and go the whole path (sync,
// review, SF and Cainiao waybills, a TCP printer, ship confirmations, tracking), returns are
// checked in at the pack station's pace and become slips for the customer-service peer; every
// few seconds a fault strikes (one of the proxy's five on one outside system, or a libfiu
// storage fault in the daemon), and once a minute the daemon is killed with kill -9. Every
// second it samples the daemon's RSS, open descriptors, threads, the WAL's size and the
// queues (slips waiting, parcels waiting for a waybill, confirmations pending, labels
// waiting); at the end it plots them (gnuplot, soak.png), checks they stayed bounded, lets the
// work drain and checks nothing was lost or doubled.
//   fulfil-soak [--minutes N] [--orders-per-minute R] [--fault-every S] [--out DIR]
// Exit status 0 when everything held, 1 otherwise (what failed is printed).
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "soak_samples.hpp"
#include "test_support.hpp"
#include "whole_path.hpp"

using namespace fulfil;
using namespace fulfil::test;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

namespace {

struct Options {
  std::int64_t minutes = 3;
  std::int64_t orders_per_minute = 600;
  std::int64_t fault_every_seconds = 5;
  std::filesystem::path out = "soak-out";
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : "";
    if (k == "--minutes")
      o.minutes = option_number("--minutes", v, 24 * 60), ++i;
    else if (k == "--orders-per-minute")
      o.orders_per_minute = option_number("--orders-per-minute", v, 100000), ++i;
    else if (k == "--fault-every")
      o.fault_every_seconds = option_number("--fault-every", v, 3600), ++i;
    else if (k == "--out")
      o.out = v, ++i;
    else {
      std::fprintf(stderr,
                   "usage: fulfil-soak [--minutes N] [--orders-per-minute R] [--fault-every S] "
                   "[--out DIR]\nunknown option %s\n",
                   k.c_str());
      std::exit(2);
    }
  }
  return o;
}

bool libfiu_usable() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return false;  // its preloads cannot come before a sanitizer's runtime
#else
  return std::filesystem::exists("/usr/lib/fiu/fiu_posix_preload.so") &&
         std::filesystem::exists("/usr/bin/fiu-ctrl");
#endif
}

// Strikes one fault: one of the proxy's on one outside system (its next three requests), or
// a storage fault in the daemon for a second. Returns what it did.
std::string strike(WholePath& path, std::mt19937& rng, bool storage) {
  const auto proxies = path.proxies();
  const auto names = WholePath::proxy_names();
  const std::size_t choices = proxies.size() + (storage ? 1 : 0);
  const std::size_t pick = rng() % choices;
  if (pick < proxies.size()) {
    const sim::Fault f = sim::k_all_faults[rng() % sim::k_all_faults.size()];
    proxies[pick]->inject(f, 3);
    return std::string(sim::fault_name(f)) + " on " + names[pick];
  }
  static const std::vector<std::string> points = {"posix/io/rw/pwrite", "posix/io/sync/*",
                                                  "posix/io/oc/open"};
  const std::string& point = points[rng() % points.size()];
  if (!path.fiu("enable_random name=" + point + ",probability=0.3")) return "";
  std::this_thread::sleep_for(1s);
  path.fiu("disable name=" + point);
  return point + " failing for 1 s";
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::filesystem::create_directories(o.out);
  TempDir dir;
  const bool storage = libfiu_usable();
  // Orders are created from now until half a minute before the end (the rest is drain).
  const std::int64_t span = o.minutes * 60 - 30;
  WholePath path(dir.path(), {.trades = std::max<std::int64_t>(1, o.orders_per_minute * span / 60),
                              .from_seconds = 0,
                              .to_seconds = std::max<std::int64_t>(span, 1),
                              .under_fiu = storage,
                              .shop_interval_seconds = 5,
                              .steady_arrivals = true});
  path.start_peer();
  path.start_daemon();
  std::printf("soak: %lld min, %lld orders/min, a fault every %lld s (%s), kill -9 every minute\n",
              static_cast<long long>(o.minutes), static_cast<long long>(o.orders_per_minute),
              static_cast<long long>(o.fault_every_seconds),
              storage ? "proxy and libfiu" : "proxy only: libfiu unusable here");
  std::fflush(stdout);

  const auto start = Steady::now();
  const auto end = start + std::chrono::minutes(o.minutes);
  std::atomic<bool> running{true};
  std::atomic<int> checked_in{0};
  // Returns come in at a pack station's pace: one every two seconds.
  std::thread desk([&] {
    for (int n = 0; running; ++n) {
      while (running && path.check_in(n) != 201) std::this_thread::sleep_for(200ms);
      if (!running) break;
      ++checked_in;
      std::this_thread::sleep_for(2s);
    }
  });
  SoakSampler sampler(path, start);
  std::thread sampling([&] {
    while (running) {
      sampler.sample();
      std::this_thread::sleep_for(1s);
    }
  });

  std::mt19937 rng(20261206);
  std::vector<std::pair<double, std::string>> events;
  auto elapsed = [&] { return std::chrono::duration<double>(Steady::now() - start).count(); };
  auto next_kill = start + 60s;
  auto next_fault = start + std::chrono::seconds(o.fault_every_seconds);
  std::vector<std::string> failures;
  while (Steady::now() < end) {
    std::this_thread::sleep_for(100ms);
    if (!path.daemon_running()) {
      failures.push_back("the daemon died by itself at " + std::to_string(elapsed()) + " s:\n" +
                         problems_in(path.daemon_said(), 20));
      path.start_daemon();
    }
    if (Steady::now() >= next_fault) {
      if (auto what = strike(path, rng, storage); !what.empty())
        events.push_back({elapsed(), what});
      next_fault += std::chrono::seconds(o.fault_every_seconds);
    }
    if (Steady::now() >= next_kill) {
      path.stop_daemon(SIGKILL);
      events.push_back({elapsed(), "kill -9"});
      path.start_daemon();
      next_kill += 60s;
    }
  }
  for (auto* p : path.proxies()) p->clear();
  running = false;
  desk.join();
  // Drain: no more faults or kills; what was taken in must come through. Labels whose job
  // was out at a kill wait for the person at the printer, who looks.
  int looked_at = 0;
  const bool drained = eventually(
      [&] {
        sampler.sample();
        looked_at += path.check_uncertain_labels();
        return path.all_through() &&
               path.count("SELECT COUNT(*) FROM outbox WHERE state = 'pending'") == 0;
      },
      180s);
  sampling.join();
  const double drain_s = elapsed() - static_cast<double>(o.minutes * 60);
  path.stop_daemon(SIGTERM);
  path.stop_peer(SIGTERM);

  sampler.write_csv(o.out / "samples.csv");
  {
    std::ofstream ev(o.out / "events.txt");
    for (const auto& [t, what] : events) ev << t << "\t" << what << "\n";
  }
  const bool plotted = sampler.plot(o.out / "samples.csv", o.out / "soak.png", events);

  if (!drained) failures.push_back("the work did not drain in 180 s after the load stopped");
  for (const auto& w : whole_path_losses(path)) failures.push_back(w);
  for (const auto& w : path.slip_losses(checked_in.load())) failures.push_back(w);
  for (const auto& w : sampler.unbounded()) failures.push_back(w);
  if (!plotted) failures.push_back("gnuplot did not write soak.png");

  int faults = 0, kills = 0;
  for (const auto& e : events) (e.second == "kill -9" ? kills : faults)++;
  std::printf(
      "soak: %d faults, %d kills; %zu paid orders shipped, %d returns checked in as "
      "slips; drained %.0f s after the load stopped; %d unconfirmed labels looked at\n%s",
      faults, kills, path.paid_tids().size(), checked_in.load(), std::max(drain_s, 0.0), looked_at,
      sampler.summary().c_str());
  std::printf("soak: samples, events and plot in %s\n", o.out.c_str());
  for (std::size_t i = 0; i < failures.size() && i < 40; ++i)
    std::printf("FAILED: %s\n", failures[i].c_str());
  if (failures.empty()) std::printf("soak: everything held\n");
  return failures.empty() ? 0 : 1;
}
