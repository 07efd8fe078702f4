#pragma once
#include <string>
#include <string_view>

namespace fulfil {

// Raw 16-byte MD5 of data.
std::string md5_raw(std::string_view data);
// Raw HMAC-MD5 / HMAC-SHA1 (Alibaba Cloud's RPC signature) / HMAC-SHA256 of data under key.
std::string hmac_md5_raw(std::string_view key, std::string_view data);
std::string hmac_sha1_raw(std::string_view key, std::string_view data);
std::string hmac_sha256_raw(std::string_view key, std::string_view data);
// Hex of raw bytes, upper-case ("1C19AC5F...").
std::string hex_upper(std::string_view raw);
// Standard Base64 with padding.
std::string base64(std::string_view raw);
// SHA-256 hex (lower-case) of data; used to recognise a CSV file seen before.
std::string sha256_hex(std::string_view data);

}  // namespace fulfil
