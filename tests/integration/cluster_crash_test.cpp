// Three daemons on one PostgreSQL share 30 CSV shops while each is killed -9 at 10 random
// moments and restarted, and new files keep arriving: in the end every trade of every shop
// is stored exactly once, and while all three were up none held more than 60% of the shops.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "process.hpp"
#include "store_fixture.hpp"
#include "test_support.hpp"

namespace fulfil::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using clk = std::chrono::steady_clock;

constexpr int k_daemons = 3, k_shops = 30, k_kills = 10, k_rows_per_file = 40;

std::string shop_name(int i) {
  char b[16];
  std::snprintf(b, sizeof b, "shop-%02d", i);
  return b;
}

class Daemon {
 public:
  Daemon(std::filesystem::path config, std::filesystem::path dir, int port)
      : m_args{"--config", config.string(), "run"}, m_dir(std::move(dir)), m_port(port) {}
  void start() {
    std::lock_guard lock(m_mutex);
    m_process = std::make_unique<Process>(FULFILD_BINARY, m_args, m_dir);
  }
  void kill(int sig = SIGKILL) {
    std::lock_guard lock(m_mutex);
    m_process->signal(sig);
    m_process->wait(30s);
    m_last_life = m_process->stderr_text();
    m_process.reset();
  }
  // The shops whose files this daemon's last life imported (from its log).
  std::set<std::string> shops_imported() const {
    std::set<std::string> out;
    static const std::regex line("csv file imported shop=(shop-[0-9]+)");
    for (std::sregex_iterator it(m_last_life.begin(), m_last_life.end(), line), end; it != end;
         ++it)
      out.insert((*it)[1]);
    return out;
  }
  int port() const { return m_port; }

 private:
  std::vector<std::string> m_args;
  std::filesystem::path m_dir;
  int m_port;
  std::mutex m_mutex;
  std::unique_ptr<Process> m_process;
  std::string m_last_life;
};

TEST(Crash, ThreeDaemonsKilledAtRandomShareThirtyShopsAndStoreEveryTradeOnce) {
  std::string why;
  auto store = TestStore::create(Backend::postgresql, why);
  if (!store) GTEST_SKIP() << why;
  TempDir dir;
  std::string shops;
  for (int s = 0; s < k_shops; ++s) {
    const auto inbox = dir / ("inbox-" + shop_name(s));
    std::filesystem::create_directories(inbox);
    shops += "[[shops]]\nname = \"" + shop_name(s) + "\"\nsource = \"csv\"\ninbox = \"" +
             inbox.string() + "\"\ninterval_seconds = 5\n";
  }
  std::vector<std::unique_ptr<Daemon>> daemons;
  for (int d = 0; d < k_daemons; ++d) {
    const int port = free_port();
    const auto config = dir / ("wh" + std::to_string(d + 1) + ".toml");
    write_file(config, "[daemon]\ninstance_id = \"wh" + std::to_string(d + 1) +
                           "\"\n[http]\nlisten = " + "\"127.0.0.1:" + std::to_string(port) +
                           "\"\n[store]\nurl = \"" + store->url() +
                           "\"\n[printing]\nenabled = false\n" + shops);
    daemons.push_back(std::make_unique<Daemon>(config, dir.path(), port));
    daemons.back()->start();
  }

  // Files keep arriving in random shops while the daemons are killed.
  std::atomic<bool> killing{true};
  std::atomic<long long> expected{0};
  std::vector<long long> per_shop(k_shops, 0);
  std::mutex per_shop_mutex;
  std::thread feeder([&] {
    std::mt19937 rng(5);
    for (int n = 0; killing; ++n) {
      const int s = static_cast<int>(rng() % k_shops);
      drop_csv_orders(dir / ("inbox-" + shop_name(s)), "f" + std::to_string(n),
                      900000000000000000LL + n * 1000LL, k_rows_per_file);
      {
        std::lock_guard lock(per_shop_mutex);
        per_shop[s] += k_rows_per_file;
      }
      expected += k_rows_per_file;
      std::this_thread::sleep_for(150ms);
    }
  });
  // What the daemons report while all three are members: the most shops one held.
  // It samples through the kills and the calm after them: under a sanitizer a daemon takes
  // seconds to start, so the kills alone may leave few moments with all three up.
  std::atomic<int> most_held{0}, samples_with_all{0};
  std::atomic<bool> sampling{true};
  std::thread sampler([&] {
    for (int i = 0; sampling; i = (i + 1) % k_daemons) {
      auto h = http_get("http://127.0.0.1:" + std::to_string(daemons[i]->port()) + "/healthz");
      if (h.status == 200) {
        auto o = json::parse(h.body).as_object();
        const auto& members = o.at("cluster").at("members").as_array();
        if (members.size() == k_daemons) {
          ++samples_with_all;
          for (const auto& m : members) {
            const int held = static_cast<int>(m.at("shops").as_array().size());
            if (held > most_held) most_held = held;
          }
        }
      }
      std::this_thread::sleep_for(100ms);
    }
  });
  std::vector<std::thread> killers;
  for (int d = 0; d < k_daemons; ++d)
    killers.emplace_back([&, d] {
      std::mt19937 rng(100 + d);
      std::uniform_int_distribution<int> life_ms(1000, 3000);
      for (int k = 0; k < k_kills; ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(life_ms(rng)));
        daemons[d]->kill();
        daemons[d]->start();
      }
    });
  for (auto& t : killers) t.join();
  killing = false;
  feeder.join();
  // All three up and settled: a file for every shop. Each daemon's last life imports its
  // own share only; a daemon taking whatever its timer reaches first would take most.
  std::this_thread::sleep_for(3s);
  for (int s = 0; s < k_shops; ++s) {
    drop_csv_orders(dir / ("inbox-" + shop_name(s)), "calm", 910000000000000000LL + s * 1000LL,
                    k_rows_per_file);
    per_shop[s] += k_rows_per_file;
    expected += k_rows_per_file;
  }

  // All three up: every file is imported.
  auto stored = [&] { return store->scalar("SELECT COUNT(*) FROM trades"); };
  const auto deadline = clk::now() + 120s;
  while (clk::now() < deadline && stored() < expected) std::this_thread::sleep_for(250ms);
  sampling = false;
  sampler.join();
  for (auto& d : daemons) d->kill(SIGTERM);

  std::printf("%lld trades in %d shops; %d samples with all three up, most shops held by one: %d\n",
              expected.load(), k_shops, samples_with_all.load(), most_held.load());
  EXPECT_EQ(stored(), expected.load());
  for (int s = 0; s < k_shops; ++s)
    EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM trades WHERE shop = '" + shop_name(s) + "'"),
              per_shop[s])
        << shop_name(s);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM (SELECT tid, kind FROM order_events GROUP BY "
                          "tid, kind HAVING COUNT(*) > 1) d"),
            0)
      << "an event written twice";
  EXPECT_GT(samples_with_all, 10);
  EXPECT_LE(most_held, k_shops * 6 / 10);
  std::size_t covered = 0;
  for (int d = 0; d < k_daemons; ++d) {
    const auto mine = daemons[d]->shops_imported();
    std::printf("wh%d's last life imported files of %zu shops\n", d + 1, mine.size());
    EXPECT_LE(mine.size(), static_cast<std::size_t>(k_shops * 6 / 10)) << "wh" << d + 1;
    covered += mine.size();
  }
  EXPECT_GE(covered, static_cast<std::size_t>(k_shops)) << "every shop's calm file was imported";
  for (int s = 0; s < k_shops; ++s) {
    const auto failed = dir / ("inbox-" + shop_name(s)) / "failed";
    EXPECT_FALSE(std::filesystem::exists(failed) && !std::filesystem::is_empty(failed))
        << shop_name(s) << ": a file was refused";
  }
}

}  // namespace
}  // namespace fulfil::test
