#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "outbound/form_encoding.hpp"

namespace fulfil::platform {

enum class SignMethod { md5, hmac, hmac_sha256 };

// "md5", "hmac", "hmac-sha256" as the sign_method parameter spells them.
std::string_view to_string(SignMethod m);
std::optional<SignMethod> parse_sign_method(std::string_view s);

// TOP signature: every parameter but `sign` with a non-empty value, sorted by key in byte
// order, concatenated key+value as raw UTF-8; md5 wraps it in the secret, the HMACs key it
// with the secret; upper-case hex.
std::string top_sign(const outbound::Params& params, std::string_view secret, SignMethod method);

}  // namespace fulfil::platform
