#pragma once
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace fulfil::identity {

// The shortest password accepted: a person types it at a shared pack station many times a
// day, so it is a passphrase, not a PIN.
constexpr std::size_t k_min_password_length = 10;

// An Argon2id hash of `password` in libsodium's self-describing string form (salt and cost
// inside), at the "interactive" cost: about 0.1 s and 64 MiB on this class of machine, which
// is why logins are throttled before a hash is ever computed. A password shorter than
// k_min_password_length characters is refused.
Result<std::string> hash_password(std::string_view password);

// Whether `password` matches `hash` (constant time); false for a hash that is not one.
bool verify_password(const std::string& hash, std::string_view password);

// Whether two secrets (CSRF tokens) are equal, in time that does not depend on where they
// differ; an empty `given` never matches.
bool same_secret(std::string_view given, std::string_view expected);

// `bytes` random bytes as lower-case hex (tokens, CSRF values).
std::string random_hex(std::size_t bytes);

}  // namespace fulfil::identity
