#pragma once
#include <map>
#include <string>
#include <string_view>

namespace fulfil::outbound {

// Request parameters, sorted by key in byte order (what TOP signing needs).
using Params = std::map<std::string, std::string>;

// Percent-encodes UTF-8 text for application/x-www-form-urlencoded (RFC 3986 unreserved
// characters stay, everything else becomes %XX).
std::string url_encode(std::string_view s);

// Decodes %XX and '+' (as space); malformed escapes are kept literally.
std::string url_decode(std::string_view s);

// Builds "k=v&k2=v2" from parameters.
std::string encode_form(const Params& params);

// Parses "k=v&k2=v2" into parameters (later keys overwrite earlier ones).
Params decode_form(std::string_view body);

}  // namespace fulfil::outbound
