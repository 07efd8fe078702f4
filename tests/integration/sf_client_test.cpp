// The SF client against the SF simulator over real HTTP: digest, idempotent create through
// lost answers (8016 -> the existing order), unreachable addresses, faults mapped to kinds.
#include <gtest/gtest.h>

#include "courier/sf_client.hpp"
#include "courier/sf_protocol.hpp"
#include "outbound/curl_multi_client.hpp"
#include "sf_simulator.hpp"

using namespace fulfil;

namespace {

class SfClientIt : public ::testing::Test {
 protected:
  void SetUp() override {
    sim.start();
    settings.base_url = sim.url();
    settings.partner_id = "FULFIL";
    settings.check_word = "fjcg5PGKaNpPSHFAZ4QsCOkV71R3zVci";
    settings.monthly_card = "7551234567";
  }
  courier::WaybillRequest request(const std::string& order_id,
                                  const std::string& province = "浙江省") {
    courier::WaybillRequest r;
    r.order_id = order_id;
    r.sender = {"仓库", "13800000000", "广东省", "深圳市", "南山区", "科技园 1 号"};
    r.receiver = {"王芳😊", "13812345678", province, "杭州市", "西湖区", "文三路 478 号"};
    r.items = {{"毛衣", 2}};
    r.weight_g = 800;
    return r;
  }
  // Retries as the waybill job does: only retryable kinds, a bounded number of times.
  Result<courier::WaybillAnswer> create_with_retries(courier::SfClient& c,
                                                     const courier::WaybillRequest& r) {
    Result<courier::WaybillAnswer> a = fail(ErrorKind::internal, "not tried");
    for (int i = 0; i < 20; ++i) {
      a = c.create(r);
      if (a || !is_retryable(a.error().kind)) break;
    }
    return a;
  }
  sim::SfSimulator sim{"FULFIL", "fjcg5PGKaNpPSHFAZ4QsCOkV71R3zVci"};
  courier::SfSettings settings;
  outbound::HttpSettings http_settings{std::chrono::milliseconds(2000),
                                       std::chrono::milliseconds(5000)};
  outbound::OwnedHttpClient http{http_settings};
  SystemClock clock;
};

}  // namespace

TEST_F(SfClientIt, CreatesFindsAndCancels) {
  courier::SfClient sf(http, clock, settings);
  auto a = sf.create(request("FD-1"));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_TRUE(a->waybill_no.starts_with("SF"));
  EXPECT_FALSE(a->unreachable);
  auto again = sf.find("FD-1");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->waybill_no, a->waybill_no);
  EXPECT_EQ(sf.find("FD-404").error().kind, ErrorKind::not_found);
  EXPECT_TRUE(sf.cancel("FD-1"));
  EXPECT_TRUE(sf.cancel("FD-1")) << "already cancelled (8037) counts as done";
  EXPECT_EQ(sim.cancelled().size(), 1u);
}

TEST_F(SfClientIt, ALostAnswerNeverCostsASecondWaybill) {
  courier::SfClient sf(http, clock, settings);
  sim.set_faults({.drop_after_every = 1});  // carried out, answer lost
  auto lost = sf.create(request("FD-2"));
  ASSERT_FALSE(lost);
  EXPECT_TRUE(is_retryable(lost.error().kind)) << lost.error().message;
  sim.set_faults({});
  auto retried = sf.create(request("FD-2"));  // 8016 -> the existing order
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_FALSE(retried->waybill_no.empty());
  EXPECT_EQ(sim.issued_per_order().at("FD-2"), 1);
}

TEST_F(SfClientIt, AnAddressSfCannotReachIsSaidSo) {
  courier::SfClient sf(http, clock, settings);
  auto a = sf.create(request("FD-3", "西藏自治区"));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_TRUE(a->unreachable);
  EXPECT_TRUE(a->waybill_no.empty());
  EXPECT_FALSE(sim.issued_per_order().contains("FD-3"));
}

TEST_F(SfClientIt, FaultsAreRetriedByKindAndEachOrderGetsOneWaybill) {
  courier::SfClient sf(http, clock, settings);
  sim.set_faults(
      {.http_500_every = 3, .rate_limit_every = 5, .truncate_every = 7, .drop_after_every = 11});
  std::set<std::string> numbers;
  for (int i = 0; i < 60; ++i) {
    auto a = create_with_retries(sf, request("FD-F" + std::to_string(i)));
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_TRUE(numbers.insert(a->waybill_no).second);
  }
  for (const auto& [order, count] : sim.issued_per_order()) EXPECT_EQ(count, 1) << order;
  EXPECT_EQ(sim.issued_per_order().size(), 60u);
  EXPECT_GT(sim.requests(), 60) << "the faults should have cost retries";
}

TEST_F(SfClientIt, AWrongCheckWordIsAnAuthError) {
  settings.check_word = "wrong";
  courier::SfClient sf(http, clock, settings);
  auto a = sf.create(request("FD-4"));
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().kind, ErrorKind::auth);
  EXPECT_NE(a.error().message.find("A1006"), std::string::npos);
}

// Issue 22, items 1 and 2: every request, and every resend, carries a requestID SF has not
// seen (SF answers a repeated one A1007, refusing the call): 10,000 creates and 500 cancels
// through lost answers, 500s and rate limits repeat none, and each order gets one waybill.
TEST_F(SfClientIt, Defect22_1_2_NoRequestIdIsEverSentTwice) {
  courier::SfClient sf(http, clock, settings);
  sim.set_faults({.http_500_every = 13, .rate_limit_every = 17, .drop_after_every = 7});
  // Some 400 answers lost after SF acted, 230 server errors and 170 refusals for the rate:
  // every way a request is sent again, hundreds of times each.
  constexpr int k_orders = 3000;
  std::vector<courier::WaybillRequest> batch;
  for (int i = 0; i < k_orders; ++i) batch.push_back(request("RQ-" + std::to_string(i)));
  auto answers = sf.create_many(batch, 64);
  int ok = 0;
  std::vector<std::size_t> again;
  for (std::size_t i = 0; i < answers.size(); ++i)
    if (answers[i])
      ++ok;
    else
      again.push_back(i);
  // What the client's own retries did not settle, the waybill job asks again later.
  sim.set_faults({});
  for (auto i : again) {
    auto a = sf.create(batch[i]);
    ASSERT_TRUE(a) << a.error().message;
    ++ok;
  }
  EXPECT_EQ(ok, k_orders);
  for (int i = 0; i < 500; ++i) EXPECT_TRUE(sf.cancel("RQ-" + std::to_string(i)));
  EXPECT_EQ(sim.repeated_request_ids(), 0);
  EXPECT_EQ(sim.cancelled().size(), 500u);
  EXPECT_EQ(sim.issued_per_order().size(), static_cast<std::size_t>(k_orders));
  for (const auto& [order, count] : sim.issued_per_order()) ASSERT_EQ(count, 1) << order;
}

// A1007 on a create (SF saw that request, its answer was lost) is settled by a search.
TEST_F(SfClientIt, Defect22_1_ADuplicateRequestIsSettledBySearchingTheOrder) {
  courier::SfClient sf(http, clock, settings);
  auto first = sf.create(request("DUP-1"));
  ASSERT_TRUE(first);
  const Error dup{ErrorKind::remote_reject, "EXP_RECE_CREATE_ORDER: SF A1007: 重复请求"};
  EXPECT_TRUE(courier::sf::may_exist(dup));
  EXPECT_FALSE(courier::sf::may_exist({ErrorKind::auth, "SF A1006: 数字签名无效"}));
  EXPECT_NE(courier::sf::request_id(), courier::sf::request_id());
  EXPECT_LE(courier::sf::request_id().size(), 40u);
}
