#include "platform/top_signer.hpp"

#include "common/digest.hpp"

namespace fulfil::platform {

std::string_view to_string(SignMethod m) {
  switch (m) {
    case SignMethod::md5:
      return "md5";
    case SignMethod::hmac:
      return "hmac";
    case SignMethod::hmac_sha256:
      return "hmac-sha256";
  }
  return "md5";
}

std::optional<SignMethod> parse_sign_method(std::string_view s) {
  if (s == "md5") return SignMethod::md5;
  if (s == "hmac") return SignMethod::hmac;
  if (s == "hmac-sha256") return SignMethod::hmac_sha256;
  return std::nullopt;
}

std::string top_sign(const outbound::Params& params, std::string_view secret, SignMethod method) {
  std::string s;
  for (const auto& [k, v] : params) {  // std::map: byte order of keys
    if (k == "sign" || v.empty()) continue;
    s += k;
    s += v;
  }
  switch (method) {
    case SignMethod::md5: {
      std::string wrapped;
      wrapped.reserve(s.size() + 2 * secret.size());
      wrapped.append(secret).append(s).append(secret);
      return hex_upper(md5_raw(wrapped));
    }
    case SignMethod::hmac:
      return hex_upper(hmac_md5_raw(secret, s));
    case SignMethod::hmac_sha256:
      return hex_upper(hmac_sha256_raw(secret, s));
  }
  return {};
}

}  // namespace fulfil::platform
