// e2e_bench: the whole path on the embedded defaults, stage by stage: N trades from
// top-sim (a separate process, over loopback HTTP) synced into SQLite, reviewed and
// approved automatically, given number-pool waybills, printed as ZPL waybills on 8
// simulated TCP 9100 printers (rated fast enough not to be the limit, each label confirmed
// by status query), and confirmed shipped back to top-sim (taobao.logistics.offline.send).
// Prints orders/s over the whole path, the time in each stage and peak RSS.
// --resident prints Chinese text in the printer's own font (^A@) instead of bitmaps, to show
// what rendering costs.
//   e2e_bench [--trades N] [--printers P] [--concurrent] [--resident]
#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "capabilities/printing/printing_runtime.hpp"
#include "capabilities/shipping/shipping_job.hpp"
#include "common/allocator.hpp"
#include "common/cancellation.hpp"
#include "common/log.hpp"
#include "courier/number_pool.hpp"
#include "courier/waybill_service.hpp"
#include "modules.hpp"
#include "outbound/curl_multi_client.hpp"
#include "platform/shop_sync_job.hpp"
#include "printer_simulator.hpp"
#include "process.hpp"
#include "review/review_service.hpp"
#include "store/row_reader.hpp"
#include "store/writer_turns.hpp"
#include "test_support.hpp"

using namespace fulfil;
using Clock_ = std::chrono::steady_clock;

namespace {

double since(Clock_::time_point t) {
  return std::chrono::duration<double>(Clock_::now() - t).count();
}

// CPU seconds this process (every thread, the printer simulators included) has used.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](timeval t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

struct StageTime {
  double wall = 0, cpu = 0;
};

// Measures one stage from construction to stop().
class StageClock {
 public:
  StageClock() : m_wall(Clock_::now()), m_cpu(cpu_seconds()) {}
  StageTime stop() const { return {since(m_wall), cpu_seconds() - m_cpu}; }

 private:
  Clock_::time_point m_wall;
  double m_cpu;
};

// Whether any parcel is in one of `states` (an SQL list): asked, not counted, since a count
// walks every matching index entry (80,000 of them at the start of a stage).
bool any_parcel_in(soci::session& sql, const std::string& states) {
  long long found = 0;
  sql << "SELECT COUNT(*) FROM (SELECT 1 FROM parcels WHERE state IN (" + states +
             ") LIMIT 1) AS x",
      soci::into(found);
  return found > 0;
}

int fail_with(const char* stage, const Error& e) {
  std::fprintf(stderr, "%s failed: %s\n", stage, e.message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  long long trades = 100'000;
  int printers = 8;
  bool concurrent = false, resident = false;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (k == "--concurrent")
      concurrent = true;
    else if (k == "--resident")
      resident = true;
    else if (k == "--trades" && i + 1 < argc)
      trades = std::stoll(argv[++i]);
    else if (k == "--printers" && i + 1 < argc)
      printers = std::atoi(argv[++i]);
  }
  tune_allocator();
  log::configure("warn");
  test::TempDir dir;
  std::printf("generating %lld trades in top-sim...\n", trades);
  std::fflush(stdout);
  auto sim = test::start_top_sim(
      {"--trades", std::to_string(trades), "--hours", "24", "--seed", "5"}, dir.path());

  // The embedded defaults, pointed at the simulators.
  daemon::Config config = *daemon::parse_config(daemon::embedded_config(), "<embedded>");
  config.store_url = "sqlite:" + (dir.path() / "e2e.db").string();
  daemon::ShopConfig shop;
  shop.name = "bench";
  shop.source = daemon::ShopConfig::Source::top;
  shop.top = {"http://127.0.0.1:" + std::to_string(sim.port) + "/router/rest", "12345678",
              "sim-secret", "sim-session", platform::SignMethod::hmac_sha256};
  config.shops = {shop};
  config.review.checks.buyer_message = false;  // the simulator's buyers write a lot
  config.review.checks.seller_memo = false;
  config.review.checks.duplicate_minutes = 0;
  config.review.stock.check_at_approval = false;
  config.shipping.confirm_at = courier::ConfirmAt::printed;
  config.printing.packing_lists = false;
  config.printing.batch = 500;
  std::vector<std::unique_ptr<sim::PrinterSimulator>> sims;
  config.printing.printers.clear();
  for (int i = 0; i < printers; ++i) {
    sims.push_back(std::make_unique<sim::PrinterSimulator>(
        sim::PrinterSimulator::Options{sim::PrinterSimulator::Language::zpl, 20000, false, false}));
    printing::PrinterSettings p;
    p.name = "zebra-" + std::to_string(i);
    p.transport = printing::TransportKind::tcp;
    p.target = sims.back()->address();
    p.poll_ms = 1;
    if (resident) p.render = {printers::TextMode::resident, "E:SIMSUN.TTF"};
    config.printing.printers.push_back(p);
  }

  daemon::StoreAccess store(*store::StoreUrl::parse(config.store_url));
  auto conn = store.local(store::Durability::strict);
  if (!conn || !daemon::migrate_all(**conn)) return 1;
  SystemClock clock;
  Cancellation cancel;
  outbound::OwnedHttpClient http(config.http_client);

  auto settings = config.shop_sync(shop);
  settings.sync.settle_seconds = 0;
  settings.sync.initial_lookback_seconds = 25 * 3600;
  {
    courier::NumberPool pool(**conn);
    (void)pool.import_range("ZTO", "75100000000001-75100000999999", clock.now());
    (void)pool.import_range("YTO", "YT1000000000001-YT1000000999999", clock.now());
  }
  // The clock starts once the warehouse is set up: number pools are imported days ahead.
  const auto all = Clock_::now();
  if (concurrent) {
    // As the daemon runs it: every stage on its own thread at once, each on its own
    // connection, until every shippable parcel is printed and confirmed.
    const auto start = Clock_::now();
    const auto turns_before = (*conn)->writer_turns()->usage_by_holder();
    std::atomic<bool> synced_all{false}, reviewed_all{false};
    std::atomic<int> failures{0};
    std::map<std::string, double> finished;
    std::mutex finished_mutex;
    auto done = [&](const char* stage) {
      std::lock_guard lock(finished_mutex);
      finished[stage] = since(start);
    };
    auto rt = daemon::PrintingRuntime::start(config.printing);
    if (!rt) return fail_with("printing", rt.error());
    auto shared_config = std::make_shared<const daemon::Config>(config);
    std::thread sync([&] {
      store::WriterTurns::name_holder("sync");
      // Relaxed, as the daemon's TOP sync (run_shop_once): the platform has every trade again.
      auto c = store.local(store::Durability::relaxed);
      outbound::OwnedHttpClient h(config.http_client);
      if (!c || !platform::run_shop_sync(settings, h, **c, clock, "bench", cancel)) ++failures;
      synced_all = true;
      done("sync");
    });
    std::thread review([&] {
      store::WriterTurns::name_holder("review + waybills");  // and the labels it queues
      auto c = store.local(store::Durability::strict);
      review::ReviewService r(**c, clock, config.review);
      courier::WaybillService w(**c, clock, config.shipping);
      auto queued_at = Clock_::now();
      for (;;) {
        const bool last = synced_all;
        auto in = r.intake();
        auto ok = r.auto_approve();
        auto issued = w.issue();
        if (!in || !ok || !issued) {
          ++failures;
          break;
        }
        if (since(queued_at) > 0.5) {  // the daemon's printing job (every 2 s there)
          (void)(*rt)->queue_and_wake(shared_config, store, clock);
          queued_at = Clock_::now();
        }
        const bool idle = in->signals == 0 && ok->approved == 0 && issued->issued == 0;
        if (last && idle) break;
        // Nothing came: wait a little, as the daemon's review job waits for its next turn
        // (5 s there), rather than take the writer's turn from the sync in a tight loop.
        if (idle) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      reviewed_all = true;
      done("review + waybills");
    });
    std::thread confirm([&] {
      store::WriterTurns::name_holder("confirm");
      auto c = store.local(store::Durability::strict);
      outbound::OwnedHttpClient h(config.http_client);
      courier::WaybillService w(**c, clock, config.shipping);
      const auto send = daemon::platform_confirmation(config, h, clock);
      auto queued_at = Clock_::now();
      for (;;) {
        const bool upstream_done = reviewed_all;
        const bool waiting = any_parcel_in((**c).sql(), "'approved', 'waybill'");
        auto r = w.confirm(send, 2000);
        if (!r) {
          ++failures;
          break;
        }
        if (r->sent == 0) {
          if (upstream_done && !waiting) break;
          // The daemon's printing job, every 0.5 s here (2 s in the daemon): what review
          // left for it once review has stopped.
          if (upstream_done && since(queued_at) > 0.5) {
            (void)(*rt)->queue_and_wake(shared_config, store, clock);
            queued_at = Clock_::now();
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      }
      done("print + confirm");
    });
    // The daemon's checkpoint job: the WAL copied into the database every second, off the
    // writers' path (every connection defers its own checkpoints).
    std::atomic<bool> all_done{false};
    std::thread checkpoint([&] {
      auto c = store.local(store::Durability::relaxed);
      for (int tick = 0; c && !all_done; ++tick) {
        if (tick % 20 == 0) (*c)->checkpoint();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
    sync.join();
    review.join();
    confirm.join();
    const double total = since(start);
    const auto turns = (*conn)->writer_turns()->usage_by_holder();
    all_done = true;
    checkpoint.join();
    long long printed = 0;
    for (const auto& sp : sims) printed += static_cast<long long>(sp->printed().size());
    long long parcels = 0, sent = 0;
    (**conn).sql() << "SELECT COUNT(*) FROM parcels WHERE state = 'printed'", soci::into(parcels);
    (**conn).sql() << "SELECT COUNT(*) FROM ship_confirmations WHERE state = 'sent'",
        soci::into(sent);
    std::printf("all stages at once   %lld orders in %.1f s = %.0f orders/s (target 10,000)\n",
                trades, total, trades / total);
    std::printf(
        "                     %lld parcels printed, %lld labels on paper, %lld trades "
        "confirmed shipped\n",
        parcels, printed, sent);
    for (const auto& [stage, at] : finished)
      std::printf("  %-18s done at %5.1f s\n", stage.c_str(), at);
    // SQLite takes one writer at a time: a turn held most of the run means that writer sets
    // the pace. Held time beyond the holder's CPU time is its fsyncs and its waits for a core.
    auto seconds = [](std::chrono::nanoseconds n) {
      return std::chrono::duration<double>(n).count();
    };
    store::WriterTurns::Usage summed;
    std::vector<std::pair<std::string, store::WriterTurns::Usage>> spent;
    for (const auto& [holder, after] : turns) {
      const auto before = turns_before.find(holder);
      const auto u = before == turns_before.end() ? after : after - before->second;
      if (u.turns == 0) continue;
      summed += u;
      spent.emplace_back(holder, u);
    }
    std::printf(
        "writer's turn        held %.1f s of %.1f s (%.0f%%), %.1f s of it on a CPU, %llu "
        "transactions\n",
        seconds(summed.held), total, 100 * seconds(summed.held) / total, seconds(summed.on_cpu),
        static_cast<unsigned long long>(summed.turns));
    for (const auto& [holder, u] : spent)
      std::printf("  %-18s held %5.1f s, on a CPU %5.1f s, %5llu transactions\n", holder.c_str(),
                  seconds(u.held), seconds(u.on_cpu), static_cast<unsigned long long>(u.turns));
    std::printf("peak RSS             %ld MB\n", test::peak_rss_mb());
    sim.process->signal(SIGTERM);
    sim.process->wait(std::chrono::seconds(30));
    return failures == 0 && parcels == printed && sent > 0 ? 0 : 1;
  }

  StageClock t;
  auto sync_conn = store.local(store::Durability::relaxed);  // as the daemon's TOP sync
  if (!sync_conn) return fail_with("sync", sync_conn.error());
  auto synced = platform::run_shop_sync(settings, http, **sync_conn, clock, "bench", cancel);
  if (!synced) return fail_with("sync", synced.error());
  const StageTime sync_s = t.stop();

  t = StageClock();
  review::ReviewService review(**conn, clock, config.review);
  auto in = review.intake();
  if (!in) return fail_with("intake", in.error());
  auto approved = review.auto_approve();
  if (!approved) return fail_with("review", approved.error());
  const StageTime review_s = t.stop();

  t = StageClock();
  auto issued = courier::WaybillService(**conn, clock, config.shipping).issue();
  if (!issued) return fail_with("waybills", issued.error());
  const StageTime waybill_s = t.stop();

  t = StageClock();
  auto rt = daemon::PrintingRuntime::start(config.printing);
  if (!rt) return fail_with("printing", rt.error());
  {
    // As the daemon runs it: the printing job queues labels and wakes each printer's worker,
    // which prints job after job; the checkpoint job copies the WAL. The daemon's printing
    // job runs every 2 s; here every 0.5 s, so the queue never runs dry.
    auto shared_config = std::make_shared<const daemon::Config>(config);
    for (int tick = 0;; ++tick) {
      if (tick % 5 == 0)
        if (auto r = (*rt)->queue_and_wake(shared_config, store, clock); !r)
          return fail_with("printing", r.error());
      if (tick % 10 == 0) (*conn)->checkpoint();
      if (!any_parcel_in((**conn).sql(), "'waybill'")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  const StageTime print_s = t.stop();

  t = StageClock();
  courier::WaybillService waybills(**conn, clock, config.shipping);
  const auto confirm = daemon::platform_confirmation(config, http, clock);
  long long sent = 0;
  for (;;) {
    auto r = waybills.confirm(confirm, 2000);
    if (!r) return fail_with("confirm", r.error());
    sent += r->sent;
    if (r->sent + r->failed + r->by_hand + r->retrying == 0) break;
  }
  const StageTime confirm_s = t.stop();
  const double total = since(all);

  long long printed = 0;
  for (const auto& s : sims) printed += static_cast<long long>(s->printed().size());
  auto count = [&](const char* sql) {
    long long n = 0;
    (**conn).sql() << sql, soci::into(n);
    return n;
  };
  const long long parcels = count("SELECT COUNT(*) FROM parcels WHERE state = 'printed'");
  std::printf("parcels by state:");
  {
    soci::rowset<soci::row> rs =
        ((**conn).sql().prepare << "SELECT state, COUNT(*) FROM parcels GROUP BY state");
    for (const auto& r : rs)
      std::printf(" %s %lld", store::get_text(r, 0).c_str(),
                  static_cast<long long>(store::get_int(r, 1)));
  }
  std::printf("; waybills issued %d, waiting %d\n", issued->issued, issued->waiting);
  std::printf(
      "orders               %lld synced (%lld parcels after merges; the rest are "
      "unpaid, closed or problems), %lld parcels printed, %lld labels on paper, %lld "
      "trades confirmed shipped\n",
      static_cast<long long>(synced->report.totals.stored.inserted),
      count("SELECT COUNT(*) FROM parcels WHERE state <> 'merged'"), parcels, printed, sent);
  std::printf("whole path           %.1f s = %.0f orders/s (target 10,000; Tryton 6.0: 4.14)\n",
              total, trades / total);
  std::printf("  %-18s %8s %6s %14s %s\n", "stage", "wall", "share", "", "CPU (this process)");
  auto stage = [&](const char* name, StageTime s) {
    std::printf("  %-18s %6.1f s %5.1f%%  %8.0f orders/s  %5.1f s\n", name, s.wall,
                100 * s.wall / total, trades / s.wall, s.cpu);
  };
  stage("sync", sync_s);
  stage("review", review_s);
  stage("waybills", waybill_s);
  stage("print (ZPL, TCP)", print_s);
  stage("ship confirmation", confirm_s);
  std::printf("peak RSS             %ld MB\n", test::peak_rss_mb());
  sim.process->signal(SIGTERM);
  sim.process->wait(std::chrono::seconds(30));
  const long long shippable =
      count("SELECT COUNT(*) FROM parcels WHERE state IN ('approved', 'waybill', 'printed')");
  return parcels == shippable && printed == parcels && sent > 0 ? 0 : 1;
}
