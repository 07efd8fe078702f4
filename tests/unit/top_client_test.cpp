#include "platform/top_client.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "outbound/form_encoding.hpp"

using namespace fulfil;
using namespace fulfil::platform;
using outbound::decode_form;
using outbound::HttpRequest;
using outbound::HttpResponse;

namespace {

// Answers with canned HTTP responses and keeps what was sent. Only for the client's own
// envelope logic; the integration tests talk to the real simulator over HTTP.
class CannedHttp : public outbound::HttpClient {
 public:
  std::deque<Result<HttpResponse>> answers;
  std::vector<std::string> bodies;
  void start(HttpRequest request, outbound::HttpCallback done) override {
    bodies.push_back(std::move(request.body));
    auto a = answers.front();
    answers.pop_front();
    done(std::move(a));
  }
};

Result<TradePage> call_with(const std::string& body, int status = 200) {
  CannedHttp http;
  http.answers.push_back(HttpResponse{status, body});
  ManualClock clock(1794326400);
  TopClient c(http, clock, {"http://x", "12345678", "secret", "sess", SignMethod::hmac_sha256},
              "demo");
  return c.trades_sold_increment_get(1794326400 - 1800, 1794326400, 1, 100, false);
}

ErrorKind kind_of(const std::string& body, int status = 200) {
  auto r = call_with(body, status);
  EXPECT_FALSE(r);
  return r ? ErrorKind::internal : r.error().kind;
}

}  // namespace

TEST(TopClient, SendsSignedSystemParameters) {
  CannedHttp http;
  http.answers.push_back(
      HttpResponse{200, R"({"trades_sold_increment_get_response":{"total_results":0}})"});
  ManualClock clock(1794326400);
  TopClient c(http, clock, {"http://x", "12345678", "secret", "sess", SignMethod::hmac_sha256},
              "demo");
  ASSERT_TRUE(c.trades_sold_increment_get(1794326400 - 1800, 1794326400, 1, 100, true));
  auto p = decode_form(http.bodies[0]);
  EXPECT_EQ(p["method"], "taobao.trades.sold.increment.get");
  EXPECT_EQ(p["timestamp"], "2026-11-11 00:00:00");  // GMT+8
  EXPECT_EQ(p["start_modified"], "2026-11-10 23:30:00");
  EXPECT_EQ(p["use_has_next"], "true");
  EXPECT_EQ(p["sign_method"], "hmac-sha256");
  std::string sign = p["sign"];
  EXPECT_EQ(top_sign(p, "secret", SignMethod::hmac_sha256), sign);
}

TEST(TopClient, ErrorEnvelopeWithHttp200MapsToKinds) {
  auto err = [](int code, std::string sub) {
    return R"({"error_response":{"code":)" + std::to_string(code) + R"(,"msg":"m","sub_code":")" +
           sub + R"("}})";
  };
  EXPECT_EQ(kind_of(err(7, "accesscontrol.limited-by-app-access-count")), ErrorKind::rate_limited);
  EXPECT_EQ(kind_of(err(15, "isp.top-remote-connection-timeout")), ErrorKind::remote_retry);
  EXPECT_EQ(kind_of(err(15, "isv.invalid-parameter")), ErrorKind::remote_reject);
  EXPECT_EQ(kind_of(err(27, "")), ErrorKind::auth);
  EXPECT_EQ(kind_of(err(25, "")), ErrorKind::auth);
  EXPECT_EQ(kind_of(err(41, "isv.invalid-parameter:page_size")), ErrorKind::remote_reject);
  EXPECT_EQ(kind_of(err(10, "")), ErrorKind::remote_retry);
}

TEST(TopClient, TransportProblemsAreRetryable) {
  EXPECT_EQ(kind_of("{\"trades_sold_incr", 200), ErrorKind::network);  // cut short
  EXPECT_EQ(kind_of("<html>busy</html>", 503), ErrorKind::remote_retry);
  EXPECT_EQ(kind_of("", 429), ErrorKind::rate_limited);
  EXPECT_EQ(kind_of("{\"something_else\":{}}"), ErrorKind::remote_retry);
  EXPECT_EQ(kind_of("[1,2]"), ErrorKind::network);
}

TEST(TopClient, ReadsTotalsAndTrades) {
  auto r = call_with(
      R"({"trades_sold_increment_get_response":{"total_results":"3","trades":{"trade":[{"tid":1}]}}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total_results, 3);
  EXPECT_EQ(r->parsed.rejected.size(), 1u);  // the lone tid is not a whole trade
}

TEST(TopClient, ResponseKeys) {
  EXPECT_EQ(response_key("taobao.trades.sold.increment.get"), "trades_sold_increment_get_response");
  EXPECT_EQ(response_key("cainiao.waybill.ii.get"), "cainiao_waybill_ii_get_response");
}
