// review-worker: one process of reviewers for the cluster test. W worker threads claim
// batches from one shared pool and approve them; one thread sweeps expired claims. A
// "stalling" worker stops after a claim for twice the lease (a paused or dead reviewer)
// and then tries to approve what it held: every such late write must be refused.
//   review-worker --store URL --name P [--workers 4] [--lease 2] [--stall 0|1] [--batch 20]
// Prints "approved=N late_refused=M late_accepted=K" and exits 0 when the queue is empty.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "review/review_service.hpp"
#include "store/database.hpp"

using namespace fulfil;

int main(int argc, char** argv) {
  std::string url, name = "p";
  int workers = 4, lease = 2, stall = 0, batch = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--store") url = v;
    if (k == "--name") name = v;
    if (k == "--workers") workers = std::stoi(v);
    if (k == "--lease") lease = std::stoi(v);
    if (k == "--stall") stall = std::stoi(v);
    if (k == "--batch") batch = std::stoi(v);
  }
  auto parsed = store::StoreUrl::parse(url);
  if (!parsed) return 2;
  review::ReviewSettings settings;
  settings.slicing.slices = {{"all", {}, {}, {}, {}, {}, {}}};
  for (int w = 0; w < workers; ++w)
    settings.slicing.slices[0].reviewers.push_back(name + "w" + std::to_string(w));
  settings.lease_seconds = lease;
  SystemClock clock;
  std::atomic<long> approved{0}, late_refused{0}, late_accepted{0};
  std::atomic<bool> done{false};

  auto open = [&] {
    for (;;) {
      auto c = store::Connection::open(*parsed, store::Durability::strict);
      if (c) return std::move(*c);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  };
  std::vector<std::thread> threads;
  threads.emplace_back([&] {  // the sweep
    auto conn = open();
    review::ReviewService s(*conn, clock, settings);
    while (!done) {
      (void)s.expire_claims();
      long long open_parcels = 0;
      try {
        conn->sql() << "SELECT COUNT(*) FROM parcels WHERE state IN ('ready', 'in_review')",
            soci::into(open_parcels);
      } catch (...) {
        open_parcels = 1;
      }
      if (open_parcels == 0) done = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  for (int w = 0; w < workers; ++w)
    threads.emplace_back([&, w] {
      auto conn = open();
      review::ReviewService s(*conn, clock, settings);
      const std::string me = name + "w" + std::to_string(w);
      bool stalls = w < stall;
      int claims = 0;
      while (!done) {
        auto got = s.claim(me, batch);
        if (!got || got->empty()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
          continue;
        }
        if (stalls && ++claims == 2) {
          std::this_thread::sleep_for(std::chrono::seconds(2 * lease + 2));
          for (const auto& p : *got) {
            auto late = s.act(p.id, review::Action::approve, me, p.version, "");
            (late ? late_accepted : late_refused)++;
          }
          stalls = false;
          continue;
        }
        for (const auto& p : *got)
          if (s.act(p.id, review::Action::approve, me, p.version, "")) ++approved;
      }
    });
  for (auto& t : threads) t.join();
  std::printf("approved=%ld late_refused=%ld late_accepted=%ld\n", approved.load(),
              late_refused.load(), late_accepted.load());
  return 0;
}
