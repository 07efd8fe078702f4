// stock_push_bench: a shop's stock push at scale, SQLite. N SKUs mapped to platform items:
// the first pass with the switch off (every SKU decided and held), a pass with nothing
// changed (the cost paid every interval_seconds), and P pushes over loopback HTTP to the
// TOP simulator against the same P calls made bare with the TOP client (the raw limit:
// the platform round trip without the store's before-and-after records).
//   stock_push_bench [--skus N] [--pushes P]
#include <chrono>
#include <cstdio>
#include <string>

#include "capabilities/stock/stock_push_job.hpp"
#include "common/log.hpp"
#include "modules.hpp"
#include "outbound/curl_multi_client.hpp"
#include "platform/top_client.hpp"
#include "review/stock.hpp"
#include "stock/mappings.hpp"
#include "stock/stock_pusher.hpp"
#include "test_support.hpp"
#include "top_simulator.hpp"

using namespace fulfil;
using Clock_ = std::chrono::steady_clock;

namespace {

double since(Clock_::time_point t) {
  return std::chrono::duration<double>(Clock_::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  long long skus = 100'000, pushes = 5'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--skus") skus = test::option_number("--skus", argv[i + 1], 10'000'000);
    if (k == "--pushes") pushes = test::option_number("--pushes", argv[i + 1], 10'000'000);
  }
  pushes = std::min(pushes, skus);
  log::configure("warn");
  test::TempDir dir;
  auto conn =
      store::Connection::open(*store::StoreUrl::parse("sqlite:" + (dir.path() / "s.db").string()),
                              store::Durability::relaxed);
  if (!conn || !daemon::migrate_all(**conn)) return 1;
  SystemClock clock;
  sim::TopSimSettings ss;
  ss.trades = 0;
  sim::TopSimulator top(ss);
  top.start();
  std::string stock = "sku,on_hand\n", map = "sku,num_iid,sku_id\n";
  for (long long i = 0; i < skus; ++i) {
    const std::string sku = "SKU-" + std::to_string(i);
    stock += sku + "," + std::to_string(10 + i % 50) + "\n";
    map += sku + "," + std::to_string(600000 + i / 4) + "," + std::to_string(7000000 + i) + "\n";
    top.list_item(600000 + i / 4, {7000000 + i}, 0);
  }
  if (!review::StockRepository(**conn).load_csv(stock, "bench", "bench", clock.now()) ||
      !stock::load_mappings(**conn, "shop", map, "bench", clock.now()))
    return 1;
  stock::StockPushSettings s;
  s.per_second = 1'000'000;  // no pacing: the platform's own limit is not what is measured
  s.batch = static_cast<int>(pushes);
  stock::StockPusher pusher(**conn, clock, s);
  outbound::OwnedHttpClient http(outbound::HttpSettings{});
  platform::TopClient client(
      http, clock,
      {top.base_url(), "12345678", "sim-secret", "sim-session", platform::SignMethod::hmac_sha256},
      "shop");
  const auto call = daemon::quantity_update(client);

  if (!pusher.set_mode("*", stock::PushMode::off, "bench")) return 1;
  auto t = Clock_::now();
  auto held = pusher.run("shop", call);
  const double first = since(t);
  t = Clock_::now();
  auto again = pusher.run("shop", call);
  const double unchanged = since(t);
  if (!held || !again || held->held != skus || again->held != 0) {
    std::fprintf(stderr, "the passes with the switch off went wrong\n");
    return 1;
  }
  if (!pusher.set_mode("*", std::nullopt, "bench")) return 1;
  t = Clock_::now();
  auto pushed = pusher.run("shop", call);
  const double push_secs = since(t);
  if (!pushed || pushed->pushed != pushes) {
    std::fprintf(stderr, "pushed %d of %lld\n", pushed ? pushed->pushed : -1, pushes);
    return 1;
  }
  t = Clock_::now();
  for (long long i = 0; i < pushes; ++i)
    if (!call({"", 600000 + i / 4, 7000000 + i, 5})) return 1;
  const double raw_secs = since(t);
  std::printf("SKUs mapped            %lld\n", skus);
  std::printf("first pass, switch off %.0f ms (every SKU decided, held and recorded)\n",
              first * 1000);
  std::printf("pass, nothing changed  %.0f ms (paid every interval_seconds)\n", unchanged * 1000);
  std::printf("fulfild pushes         %lld in %.2f s  %.0f pushes/s\n", pushes, push_secs,
              pushes / push_secs);
  std::printf("bare TOP client calls  %lld in %.2f s  %.0f calls/s\n", pushes, raw_secs,
              pushes / raw_secs);
  std::printf("ratio                  %.2f of the bare calls\n", raw_secs / push_secs);
  return 0;
}
