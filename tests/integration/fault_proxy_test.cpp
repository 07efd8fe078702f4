// The loopback fault proxy, and the whole path through it: the real daemon reaches the
// platform (sync, Cainiao, ship confirmations), SF, Kuaidi100 and a TCP printer only through
// proxies that stall, reset after forwarding, drip, truncate or answer garbage; it must stay
// up, name what went wrong, and in the end lose and double nothing.
#include <gtest/gtest.h>

#include <future>
#include <regex>
#include <set>
#include <thread>

#include "fault_proxy.hpp"
#include "sim_server.hpp"
#include "test_support.hpp"
#include "whole_path.hpp"

namespace fulfil::test {
namespace {

using sim::Fault;

class Proxy : public ::testing::Test {
 protected:
  void SetUp() override { proxy = std::make_unique<sim::FaultProxy>("127.0.0.1", server.start()); }
  std::string url(const std::string& path = "/x") const {
    return "http://" + proxy->address() + path;
  }
  const std::string body = std::string(4000, 'b');
  // /short for the drip: 4 KB a byte a timer tick took over curl's 10 s with TSan at six
  // tests on two cores.
  sim::SimServer server{[this](const http::Request& q) {
    http::Response r;
    r.status = 200;
    r.body = q.path == "/short" ? "dripped" : body;
    return r;
  }};
  std::unique_ptr<sim::FaultProxy> proxy;
};

TEST_F(Proxy, EachFaultStrikesItsRequestsThenTheProxyCarriesBytesAgain) {
  EXPECT_EQ(http_get(url()).body, body);
  for (Fault f : {Fault::reset_after_forward, Fault::truncate, Fault::garbage}) {
    proxy->inject(f, 1);
    EXPECT_EQ(http_get(url()).status, 0) << sim::fault_name(f);
    EXPECT_EQ(http_get(url()).body, body) << "only one request takes " << sim::fault_name(f);
  }
  proxy->set_drip_interval(std::chrono::milliseconds(10));
  proxy->inject(Fault::slow_drip, 1);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(http_get(url("/short")).body, "dripped");  // slow, but whole
  EXPECT_GT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(400));

  proxy->inject(Fault::stall);
  auto stalled = std::async(std::launch::async, [&] { return http_get(url()); });
  EXPECT_EQ(stalled.wait_for(std::chrono::milliseconds(500)), std::future_status::timeout);
  proxy->clear();  // the stalled connection is closed, unanswered
  EXPECT_EQ(stalled.get().status, 0);
  EXPECT_EQ(http_get(url()).body, body);
  EXPECT_EQ(proxy->faults_struck(), 5);
}

// One run per fault: each proxy takes the fault on its first three requests, and the
// platform's proxy three more once waybills are being requested (the confirmations and
// Cainiao's calls); then the path must finish with nothing lost or doubled.
class ThroughFaults : public ::testing::TestWithParam<Fault> {};

TEST_P(ThroughFaults, TheWholePathLosesAndDoublesNothingAndNamesWhatWentWrong) {
  TempDir dir;
  WholePath path(dir.path(), {.trades = 60});
  for (auto* p : path.proxies()) {
    p->set_drip_interval(std::chrono::milliseconds(40));
    p->inject(GetParam(), 3);
  }
  path.start_daemon();
  ASSERT_TRUE(eventually(
      [&] { return path.sf.requests() + path.top.cainiao().issued_per_object().size() > 0; },
      std::chrono::seconds(60)));
  path.top_proxy->inject(GetParam(), 3);
  const bool done = eventually([&] { return path.all_through(); }, std::chrono::seconds(150));
  EXPECT_TRUE(path.daemon_running()) << "the daemon died: " << path.daemon_said();
  path.stop_daemon(SIGTERM);
  ASSERT_TRUE(done) << problems_in(path.daemon_said());
  for (const auto& w : whole_path_losses(path)) ADD_FAILURE() << w;

  long struck = 0;
  for (auto* p : path.proxies()) struck += p->faults_struck();
  EXPECT_GE(struck, 12) << "every proxy must have struck";
  // The faults the daemon met are in its log as warnings naming the peer and what happened.
  std::printf("%s: %ld faults struck, %zu paid trades shipped; the daemon said (first of each):\n",
              std::string(sim::fault_name(GetParam())).c_str(), struck, path.paid_tids().size());
  const std::string said = path.daemon_said();
  for (const std::string peer : {"printer=zebra", "who=tmall", "SF", "YUNDA", "kuaidi100"}) {
    const std::regex warning("warning[^\n]*" + peer + "[^\n]*");
    std::smatch m;
    if (std::regex_search(said, m, warning))
      std::printf("  %s\n", m.str().substr(0, 240).c_str());
    else if (peer == "printer=zebra" || peer == "who=tmall")
      ADD_FAILURE() << "no warning names " << peer;
  }
}

INSTANTIATE_TEST_SUITE_P(Faults, ThroughFaults, ::testing::ValuesIn(sim::k_all_faults),
                         [](const ::testing::TestParamInfo<Fault>& fault) {
                           std::string n(sim::fault_name(fault.param));
                           for (auto& c : n)
                             if (c == ' ') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace fulfil::test
