// Alibaba Cloud's RPC signature against a vector computed independently with Python's hmac,
// hashlib and urllib.parse.quote(safe='-_.~') from the rules of ../shared/specs/sms.md: a
// Chinese signature name, a JSON template parameter with a space and '*', '~' in OutId.
#include <gtest/gtest.h>

#include "reminders/sms_signature.hpp"

namespace fulfil::reminders {
namespace {

const outbound::Params k_params = {
    {"AccessKeyId", "testid"},
    {"Action", "SendSms"},
    {"Format", "JSON"},
    {"OutId", "r-42~x"},
    {"PhoneNumbers", "13800000000"},
    {"RegionId", "cn-hangzhou"},
    {"SignName", "某某旗舰店"},
    {"SignatureMethod", "HMAC-SHA1"},
    {"SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"},
    {"SignatureVersion", "1.0"},
    {"TemplateCode", "SMS_123456789"},
    {"TemplateParam", R"({"name":"张三 *","shop":"某某"})"},
    {"Timestamp", "2026-11-11T02:03:04Z"},
    {"Version", "2017-05-25"},
};

TEST(SmsSignature, MatchesAnIndependentImplementation) {
  EXPECT_EQ(rpc_signature("testsecret", "GET", k_params), "TxnFJEvxz533HDSH02zWrlUcwno=");
  EXPECT_TRUE(string_to_sign("GET", k_params)
                  .starts_with("GET&%2F&AccessKeyId%3Dtestid%26Action%3DSendSms%26Format%3DJSON%"
                               "26OutId%3Dr-42~x%26"));
}

TEST(SmsSignature, SpacesStarsAndTheSignatureItselfAreHandledByTheRules) {
  const auto q = canonical_query(k_params);
  EXPECT_NE(q.find("%E5%BC%A0%E4%B8%89%20%2A"), std::string::npos) << "张三 * as %20 and %2A";
  auto with_signature = k_params;
  with_signature["Signature"] = "anything";
  EXPECT_EQ(canonical_query(with_signature), q) << "the signature is not signed";
  EXPECT_NE(rpc_signature("othersecret", "GET", k_params), "TxnFJEvxz533HDSH02zWrlUcwno=");
  EXPECT_NE(rpc_signature("testsecret", "POST", k_params), "TxnFJEvxz533HDSH02zWrlUcwno=");
}

}  // namespace
}  // namespace fulfil::reminders
