#include "identity/password.hpp"

#include <sodium.h>

#include <stdexcept>

#include "common/utf8.hpp"

namespace fulfil::identity {

namespace {

void init_sodium() {
  static const int k_ready = sodium_init();  // thread-safe, once; 1 = already done
  if (k_ready < 0) throw std::runtime_error("libsodium cannot start");
}

}  // namespace

Result<std::string> hash_password(std::string_view password) {
  init_sodium();
  // Characters, not bytes: a Chinese passphrase counts as what a person typed.
  if (code_points(password).size() < k_min_password_length)
    return fail(ErrorKind::invalid_input,
                "password: at least " + std::to_string(k_min_password_length) + " characters");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return fail(ErrorKind::internal, "password hashing ran out of memory");
  return std::string(out);
}

bool verify_password(const std::string& hash, std::string_view password) {
  init_sodium();
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool same_secret(std::string_view given, std::string_view expected) {
  if (given.empty() || given.size() != expected.size()) return false;
  return sodium_memcmp(given.data(), expected.data(), given.size()) == 0;
}

std::string random_hex(std::size_t bytes) {
  init_sodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.pop_back();
  return hex;
}

}  // namespace fulfil::identity
