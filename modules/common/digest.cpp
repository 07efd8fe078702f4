#include "common/digest.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace fulfil {

namespace {
std::string evp_digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}
std::string hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}
}  // namespace

std::string md5_raw(std::string_view data) {
  return evp_digest(EVP_md5(), data);
}
std::string hmac_md5_raw(std::string_view k, std::string_view d) {
  return hmac(EVP_md5(), k, d);
}
std::string hmac_sha1_raw(std::string_view k, std::string_view d) {
  return hmac(EVP_sha1(), k, d);
}

std::string hmac_sha256_raw(std::string_view k, std::string_view d) {
  return hmac(EVP_sha256(), k, d);
}

std::string hex_upper(std::string_view raw) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(k_hex[c >> 4]);
    out.push_back(k_hex[c & 15]);
  }
  return out;
}

std::string base64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(raw.data()),
                          static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string sha256_hex(std::string_view data) {
  std::string hex = hex_upper(evp_digest(EVP_sha256(), data));
  for (auto& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return hex;
}

}  // namespace fulfil
