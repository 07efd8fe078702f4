// Google Benchmark figures for the hot pieces of a sync (signing a request, parsing a page
// of trades, parsing amounts and times) and of the API (matching a request in the route table).
#include <benchmark/benchmark.h>

#include <boost/json/parse.hpp>

#include "api/api_router.hpp"
#include "api_fixture.hpp"
#include "common/money.hpp"
#include "common/timeutil.hpp"
#include "platform/top_signer.hpp"
#include "platform/trade_parser.hpp"
#include "test_support.hpp"
#include "trade_generator.hpp"

using namespace fulfil;

static void BM_TopSignHmacSha256(benchmark::State& state) {
  outbound::Params p{{"method", "taobao.trades.sold.increment.get"},
                     {"app_key", "12345678"},
                     {"session", "sess"},
                     {"timestamp", "2026-11-11 00:00:00"},
                     {"v", "2.0"},
                     {"sign_method", "hmac-sha256"},
                     {"format", "json"},
                     {"fields", std::string(platform::trade_fields())},
                     {"page_no", "3"},
                     {"page_size", "100"}};
  for (auto _ : state)
    benchmark::DoNotOptimize(platform::top_sign(p, "secret", platform::SignMethod::hmac_sha256));
}
BENCHMARK(BM_TopSignHmacSha256);

static void BM_ParsePageOf100Trades(benchmark::State& state) {
  sim::TradeGenerator gen(1);
  std::string page = "{\"trade\":[";
  for (int i = 0; i < 100; ++i) {
    if (i) page += ",";
    sim::TradeGenerator::append_json(page, gen.make(i, 1794326400 + i));
  }
  page += "]}";
  for (auto _ : state) {
    auto v = boost::json::parse(page);
    platform::ParsedTrades out;
    platform::parse_trade_list(&v, "bench", out);
    benchmark::DoNotOptimize(out.trades.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * page.size()));
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_ParsePageOf100Trades);

static void BM_ParseYuan(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(parse_yuan("1299.50"));
}
BENCHMARK(BM_ParseYuan);

static void BM_ParseGmt8(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(parse_gmt8("2026-11-11 00:05:09"));
}
BENCHMARK(BM_ParseGmt8);

// The whole API's table (40 routes): a request that matches the most specific of three
// patterns of its length and answers 401 (it carries no credentials, so neither a handler
// nor the store is reached), so the figure is the router's own cost.
static void BM_RouteTableMatch(benchmark::State& state) {
  test::ApiFixture api;
  http::Request req;
  req.method = "POST";
  req.target = req.path = "/api/v1/parcels/3928475610293847/approve";
  req.host = "127.0.0.1:8080";
  for (auto _ : state) benchmark::DoNotOptimize(api.handle(req));
}
BENCHMARK(BM_RouteTableMatch);

BENCHMARK_MAIN();
