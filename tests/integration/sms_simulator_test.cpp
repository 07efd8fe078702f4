// The SMS gateway simulator holds the gateway's rules that a client must meet: the
// signature, a fresh nonce, per-number limits, approved names and templates; receipts.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/timeutil.hpp"
#include "outbound/form_encoding.hpp"
#include "reminders/sms_signature.hpp"
#include "sms_simulator.hpp"
#include "test_support.hpp"

namespace fulfil::test {
namespace {

namespace json = boost::json;

class SmsSim : public ::testing::Test {
 protected:
  void SetUp() override { sim.start(); }
  // A signed GET of `action` with `extra`; returns the answer's Code ("" when no answer).
  std::string call(const std::string& action, outbound::Params extra,
                   const std::string& secret = "secret", std::string nonce = "") {
    outbound::Params p = {{"AccessKeyId", "key"},
                          {"Action", action},
                          {"Format", "JSON"},
                          {"RegionId", "cn-hangzhou"},
                          {"SignatureMethod", "HMAC-SHA1"},
                          {"SignatureVersion", "1.0"},
                          {"Version", "2017-05-25"}};
    p["SignatureNonce"] = nonce.empty() ? "n-" + std::to_string(++nonces) : nonce;
    // UTC as yyyy-MM-ddTHH:mm:ssZ: Shanghai's wall clock eight hours back.
    p["Timestamp"] = format_gmt8(now - 8 * 3600).replace(10, 1, "T") + "Z";
    for (auto& [k, v] : extra) p[k] = v;
    p["Signature"] = reminders::rpc_signature(secret, "GET", p);
    auto r = http_get(sim.url() + "?" + outbound::encode_form(p));
    if (r.status == 0) return "";
    return std::string(json::parse(r.body).as_object().at("Code").as_string());
  }
  outbound::Params text(const std::string& phone) {
    return {{"PhoneNumbers", phone},
            {"SignName", "某某旗舰店"},
            {"TemplateCode", "SMS_1"},
            {"TemplateParam", R"({"name":"张三"})"},
            {"OutId", "r-1"}};
  }
  UnixSeconds now = 1'800'000'000;
  int nonces = 0;
  sim::SmsSimulator sim{"key", "secret", {"某某旗舰店"}, {"SMS_1"}, [this] { return now; }};
};

TEST_F(SmsSim, ASignedTextIsAcceptedAndItsReceiptFound) {
  EXPECT_EQ(call("SendSms", text("13800000000")), "OK");
  ASSERT_EQ(sim.messages().size(), 1u);
  EXPECT_EQ(sim.messages()[0].out_id, "r-1");
  EXPECT_EQ(call("QuerySendDetails",
                 {{"PhoneNumber", "13800000000"},
                  {"SendDate", format_gmt8(now).substr(0, 10).erase(7, 1).erase(4, 1)},
                  {"PageSize", "10"},
                  {"CurrentPage", "1"}}),
            "OK");
}

TEST_F(SmsSim, EveryRuleOfTheGatewayIsKept) {
  EXPECT_EQ(call("SendSms", text("13800000000"), "wrong"), "SignatureDoesNotMatch");
  EXPECT_EQ(call("SendSms", text("13800000000"), "secret", "same"), "OK");
  now += 120;
  EXPECT_EQ(call("SendSms", text("13800000000"), "secret", "same"), "SignatureNonceUsed");
  EXPECT_EQ(call("SendSms", text("12345")), "isv.MOBILE_NUMBER_ILLEGAL");
  auto other = text("13800000001");
  other["TemplateCode"] = "SMS_9";
  EXPECT_EQ(call("SendSms", other), "isv.SMS_TEMPLATE_ILLEGAL");
  EXPECT_EQ(call("SendSms", text("13800000000")), "OK") << "two minutes later";
  EXPECT_EQ(call("SendSms", text("13800000000")), "isv.BUSINESS_LIMIT_CONTROL") << "a minute";
  EXPECT_EQ(sim.messages().size(), 2u);
}

}  // namespace
}  // namespace fulfil::test
