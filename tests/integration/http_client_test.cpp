// The outbound HTTP client against a real HTTP server on loopback that misbehaves on
// request: concurrency, retries (only where safe), Retry-After, timeouts, body limits,
// the circuit breaker and shutdown.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "http/http_server.hpp"
#include "outbound/curl_multi_client.hpp"
#include "outbound/fanout.hpp"

using namespace fulfil;
using outbound::HttpRequest;
using outbound::HttpResponse;

namespace {

// A server whose next answers are scripted by a function of the request number.
class ScriptedServer {
 public:
  using Script = std::function<http::Response(int n)>;
  explicit ScriptedServer(Script script) : m_script(std::move(script)) {
    m_server = std::make_unique<http::HttpServer>(m_io, [this](const http::Request&) {
      const int n = ++m_requests;
      return m_script(n);
    });
    m_port = *m_server->listen("127.0.0.1", 0);
    m_thread = std::thread([this] { m_io.run(); });
  }
  ~ScriptedServer() {
    m_server->stop();
    m_io.stop();
    m_thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/api"; }
  int requests() const { return m_requests.load(); }

 private:
  Script m_script;
  boost::asio::io_context m_io;
  std::unique_ptr<http::HttpServer> m_server;
  std::thread m_thread;
  unsigned short m_port = 0;
  std::atomic<int> m_requests{0};
};

http::Response ok(std::string body = "{}") {
  http::Response r;
  r.body = std::move(body);
  return r;
}

http::Response status(int code) {
  http::Response r;
  r.status = code;
  r.body = "{}";
  return r;
}

outbound::HttpSettings quick() {
  outbound::HttpSettings s;
  s.connect_timeout = std::chrono::milliseconds(1000);
  s.total_timeout = std::chrono::milliseconds(1500);
  s.retry = {3, std::chrono::milliseconds(10), std::chrono::milliseconds(50)};
  s.breaker = {1000, std::chrono::milliseconds(200)};
  return s;
}

HttpRequest to(const ScriptedServer& s, bool resend_safe = false) {
  return {s.url(), "application/json", "{\"q\":1}", "test", resend_safe};
}

}  // namespace

TEST(HttpClientIt, ManyRequestsRunAtOnceOverKeptAliveConnections) {
  std::atomic<int> most{0};
  ScriptedServer server([&](int) {
    auto r = ok();
    r.delay = std::chrono::milliseconds(100);  // answered later, off the server's thread
    return r;
  });
  outbound::OwnedHttpClient http(quick());
  std::vector<int> statuses(40, 0);
  std::atomic<int> in_flight{0};
  outbound::fan_out(
      http, statuses.size(), 20,
      [&](std::size_t) {
        most = std::max(most.load(), ++in_flight);
        return to(server);
      },
      [&](std::size_t i, Result<HttpResponse> r) -> std::optional<HttpRequest> {
        --in_flight;
        statuses[i] = r ? r->status : -1;
        return std::nullopt;
      });
  for (int s : statuses) EXPECT_EQ(s, 200);
  EXPECT_EQ(most.load(), 20) << "the fan-out keeps its window full";
  EXPECT_EQ(server.requests(), 40);
}

TEST(HttpClientIt, AFollowUpRequestTakesTheItemsSlot) {
  ScriptedServer server([](int) { return ok(); });
  outbound::OwnedHttpClient http(quick());
  std::vector<int> answers(5, 0);
  outbound::fan_out(
      http, answers.size(), 2, [&](std::size_t) { return to(server); },
      [&](std::size_t i, Result<HttpResponse>) -> std::optional<HttpRequest> {
        if (++answers[i] == 1) return to(server);  // e.g. a duplicate answered by a query
        return std::nullopt;
      });
  for (int a : answers) EXPECT_EQ(a, 2);
  EXPECT_EQ(server.requests(), 10);
}

TEST(HttpClientIt, ARefusalIsRetriedAfterTheServersRetryAfter) {
  ScriptedServer server([](int n) {
    if (n == 1) {
      auto r = status(429);
      r.headers["Retry-After"] = "0";
      return r;
    }
    return ok("{\"fine\":true}");
  });
  outbound::OwnedHttpClient http(quick());
  auto r = http.post(to(server));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->attempts, 2);
  EXPECT_EQ(server.requests(), 2);
}

TEST(HttpClientIt, ALongRetryAfterIsLeftToTheCaller) {
  ScriptedServer server([](int) {
    auto r = status(503);
    r.headers["Retry-After"] = "120";
    return r;
  });
  outbound::OwnedHttpClient http(quick());
  auto r = http.post(to(server));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  ASSERT_TRUE(r->retry_after);
  EXPECT_EQ(r->retry_after->count(), 120);
  EXPECT_EQ(server.requests(), 1) << "the client does not sit on a two-minute wait";
}

TEST(HttpClientIt, ALostAnswerIsResentOnlyWhenTheRequestIsSafeToRepeat) {
  ScriptedServer server([](int n) {
    auto r = ok();
    if (n <= 2) r.drop_connection = true;  // carried out, answer lost
    return r;
  });
  outbound::OwnedHttpClient http(quick());
  auto unsafe = http.post(to(server, false));
  ASSERT_FALSE(unsafe);
  EXPECT_EQ(unsafe.error().kind, ErrorKind::network);
  EXPECT_EQ(server.requests(), 1) << "a create without a key must not be sent twice";
  auto safe = http.post(to(server, true));
  ASSERT_TRUE(safe) << safe.error().message;
  EXPECT_EQ(safe->attempts, 2);
  EXPECT_EQ(server.requests(), 3);
}

TEST(HttpClientIt, AStalledServerTimesOut) {
  ScriptedServer server([](int) {
    auto r = ok();
    r.delay = std::chrono::seconds(5);
    return r;
  });
  auto settings = quick();
  settings.total_timeout = std::chrono::milliseconds(300);
  outbound::OwnedHttpClient http(settings);
  auto r = http.post(to(server));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::timeout);
  EXPECT_NE(r.error().message.find("127.0.0.1"), std::string::npos) << r.error().message;
}

TEST(HttpClientIt, ATruncatedBodyIsANetworkErrorAndAnHugeOneIsRefused) {
  ScriptedServer server([](int n) {
    auto r = ok(std::string(4000, 'x'));
    if (n == 1) r.truncate_to = 100;
    return r;
  });
  auto settings = quick();
  settings.max_body_bytes = 1000;
  outbound::OwnedHttpClient http(settings);
  auto cut = http.post(to(server));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().kind, ErrorKind::network);
  auto huge = http.post(to(server));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(huge.error().message.find("larger than 1000 bytes"), std::string::npos);
}

TEST(HttpClientIt, NothingListeningIsRetriedThenReported) {
  outbound::OwnedHttpClient http(quick());
  auto r = http.post({"http://127.0.0.1:1/none", "application/json", "{}", "nobody", false});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::network);
}

TEST(HttpClientIt, TheBreakerOpensOnAFailingPeerAndClosesWhenItRecovers) {
  std::atomic<bool> healthy{false};
  ScriptedServer server([&](int) { return healthy ? ok() : status(500); });
  auto settings = quick();
  settings.retry.max_attempts = 1;
  settings.breaker = {3, std::chrono::milliseconds(300)};
  outbound::OwnedHttpClient http(settings);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(http.post(to(server))->status, 500);
  auto fast = http.post(to(server));
  ASSERT_FALSE(fast);
  EXPECT_EQ(fast.error().kind, ErrorKind::remote_retry);
  EXPECT_NE(fast.error().message.find("circuit open"), std::string::npos);
  EXPECT_EQ(server.requests(), 3) << "an open breaker sends nothing";
  auto views = http.breakers().views();
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].state, outbound::CircuitBreakers::State::open);

  std::this_thread::sleep_for(std::chrono::milliseconds(350));
  healthy = true;
  auto trial = http.post(to(server));
  ASSERT_TRUE(trial);
  EXPECT_EQ(trial->status, 200);
  EXPECT_EQ(http.breakers().views()[0].state, outbound::CircuitBreakers::State::closed);
}

TEST(HttpClientIt, AFailedTrialOpensTheBreakerAgain) {
  ScriptedServer server([](int) { return status(502); });
  auto settings = quick();
  settings.retry.max_attempts = 1;
  settings.breaker = {2, std::chrono::milliseconds(100)};
  outbound::OwnedHttpClient http(settings);
  (void)http.post(to(server));
  (void)http.post(to(server));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_EQ(http.post(to(server))->status, 502);  // the one trial
  EXPECT_FALSE(http.post(to(server)));            // open again at once
  EXPECT_EQ(server.requests(), 3);
}

TEST(HttpClientIt, ShutdownCancelsWhatIsInFlight) {
  ScriptedServer server([](int) {
    auto r = ok();
    r.delay = std::chrono::seconds(3);
    return r;
  });
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::thread loop([&] { io.run(); });
  {
    outbound::CurlMultiClient http(io, quick());
    std::promise<Result<HttpResponse>> answer;
    http.start(to(server), [&](Result<HttpResponse> r) { answer.set_value(std::move(r)); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    http.shutdown();
    auto r = answer.get_future().get();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::cancelled);
    std::promise<Result<HttpResponse>> late;
    http.start(to(server), [&](Result<HttpResponse> a) { late.set_value(std::move(a)); });
    EXPECT_EQ(late.get_future().get().error().kind, ErrorKind::cancelled);
  }
  work.reset();
  io.stop();
  loop.join();
}

// Issue 22: a request whose body carries a one-time id is never sent twice as it is, not
// even by libcurl's own quiet resend on a reused connection closed before any answer: every
// resend is made afresh.
TEST(HttpClientIt, Defect22_AFreshBodyIsMadeForEveryResendAndNoBytesGoTwice) {
  std::mutex mutex;
  std::vector<std::string> bodies;
  boost::asio::io_context io;
  int n = 0;
  http::HttpServer server(io,
                          [&](const http::Request& req) {
                            std::lock_guard lock(mutex);
                            bodies.push_back(req.body);
                            auto r = ok();
                            if (++n % 2 == 0) r.drop_connection = true;  // carried out, answer lost
                            return r;
                          },
                          {});
  const auto port = *server.listen("127.0.0.1", 0);
  std::thread loop([&] {
    auto guard = boost::asio::make_work_guard(io);
    io.run();
  });
  outbound::OwnedHttpClient http(quick());
  std::atomic<int> made{0};
  for (int i = 0; i < 20; ++i) {
    HttpRequest r{"http://127.0.0.1:" + std::to_string(port) + "/", "application/json", "", "t",
                  true};
    r.fresh_body = [&made] { return "{\"id\":" + std::to_string(made++) + "}"; };
    r.body = r.fresh_body();
    auto answer = http.post(std::move(r));
    EXPECT_TRUE(answer) << answer.error().message;
  }
  io.stop();
  loop.join();
  std::set<std::string> distinct(bodies.begin(), bodies.end());
  EXPECT_EQ(distinct.size(), bodies.size()) << "a body went twice";
  EXPECT_GT(bodies.size(), 20u) << "the dropped answers were resent";
}

// Issue 22, item 4: a peer that refuses our credentials is open at once, with its words.
TEST(HttpClientIt, Defect22_4_ARefusedPeerIsOpenWithTheReasonUntilACallSucceeds) {
  ScriptedServer server([](int) { return ok(); });
  outbound::OwnedHttpClient http(quick());
  ASSERT_TRUE(http.post(to(server)));
  http.refused("test", "SF A1006: 数字签名无效");
  auto views = http.breakers().views();
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].state, outbound::CircuitBreakers::State::open);
  EXPECT_EQ(views[0].reason, "SF A1006: 数字签名无效");
  auto refused = http.post(to(server));
  ASSERT_FALSE(refused) << "calls fail at once while it is open";
  EXPECT_EQ(server.requests(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(250));  // open_for is 200 ms here
  ASSERT_TRUE(http.post(to(server)));
  views = http.breakers().views();
  EXPECT_EQ(views[0].state, outbound::CircuitBreakers::State::closed);
  EXPECT_TRUE(views[0].reason.empty());
}
