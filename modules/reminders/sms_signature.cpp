#include "reminders/sms_signature.hpp"

#include "common/digest.hpp"

namespace fulfil::reminders {

std::string canonical_query(const outbound::Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {  // a std::map: sorted by name in byte order
    if (name == "Signature") continue;
    if (!out.empty()) out += '&';
    out += outbound::url_encode(name) + "=" + outbound::url_encode(value);
  }
  return out;
}

std::string string_to_sign(std::string_view method, const outbound::Params& params) {
  return std::string(method) + "&" + outbound::url_encode("/") + "&" +
         outbound::url_encode(canonical_query(params));
}

std::string rpc_signature(std::string_view secret, std::string_view method,
                          const outbound::Params& params) {
  return base64(hmac_sha1_raw(std::string(secret) + "&", string_to_sign(method, params)));
}

}  // namespace fulfil::reminders
