// PostgreSQL stopped for 30 s while a daemon imports into it, then started again: the daemon
// stays up, says so on /healthz and /readyz, and resumes with nothing lost or doubled.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "process.hpp"
#include "store/database.hpp"
#include "test_support.hpp"

namespace fulfil::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using clk = std::chrono::steady_clock;

constexpr int k_shops = 4, k_rows_per_file = 200;

// One `pg-cluster.sh` command; its stdout.
std::string cluster(const std::vector<std::string>& args, const std::filesystem::path& logs) {
  auto r = run_program(std::string(FULFIL_SOURCE_DIR) + "/tests/scripts/pg-cluster.sh", args, logs);
  EXPECT_EQ(r.status, 0) << r.err;
  return r.out.substr(0, r.out.find('\n'));
}

TEST(PgOutage, ThirtySecondsWithoutPostgreSQLLoseAndDoubleNothing) {
  if (!std::getenv("FULFIL_TEST_PG_URL"))
    GTEST_SKIP() << "FULFIL_TEST_PG_URL is not set: no PostgreSQL server binaries to run";
  TempDir dir;
  const auto pg = dir / "pg";
  const std::string port = std::to_string(free_port());
  const std::string url = cluster({"start", pg.string(), port}, dir.path()) + "/postgres";
  ASSERT_FALSE(url.empty());
  std::string shops;
  for (int s = 0; s < k_shops; ++s) {
    std::filesystem::create_directories(dir / ("inbox-" + std::to_string(s)));
    shops += "[[shops]]\nname = \"shop-" + std::to_string(s) + "\"\nsource = \"csv\"\ninbox = \"" +
             (dir / ("inbox-" + std::to_string(s))).string() + "\"\ninterval_seconds = 5\n";
  }
  const int http = free_port();
  write_file(dir / "fulfild.toml", "[http]\nlisten = \"127.0.0.1:" + std::to_string(http) +
                                       "\"\n[store]\nurl = \"" + url +
                                       "\"\n[printing]\nenabled = false\n" + shops);
  Process daemon(FULFILD_BINARY, {"--config", (dir / "fulfild.toml").string(), "run"}, dir.path());
  const std::string base = "http://127.0.0.1:" + std::to_string(http);
  auto ready = [&] { return http_get(base + "/readyz").status; };
  auto wait_for = [&](auto pred, std::chrono::seconds limit) {
    const auto end = clk::now() + limit;
    while (clk::now() < end && !pred()) std::this_thread::sleep_for(200ms);
    return pred();
  };
  ASSERT_TRUE(wait_for([&] { return ready() == 200; }, 30s)) << daemon.stderr_text();

  std::atomic<bool> feeding{true};
  std::atomic<long long> expected{0};
  std::thread feeder([&] {
    for (int n = 0; feeding; ++n) {
      drop_csv_orders(dir / ("inbox-" + std::to_string(n % k_shops)), "f" + std::to_string(n),
                      800000000000000000LL + n * 1000LL, k_rows_per_file);
      expected += k_rows_per_file;
      std::this_thread::sleep_for(250ms);
    }
  });
  std::this_thread::sleep_for(6s);  // imports under way
  cluster({"stop", pg.string()}, dir.path());
  const auto stopped_at = clk::now();
  EXPECT_TRUE(wait_for([&] { return ready() == 503; }, 15s)) << "readiness follows the store";
  auto health = http_get(base + "/healthz");
  ASSERT_EQ(health.status, 200) << "the daemon answers without its store";
  auto h = json::parse(health.body).as_object();
  EXPECT_EQ(h.at("status").as_string(), "degraded");
  EXPECT_TRUE(h.contains("store_down_since")) << health.body;
  std::this_thread::sleep_for(30s - (clk::now() - stopped_at));
  EXPECT_TRUE(daemon.running()) << "the daemon stays up through the outage";
  cluster({"resume", pg.string(), port}, dir.path());
  EXPECT_TRUE(wait_for([&] { return ready() == 200; }, 30s)) << "ready again once it is back";
  std::this_thread::sleep_for(2s);
  feeding = false;
  feeder.join();

  auto conn = store::Connection::open(*store::StoreUrl::parse(url), store::Durability::relaxed);
  ASSERT_TRUE(conn);
  auto scalar = [&](const std::string& sql) {
    long long n = -1;
    (*conn)->sql() << sql, soci::into(n);
    return n;
  };
  EXPECT_TRUE(wait_for([&] { return scalar("SELECT COUNT(*) FROM trades") >= expected; }, 60s));
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(30s), 0);
  std::printf("%lld trades; store down 30 s\n", expected.load());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM trades"), expected.load());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM (SELECT tid, kind FROM order_events GROUP BY tid, kind "
                   "HAVING COUNT(*) > 1) d"),
            0);
  for (int s = 0; s < k_shops; ++s) {
    const auto failed = dir / ("inbox-" + std::to_string(s)) / "failed";
    EXPECT_FALSE(std::filesystem::exists(failed) && !std::filesystem::is_empty(failed))
        << "a file was refused during the outage";
  }
  conn->reset();
  cluster({"stop", pg.string()}, dir.path());
}

}  // namespace
}  // namespace fulfil::test
