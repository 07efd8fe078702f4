// kill -9 the daemon and the customer-service peer, each at 50 random moments, while returns
// are checked in through the API one after another, then keep the peer away until a backlog
// of slips has built up: in the end the peer holds every slip exactly once, byte for byte as
// the daemon wrote it, and no repeat it was sent differed from the first. The check-ins run as
// long as the kills and the absence last (2,000 to 4,000 of them), not to a fixed count, which
// only made the test longer where each check-in is slower (sanitizers).
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "aftersale/curve_keys.hpp"
#include "process.hpp"
#include "store/database.hpp"
#include "store/row_reader.hpp"
#include "test_support.hpp"

namespace fulfil::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using clk = std::chrono::steady_clock;

constexpr int k_kills = 50;

std::string code_of(int n) {
  return "YT" + std::to_string(70000000 + n);
}

TEST(Crash, KillNineOfDaemonAndServicePeerLosesNoSlipAndRepeatsCarryTheSameBytes) {
  TempDir dir;
  const auto daemon_keys = *aftersale::generate_key_pair();
  const auto peer_keys = *aftersale::generate_key_pair();
  ASSERT_TRUE(aftersale::write_key_pair(dir / "daemon", daemon_keys));
  ASSERT_TRUE(aftersale::write_key_pair(dir / "peer", peer_keys));
  std::filesystem::create_directories(dir / "clients");
  std::filesystem::copy_file(dir / "daemon.pub", dir / "clients" / "daemon.pub");
  const int http_port = free_port(), peer_port = free_port();
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(peer_port);
  const std::string store_path = (dir / "store.db").string();
  write_file(dir / "fulfild.toml",
             "[http]\nlisten = \"127.0.0.1:" + std::to_string(http_port) +
                 "\"\n[store]\nurl = \"sqlite:" + store_path +
                 "\"\n[aftersale]\nservice_endpoint = \"" + endpoint +
                 "\"\ncurve = true\nsecret_key_file = \"" + (dir / "daemon.key").string() +
                 "\"\nservice_public_key_file = \"" + (dir / "peer.pub").string() +
                 "\"\nack_timeout_ms = 500\nmax_backoff_ms = 2000\nheartbeat_ms = 300\n");
  // The check-ins come from a machine client with a packer's API token.
  auto issued = run_program(
      FULFILD_BINARY,
      {"--config", (dir / "fulfild.toml").string(), "token", "add", "crash", "--role", "packer"},
      dir.path());
  ASSERT_EQ(issued.status, 0) << issued.err;
  const std::string bearer = "Bearer " + issued.out.substr(0, issued.out.find('\n'));
  Restartable daemon(FULFILD_BINARY, {"--config", (dir / "fulfild.toml").string(), "run"},
                     dir.path());
  Restartable peer(
      SERVICE_PEER_BINARY,
      {"--bind", endpoint, "--key", (dir / "peer.key").string(), "--clients",
       (dir / "clients").string(), "--store", (dir / "slips.jsonl").string(), "--quiet"},
      dir.path());
  daemon.start();
  peer.start();

  // Check-ins through the API, each retried under its request_key until it answers 201: a
  // daemon killed after committing but before answering must not make a second return.
  const std::string url = "http://127.0.0.1:" + std::to_string(http_port) + "/api/v1/returns";
  std::atomic<int> checked_in{0}, retries{0};
  std::atomic<bool> enough{false};
  std::thread driver([&] {
    for (int n = 0; !enough; ++n) {
      const std::string body =
          json::serialize(json::object{{"code", code_of(n)},
                                       {"courier", "YTO"},
                                       {"unidentified", true},
                                       {"note", "到仓无单 📦"},
                                       {"request_key", "crash-" + std::to_string(n)}});
      for (;;) {
        auto r = http_post_json(url, body, {{"Authorization", bearer}});
        if (r.status == 201) break;
        ++retries;
        std::this_thread::sleep_for(20ms);
      }
      ++checked_in;
      std::this_thread::sleep_for(12ms);
    }
  });

  std::mt19937 rng(20261124);
  std::uniform_int_distribution<int> daemon_life(300, 1100), peer_life(200, 900);
  std::atomic<int> peer_kills{0};
  std::thread peer_killer([&] {
    std::mt19937 r(7);
    for (int i = 0; i < k_kills; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(peer_life(r)));
      peer.kill();
      ++peer_kills;
      peer.start();
    }
  });
  for (int i = 0; i < k_kills; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(daemon_life(rng)));
    daemon.kill();
    daemon.start();
  }
  peer_killer.join();
  const int before_away = checked_in;
  // The peer away while check-ins go on, until a backlog of k_backlog slips has built up and
  // the sender has been through its longest back-off (max_backoff_ms) a few times (the
  // property: what piles up while it is gone all reaches it); not a fixed time, which only
  // makes the test slower.
  constexpr int k_backlog = 400;
  peer.kill();
  const auto away_from = clk::now();
  while (clk::now() < away_from + 120s &&
         (checked_in - before_away < k_backlog || clk::now() < away_from + 8s))
    std::this_thread::sleep_for(50ms);
  const int during_away = checked_in - before_away;
  peer.start();
  // A little more traffic with the peer back, then the check-ins end.
  std::this_thread::sleep_for(2s);
  enough = true;
  driver.join();
  const int checked_in_total = checked_in;

  // The backlog drains once the peer is back.
  auto delivered = [&] {
    auto conn = store::Connection::open(*store::StoreUrl::parse("sqlite:" + store_path),
                                        store::Durability::relaxed);
    long long pending = -1;
    if (conn)
      (*conn)->sql() << "SELECT COUNT(*) FROM outbox WHERE state = 'pending'", soci::into(pending);
    return pending == 0;
  };
  const auto deadline = clk::now() + 180s;
  while (clk::now() < deadline && !delivered()) std::this_thread::sleep_for(200ms);
  daemon.kill(SIGTERM);
  peer.kill(SIGTERM);
  std::printf(
      "%d check-ins (%d retried), %d while the peer was away; daemon and peer each killed %d "
      "times\n",
      checked_in.load(), retries.load(), during_away, k_kills);
  // How many depends on how fast a killed daemon is back (under ASan on a loaded machine a
  // life can end before it answers at all): 2,000-4,000 here, 192 at six tests on two cores.
  EXPECT_GE(before_away, k_kills) << "check-ins went on through the kills";
  EXPECT_GE(during_away, k_backlog) << "the peer's absence overlapped the check-ins";

  // What the peer kept: one line per slip it acked.
  std::map<std::string, std::string> kept;  // slip id -> body
  std::set<std::string> codes;
  std::istringstream in(read_file(dir / "slips.jsonl"));
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    auto v = json::parse(line, ec);
    if (ec) continue;  // a line cut short by a kill was never acked
    ++lines;
    const auto& o = v.as_object();
    EXPECT_TRUE(kept.emplace(std::string(o.at("slip_id").as_string()), line).second)
        << "stored twice: " << o.at("slip_id").as_string();
    codes.insert(std::string(o.at("return_parcel").as_object().at("scanned").as_string()));
  }
  EXPECT_EQ(kept.size(), static_cast<std::size_t>(checked_in_total));
  for (int n = 0; n < checked_in_total; ++n) EXPECT_TRUE(codes.contains(code_of(n))) << code_of(n);
  EXPECT_EQ(peer.said().find("mismatch S"), std::string::npos) << peer.said();

  auto conn = store::Connection::open(*store::StoreUrl::parse("sqlite:" + store_path),
                                      store::Durability::relaxed);
  ASSERT_TRUE(conn);
  long long returns = 0, pending = 0;
  (*conn)->sql() << "SELECT COUNT(*) FROM returns", soci::into(returns);
  (*conn)->sql() << "SELECT COUNT(*) FROM outbox WHERE state = 'pending'", soci::into(pending);
  EXPECT_EQ(returns, checked_in_total) << "a retried check-in made a second return";
  EXPECT_EQ(pending, 0);
  soci::rowset<soci::row> slips = ((*conn)->sql().prepare << "SELECT id, body FROM slips");
  std::size_t same = 0;
  for (const auto& r : slips) {
    auto it = kept.find(store::get_text(r, 0));
    ASSERT_NE(it, kept.end()) << "the peer never got " << store::get_text(r, 0);
    EXPECT_EQ(it->second, store::get_text(r, 1));
    ++same;
  }
  EXPECT_EQ(same, kept.size());
  std::printf("peer: %d lines, %zu slips, each as the daemon wrote it\n", lines, kept.size());
}

}  // namespace
}  // namespace fulfil::test
