#include "platform/top_signer.hpp"

#include <gtest/gtest.h>

using namespace fulfil::platform;
using fulfil::outbound::Params;

namespace {
Params spec_params(std::string sign_method) {
  return {{"method", "taobao.item.seller.get"},
          {"app_key", "12345678"},
          {"session", "test"},
          {"timestamp", "2016-01-01 12:00:00"},
          {"format", "json"},
          {"v", "2.0"},
          {"sign_method", sign_method},
          {"fields", "num_iid,title,nick,price,num"},
          {"num_iid", "11223344"}};
}
}  // namespace

TEST(TopSigner, PublishedMd5Vector) {
  EXPECT_EQ(top_sign(spec_params("md5"), "helloworld", SignMethod::md5),
            "66987CB115214E59E6EC978214934FB8");
}

TEST(TopSigner, Md5WithOtherSecret) {
  EXPECT_EQ(top_sign(spec_params("md5"), "test", SignMethod::md5),
            "1C19AC5FF0EAA5A7C6CF056D195C2C1E");
}

TEST(TopSigner, HmacMd5Vector) {
  EXPECT_EQ(top_sign(spec_params("hmac"), "helloworld", SignMethod::hmac),
            "D56D7858309C31B6251083A874D48273");
}

TEST(TopSigner, HmacSha256Vector) {
  EXPECT_EQ(top_sign(spec_params("hmac-sha256"), "helloworld", SignMethod::hmac_sha256),
            "04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8");
}

TEST(TopSigner, IgnoresSignAndEmptyValues) {
  auto p = spec_params("md5");
  p["sign"] = "WHATEVER";
  p["partner_id"] = "";
  EXPECT_EQ(top_sign(p, "helloworld", SignMethod::md5), "66987CB115214E59E6EC978214934FB8");
}

TEST(TopSigner, ChangesWhenAValueChanges) {
  auto p = spec_params("md5");
  p["num_iid"] = "11223345";
  EXPECT_NE(top_sign(p, "helloworld", SignMethod::md5), "66987CB115214E59E6EC978214934FB8");
}

TEST(TopSigner, SignMethodNames) {
  EXPECT_EQ(parse_sign_method("hmac-sha256"), SignMethod::hmac_sha256);
  EXPECT_EQ(parse_sign_method("hmac"), SignMethod::hmac);
  EXPECT_EQ(parse_sign_method("md5"), SignMethod::md5);
  EXPECT_FALSE(parse_sign_method("sha1"));
}
