// kill -9 the daemon at random moments while it texts 300 buyers through the SMS gateway
// simulator (each answer 30 ms late, so kills land mid-batch): in the end every buyer got
// exactly one text, and the store says so.
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <random>
#include <thread>

#include "modules.hpp"
#include "process.hpp"
#include "review_fixture.hpp"
#include "sms_simulator.hpp"
#include "store/database.hpp"
#include "test_support.hpp"

namespace fulfil::test {
namespace {

using namespace std::chrono_literals;

constexpr int k_buyers = 300;
constexpr int k_kills = 8;

long long count(store::Connection& c, const std::string& sql) {
  long long n = 0;
  c.sql() << sql, soci::into(n);
  return n;
}

TEST(Crash, KillNineMidSmsBatchSendsEveryTextOnceAndLosesNone) {
  TempDir dir;
  const std::string store_url = "sqlite:" + (dir / "store.db").string();
  SystemClock clock;
  {
    auto conn =
        store::Connection::open(*store::StoreUrl::parse(store_url), store::Durability::strict);
    ASSERT_TRUE(conn);
    ASSERT_TRUE(daemon::migrate_all(**conn));
    std::vector<orders::Trade> trades;
    const UnixSeconds placed = clock.now() - 30 * 3600;  // in the texts' window, IM long past
    for (int i = 0; i < k_buyers; ++i) {
      auto t = paid_trade(8000000 + i * 10, placed, "买家" + std::to_string(i));
      t.status = "WAIT_BUYER_PAY";
      t.pay_time = std::nullopt;
      t.created = placed + i;
      t.modified = placed + i;
      t.lines[0].status = t.status;
      t.receiver_mobile = "139" + std::to_string(10000000 + i);
      trades.push_back(std::move(t));
    }
    store_trades(**conn, clock, trades);
  }
  sim::SmsSimulator sms("key", "secret", {"某某旗舰店"}, {"SMS_1"});
  sms.start();
  sms.set_faults({.latency_ms = 30});
  const int http_port = free_port();
  write_file(dir / "fulfild.toml",
             "[http]\nlisten = \"127.0.0.1:" + std::to_string(http_port) + "\"\n[store]\nurl = \"" +
                 store_url +
                 "\"\n[reminders]\ninterval_seconds = 5\nphone_from_fen = 100000000\n"
                 "sms_quiet = []\n[reminders.sms]\nenabled = true\nurl = \"" +
                 sms.url() +
                 "\"\naccess_key_id = \"key\"\nsign_name = \"某某旗舰店\"\n"
                 "template_code = \"SMS_1\"\nbatch = 40\n");
  Restartable daemon(FULFILD_BINARY, {"--config", (dir / "fulfild.toml").string(), "run"},
                     dir.path(), {{"FULFILD_SMS_ACCESS_KEY_SECRET", "secret"}});
  daemon.start();
  std::mt19937 rng(20261205);
  std::uniform_int_distribution<int> life(3500, 6000);
  int kills = 0;
  for (; kills < k_kills && sms.messages().size() < k_buyers; ++kills) {
    std::this_thread::sleep_for(std::chrono::milliseconds(life(rng)));
    daemon.kill(SIGKILL);
    daemon.start();
  }
  EXPECT_GE(kills, 3) << "the texts went out before the kills could land";
  auto conn =
      store::Connection::open(*store::StoreUrl::parse(store_url), store::Durability::relaxed);
  ASSERT_TRUE(conn);
  const bool all_sent = eventually(
      [&] {
        return count(**conn,
                     "SELECT COUNT(*) FROM reminder_attempts WHERE state IN ('sent', "
                     "'delivered')") == k_buyers;
      },
      180s);
  daemon.kill(SIGTERM);
  EXPECT_TRUE(all_sent) << daemon.said().substr(0, 4000);
  std::map<std::string, int> by_key;
  for (const auto& m : sms.messages()) ++by_key[m.out_id];
  EXPECT_EQ(by_key.size(), static_cast<std::size_t>(k_buyers));
  for (const auto& [key, n] : by_key) EXPECT_EQ(n, 1) << key << " was texted " << n << " times";
  EXPECT_EQ(count(**conn, "SELECT COUNT(*) FROM reminder_attempts WHERE channel = 'sms'"),
            k_buyers);
  EXPECT_EQ(count(**conn, "SELECT COUNT(*) FROM reminders WHERE reminded_at IS NOT NULL"),
            k_buyers);
  std::cerr << "kills: " << kills << ", texts: " << sms.messages().size()
            << ", settled after a lost answer: "
            << count(**conn, "SELECT COUNT(*) FROM reminder_attempts WHERE biz_id = 'settled'")
            << "\n";
}

}  // namespace
}  // namespace fulfil::test
