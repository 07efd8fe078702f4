#pragma once
#include <string>
#include <string_view>

#include "outbound/form_encoding.hpp"

namespace fulfil::reminders {

// Alibaba Cloud's RPC signature (../shared/specs/sms.md), which the SMS client signs with and
// the gateway simulator checks with: every parameter but Signature sorted by name,
// percent-encoded (RFC 3986: a space is %20, '*' %2A, '~' kept), joined with '&';
// StringToSign = METHOD & %2F & encode(that); Signature = Base64(HMAC-SHA1(secret + "&")).
std::string canonical_query(const outbound::Params& params);
std::string string_to_sign(std::string_view method, const outbound::Params& params);
std::string rpc_signature(std::string_view secret, std::string_view method,
                          const outbound::Params& params);

}  // namespace fulfil::reminders
